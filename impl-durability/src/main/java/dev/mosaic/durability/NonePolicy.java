package dev.mosaic.durability;

import dev.mosaic.api.cluster.Tablet;
import dev.mosaic.api.cluster.TabletType;
import dev.mosaic.spi.durability.DurabilityPolicy;
import dev.mosaic.spi.durability.PromotionRule;

/** {@code none}: no semi-sync; a primary or replica may be promoted, nothing else. Stateless; thread-safe. */
public final class NonePolicy implements DurabilityPolicy {
    /** Creates the policy. */
    public NonePolicy() {
    }

    @Override
    public PromotionRule promotionRule(Tablet tablet) {
        return Promotion.primaryOrReplica(tablet.type());
    }

    @Override
    public int semiSyncAckers(Tablet primary) {
        return 0;
    }

    @Override
    public boolean isReplicaSemiSync(Tablet primary, Tablet replica) {
        return false;
    }

    @Override
    public boolean hasSemiSync() {
        return false;
    }

    @Override
    public String toString() {
        return "none";
    }

    /** The promotion rule every built-in policy shares. */
    static final class Promotion {
        private Promotion() {
        }

        static PromotionRule primaryOrReplica(TabletType type) {
            return type == TabletType.PRIMARY || type == TabletType.REPLICA ? PromotionRule.NEUTRAL : PromotionRule.MUST_NOT;
        }
    }
}
