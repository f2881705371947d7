package dev.mosaic.vindex.functional;

import dev.mosaic.spi.PluginKind;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.vindex.Vindex;
import java.util.Map;

/**
 * Creates the vindexes that composite vindexes ({@code multicol}, {@code numeric_static_map}'s
 * fallback) delegate to, by type name through the plugin registry, so any installed vindex type
 * can be used and no type is hard-wired.
 */
public final class SubVindexes {
    private SubVindexes() {
    }

    /**
     * Creates a vindex of {@code type} named {@code name} from the providers visible to the
     * thread's context class loader (or this module's loader when there is none).
     *
     * @throws dev.mosaic.api.error.MosaicException {@code NOT_FOUND} for an unknown type, or what
     *         the type's factory throws
     */
    public static Vindex create(String type, String name, Map<String, String> params) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = SubVindexes.class.getClassLoader();
        }
        return Plugins.load(loader).create(PluginKind.VINDEX, type, name, params);
    }
}
