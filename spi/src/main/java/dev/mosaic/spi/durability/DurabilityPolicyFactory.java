package dev.mosaic.spi.durability;

import dev.mosaic.spi.PluginFactory;

/**
 * Provider of a durability policy ({@code none}, {@code semi_sync}, {@code cross_cell}, ...),
 * named by a keyspace's {@code durability_policy}.
 */
public interface DurabilityPolicyFactory extends PluginFactory<DurabilityPolicy> {
}
