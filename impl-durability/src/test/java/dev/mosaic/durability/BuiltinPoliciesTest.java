package dev.mosaic.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mosaic.api.cluster.Tablet;
import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.api.cluster.TabletType;
import dev.mosaic.spi.durability.DurabilityPolicy;
import dev.mosaic.spi.durability.PromotionRule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Vitess's answers, table-driven: which tablet acks for which primary, how many acks, who may be
 * promoted. The TCK checks the contract; this checks the semantics of each built-in.
 */
class BuiltinPoliciesTest {
    private static final Tablet PRIMARY = tablet("zone1", 100, TabletType.PRIMARY);

    private static Tablet tablet(String cell, long uid, TabletType type) {
        return new Tablet(new TabletAlias(cell, uid), "h", 1, 2, "m", 3306, "ks", "-", type, Map.of());
    }

    /** policy, replica type, replica cell, acks for PRIMARY in zone1. */
    private record AckCase(DurabilityPolicy policy, TabletType type, String cell, boolean acks) {
    }

    @Test
    void whoAcksForAPrimaryInZone1() {
        DurabilityPolicy none = new NonePolicy();
        DurabilityPolicy semi = new SemiSyncPolicy(false, false);
        DurabilityPolicy semiRd = new SemiSyncPolicy(true, false);
        DurabilityPolicy cross = new SemiSyncPolicy(false, true);
        DurabilityPolicy crossRd = new SemiSyncPolicy(true, true);
        List<AckCase> cases = List.of(
                new AckCase(none, TabletType.REPLICA, "zone1", false),
                new AckCase(none, TabletType.REPLICA, "zone2", false),
                new AckCase(semi, TabletType.REPLICA, "zone1", true),
                new AckCase(semi, TabletType.REPLICA, "zone2", true),
                new AckCase(semi, TabletType.PRIMARY, "zone2", true),
                new AckCase(semi, TabletType.RDONLY, "zone1", false),
                new AckCase(semi, TabletType.BACKUP, "zone1", false),
                new AckCase(semi, TabletType.SPARE, "zone2", false),
                new AckCase(semiRd, TabletType.RDONLY, "zone1", true),
                new AckCase(semiRd, TabletType.RDONLY, "zone2", true),
                new AckCase(semiRd, TabletType.DRAINED, "zone2", false),
                new AckCase(cross, TabletType.REPLICA, "zone1", false),
                new AckCase(cross, TabletType.REPLICA, "zone2", true),
                new AckCase(cross, TabletType.PRIMARY, "zone2", true),
                new AckCase(cross, TabletType.RDONLY, "zone2", false),
                new AckCase(crossRd, TabletType.RDONLY, "zone1", false),
                new AckCase(crossRd, TabletType.RDONLY, "zone2", true),
                new AckCase(crossRd, TabletType.REPLICA, "zone1", false),
                new AckCase(crossRd, TabletType.RESTORE, "zone2", false));
        for (AckCase c : cases) {
            assertEquals(c.acks(), c.policy().isReplicaSemiSync(PRIMARY, tablet(c.cell(), 200, c.type())),
                    () -> c.policy() + ": " + c.type() + " in " + c.cell());
        }
    }

    @Test
    void ackCountsAndPromotion() {
        List<DurabilityPolicy> policies = List.of(new NonePolicy(), new SemiSyncPolicy(false, false), new SemiSyncPolicy(true, false),
                new SemiSyncPolicy(false, true), new SemiSyncPolicy(true, true));
        List<Integer> acks = List.of(0, 1, 1, 1, 1);
        for (int i = 0; i < policies.size(); i++) {
            DurabilityPolicy p = policies.get(i);
            assertEquals(acks.get(i), p.semiSyncAckers(PRIMARY), p::toString);
            assertEquals(acks.get(i) > 0, p.hasSemiSync(), p::toString);
            for (TabletType t : TabletType.values()) {
                PromotionRule expected = t == TabletType.PRIMARY || t == TabletType.REPLICA
                        ? PromotionRule.NEUTRAL : PromotionRule.MUST_NOT;
                assertEquals(expected, p.promotionRule(tablet("zone2", 300, t)), () -> p + ": " + t);
            }
        }
    }
}
