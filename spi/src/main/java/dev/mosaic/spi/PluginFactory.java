package dev.mosaic.spi;

import dev.mosaic.spi.config.Config;
import dev.mosaic.spi.config.ConfigSpec;

/**
 * A plugin provider: what {@link java.util.ServiceLoader} finds, and what makes service instances.
 *
 * <p>Each SPI has its own sub-interface (for example
 * {@link dev.mosaic.spi.vindex.VindexFactory}); a plugin implements that sub-interface, has a
 * public no-argument constructor, and lists its class in
 * {@code META-INF/services/<sub-interface name>}.
 *
 * <p>Contract (checked by the TCK's registry contract):
 * <ul>
 *   <li>{@link #type()} is a stable lower-case name, {@code [a-z][a-z0-9_]*} (at most 64
 *       characters), unique among the providers of the same SPI;</li>
 *   <li>{@link #spiVersion()} returns {@link SpiVersion#CURRENT} as compiled against;</li>
 *   <li>{@link #configSpec()} declares every key {@code create} reads, each with a type,
 *       description and, unless required, a default;</li>
 *   <li>{@link #create} receives configuration already validated against {@code configSpec()},
 *       so it never sees unknown or missing keys; it throws
 *       {@link dev.mosaic.api.error.MosaicException} (code {@code INVALID_ARGUMENT}) for a value
 *       that is well-typed but unusable, naming the key;</li>
 *   <li>factories are stateless and thread-safe; {@code create} may be called many times.</li>
 * </ul>
 *
 * @param <T> the service type the factory creates
 */
public interface PluginFactory<T> {
    /** The type name configuration refers to, e.g. {@code etcd}, {@code hash}, {@code semi_sync}. */
    String type();

    /** One sentence saying what the plugin is, shown by {@code mosaic plugins}. */
    String description();

    /** The SPI version the plugin was compiled against: {@code return SpiVersion.CURRENT;}. */
    String spiVersion();

    /** The configuration keys the plugin accepts. */
    ConfigSpec configSpec();

    /**
     * Creates a service instance.
     *
     * @param config  configuration validated against {@link #configSpec()}
     * @param context what the host offers the instance (its name, clock)
     * @return a new instance; never null
     * @throws dev.mosaic.api.error.MosaicException if the configuration is unusable or the
     *         service cannot start (e.g. {@code UNAVAILABLE} when a backend cannot be reached)
     */
    T create(Config config, PluginContext context);
}
