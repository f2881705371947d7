package dev.mosaic.spi.vindex;

import dev.mosaic.spi.PluginFactory;

/**
 * Provider of a vindex type. {@link #type()} is the name used in a vschema's {@code vindexes}
 * ({@code hash}, {@code lookup_unique}, ...). The configuration is the vindex's {@code params}
 * object; the {@link dev.mosaic.spi.PluginContext#instanceName()} is the vindex's name in the
 * vschema.
 */
public interface VindexFactory extends PluginFactory<Vindex> {
}
