package dev.mosaic.durability;

import dev.mosaic.api.cluster.Tablet;
import dev.mosaic.spi.durability.DurabilityPolicy;
import dev.mosaic.spi.durability.PromotionRule;

/**
 * {@code semi_sync} and {@code semi_sync_with_rdonly_ack}: a primary needs one semi-sync ack, from
 * any replica (and, with rdonly acks, any rdonly) in any cell; a primary or replica may be
 * promoted. Stateless; thread-safe.
 */
public final class SemiSyncPolicy implements DurabilityPolicy {
    private final boolean rdonlyAcks;

    /**
     * Creates the policy.
     *
     * @param rdonlyAcks whether rdonly tablets ack too (the {@code _with_rdonly_ack} variant)
     */
    public SemiSyncPolicy(boolean rdonlyAcks) {
        this.rdonlyAcks = rdonlyAcks;
    }

    @Override
    public PromotionRule promotionRule(Tablet tablet) {
        return NonePolicy.Promotion.primaryOrReplica(tablet.type());
    }

    @Override
    public int semiSyncAckers(Tablet primary) {
        return 1;
    }

    @Override
    public boolean isReplicaSemiSync(Tablet primary, Tablet replica) {
        return switch (replica.type()) {
            case PRIMARY, REPLICA -> true;
            case RDONLY -> rdonlyAcks;
            default -> false;
        };
    }

    @Override
    public boolean hasSemiSync() {
        return true;
    }

    @Override
    public String toString() {
        return rdonlyAcks ? "semi_sync_with_rdonly_ack" : "semi_sync";
    }
}
