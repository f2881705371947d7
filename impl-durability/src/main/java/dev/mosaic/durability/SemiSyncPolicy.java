package dev.mosaic.durability;

import dev.mosaic.api.cluster.Tablet;
import dev.mosaic.spi.durability.DurabilityPolicy;
import dev.mosaic.spi.durability.PromotionRule;

/**
 * The semi-sync policies: a primary needs one semi-sync ack; a primary or replica may be promoted.
 * {@code semi_sync} takes the ack from a replica in any cell, {@code cross_cell} only from one in
 * another cell (so an acknowledged write survives the loss of the primary's whole cell); their
 * {@code _with_rdonly_ack} variants take rdonly acks too. Stateless; thread-safe.
 */
public final class SemiSyncPolicy implements DurabilityPolicy {
    private final boolean rdonlyAcks;
    private final boolean otherCellsOnly;

    /**
     * Creates the policy.
     *
     * @param rdonlyAcks whether rdonly tablets ack too (the {@code _with_rdonly_ack} variants)
     * @param otherCellsOnly whether only tablets in another cell than the primary's ack ({@code cross_cell})
     */
    public SemiSyncPolicy(boolean rdonlyAcks, boolean otherCellsOnly) {
        this.rdonlyAcks = rdonlyAcks;
        this.otherCellsOnly = otherCellsOnly;
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
        if (otherCellsOnly && primary.alias().cell().equals(replica.alias().cell())) {
            return false;
        }
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
        return (otherCellsOnly ? "cross_cell" : "semi_sync") + (rdonlyAcks ? "_with_rdonly_ack" : "");
    }
}
