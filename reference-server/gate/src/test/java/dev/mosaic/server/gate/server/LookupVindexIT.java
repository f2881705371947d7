package dev.mosaic.server.gate.server;

import static dev.mosaic.server.gate.server.GateTestCluster.KS;
import static dev.mosaic.server.gate.server.GateTestCluster.SHARDS;
import static dev.mosaic.server.gate.testing.QueryResults.rows;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.Value;
import dev.mosaic.server.gate.server.GateTestCluster.Keyspace;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.SingleColumnVindex;
import dev.mosaic.spi.vindex.VindexCursor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Routing through a lookup vindex, with mysql-connector-j against real tablets: keyspace
 * {@code customer} (shards {@code -80}, {@code 80-}) holds {@code user}, sharded by {@code hash(id)},
 * with a {@code consistent_lookup_unique} vindex on {@code email} whose table
 * {@code user_email_lkp(email, keyspace_id)} lives in the unsharded keyspace {@code commerce}. The
 * rows and their lookup rows are written straight into the MariaDBs (so that a row without a lookup
 * row can exist; maintenance through the gate is {@link LookupMaintenanceIT}'s); reads through the
 * gate must ask the lookup table once and then reach only the shard that owns the row.
 */
class LookupVindexIT {
    private static final String LOOKUP_KS = "commerce";
    private static final String VSCHEMA = """
            {"sharded": true,
             "vindexes": {"hash": {"type": "hash"},
                          "email_idx": {"type": "consistent_lookup_unique",
                                        "params": {"table": "commerce.user_email_lkp", "from": "email", "to": "keyspace_id"},
                                        "owner": "user"}},
             "tables": {"user": {"column_vindexes": [{"column": "id", "name": "hash"},
                                                     {"column": "email", "name": "email_idx"}]}}}
            """;
    private static final String LOOKUP_VSCHEMA = """
            {"tables": {"user_email_lkp": {}}}
            """;
    /** Tablets in start order: customer -80, customer 80-, commerce 0. */
    private static final int LOOKUP_TABLET = 2;

    private static GateTestCluster gate;

    @BeforeAll
    static void start() throws Exception {
        gate = GateTestCluster.start(List.of(
                new Keyspace(KS, SHARDS, VSCHEMA, List.of(
                        "CREATE TABLE vt_customer.user (id BIGINT PRIMARY KEY, email VARCHAR(64), name VARCHAR(20))")),
                new Keyspace(LOOKUP_KS, List.of("0"), LOOKUP_VSCHEMA, List.of(
                        "CREATE TABLE vt_commerce.user_email_lkp (email VARCHAR(64) PRIMARY KEY, keyspace_id VARBINARY(16))"))),
                b -> b.txPoolSize(4).maxOpenTransactions(4));
        for (long id = 1; id <= 20; id++) {
            addUser(id, "u" + id + "@example.com", "name" + id);
        }
        addUser(21, "nobody-looked@example.com", "nolookup"); // no lookup row: unreachable by email
    }

    @AfterAll
    static void stop() {
        if (gate != null) {
            gate.close();
        }
    }

    private static KeyspaceId ksid(long id) {
        SingleColumnVindex v = (SingleColumnVindex) gate.planner().vschema().keyspace(KS).orElseThrow().tables()
                .get("user").primaryVindex().orElseThrow().vindex();
        return ((Destination.One) v.map(VindexCursor.NONE, List.of(Value.of(id))).get(0)).id();
    }

    private static int shardIndex(long id) {
        return SHARDS.indexOf(gate.shardOf("user", id));
    }

    /** Writes a user row on its shard and, unless its name says otherwise, its lookup row. */
    private static void addUser(long id, String email, String name) {
        gate.mysqld(shardIndex(id)).executeAll(List.of(
                "INSERT INTO vt_customer.user VALUES (" + id + ", '" + email + "', '" + name + "')"));
        if (!name.equals("nolookup")) {
            gate.mysqld(LOOKUP_TABLET).executeAll(List.of("INSERT INTO vt_commerce.user_email_lkp VALUES ('" + email
                    + "', X'" + HexFormat.of().formatHex(ksid(id).bytes()) + "')"));
        }
    }

    private static long[] servedDelta(long[] before) {
        long[] after = gate.served();
        long[] d = new long[after.length];
        for (int i = 0; i < after.length; i++) {
            d[i] = after[i] - before[i];
        }
        return d;
    }

    /** Per tablet, how many queries {@code id}'s shard and the lookup shard should have served: one each. */
    private static long[] oneLookupThen(int... shards) {
        long[] want = new long[3];
        want[LOOKUP_TABLET] = 1;
        for (int s : shards) {
            want[s]++;
        }
        return want;
    }

    @Test
    void equalityOnTheLookupColumnTouchesTheLookupTableThenOneShard() throws Exception {
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            for (long id : new long[] {3, 8, 13}) {
                long[] before = gate.served();
                List<List<String>> got = rows(st, "SELECT id, name FROM user WHERE email = 'u" + id + "@example.com'");
                assertEquals(List.of(List.of(String.valueOf(id), "name" + id)), got);
                assertArrayEquals(oneLookupThen(shardIndex(id)), servedDelta(before), "id " + id);
            }
        }
    }

    @Test
    void vexplainQueriesShowsOneLookupQueryThenOneShard() throws Exception {
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            // Connector/J's executeQuery refuses a first word it does not know; execute() takes it.
            assertTrue(st.execute("VEXPLAIN QUERIES SELECT id, name FROM user WHERE email = 'u8@example.com'"));
            List<List<String>> got = new ArrayList<>();
            try (ResultSet rs = st.getResultSet()) {
                while (rs.next()) {
                    got.add(List.of(rs.getString("keyspace"), rs.getString("shard"), rs.getString("query")));
                }
            }
            assertEquals(2, got.size(), got.toString());
            assertEquals(LOOKUP_KS, got.get(0).get(0), got.toString());
            assertTrue(got.get(0).get(2).contains("user_email_lkp"), got.toString());
            assertEquals(List.of(KS, SHARDS.get(shardIndex(8))), got.get(1).subList(0, 2), got.toString());
        }
    }

    @Test
    void preparedEqualityRoutesByTheBoundValue() throws Exception {
        try (Connection c = gate.connect(KS, "useServerPrepStmts=true");
             PreparedStatement ps = c.prepareStatement("SELECT name FROM user WHERE email = ?")) {
            for (long id : new long[] {5, 6}) {
                ps.setString(1, "u" + id + "@example.com");
                long[] before = gate.served();
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals("name" + id, rs.getString(1));
                }
                assertArrayEquals(oneLookupThen(shardIndex(id)), servedDelta(before), "id " + id);
            }
        }
    }

    @Test
    void inListReachesOnlyTheOwningShards() throws Exception {
        // Find two users on the same shard: the other shard must not be asked.
        List<Long> sameShard = new ArrayList<>();
        for (long id = 1; id <= 20 && sameShard.size() < 2; id++) {
            if (shardIndex(id) == 0) {
                sameShard.add(id);
            }
        }
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            long[] before = gate.served();
            List<List<String>> got = rows(st, "SELECT id FROM user WHERE email IN ('u" + sameShard.get(0)
                    + "@example.com', 'u" + sameShard.get(1) + "@example.com', 'missing@example.com') ORDER BY id");
            assertEquals(List.of(List.of(String.valueOf(sameShard.get(0))), List.of(String.valueOf(sameShard.get(1)))), got);
            // Text values are read one lookup query each (Vitess's default without batch_lookup).
            long[] want = oneLookupThen(0);
            want[LOOKUP_TABLET] = 3;
            assertArrayEquals(want, servedDelta(before));
        }
    }

    @Test
    void aValueTheLookupDoesNotKnowFindsNothingOnOneShard() throws Exception {
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            long[] before = gate.served();
            assertEquals(List.of(List.of("0")), rows(st, "SELECT COUNT(*) FROM user WHERE email = 'nobody@example.com'"));
            long[] d = servedDelta(before);
            assertEquals(1, d[LOOKUP_TABLET]);
            assertEquals(1, d[0] + d[1]);
        }
    }

    @Test
    void updateOfAnotherColumnRoutesThroughTheLookup() throws Exception {
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            long[] before = gate.served();
            assertEquals(1, st.executeUpdate("UPDATE user SET name = 'renamed' WHERE email = 'u9@example.com'"));
            assertArrayEquals(oneLookupThen(shardIndex(9)), servedDelta(before));
            assertEquals(List.of(List.of("renamed")), rows(st, "SELECT name FROM user WHERE id = 9"));
            assertEquals(List.of(List.of("renamed")),
                    gate.mysqld(shardIndex(9)).fetch("SELECT name FROM vt_customer.user WHERE id = 9").stream()
                            .map(r -> List.copyOf(r.values())).toList());
        }
    }

    @Test
    void readsInsideATransactionSeeTheLookupThroughTheSession() throws Exception {
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            assertEquals(List.of(List.of("name11")), rows(st, "SELECT name FROM user WHERE email = 'u11@example.com'"));
            c.commit();
        }
    }
}
