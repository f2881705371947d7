package dev.mosaic.durability;

import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.SpiVersion;
import dev.mosaic.spi.config.Config;
import dev.mosaic.spi.config.ConfigSpec;
import dev.mosaic.spi.durability.DurabilityPolicy;
import dev.mosaic.spi.durability.DurabilityPolicyFactory;
import java.util.function.Supplier;

/**
 * The providers of the built-in policies, one per type name; none takes configuration. A policy
 * is a small stateless value; {@code create} returns a new one each time.
 */
public abstract class PolicyFactory implements DurabilityPolicyFactory {
    private final String type;
    private final String description;
    private final Supplier<DurabilityPolicy> policy;

    private PolicyFactory(String type, String description, Supplier<DurabilityPolicy> policy) {
        this.type = type;
        this.description = description;
        this.policy = policy;
    }

    @Override
    public final String type() {
        return type;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final String spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public final ConfigSpec configSpec() {
        return ConfigSpec.EMPTY;
    }

    @Override
    public final DurabilityPolicy create(Config config, PluginContext context) {
        return policy.get();
    }

    /** {@code none}. */
    public static final class None extends PolicyFactory {
        /** Creates the provider. */
        public None() {
            super("none", "No semi-sync: commits never wait for a replica; primary and replica tablets may be promoted.",
                    NonePolicy::new);
        }
    }

    /** {@code semi_sync}. */
    public static final class SemiSync extends PolicyFactory {
        /** Creates the provider. */
        public SemiSync() {
            super("semi_sync", "A primary waits for one semi-sync ack from a replica in any cell.",
                    () -> new SemiSyncPolicy(false, false));
        }
    }

    /** {@code semi_sync_with_rdonly_ack}. */
    public static final class SemiSyncWithRdonlyAck extends PolicyFactory {
        /** Creates the provider. */
        public SemiSyncWithRdonlyAck() {
            super("semi_sync_with_rdonly_ack", "Like semi_sync, and rdonly tablets ack too.",
                    () -> new SemiSyncPolicy(true, false));
        }
    }

    /** {@code cross_cell}. */
    public static final class CrossCell extends PolicyFactory {
        /** Creates the provider. */
        public CrossCell() {
            super("cross_cell", "A primary waits for one semi-sync ack from a replica in another cell.",
                    () -> new SemiSyncPolicy(false, true));
        }
    }

    /** {@code cross_cell_with_rdonly_ack}. */
    public static final class CrossCellWithRdonlyAck extends PolicyFactory {
        /** Creates the provider. */
        public CrossCellWithRdonlyAck() {
            super("cross_cell_with_rdonly_ack", "Like cross_cell, and rdonly tablets in other cells ack too.",
                    () -> new SemiSyncPolicy(true, true));
        }
    }
}
