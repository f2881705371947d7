package dev.mosaic.server.gate.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.api.sql.SqlType;
import dev.mosaic.proto.query.Target;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.gate.gateway.TabletStatus;
import dev.mosaic.server.sql.exec.ShardTarget;
import dev.mosaic.server.sql.parse.ParsedStatement.ShowKind;
import dev.mosaic.server.sql.plan.Primitive;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class MetadataAnswersTest {
    private static final ShardMap SHARDS = new ShardMap(Map.of(
            "customer", List.of(ShardTarget.named("-80"), ShardTarget.named("80-")),
            "commerce", List.of(ShardTarget.named("0"))));
    private static final List<TabletStatus> TABLETS = List.of(
            status(101, "customer", "80-", TabletType.PRIMARY, true, 1_700_000_000L, "host-b"),
            status(100, "customer", "-80", TabletType.PRIMARY, true, 1_700_000_001L, "host-a"),
            status(200, "commerce", "0", TabletType.REPLICA, false, 0, "host-c"));

    private static TabletStatus status(int uid, String ks, String shard, TabletType type, boolean serving, long term,
            String host) {
        return new TabletStatus(new TabletAlias("zone1", uid), host, 15000 + uid,
                Target.newBuilder().setKeyspace(ks).setShard(shard).setTabletType(type).build(), serving, 0, "", term,
                Optional.empty());
    }

    private static GateRows show(ShowKind kind, String like) {
        return MetadataAnswers.answer(new Primitive.GateShow(kind, Optional.ofNullable(like)), SHARDS, () -> TABLETS);
    }

    @Test
    void answers() {
        record Case(ShowKind kind, String like, List<String> columns, List<List<String>> rows) {
        }
        List<Case> cases = List.of(
                new Case(ShowKind.DATABASES, null, List.of("Database"), List.of(List.of("commerce"), List.of("customer"),
                        List.of("information_schema"), List.of("mysql"), List.of("sys"), List.of("performance_schema"))),
                new Case(ShowKind.DATABASES, "c%", List.of("Database"), List.of(List.of("commerce"), List.of("customer"))),
                new Case(ShowKind.DATABASES, "my_ql", List.of("Database"), List.of(List.of("mysql"))),
                new Case(ShowKind.VITESS_KEYSPACES, null, List.of("Database"), List.of(List.of("commerce"), List.of("customer"))),
                new Case(ShowKind.VITESS_SHARDS, null, List.of("Shards"),
                        List.of(List.of("commerce/0"), List.of("customer/-80"), List.of("customer/80-"))),
                new Case(ShowKind.VITESS_SHARDS, "customer/%", List.of("Shards"),
                        List.of(List.of("customer/-80"), List.of("customer/80-"))),
                new Case(ShowKind.VITESS_TABLETS, null,
                        List.of("Cell", "Keyspace", "Shard", "TabletType", "State", "Alias", "Hostname", "PrimaryTermStartTime"),
                        List.of(List.of("zone1", "commerce", "0", "REPLICA", "NOT_SERVING", "zone1-0000000200", "host-c", ""),
                                List.of("zone1", "customer", "-80", "PRIMARY", "SERVING", "zone1-0000000100", "host-a",
                                        "2023-11-14T22:13:21Z"),
                                List.of("zone1", "customer", "80-", "PRIMARY", "SERVING", "zone1-0000000101", "host-b",
                                        "2023-11-14T22:13:20Z"))),
                new Case(ShowKind.VITESS_TABLETS, "host-a", List.of("Cell", "Keyspace", "Shard", "TabletType", "State", "Alias",
                        "Hostname", "PrimaryTermStartTime"), List.of(List.of("zone1", "customer", "-80", "PRIMARY", "SERVING",
                        "zone1-0000000100", "host-a", "2023-11-14T22:13:21Z"))),
                new Case(ShowKind.WARNINGS, null, List.of("Level", "Code", "Message"), List.of()));
        for (Case c : cases) {
            GateRows r = show(c.kind(), c.like());
            String what = "SHOW " + c.kind() + (c.like() == null ? "" : " LIKE '" + c.like() + "'");
            assertEquals(c.columns(), r.names(), what);
            assertEquals(c.rows(), r.rows(), what);
        }
        assertEquals(List.of(SqlType.VARCHAR, SqlType.UINT16, SqlType.VARCHAR), show(ShowKind.WARNINGS, null).types());
    }

    @Test
    void likePatterns() {
        record Case(String pattern, String value, boolean matches) {
        }
        for (Case c : List.of(
                new Case("abc", "abc", true),
                new Case("abc", "abcd", false),
                new Case("a%", "abcd", true),
                new Case("%d", "abcd", true),
                new Case("a_c", "abc", true),
                new Case("a_c", "ac", false),
                new Case("a\\_c", "a_c", true),
                new Case("a\\_c", "abc", false),
                new Case("a.c", "abc", false),
                new Case("ABC", "abc", false),
                new Case("100\\%", "100%", true))) {
            Predicate<String> p = MetadataAnswers.like(Optional.of(c.pattern()));
            assertEquals(c.matches(), p.test(c.value()), c.pattern() + " ~ " + c.value());
        }
    }
}
