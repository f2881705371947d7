package dev.mosaic.vindex;

import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.spi.PluginKind;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.Vindex;
import java.util.Map;

/** Test helpers: vindexes created the way the host creates them, through the registry. */
public final class Vindexes {
    /** The registry of this module's providers. */
    public static final Plugins PLUGINS = Plugins.load(Vindexes.class.getClassLoader());

    private Vindexes() {
    }

    /** A vindex of {@code type} named {@code name} with {@code params}. */
    @SuppressWarnings("unchecked")
    public static <V extends Vindex> V create(String type, String name, Map<String, String> params) {
        return (V) PLUGINS.create(PluginKind.VINDEX, type, name, params);
    }

    /** A vindex of {@code type} without params. */
    public static <V extends Vindex> V create(String type) {
        return create(type, type, Map.of());
    }

    /** The destination {@code One(hex)}. */
    public static Destination one(String hex) {
        return new Destination.One(KeyspaceId.fromHex(hex));
    }
}
