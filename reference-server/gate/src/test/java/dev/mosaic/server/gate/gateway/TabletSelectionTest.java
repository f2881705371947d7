package dev.mosaic.server.gate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.proto.query.Target;
import dev.mosaic.proto.topo.TabletType;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.CsvSource;

/** Table-driven: tablet health sets in, routable tablets and picks out. */
class TabletSelectionTest {
    private static final Duration LOW = Duration.ofSeconds(30);
    private static final Duration HIGH = Duration.ofHours(2);

    /** A tablet "cell-uid" that is serving (s), not serving (n) or serving with an error (e), with lag and term. */
    private static TabletStatus t(String alias, char state, long lag, long term) {
        Target target = Target.newBuilder().setKeyspace("ks").setShard("-80").setTabletType(TabletType.REPLICA).build();
        return new TabletStatus(TabletAlias.parse(alias), "h", 1, target, state != 'n', lag,
                state == 'e' ? "replication is not running" : "", term, Optional.empty());
    }

    static Stream<Arguments> healthyCases() {
        return Stream.of(
                // name, type, tablets, minServing, expected aliases (in order)
                Arguments.of("no tablets", TabletType.REPLICA, List.of(), 2, List.of()),
                Arguments.of("all low lag, sorted by lag", TabletType.REPLICA,
                        List.of(t("z1-1", 's', 5, 0), t("z1-2", 's', 0, 0), t("z1-3", 's', 30, 0)), 2,
                        List.of("z1-2", "z1-1", "z1-3")),
                Arguments.of("not serving and erroring tablets are dropped", TabletType.REPLICA,
                        List.of(t("z1-1", 'n', 0, 0), t("z1-2", 'e', 0, 0), t("z1-3", 's', 0, 0)), 2,
                        List.of("z1-3")),
                Arguments.of("lagging above low dropped when enough are below", TabletType.REPLICA,
                        List.of(t("z1-1", 's', 1, 0), t("z1-2", 's', 2, 0), t("z1-3", 's', 31, 0)), 2,
                        List.of("z1-1", "z1-2")),
                Arguments.of("the least lagging kept up to minServing", TabletType.REPLICA,
                        List.of(t("z1-1", 's', 100, 0), t("z1-2", 's', 50, 0), t("z1-3", 's', 500, 0)), 2,
                        List.of("z1-2", "z1-1")),
                Arguments.of("minServing 0 keeps only low lag", TabletType.REPLICA,
                        List.of(t("z1-1", 's', 100, 0), t("z1-2", 's', 5, 0)), 0, List.of("z1-2")),
                Arguments.of("above high never serves, even below minServing", TabletType.RDONLY,
                        List.of(t("z1-1", 's', 7201, 0), t("z1-2", 's', 7200, 0)), 2, List.of("z1-2")),
                Arguments.of("primary: newest term wins", TabletType.PRIMARY,
                        List.of(t("z1-1", 's', 0, 100), t("z1-2", 's', 0, 200), t("z1-3", 'n', 0, 300)), 2,
                        List.of("z1-2")),
                Arguments.of("primary: tie goes to the smaller alias", TabletType.PRIMARY,
                        List.of(t("z1-2", 's', 0, 100), t("z1-1", 's', 0, 100)), 2, List.of("z1-1")),
                Arguments.of("primary: none serving", TabletType.PRIMARY, List.of(t("z1-1", 'e', 0, 100)), 2,
                        List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("healthyCases")
    void healthy(String name, TabletType type, List<TabletStatus> tablets, int minServing, List<String> expected) {
        List<String> got = TabletSelection.healthy(type, tablets, LOW, HIGH, minServing).stream()
                .map(s -> s.alias().toString()).toList();
        List<String> want = expected.stream().map(a -> TabletAlias.parse(a).toString()).toList();
        assertEquals(want, got);
    }

    static Stream<Arguments> pickCases() {
        return Stream.of(
                // name, healthy, local cell, excluded, the set the pick must come from
                Arguments.of("local cell preferred", List.of(t("z1-1", 's', 0, 0), t("z2-2", 's', 0, 0),
                        t("z1-3", 's', 0, 0)), "z1", Set.of(), Set.of("z1-1", "z1-3")),
                Arguments.of("other cells when the local has none", List.of(t("z2-1", 's', 0, 0),
                        t("z3-2", 's', 0, 0)), "z1", Set.of(), Set.of("z2-1", "z3-2")),
                Arguments.of("excluded tablets skipped", List.of(t("z1-1", 's', 0, 0), t("z2-2", 's', 0, 0)), "z1",
                        Set.of("z1-1"), Set.of("z2-2")),
                Arguments.of("everything excluded", List.of(t("z1-1", 's', 0, 0)), "z1", Set.of("z1-1"), Set.of()),
                Arguments.of("nothing healthy", List.of(), "z1", Set.of(), Set.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pickCases")
    void pick(String name, List<TabletStatus> healthy, String local, Set<String> excluded, Set<String> from) {
        Set<TabletAlias> ex = new HashSet<>();
        excluded.forEach(a -> ex.add(TabletAlias.parse(a)));
        Set<TabletAlias> allowed = new HashSet<>();
        from.forEach(a -> allowed.add(TabletAlias.parse(a)));
        SplittableRandom random = new SplittableRandom(42);
        Set<TabletAlias> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Optional<TabletStatus> p = TabletSelection.pick(healthy, local, ex, random);
            if (allowed.isEmpty()) {
                assertFalse(p.isPresent(), "nothing to pick");
                return;
            }
            assertTrue(p.isPresent());
            assertTrue(allowed.contains(p.get().alias()), "picked " + p.get().alias() + " outside " + allowed);
            seen.add(p.get().alias());
        }
        assertEquals(allowed, seen, "random among equals: every candidate gets picked");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "SELECT 1|true",
            "  select * from t|true",
            "/* c */ SELECT 1|true",
            "(SELECT 1) UNION (SELECT 2)|true",
            "-- x\\nSELECT 1|true",
            "# x\\nshow tables|true",
            "DESC t|true",
            "describe t|true",
            "EXPLAIN SELECT 1|true",
            "INSERT INTO t VALUES (1)|false",
            "UPDATE t SET a = 1|false",
            "WITH x AS (SELECT 1) SELECT * FROM x|false",
            "SELECTX 1|false",
            "/* unterminated SELECT|false",
            "''|false"})
    void isRead(String sql, boolean read) {
        assertEquals(read, TabletSelection.isRead(sql.replace("\\n", "\n")));
    }

    @org.junit.jupiter.api.Test
    void describeLikeVitess() {
        Target target = Target.newBuilder().setKeyspace("ks").setShard("-80").setTabletType(TabletType.REPLICA)
                .setCell("zone1").build();
        assertEquals("keyspace:\"ks\" shard:\"-80\" tablet_type:REPLICA", TabletSelection.describe(target));
    }
}
