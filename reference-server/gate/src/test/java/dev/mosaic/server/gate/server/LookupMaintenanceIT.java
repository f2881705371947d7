package dev.mosaic.server.gate.server;

import static dev.mosaic.server.gate.server.GateTestCluster.KS;
import static dev.mosaic.server.gate.server.GateTestCluster.SHARDS;
import static dev.mosaic.server.gate.testing.QueryResults.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lookup vindex maintenance by the gate, with mysql-connector-j against real tablets. Keyspace
 * {@code customer} (shards {@code -80}, {@code 80-}) holds {@code customer}, sharded by
 * {@code hash(id)}, which owns three lookup vindexes whose tables live in the unsharded keyspace
 * {@code lookup} (as in Vitess's examples): {@code email} ({@code consistent_lookup_unique}),
 * {@code phone} ({@code lookup}, non-unique) and {@code tag} ({@code lookup_unique}). After every
 * step the lookup tables are read straight from MariaDB and compared with what the live owner rows
 * say they must hold.
 */
class LookupMaintenanceIT {
    private static final String LOOKUP_KS = "lookup";
    private static final String VSCHEMA = """
            {"sharded": true,
             "vindexes": {"hash": {"type": "hash"},
                          "email_lkp": {"type": "consistent_lookup_unique",
                                        "params": {"table": "lookup.customer_email_lkp", "from": "email", "to": "keyspace_id"},
                                        "owner": "customer"},
                          "phone_lkp": {"type": "lookup",
                                        "params": {"table": "lookup.customer_phone_lkp", "from": "phone", "to": "keyspace_id"},
                                        "owner": "customer"},
                          "tag_lkp": {"type": "lookup_unique",
                                      "params": {"table": "lookup.customer_tag_lkp", "from": "tag", "to": "keyspace_id"},
                                      "owner": "customer"}},
             "tables": {"customer": {"column_vindexes": [{"column": "id", "name": "hash"},
                                                         {"column": "email", "name": "email_lkp"},
                                                         {"column": "phone", "name": "phone_lkp"},
                                                         {"column": "tag", "name": "tag_lkp"}]}}}
            """;
    private static final String LOOKUP_VSCHEMA = """
            {"tables": {"customer_email_lkp": {}, "customer_phone_lkp": {}, "customer_tag_lkp": {}}}
            """;
    /** Tablets in start order: customer -80, customer 80-, lookup 0. */
    private static final int LOOKUP_TABLET = 2;
    private static final String EMAIL = "customer_email_lkp";
    private static final String PHONE = "customer_phone_lkp";
    private static final String TAG = "customer_tag_lkp";

    private static GateTestCluster gate;

    @BeforeAll
    static void start() throws Exception {
        gate = GateTestCluster.start(List.of(
                new Keyspace(KS, SHARDS, VSCHEMA, List.of("CREATE TABLE vt_customer.customer (id BIGINT PRIMARY KEY, "
                        + "email VARCHAR(64), phone VARCHAR(20), tag VARCHAR(20), name VARCHAR(20))")),
                new Keyspace(LOOKUP_KS, List.of("0"), LOOKUP_VSCHEMA, List.of(
                        "CREATE TABLE vt_lookup.customer_email_lkp (email VARCHAR(64) PRIMARY KEY, keyspace_id VARBINARY(16))",
                        "CREATE TABLE vt_lookup.customer_phone_lkp (phone VARCHAR(20), keyspace_id VARBINARY(16), "
                                + "PRIMARY KEY (phone, keyspace_id))",
                        "CREATE TABLE vt_lookup.customer_tag_lkp (tag VARCHAR(20) PRIMARY KEY, keyspace_id VARBINARY(16))"))),
                b -> b.txPoolSize(8).maxOpenTransactions(8));
    }

    @AfterAll
    static void stop() {
        if (gate != null) {
            gate.close();
        }
    }

    @BeforeEach
    void empty() {
        for (int i = 0; i < SHARDS.size(); i++) {
            gate.mysqld(i).executeAll(List.of("DELETE FROM vt_customer.customer"));
        }
        gate.mysqld(LOOKUP_TABLET).executeAll(List.of("DELETE FROM vt_lookup." + EMAIL, "DELETE FROM vt_lookup." + PHONE,
                "DELETE FROM vt_lookup." + TAG));
    }

    // ---- what the tables hold ---------------------------------------------------------------------

    private static String ksid(long id) {
        SingleColumnVindex v = (SingleColumnVindex) gate.planner().vschema().keyspace(KS).orElseThrow().tables()
                .get("customer").primaryVindex().orElseThrow().vindex();
        KeyspaceId k = ((Destination.One) v.map(VindexCursor.NONE, List.of(Value.of(id))).get(0)).id();
        return HexFormat.of().withUpperCase().formatHex(k.bytes());
    }

    private static int shardIndex(long id) {
        return SHARDS.indexOf(gate.shardOf("customer", id));
    }

    /** A lookup table's rows as "value -> KEYSPACEIDHEX", read from MariaDB. */
    private static Set<String> lookup(String table) {
        String from = table.substring("customer_".length(), table.length() - "_lkp".length());
        Set<String> out = new TreeSet<>();
        for (Map<String, String> row : gate.mysqld(LOOKUP_TABLET).fetch("SELECT " + from + " AS v, HEX(keyspace_id) AS k FROM vt_lookup."
                + table)) {
            out.add(row.get("v") + " -> " + row.get("k"));
        }
        return out;
    }

    /** The live owner rows, id to (email, phone, tag), read from both shards' MariaDBs. */
    private static Map<Long, List<String>> live() {
        Map<Long, List<String>> out = new HashMap<>();
        for (int i = 0; i < SHARDS.size(); i++) {
            for (Map<String, String> row : gate.mysqld(i).fetch("SELECT id, email, phone, tag FROM vt_customer.customer")) {
                long id = Long.parseLong(row.get("id"));
                assertEquals(i, shardIndex(id), "row " + id + " on the wrong shard");
                out.put(id, java.util.Arrays.asList(row.get("email"), row.get("phone"), row.get("tag")));
            }
        }
        return out;
    }

    /** What lookup table {@code column} (0 email, 1 phone, 2 tag) must hold for the live rows. */
    private static Set<String> expected(Map<Long, List<String>> live, int column) {
        Set<String> out = new TreeSet<>();
        live.forEach((id, cols) -> {
            if (cols.get(column) != null) {
                out.add(cols.get(column) + " -> " + ksid(id));
            }
        });
        return out;
    }

    /** Every lookup table equals exactly what the live rows say. */
    private static void assertLookupsExact(String step) {
        Map<Long, List<String>> live = live();
        assertEquals(expected(live, 0), lookup(EMAIL), step + ": email lookup");
        assertEquals(expected(live, 1), lookup(PHONE), step + ": phone lookup");
        assertEquals(expected(live, 2), lookup(TAG), step + ": tag lookup");
    }

    private static void assertLive(Set<Long> ids) {
        assertEquals(new TreeSet<>(ids), new TreeSet<>(live().keySet()));
    }

    private static String values(long id) {
        return "(" + id + ", 'u" + id + "@x', 'p" + (id % 3) + "', 't" + id + "', 'n" + id + "')";
    }

    private static void insert(Statement st, long... ids) throws SQLException {
        StringBuilder sql = new StringBuilder("INSERT INTO customer (id, email, phone, tag, name) VALUES ");
        for (int i = 0; i < ids.length; i++) {
            sql.append(i == 0 ? "" : ", ").append(values(ids[i]));
        }
        assertEquals(ids.length, st.executeUpdate(sql.toString()));
    }

    private static long[] idsOnBothShards(int n) {
        long[] out = new long[n];
        int found = 0;
        boolean[] seen = new boolean[SHARDS.size()];
        for (long id = 1; found < n; id++) {
            if (found < n - 1 || seen[0] && seen[1] || !seen[shardIndex(id)]) {
                out[found++] = id;
                seen[shardIndex(id)] = true;
            }
        }
        assertTrue(seen[0] && seen[1]);
        return out;
    }

    private static void assertDuplicate(SQLException e) {
        assertEquals(1062, e.getErrorCode(), e.getMessage());
        assertEquals("23000", e.getSQLState(), e.getMessage());
    }

    // ---- tests --------------------------------------------------------------------------------------

    @Test
    void multiRowInsertAcrossShardsWritesOneLookupRowPerValueAndReadsTouchOneShard() throws Exception {
        long[] ids = idsOnBothShards(6);
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            insert(st, ids);
            assertLookupsExact("after the insert");
            assertEquals(6, lookup(EMAIL).size());
            for (long id : ids) {
                assertTrue(st.execute("VEXPLAIN QUERIES SELECT id, name FROM customer WHERE email = 'u" + id + "@x'"));
                List<List<String>> got = new ArrayList<>();
                try (ResultSet rs = st.getResultSet()) {
                    while (rs.next()) {
                        got.add(List.of(rs.getString("keyspace"), rs.getString("shard"), rs.getString("query")));
                    }
                }
                assertEquals(2, got.size(), got.toString());
                assertEquals(LOOKUP_KS, got.get(0).get(0), got.toString());
                assertTrue(got.get(0).get(2).contains(EMAIL), got.toString());
                assertEquals(List.of(KS, SHARDS.get(shardIndex(id))), got.get(1).subList(0, 2), got.toString());
                assertEquals(List.of(List.of(String.valueOf(id), "n" + id)),
                        rows(st, "SELECT id, name FROM customer WHERE email = 'u" + id + "@x'"));
            }
        }
    }

    @Test
    void deleteRemovesTheLookupRowsOfTheDeletedRows() throws Exception {
        long[] ids = idsOnBothShards(6);
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            insert(st, ids);
            assertEquals(1, st.executeUpdate("DELETE FROM customer WHERE id = " + ids[0]));
            assertLookupsExact("delete by primary vindex");
            assertEquals(1, st.executeUpdate("DELETE FROM customer WHERE email = 'u" + ids[1] + "@x'"));
            assertLookupsExact("delete through the email lookup");
            assertEquals(1, st.executeUpdate("DELETE FROM customer WHERE tag = 't" + ids[2] + "'"));
            assertLookupsExact("delete through the tag lookup");
            assertEquals(2, st.executeUpdate("DELETE FROM customer WHERE id IN (" + ids[3] + ", " + ids[4] + ", -7)"));
            assertLookupsExact("delete by IN on the primary vindex");
            assertEquals(1, st.executeUpdate("DELETE FROM customer WHERE name IN ('n" + ids[5] + "', 'nobody')"));
            assertLookupsExact("scatter delete");
            assertLive(Set.of());
            assertEquals(Set.of(), lookup(EMAIL));
        }
    }

    @Test
    void updateOfLookupColumnsMovesTheirRows() throws Exception {
        long[] ids = idsOnBothShards(4);
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            insert(st, ids);
            assertEquals(1, st.executeUpdate("UPDATE customer SET email = 'new@x' WHERE id = " + ids[0]));
            assertLookupsExact("email changed");
            assertTrue(lookup(EMAIL).contains("new@x -> " + ksid(ids[0])));
            assertTrue(lookup(EMAIL).stream().noneMatch(r -> r.startsWith("u" + ids[0] + "@x")));
            assertEquals(1, st.executeUpdate("UPDATE customer SET phone = 'p9', tag = 'tnew' WHERE email = 'new@x'"));
            assertLookupsExact("phone and tag changed, routed by the new email");
            assertEquals(2, st.executeUpdate("UPDATE customer SET phone = 'pin' WHERE id IN (" + ids[2] + ", " + ids[3] + ")"));
            assertLookupsExact("update by IN on the primary vindex");
            assertEquals(4, st.executeUpdate("UPDATE customer SET phone = 'same' WHERE name LIKE 'n%'"));
            assertLookupsExact("scatter update of phone");
            assertEquals(0, st.executeUpdate("UPDATE customer SET tag = 'nobody' WHERE id = -1"));
            assertLookupsExact("an update touching no row");
            // A lookup column set to an expression is rejected by the planner, before anything runs.
            assertThrows(SQLException.class, () -> st.executeUpdate("UPDATE customer SET email = CONCAT(email, 'x') WHERE id = "
                    + ids[2]));
            assertLookupsExact("rejected update");
            assertEquals(1, st.executeUpdate("UPDATE customer SET email = 'u" + ids[1] + "@x' WHERE id = " + ids[1]));
            assertLookupsExact("email set to its own value");
            assertEquals(List.of(List.of(String.valueOf(ids[0]))), rows(st, "SELECT id FROM customer WHERE email = 'new@x'"));
        }
    }

    @Test
    void duplicatesAreErrors1062AndChangeNothing() throws Exception {
        long[] ids = idsOnBothShards(3);
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            insert(st, ids[0], ids[1]);
            Set<String> email = lookup(EMAIL);
            SQLException e = assertThrows(SQLException.class, () -> st.executeUpdate(
                    "INSERT INTO customer (id, email, phone, tag, name) VALUES (" + ids[2] + ", 'u" + ids[0] + "@x', 'p', 'tz', 'n')"));
            assertDuplicate(e);
            assertTrue(e.getMessage().contains("u" + ids[0] + "@x"), e.getMessage());
            assertLive(Set.of(ids[0], ids[1]));
            assertLookupsExact("consistent_lookup_unique duplicate");
            assertEquals(email, lookup(EMAIL));
            // lookup_unique: the third owned vindex fails after the first two wrote; all is rolled back.
            e = assertThrows(SQLException.class, () -> st.executeUpdate(
                    "INSERT INTO customer (id, email, phone, tag, name) VALUES (" + ids[2] + ", 'fresh@x', 'p', 't" + ids[1] + "', 'n')"));
            assertDuplicate(e);
            assertTrue(e.getMessage().contains("t" + ids[1]), e.getMessage());
            assertLive(Set.of(ids[0], ids[1]));
            assertLookupsExact("lookup_unique duplicate");
            // The same value twice in one statement.
            e = assertThrows(SQLException.class, () -> st.executeUpdate("INSERT INTO customer (id, email, phone, tag, name) "
                    + "VALUES (" + ids[2] + ", 'twice@x', 'p', 'ta', 'n'), (" + (ids[2] + 100) + ", 'twice@x', 'p', 'tb', 'n')"));
            assertDuplicate(e);
            assertLive(Set.of(ids[0], ids[1]));
            assertLookupsExact("duplicate within one insert");
            // An update to a value another live row holds.
            e = assertThrows(SQLException.class, () -> st.executeUpdate("UPDATE customer SET email = 'u" + ids[1]
                    + "@x' WHERE id = " + ids[0]));
            assertDuplicate(e);
            assertLookupsExact("duplicate by update");
            assertEquals(List.of(List.of("u" + ids[0] + "@x")), rows(st, "SELECT email FROM customer WHERE id = " + ids[0]));
        }
    }

    @Test
    void anOrphanedConsistentLookupRowIsTakenOverByTheNextInsert() throws Exception {
        long[] ids = idsOnBothShards(2);
        // Left by a crash between the pre commit and the main commit: it points at a row that does not exist.
        gate.mysqld(LOOKUP_TABLET).executeAll(List.of("INSERT INTO vt_lookup." + EMAIL + " VALUES ('orphan@x', X'"
                + ksid(ids[1]) + "')"));
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            assertEquals(1, st.executeUpdate("INSERT INTO customer (id, email, phone, tag, name) VALUES (" + ids[0]
                    + ", 'orphan@x', 'p', 't', 'n')"));
            assertLookupsExact("orphan re-pointed");
            assertEquals(Set.of("orphan@x -> " + ksid(ids[0])), lookup(EMAIL));
            assertEquals(List.of(List.of(String.valueOf(ids[0]))), rows(st, "SELECT id FROM customer WHERE email = 'orphan@x'"));
            // An orphan that already points at the inserting row's keyspace id is simply kept.
            gate.mysqld(LOOKUP_TABLET).executeAll(List.of("INSERT INTO vt_lookup." + EMAIL + " VALUES ('mine@x', X'"
                    + ksid(ids[1]) + "')"));
            assertEquals(1, st.executeUpdate("INSERT INTO customer (id, email, phone, tag, name) VALUES (" + ids[1]
                    + ", 'mine@x', 'p', 't2', 'n')"));
            assertLookupsExact("orphan at the same keyspace id");
        }
    }

    @Test
    void insertIgnoreDropsOnlyTheDuplicateRow() throws Exception {
        long[] ids = idsOnBothShards(4);
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            insert(st, ids[0]);
            int n = st.executeUpdate("INSERT IGNORE INTO customer (id, email, phone, tag, name) VALUES "
                    + "(" + ids[1] + ", 'u" + ids[0] + "@x', 'p', 'ta', 'n'), "
                    + "(" + ids[2] + ", 'fresh@x', 'p', 'tb', 'n')");
            assertEquals(1, n);
            assertLive(Set.of(ids[0], ids[2]));
            assertLookupsExact("insert ignore, duplicate email");
            assertEquals(0, st.executeUpdate("INSERT IGNORE INTO customer (id, email, phone, tag, name) VALUES "
                    + "(" + ids[1] + ", 'fresh@x', 'p', 'tc', 'n')"));
            assertLookupsExact("insert ignore of nothing");
        }
    }

    /**
     * As in Vitess, owned vindexes are processed one after another: a row dropped by INSERT IGNORE
     * because of a later vindex (tag) keeps the entries the earlier ones (email, phone) already
     * created. For the consistent lookup that is an orphan, taken over by the next insert of the value.
     */
    @Test
    void insertIgnoreDroppedByALaterVindexKeepsTheEarlierEntries() throws Exception {
        long[] ids = idsOnBothShards(3);
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            insert(st, ids[0]);
            assertEquals(0, st.executeUpdate("INSERT IGNORE INTO customer (id, email, phone, tag, name) VALUES "
                    + "(" + ids[1] + ", 'other@x', 'pz', 't" + ids[0] + "', 'n')"));
            assertLive(Set.of(ids[0]));
            Map<Long, List<String>> live = live();
            Set<String> email = new TreeSet<>(expected(live, 0));
            email.add("other@x -> " + ksid(ids[1]));
            Set<String> phone = new TreeSet<>(expected(live, 1));
            phone.add("pz -> " + ksid(ids[1]));
            assertEquals(email, lookup(EMAIL));
            assertEquals(phone, lookup(PHONE));
            assertEquals(expected(live, 2), lookup(TAG));
            // The orphaned email entry is taken over by the next row with that email.
            assertEquals(1, st.executeUpdate("INSERT INTO customer (id, email, phone, tag, name) VALUES (" + ids[2]
                    + ", 'other@x', 'pz', 'tnew', 'n')"));
            assertTrue(lookup(EMAIL).contains("other@x -> " + ksid(ids[2])));
        }
    }

    @Test
    void rolledBackTransactionLeavesTheLookupsAsTheyWere() throws Exception {
        long[] ids = idsOnBothShards(4);
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            insert(st, ids[0], ids[1]);
            Map<String, Set<String>> before = Map.of(EMAIL, lookup(EMAIL), PHONE, lookup(PHONE), TAG, lookup(TAG));
            c.setAutoCommit(false);
            insert(st, ids[2], ids[3]);
            assertEquals(1, st.executeUpdate("DELETE FROM customer WHERE id = " + ids[0]));
            assertEquals(1, st.executeUpdate("UPDATE customer SET email = 'moved@x' WHERE id = " + ids[1]));
            // Inside the transaction the new values route (the pre session's rows are read in it).
            assertEquals(List.of(List.of(String.valueOf(ids[2]))), rows(st, "SELECT id FROM customer WHERE email = 'u" + ids[2] + "@x'"));
            assertEquals(List.of(List.of(String.valueOf(ids[1]))), rows(st, "SELECT id FROM customer WHERE email = 'moved@x'"));
            c.rollback();
            c.setAutoCommit(true);
            assertLive(Set.of(ids[0], ids[1]));
            // Vitess rolls back the pre, main and post transactions: the lookups are exactly as before.
            assertEquals(before, Map.of(EMAIL, lookup(EMAIL), PHONE, lookup(PHONE), TAG, lookup(TAG)));
            assertLookupsExact("after rollback");
        }
    }

    @Test
    void rollbackToASavepointUndoesTheLookupWritesAfterIt() throws Exception {
        long[] ids = idsOnBothShards(4);
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            insert(st, ids[0], ids[1]);
            c.setAutoCommit(false);
            insert(st, ids[2]); // opens the pre session before the savepoint
            st.execute("SAVEPOINT a");
            assertEquals(1, st.executeUpdate("DELETE FROM customer WHERE id = " + ids[0]));
            assertEquals(1, st.executeUpdate("UPDATE customer SET email = 'moved@x' WHERE id = " + ids[1]));
            insert(st, ids[3]);
            st.execute("ROLLBACK TO SAVEPOINT a");
            c.commit();
            c.setAutoCommit(true);
            assertLive(Set.of(ids[0], ids[1], ids[2]));
            assertLookupsExact("after rollback to savepoint and commit");
        }
    }

    @Test
    void aFailedInsertInsideATransactionLeavesNoLookupRows() throws Exception {
        long[] ids = idsOnBothShards(2);
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            insert(st, ids[0]);
            c.setAutoCommit(false);
            insert(st, ids[1]);
            // Same primary key, new lookup values: the lookups are written, then the row insert fails.
            SQLException e = assertThrows(SQLException.class, () -> st.executeUpdate("INSERT INTO customer "
                    + "(id, email, phone, tag, name) VALUES (" + ids[0] + ", 'again@x', 'pa', 'tagain', 'n')"));
            assertDuplicate(e);
            c.commit();
            c.setAutoCommit(true);
            assertLive(Set.of(ids[0], ids[1]));
            assertLookupsExact("after a failed insert in a committed transaction");
        }
    }

    @Test
    void committedTransactionCommitsPreMainAndPost() throws Exception {
        long[] ids = idsOnBothShards(4);
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            insert(st, ids[0], ids[1]);
            c.setAutoCommit(false);
            insert(st, ids[2], ids[3]);
            assertEquals(1, st.executeUpdate("DELETE FROM customer WHERE email = 'u" + ids[0] + "@x'"));
            assertEquals(1, st.executeUpdate("UPDATE customer SET email = 'moved@x', tag = 'tm' WHERE id = " + ids[1]));
            // Nothing is visible outside before COMMIT: the lookup's pre rows are uncommitted too.
            assertEquals(2, lookup(EMAIL).size());
            c.commit();
            c.setAutoCommit(true);
            assertLive(Set.of(ids[1], ids[2], ids[3]));
            assertLookupsExact("after commit");
        }
    }

    @Test
    void preparedStatementsMaintainTheLookups() throws Exception {
        long[] ids = idsOnBothShards(4);
        try (Connection c = gate.connect(KS, "useServerPrepStmts=true")) {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO customer (id, email, phone, tag, name) VALUES (?, ?, ?, ?, ?)")) {
                for (long id : ids) {
                    ps.setLong(1, id);
                    ps.setString(2, "u" + id + "@x");
                    ps.setString(3, "p" + (id % 2));
                    ps.setString(4, "t" + id);
                    ps.setString(5, "n" + id);
                    assertEquals(1, ps.executeUpdate());
                }
            }
            assertLookupsExact("prepared inserts");
            try (PreparedStatement ps = c.prepareStatement("UPDATE customer SET email = ?, phone = ? WHERE id = ?")) {
                ps.setString(1, "changed@x");
                ps.setString(2, "p7");
                ps.setLong(3, ids[0]);
                assertEquals(1, ps.executeUpdate());
            }
            assertLookupsExact("prepared update");
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM customer WHERE email = ?")) {
                ps.setString(1, "u" + ids[1] + "@x");
                assertEquals(1, ps.executeUpdate());
            }
            assertLookupsExact("prepared delete");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO customer (id, email, phone, tag, name) VALUES (?, ?, ?, ?, ?)")) {
                ps.setLong(1, ids[1]);
                ps.setString(2, "u" + ids[2] + "@x");
                ps.setString(3, "p");
                ps.setString(4, "tq");
                ps.setString(5, "n");
                assertDuplicate(assertThrows(SQLException.class, ps::executeUpdate));
            }
            assertLookupsExact("prepared duplicate");
        }
    }

    /**
     * Many random inserts, deletes and updates (seeded; the seed is printed), some of them
     * duplicates; afterwards the consistent lookup holds every live row with its keyspace id (it may
     * hold extra rows) and the other two lookups equal the live rows exactly.
     */
    @Test
    void randomWritesKeepTheLookupsConsistent() throws Exception {
        long seed = Long.getLong("lookup.seed", System.nanoTime());
        System.out.println("LookupMaintenanceIT.randomWritesKeepTheLookupsConsistent seed=" + seed);
        Random rnd = new Random(seed);
        Map<Long, List<String>> model = new HashMap<>();
        int duplicates = 0;
        int ops = 300;
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            for (int op = 0; op < ops; op++) {
                long id = 1 + rnd.nextInt(40);
                String email = "e" + rnd.nextInt(30) + "@x";
                String phone = "p" + rnd.nextInt(5);
                String tag = "t" + rnd.nextInt(50);
                int kind = rnd.nextInt(6);
                try {
                    switch (kind) {
                        case 0, 1 -> {
                            st.executeUpdate("INSERT INTO customer (id, email, phone, tag, name) VALUES (" + id + ", '" + email
                                    + "', '" + phone + "', '" + tag + "', 'n')");
                            model.put(id, List.of(email, phone, tag));
                        }
                        case 2 -> {
                            int n = st.executeUpdate("DELETE FROM customer WHERE id = " + id);
                            assertEquals(model.remove(id) != null ? 1 : 0, n, "delete " + id);
                        }
                        case 3 -> {
                            int n = st.executeUpdate("DELETE FROM customer WHERE email = '" + email + "'");
                            Long owner = model.entrySet().stream().filter(en -> en.getValue().get(0).equals(email))
                                    .map(Map.Entry::getKey).findFirst().orElse(null);
                            assertEquals(owner == null ? 0 : 1, n, "delete " + email);
                            if (owner != null) {
                                model.remove(owner);
                            }
                        }
                        case 4 -> {
                            int n = st.executeUpdate("UPDATE customer SET email = '" + email + "', phone = '" + phone
                                    + "' WHERE id = " + id);
                            List<String> old = model.get(id);
                            assertEquals(old == null ? 0 : 1, n, "update " + id);
                            if (old != null) {
                                model.put(id, List.of(email, phone, old.get(2)));
                            }
                        }
                        default -> {
                            st.executeUpdate("UPDATE customer SET tag = '" + tag + "' WHERE id = " + id);
                            List<String> old = model.get(id);
                            if (old != null) {
                                model.put(id, List.of(old.get(0), old.get(1), tag));
                            }
                        }
                    }
                } catch (SQLException e) {
                    boolean primaryTaken = (kind == 0 || kind == 1) && model.containsKey(id);
                    boolean valueTaken = model.entrySet().stream().anyMatch(en -> !en.getKey().equals(id)
                            && (kind <= 1 || kind == 4) && en.getValue().get(0).equals(email)
                            || !en.getKey().equals(id) && (kind <= 1 || kind == 5) && en.getValue().get(2).equals(tag));
                    if (e.getErrorCode() != 1062 || !(primaryTaken || valueTaken)) {
                        throw new AssertionError("op " + op + " (kind " + kind + ", id " + id + ", " + email + ", " + tag
                                + ", seed " + seed + ") failed unexpectedly: " + e.getMessage(), e);
                    }
                    duplicates++;
                }
            }
        }
        Map<Long, List<String>> live = live();
        Map<Long, List<String>> expectLive = new HashMap<>(model);
        assertEquals(expectLive, live, "seed " + seed);
        Set<String> emails = lookup(EMAIL);
        Set<String> missing = new HashSet<>(expected(live, 0));
        missing.removeAll(emails);
        assertEquals(Set.of(), missing, "live rows missing from the consistent lookup, seed " + seed);
        assertEquals(expected(live, 1), lookup(PHONE), "seed " + seed);
        assertEquals(expected(live, 2), lookup(TAG), "seed " + seed);
        System.out.println(String.format(Locale.ROOT, "LookupMaintenanceIT random: %d ops, %d duplicates rejected, %d live rows, "
                + "%d email lookup rows (%d extra)", ops, duplicates, live.size(), emails.size(), emails.size() - live.size()));
    }
}
