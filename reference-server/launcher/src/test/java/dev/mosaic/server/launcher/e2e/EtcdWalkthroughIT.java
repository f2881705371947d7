package dev.mosaic.server.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.key.KeyRange;
import dev.mosaic.api.sql.Value;
import dev.mosaic.api.vschema.KeyspaceVSchema;
import dev.mosaic.server.launcher.e2e.ProcessCluster.CtlResult;
import dev.mosaic.server.launcher.e2e.ProcessCluster.Gate;
import dev.mosaic.server.launcher.e2e.ProcessCluster.Tablet;
import dev.mosaic.server.local.Walkthrough;
import dev.mosaic.server.tablet.server.testing.TabletTesting;
import dev.mosaic.spi.PluginKind;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.SingleColumnVindex;
import dev.mosaic.spi.vindex.Vindex;
import dev.mosaic.spi.vindex.VindexCursor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vitess's local walkthrough (101_initial_cluster, then a sharded customer keyspace) on a real
 * etcd with every component its own OS process of the shaded launcher jar: {@code mosaic ctld},
 * four {@code mosaic tablet}s with managed MariaDB (commerce/0: 100 primary-to-be and 101
 * replica; customer/-80: 300; customer/80-: 400) and {@code mosaic gate}. The cluster is set up
 * only with {@code mosaic ctl} runs, as an operator types them (each one's exit code and output
 * checked), then used through the gate with the {@code mariadb} CLI and Connector/J; at the end
 * every process gets SIGTERM and must exit 0 without leaving a mysqld behind.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class EtcdWalkthroughIT {
    /** Replication and the gate's 1 s topology refresh are asynchronous: conditions are waited for. */
    private static final Duration CONVERGE = Duration.ofSeconds(60);

    private ProcessCluster cluster;
    private final Map<String, Long> stepMillis = new LinkedHashMap<>();
    private long stepStart = System.nanoTime();

    /** The directory stays after a failure, for a post-mortem of the logs the failure message points to. */
    @Test
    void walkthroughWithEveryComponentAsItsOwnProcess(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) throws Exception {
        try (ProcessCluster c = ProcessCluster.start(dir)) {
            cluster = c;
            try {
                walkthrough(dir);
            } catch (Throwable t) {
                c.printLogs(System.err);
                throw t;
            } finally {
                System.err.println("EtcdWalkthroughIT steps (ms): " + stepMillis);
            }
        }
    }

    private void step(String name) {
        long now = System.nanoTime();
        stepMillis.put(name, (now - stepStart) / 1_000_000);
        stepStart = now;
    }

    private void walkthrough(Path dir) throws Exception {
        cluster.startCtld();
        String cellRoot = "/mosaic/" + ProcessCluster.CELL;
        assertEquals("Created cell: " + ProcessCluster.CELL + "\n", cluster.ctl("AddCellInfo", "--root", cellRoot,
                "--server-address", cluster.etcd().endpoint(), ProcessCluster.CELL).ok());
        assertEquals(ProcessCluster.CELL + "\n", cluster.ctl("GetCellInfoNames").ok());
        step("etcd+ctld+cell");

        // ---- 101_initial_cluster: commerce/0 -------------------------------------------------
        // As in Vitess, the keyspace is created before its tablets start: a tablet that finds no
        // keyspace record creates a default one, and CreateKeyspace would then fail as existing.
        assertKeyspaceCreated(cluster.ctl("CreateKeyspace", "--durability-policy", "none", "commerce").ok(), "commerce");
        Tablet t100 = cluster.startTablet(100, "commerce", "0");
        Tablet t101 = cluster.startTablet(101, "commerce", "0");
        cluster.awaitServing(t100);
        cluster.awaitServing(t101);
        step("commerce tablets");
        String init = cluster.ctl("InitShardPrimary", "--force", "commerce/0", "zone1-100").ok();
        assertTrue(init.contains("zone1-0000000101"), "InitShardPrimary points the replica at the primary:\n" + init);
        assertEquals(Map.of("zone1-0000000100", "primary", "zone1-0000000101", "replica"),
                tabletTypes(cluster.ctl("GetTablets", "--keyspace", "commerce").ok()));
        cluster.awaitHealthy(t100);
        cluster.awaitHealthy(t101); // a replica's /healthz is 500 until it replicates
        step("commerce InitShardPrimary");

        Path commerceSchema = write(dir, "commerce-schema.sql", Walkthrough.schemaSql("commerce"));
        Path commerceVSchema = write(dir, "commerce-vschema.json", Walkthrough.vschemaJson("commerce"));
        String commerceApplied = cluster.ctl("ApplySchema", "--sql-file", commerceSchema.toString(), "commerce").ok();
        assertTrue(commerceApplied.startsWith("commerce/0 (zone1-0000000100): applied"), commerceApplied);
        cluster.ctl("ApplyVSchema", "--vschema-file", commerceVSchema.toString(), "commerce").ok();
        assertVSchema("commerce", commerceVSchema);
        step("commerce schema+vschema");

        Gate gate = cluster.startGate();
        step("gate");

        // insert_commerce_data.sql's products, through the gate with the mariadb CLI
        Clients.CliResult insert = Clients.mariadb(gate.mysqlPort(), "commerce", String.join("\n",
                "insert into product(sku, description, price) values('SKU-1001', 'Monitor', 100);",
                "insert into product(sku, description, price) values('SKU-1002', 'Keyboard', 30);",
                ""));
        assertEquals(0, insert.exit(), insert.output());
        String products = "sku\tdescription\tprice\nSKU-1001\tMonitor\t100\nSKU-1002\tKeyboard\t30\n";
        Clients.CliResult select = Clients.mariadb(gate.mysqlPort(), "commerce",
                "select sku, description, price from product order by sku;\n");
        assertEquals(0, select.exit(), select.output());
        assertEquals(products, select.output());
        step("commerce data");

        // ---- the sharded keyspace customer ---------------------------------------------------
        assertKeyspaceCreated(cluster.ctl("CreateKeyspace", "--durability-policy", "none", "customer").ok(), "customer");
        Tablet t300 = cluster.startTablet(300, "customer", "-80");
        Tablet t400 = cluster.startTablet(400, "customer", "80-");
        cluster.awaitServing(t300);
        cluster.awaitServing(t400);
        step("customer tablets");
        cluster.ctl("InitShardPrimary", "--force", "customer/-80", "zone1-300").ok();
        cluster.ctl("InitShardPrimary", "--force", "customer/80-", "zone1-400").ok();
        assertEquals(Map.of("zone1-0000000100", "primary", "zone1-0000000101", "replica",
                        "zone1-0000000300", "primary", "zone1-0000000400", "primary"),
                tabletTypes(cluster.ctl("GetTablets").ok()));
        assertEquals(Map.of("zone1-0000000300", "primary", "zone1-0000000400", "primary"),
                tabletTypes(cluster.ctl("GetTablets", "--keyspace", "customer").ok()));
        cluster.awaitHealthy(t300);
        cluster.awaitHealthy(t400);
        step("customer InitShardPrimary");

        Path customerSchema = write(dir, "customer-schema.sql", Walkthrough.schemaSql("customer"));
        Path customerVSchema = write(dir, "customer-vschema.json", Walkthrough.vschemaJson("customer"));
        String applied = cluster.ctl("ApplySchema", "--sql-file", customerSchema.toString(), "customer").ok();
        assertEquals(2, applied.lines().filter(l -> l.matches("customer/(-80|80-) \\(zone1-0000000[34]00\\): applied.*"))
                .count(), "ApplySchema ran on both shards' primaries:\n" + applied);

        // A vschema whose column vindex names no vindex is refused, naming where, and nothing is stored.
        Path bad = dir.resolve("customer-vschema-bad.json");
        String good = Files.readString(customerVSchema);
        String broken = good.replaceFirst("\"name\": \"xxhash\"", "\"name\": \"xxhsh\"");
        assertFalse(broken.equals(good), "the test's edit must change the file");
        Files.writeString(bad, broken);
        CtlResult rejected = cluster.ctl("ApplyVSchema", "--vschema-file", bad.toString(), "customer");
        assertEquals(1, rejected.exit(), rejected.describe("exit 1"));
        assertTrue(rejected.err().startsWith("error: ") && rejected.err().contains("$.tables.customer.column_vindexes[0].name"),
                rejected.describe("the JSON path of the bad reference in the error message"));
        String kept = cluster.ctl("GetVSchema", "customer").ok();
        assertEquals(KeyspaceVSchema.EMPTY, KeyspaceVSchema.fromJson(kept), "the refused vschema was not stored:\n" + kept);

        cluster.ctl("ApplyVSchema", "--vschema-file", customerVSchema.toString(), "customer").ok();
        assertVSchema("customer", customerVSchema);
        // empty tables: both sequences start at 1, which the ids generated below must show
        assertEquals(List.of("commerce.customer_seq -> customer.customer.customer_id: next_id 1 (created row)",
                        "commerce.order_seq -> customer.corder.order_id: next_id 1 (created row)"),
                cluster.ctl("InitializeSequences", "customer").ok().lines().toList());
        step("customer schema+vschema+sequences");

        // ---- data through the gate -----------------------------------------------------------
        awaitGateRoutes(gate, "customer", "select count(*) from customer");
        // the gate found the customer tablets by re-reading the cell, and follows their health
        Map<String, String> serving = Map.of("zone1-0000000100", "PRIMARY SERVING", "zone1-0000000101", "REPLICA SERVING",
                "zone1-0000000300", "PRIMARY SERVING", "zone1-0000000400", "PRIMARY SERVING");
        List<Map<String, String>> lastSeen = new ArrayList<>(List.of(Map.of()));
        TabletTesting.await("SHOW VITESS_TABLETS listing the four tablets serving (last: " + lastSeen + ")", CONVERGE,
                () -> {
                    lastSeen.set(0, vitessTablets(gate));
                    return serving.equals(lastSeen.get(0));
                });
        step("gate sees customer");
        // Vitess's five walkthrough customers, then five more in one multi-row INSERT: xxhash puts
        // ids 1-7 on 80- and 8 and 10 on -80, so with the sequence starting at 1 both shards get rows.
        List<String> emails = List.of("alice@domain.com", "bob@domain.com", "charlie@domain.com", "dan@domain.com",
                "eve@domain.com", "frank@domain.com", "grace@domain.com", "heidi@domain.com", "ivan@domain.com",
                "judy@domain.com");
        List<Long> customerIds = new ArrayList<>();
        List<Long> orderIds = new ArrayList<>();
        try (Connection c = Clients.gate(gate.mysqlPort(), "customer"); Statement st = c.createStatement()) {
            for (String email : emails.subList(0, 5)) {
                // no customer_id: the gate takes it from commerce.customer_seq
                customerIds.add(insertReturningId(st, "insert into customer(email) values('" + email + "')", 1));
            }
            long first = insertReturningId(st, "insert into customer(email) values " + emails.subList(5, 10).stream()
                    .map(e -> "('" + e + "')").collect(Collectors.joining(", ")), 5);
            for (long id = first; id < first + 5; id++) {
                customerIds.add(id); // a multi-row insert's ids are consecutive; the read-back below checks them
            }
            assertEquals(LongStream.rangeClosed(1, 10).boxed().toList(), customerIds, "customer ids from customer_seq");
            for (int i = 0; i < customerIds.size(); i++) {
                String sku = i == 0 ? "'SKU-1001', 100" : "'SKU-1002', 30";
                orderIds.add(insertReturningId(st, "insert into corder(customer_id, sku, price) values("
                        + customerIds.get(i) + ", " + sku + ")", 1));
            }
            assertEquals(LongStream.rangeClosed(1, 10).boxed().toList(), orderIds, "order ids from order_seq");

            List<String> expectedCustomers = new ArrayList<>();
            List<String> expectedOrders = new ArrayList<>();
            List<String> expectedJoin = new ArrayList<>();
            for (int i = 0; i < emails.size(); i++) {
                String skuPrice = i == 0 ? "SKU-1001\t100" : "SKU-1002\t30";
                expectedCustomers.add(customerIds.get(i) + "\t" + emails.get(i));
                expectedOrders.add(orderIds.get(i) + "\t" + customerIds.get(i) + "\t" + skuPrice);
                expectedJoin.add(emails.get(i) + "\t" + orderIds.get(i) + "\t" + skuPrice);
            }
            assertEquals(expectedCustomers, Clients.rows(st, "select customer_id, email from customer order by customer_id"));
            assertEquals(expectedOrders,
                    Clients.rows(st, "select order_id, customer_id, sku, price from corder order by order_id"));

            // co-located joins: customer and corder share the vindex column, so each shard joins its own rows
            assertEquals(expectedJoin, Clients.rows(st, "select c.email, o.order_id, o.sku, o.price from customer c "
                    + "join corder o on c.customer_id = o.customer_id order by o.order_id"));
            assertEquals(List.of(expectedJoin.get(2)), Clients.rows(st, "select c.email, o.order_id, o.sku, o.price "
                    + "from customer c join corder o on c.customer_id = o.customer_id where c.customer_id = "
                    + customerIds.get(2)));

            // scatter aggregates over both shards
            assertEquals(List.of("10\t370"), Clients.rows(st, "select count(*), sum(price) from corder"));
            assertEquals(List.of("SKU-1001\t1\t100", "SKU-1002\t9\t270"),
                    Clients.rows(st, "select sku, count(*), sum(price) from corder group by sku order by sku"));
            assertEquals(List.of(customerIds.get(0) + "\t" + customerIds.get(9)),
                    Clients.rows(st, "select min(customer_id), max(customer_id) from customer"));
        }
        step("customer data");

        assertRowsOnTheirXxhashShards(gate, customerIds);
        step("per-shard placement");

        // the replica 101 has the commerce rows by replication (set up by InitShardPrimary)
        try (Connection c = Clients.gate(gate.mysqlPort(), "commerce"); Statement st = c.createStatement()) {
            st.execute("USE `commerce@replica`");
            List<String> expected = List.of("SKU-1001\tMonitor\t100", "SKU-1002\tKeyboard\t30");
            TabletTesting.await("commerce@replica serving the products", CONVERGE, () ->
                    expected.equals(quietRows(st, "select sku, description, price from product order by sku")));
        }
        try (Connection c = Clients.mysqld(t101.mysqlPort()); Statement st = c.createStatement()) {
            assertEquals(List.of("SKU-1001\tMonitor\t100", "SKU-1002\tKeyboard\t30"),
                    Clients.rows(st, "select sku, description, price from vt_commerce.product order by sku"));
            assertEquals(List.of("1"), Clients.rows(st, "select @@read_only"), "the replica's mysqld is read-only");
        }
        step("replica");

        // ctld's own view: both keyspaces with their vschemas, every tablet reachable and serving
        String status = cluster.ctl("GetClusterStatus").ok();
        List<String> statusLines = status.lines().map(String::strip).toList();
        assertTrue(statusLines.contains("keyspace commerce (unsharded, vschema yes, durability none)"), status);
        assertTrue(statusLines.contains("keyspace customer (sharded, vschema yes, durability none)"), status);
        for (Tablet t : cluster.tablets()) {
            String alias = t.alias().toString();
            assertTrue(statusLines.stream().anyMatch(l -> l.startsWith(alias + " ")
                    && l.matches(".* SERVING( lag \\d+s)?")), alias + " serving in GetClusterStatus:\n" + status);
        }

        // ---- shutdown: SIGTERM each process ---------------------------------------------------
        Map<Tablet, Long> mysqldPids = new LinkedHashMap<>();
        for (Tablet t : cluster.tablets()) {
            long pid = t.mysqldPid().orElseThrow(() -> new AssertionError(t.alias() + ": no mysqld pid file"));
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), t.alias() + ": mysqld " + pid);
            mysqldPids.put(t, pid);
        }
        List<ProcessCluster.Stopped> stopped = cluster.terminateAll();
        assertEquals(List.of("tablet-400", "tablet-300", "gate", "tablet-101", "tablet-100", "ctld"),
                stopped.stream().map(ProcessCluster.Stopped::name).toList());
        for (ProcessCluster.Stopped s : stopped) {
            assertEquals(0, s.exit(), s.name() + " exit code after SIGTERM; its log ends:\n" + s.log());
        }
        for (Map.Entry<Tablet, Long> e : mysqldPids.entrySet()) {
            Tablet t = e.getKey();
            assertFalse(Files.exists(t.mysqld().pidFile()), t.alias() + ": pid file left: " + t.mysqld().pidFile());
            assertFalse(ProcessHandle.of(e.getValue()).map(ProcessHandle::isAlive).orElse(false),
                    t.alias() + ": mysqld " + e.getValue() + " still running");
        }
        String etcdEndpoint = cluster.etcd().endpoint();
        cluster.etcd().close();
        int etcdPort = Integer.parseInt(etcdEndpoint.substring(etcdEndpoint.lastIndexOf(':') + 1));
        assertFalse(accepts(etcdPort), "etcd still listening on " + etcdEndpoint);
        step("shutdown");
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Writes a walkthrough file (module local's resource, as {@code mosaic local} uses it) where an operator has it. */
    private static Path write(Path dir, String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    /** CreateKeyspace's confirmation, then the record with the durability policy asked for. */
    private static void assertKeyspaceCreated(String out, String keyspace) {
        assertTrue(out.startsWith("Successfully created keyspace " + keyspace + ". Result:\n")
                && out.contains("\"durability_policy\": \"none\""), "CreateKeyspace " + keyspace + " printed:\n" + out);
    }

    /** GetVSchema returns what was applied (compared as vschemas: the stored JSON may be formatted differently). */
    private void assertVSchema(String keyspace, Path applied) throws IOException {
        String got = cluster.ctl("GetVSchema", keyspace).ok();
        assertEquals(KeyspaceVSchema.fromJson(Files.readString(applied)), KeyspaceVSchema.fromJson(got),
                "GetVSchema " + keyspace + " printed:\n" + got);
    }

    /**
     * GetTablets' lines ({@code alias keyspace shard type host:port ...}, as vtctldclient prints
     * them) as alias to type.
     */
    private static Map<String, String> tabletTypes(String getTablets) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : getTablets.strip().split("\n")) {
            String[] f = line.strip().split("\\s+");
            assertTrue(f.length >= 4, "GetTablets line: " + line);
            out.put(f[0], f[3]);
        }
        return out;
    }

    /** Runs an INSERT of {@code rows} rows and returns the (first) id the gate generated. */
    private static long insertReturningId(Statement st, String sql, int rows) throws SQLException {
        assertEquals(rows, st.executeUpdate(sql, Statement.RETURN_GENERATED_KEYS), sql);
        try (ResultSet keys = st.getGeneratedKeys()) {
            assertTrue(keys.next(), "an id generated for: " + sql);
            long id = keys.getLong(1);
            assertTrue(id > 0, "id " + id + " for: " + sql);
            return id;
        }
    }

    /** {@code SHOW VITESS_TABLETS} through the mariadb CLI, as alias to "type state". */
    private static Map<String, String> vitessTablets(Gate gate) {
        Clients.CliResult r = Clients.mariadb(gate.mysqlPort(), null, "show vitess_tablets;\n");
        assertEquals(0, r.exit(), r.output());
        Map<String, String> out = new LinkedHashMap<>();
        List<String> lines = r.output().lines().toList();
        assertEquals("Cell\tKeyspace\tShard\tTabletType\tState\tAlias\tHostname\tPrimaryTermStartTime", lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            out.put(f[5], f[3] + " " + f[4]);
        }
        return out;
    }

    /** Waits until the gate, re-reading the topology every second, plans {@code probe} in {@code keyspace}. */
    private static void awaitGateRoutes(Gate gate, String keyspace, String probe) throws SQLException {
        List<String> errors = new ArrayList<>();
        TabletTesting.await("the gate routing " + keyspace + " (last errors: " + errors + ")", CONVERGE, () -> {
            gate.process().assertAlive();
            try (Connection c = Clients.gate(gate.mysqlPort(), keyspace); Statement st = c.createStatement()) {
                Clients.rows(st, probe);
                return true;
            } catch (SQLException e) {
                if (errors.size() > 3) {
                    errors.remove(0);
                }
                errors.add(e.getMessage());
                return false;
            }
        });
    }

    /**
     * Each shard, queried directly with {@code USE customer/<shard>}, holds exactly the customers
     * and orders whose customer_id the xxhash vindex (computed here through the vindex plugin
     * registry, as the gate does) maps into its key range.
     */
    private static void assertRowsOnTheirXxhashShards(Gate gate, List<Long> customerIds) throws SQLException {
        Vindex vindex = Plugins.load(EtcdWalkthroughIT.class.getClassLoader())
                .create(PluginKind.VINDEX, "xxhash", "customer.xxhash", Map.of());
        SingleColumnVindex xxhash = (SingleColumnVindex) vindex;
        List<Destination> dests = xxhash.map(VindexCursor.NONE, customerIds.stream().<Value>map(id -> Value.of((long) id)).toList());
        Map<String, TreeSet<Long>> expected = new LinkedHashMap<>();
        for (String shard : List.of("-80", "80-")) {
            KeyRange range = KeyRange.parse(shard);
            TreeSet<Long> ids = new TreeSet<>();
            for (int i = 0; i < customerIds.size(); i++) {
                if (range.contains(((Destination.One) dests.get(i)).id())) {
                    ids.add(customerIds.get(i));
                }
            }
            expected.put(shard, ids);
        }
        assertEquals(customerIds.size(), expected.values().stream().mapToInt(TreeSet::size).sum(), expected.toString());
        assertTrue(expected.values().stream().noneMatch(TreeSet::isEmpty), "both shards must hold rows for the check "
                + "to mean something: " + expected);
        try (Connection c = Clients.gate(gate.mysqlPort(), "customer"); Statement st = c.createStatement()) {
            for (Map.Entry<String, TreeSet<Long>> e : expected.entrySet()) {
                st.execute("USE `customer/" + e.getKey() + "`");
                TreeSet<Long> customers = Clients.rows(st, "select customer_id from customer").stream().map(Long::valueOf)
                        .collect(Collectors.toCollection(TreeSet::new));
                TreeSet<Long> orderOwners = Clients.rows(st, "select customer_id from corder").stream()
                        .map(Long::valueOf).collect(Collectors.toCollection(TreeSet::new));
                assertEquals(e.getValue(), customers, "customers on shard " + e.getKey() + " (all: " + expected + ")");
                assertEquals(e.getValue(), orderOwners, "orders on shard " + e.getKey() + " (all: " + expected + ")");
            }
        }
    }

    private static List<String> quietRows(Statement st, String sql) {
        try {
            return Clients.rows(st, sql);
        } catch (SQLException e) {
            return List.of("error: " + e.getMessage());
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
