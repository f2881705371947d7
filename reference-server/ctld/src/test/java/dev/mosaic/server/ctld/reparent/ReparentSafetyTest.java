package dev.mosaic.server.ctld.reparent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mosaic.api.cluster.Tablet;
import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.api.cluster.TabletType;
import dev.mosaic.spi.PluginKind;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.durability.DurabilityPolicy;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The predicates over one shard, for each built-in policy (found by name, as ctld finds them):
 * primary p and replica r1 in zone1, replica r2 and rdonly rd in zone2, backup b in zone1.
 */
class ReparentSafetyTest {
    private static final Map<String, Tablet> SHARD = new LinkedHashMap<>();

    static {
        SHARD.put("p", tablet("zone1", 100, TabletType.PRIMARY));
        SHARD.put("r1", tablet("zone1", 101, TabletType.REPLICA));
        SHARD.put("r2", tablet("zone2", 102, TabletType.REPLICA));
        SHARD.put("rd", tablet("zone2", 103, TabletType.RDONLY));
        SHARD.put("b", tablet("zone1", 104, TabletType.BACKUP));
    }

    private static final Plugins PLUGINS = Plugins.load(ReparentSafetyTest.class.getClassLoader());

    private static Tablet tablet(String cell, long uid, TabletType type) {
        return new Tablet(new TabletAlias(cell, uid), "h" + uid, 1, 2, "m" + uid, 3306, "ks", "-", type, Map.of());
    }

    private static ReparentSafety safety(String policy) {
        DurabilityPolicy p = PLUGINS.create(PluginKind.DURABILITY, policy, "test", Map.of());
        return new ReparentSafety(p);
    }

    private static List<Tablet> tablets(String names) {
        return names.isBlank() ? List.of() : Arrays.stream(names.split(" ")).map(SHARD::get).toList();
    }

    /** policy, tablets reached, whether every possible primary of the whole shard is revoked. */
    private record Revoked(String policy, String reached, boolean revoked) {
    }

    @Test
    void haveRevoked() {
        List<Revoked> cases = List.of(
                new Revoked("none", "", false),
                new Revoked("none", "p", false),             // r1 may be primary and needs no ack
                new Revoked("none", "p r1 r2", true),        // rd and b must never be promoted
                new Revoked("semi_sync", "", false),
                new Revoked("semi_sync", "r1", false),       // p still has r2 to ack
                new Revoked("semi_sync", "r1 r2", true),     // p has no acker left; replicas stopped
                new Revoked("semi_sync_with_rdonly_ack", "r1 r2", false), // rd still acks for p
                new Revoked("semi_sync_with_rdonly_ack", "r1 r2 rd", true),
                new Revoked("cross_cell", "r1", false),      // p's only acker is r2, in zone2
                new Revoked("cross_cell", "r2", true),       // p and r1 lose their only cross-cell acker
                new Revoked("cross_cell_with_rdonly_ack", "r2", false), // rd in zone2 still acks for p and r1
                new Revoked("cross_cell_with_rdonly_ack", "r2 rd", true));
        for (Revoked c : cases) {
            assertEquals(c.revoked(), safety(c.policy()).haveRevoked(tablets(c.reached()), SHARD.values()),
                    () -> c.policy() + ", reached [" + c.reached() + "]");
        }
    }

    /** policy, one candidate, tablets reached, whether that candidate alone is revoked. */
    private record RevokedFor(String policy, String candidate, String reached, boolean revoked) {
    }

    @Test
    void haveRevokedForOneCandidate() {
        List<RevokedFor> cases = List.of(
                new RevokedFor("none", "p", "r1 r2 rd", false),
                new RevokedFor("none", "p", "p", true),
                new RevokedFor("semi_sync", "p", "r2", false),
                new RevokedFor("semi_sync", "r1", "p r2", true),    // p acks for r1 in semi_sync (type PRIMARY acks)
                new RevokedFor("cross_cell", "r2", "r1", false),    // p in zone1 still acks for r2
                new RevokedFor("cross_cell", "r2", "p r1", true));
        for (RevokedFor c : cases) {
            assertEquals(c.revoked(), safety(c.policy()).haveRevoked(SHARD.get(c.candidate()), tablets(c.reached()), SHARD.values()),
                    () -> c.policy() + ", " + c.candidate() + ", reached [" + c.reached() + "]");
        }
    }

    /** policy, candidate, tablets reached, whether the candidate can make progress. */
    private record Establish(String policy, String candidate, String reached, boolean can) {
    }

    @Test
    void canEstablish() {
        List<Establish> cases = List.of(
                new Establish("none", "r1", "r1", true),
                new Establish("none", "r1", "p r2", false),           // the candidate itself was not reached
                new Establish("semi_sync", "r1", "r1", false),
                new Establish("semi_sync", "r1", "r1 r2", true),
                new Establish("semi_sync", "r1", "r1 rd", false),     // rdonly does not ack
                new Establish("semi_sync", "r1", "r1 b", false),      // nor a backup tablet
                new Establish("semi_sync_with_rdonly_ack", "r1", "r1 rd", true),
                new Establish("cross_cell", "r1", "r1 p", false),     // same cell
                new Establish("cross_cell", "r1", "r1 r2", true),
                new Establish("cross_cell", "r1", "r1 rd", false),
                new Establish("cross_cell_with_rdonly_ack", "r1", "r1 rd", true),
                new Establish("cross_cell_with_rdonly_ack", "r2", "r2 rd", false)); // rd shares r2's cell
        for (Establish c : cases) {
            assertEquals(c.can(), safety(c.policy()).canEstablish(SHARD.get(c.candidate()), tablets(c.reached())),
                    () -> c.policy() + ", " + c.candidate() + ", reached [" + c.reached() + "]");
        }
    }
}
