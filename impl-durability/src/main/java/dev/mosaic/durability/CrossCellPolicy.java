package dev.mosaic.durability;

import dev.mosaic.api.cluster.Tablet;
import dev.mosaic.spi.durability.DurabilityPolicy;
import dev.mosaic.spi.durability.PromotionRule;

/**
 * {@code cross_cell} and {@code cross_cell_with_rdonly_ack}: a primary needs one semi-sync ack,
 * only from a replica (and, with rdonly acks, an rdonly) in another cell, so an acknowledged
 * write survives the loss of the primary's whole cell; a primary or replica may be promoted.
 * Stateless; thread-safe.
 */
public final class CrossCellPolicy implements DurabilityPolicy {
    private final boolean rdonlyAcks;

    /**
     * Creates the policy.
     *
     * @param rdonlyAcks whether rdonly tablets ack too (the {@code _with_rdonly_ack} variant)
     */
    public CrossCellPolicy(boolean rdonlyAcks) {
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
        boolean otherCell = !primary.alias().cell().equals(replica.alias().cell());
        return switch (replica.type()) {
            case PRIMARY, REPLICA -> otherCell;
            case RDONLY -> rdonlyAcks && otherCell;
            default -> false;
        };
    }

    @Override
    public boolean hasSemiSync() {
        return true;
    }

    @Override
    public String toString() {
        return rdonlyAcks ? "cross_cell_with_rdonly_ack" : "cross_cell";
    }
}
