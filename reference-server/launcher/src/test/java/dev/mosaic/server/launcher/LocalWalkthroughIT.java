package dev.mosaic.server.launcher;

import static dev.mosaic.server.gate.testing.ShardedTestCluster.requireBinary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mosaic.server.local.LocalState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code mosaic local up|status|down} as a user runs them (the shaded jar as real processes), with
 * Vitess's local walkthrough replayed through the gate with the {@code mariadb} CLI and
 * Connector/J: products in commerce, customers and orders in the sharded customer keyspace with
 * ids from the sequences, every row on the shard xxhash names, co-located joins, scatter
 * aggregates, then down leaves no process and no port behind, and up on the same data directory
 * finds the rows again. Uses the cluster's fixed ports: it cannot run twice at once.
 */
class LocalWalkthroughIT {
    private static final Path JAR = Path.of("target", "mosaic.jar").toAbsolutePath();
    private static final Duration UP_WAIT = Duration.ofMinutes(10);
    private static final Duration DOWN_WAIT = Duration.ofMinutes(4);
    private static final List<Integer> PORTS = List.of(15306, 15001, 15999, 15000, 16100, 15100, 17100, 16101, 17101,
            16300, 17300, 16301, 17301, 16400, 17400, 16401, 17401);

    private static Path root;
    private static Path data;
    private static Path home;

    @BeforeAll
    static void dirs() throws IOException {
        assertTrue(Files.isRegularFile(JAR), JAR + " missing: the package phase builds it");
        requireBinary("mariadb");
        // The README's quick start leaves a cluster running on these ports before `mvn -B verify`:
        // then this test cannot run, and says why (under CI=true nothing may hold them).
        for (int port : PORTS) {
            if (!portFree(port)) {
                String why = "port " + port + " is in use (a local cluster running? stop it with bin/mosaic local down)";
                if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                    fail(why);
                }
                org.junit.jupiter.api.Assumptions.abort(why);
            }
        }
        // Short: the mysqld sockets live under it (a Unix socket path has at most 107 bytes).
        root = Files.createTempDirectory(Path.of("/tmp"), "mlw");
        data = root.resolve("data");
        home = root.resolve("home");
    }

    @AfterAll
    static void downEvenOnFailure() throws Exception {
        if (root == null) {
            return;
        }
        if (Files.exists(data.resolve(LocalState.FILE))) {
            Run r = mosaic(DOWN_WAIT, "local", "down", "--data", data.toString());
            System.out.println("cleanup: local down exited " + r.code + ":\n" + r.out);
            Optional<LocalState> left = LocalState.read(data);
            if (left.isPresent()) {
                // down failed: stop by PID what it recorded, so no mysqld outlives the test
                ProcessHandle.of(left.get().supervisorPid()).ifPresent(ProcessHandle::destroyForcibly);
                left.get().children().values().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            }
        }
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void walkthroughThroughTheGateThenDownThenUpAgainKeepsTheRows() throws Exception {
        // A port the cluster needs, taken: up refuses before it starts anything, naming the port.
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 15999));
            Run r = mosaic(Duration.ofMinutes(2), "local", "up", "--data", data.toString());
            assertEquals(1, r.code, r.out);
            assertTrue(r.out.contains("port 15999 (for the ctld gRPC) is already in use"), r.out);
        }
        Run bad = mosaic(Duration.ofMinutes(1), "local", "up", "--shards", "9");
        assertEquals(2, bad.code, bad.out);
        assertTrue(bad.out.contains("--shards must be between 1 and 7"), bad.out);

        long t0 = System.nanoTime();
        Run up = mosaic(UP_WAIT, "local", "up", "--data", data.toString(), "--shards", "2", "--replicas", "1");
        double upSeconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, up.code, up.out);
        System.out.printf("local up took %.1f s:%n%s%n", upSeconds, up.out);
        for (String expected : List.of("starting the memory topology", "starting tablet zone1-0000000100",
                "tablet zone1-0000000401 ready", "ctld ready", "shard customer/-80: primary zone1-0000000300",
                "vschema of customer applied", "starting the gate", "READY", "mariadb -h127.0.0.1 -P15306")) {
            assertTrue(up.out.contains(expected), "missing '" + expected + "' in:\n" + up.out);
        }
        LocalState state = LocalState.read(data).orElseThrow();
        assertEquals("ready", state.phase());
        assertTrue(ProcessHandle.of(state.supervisorPid()).map(ProcessHandle::isAlive).orElse(false));

        // A second up while this one runs: a clear error, nothing started.
        Run again = mosaic(Duration.ofMinutes(1), "local", "up", "--data", root.resolve("other").toString());
        assertEquals(1, again.code, again.out);
        assertTrue(again.out.contains("a local cluster is already running (supervisor PID " + state.supervisorPid()), again.out);

        walkthrough();
        status();
        down(state);

        Run up2 = mosaic(UP_WAIT, "local", "up", "--data", data.toString(), "--shards", "2", "--replicas", "1");
        assertEquals(0, up2.code, up2.out);
        System.out.println("second local up:\n" + up2.out);
        assertTrue(up2.out.contains("kept data: the shards' primaries are the ones of the last run"), up2.out);
        assertTrue(up2.out.contains("shard customer/80-: primary zone1-0000000400 (kept), replicas replicating"), up2.out);
        try (Connection c = gate("customer"); Statement st = c.createStatement()) {
            assertEquals(List.of("10"), column(st, "SELECT COUNT(*) FROM customer"));
            assertEquals(List.of("5"), column(st, "SELECT COUNT(*) FROM corder"));
            assertEquals(List.of("2"), column(st, "SELECT COUNT(*) FROM commerce.product"));
            // The sequence moved on past the kept rows: a new customer gets a new id.
            List<String> before = column(st, "SELECT customer_id FROM customer ORDER BY customer_id");
            st.executeUpdate("INSERT INTO customer(email) VALUES ('erin@domain.com')");
            List<String> after = column(st, "SELECT customer_id FROM customer ORDER BY customer_id");
            assertEquals(11, after.size(), after.toString());
            assertTrue(after.containsAll(before), after.toString());
        }
        down(LocalState.read(data).orElseThrow());
        assertTrue(Files.isDirectory(data.resolve("mysql")), "--data is kept by down");
    }

    /**
     * The etcd and ZooKeeper topologies run as child processes with their data under DATA: one
     * shard each, a row through the gate, and down stops the store's process too.
     */
    @ParameterizedTest
    @ValueSource(strings = {"etcd", "zk"})
    void childProcessTopologies(String topo) throws Exception {
        if (topo.equals("etcd")) {
            requireFile(Path.of("/usr/bin/etcd"), "etcd-server etcd-client");
        } else {
            requireFile(Path.of("/usr/share/java/zookeeper.jar"), "zookeeper");
        }
        Path dir = root.resolve(topo);
        try {
            Run up = mosaic(UP_WAIT, "local", "up", "--topo", topo, "--data", dir.toString(), "--shards", "1",
                    "--replicas", "0");
            assertEquals(0, up.code, up.out);
            assertTrue(up.out.contains("topology ready (" + topo + ")"), up.out);
            LocalState state = LocalState.read(dir).orElseThrow();
            long storePid = state.children().get(topo);
            assertTrue(ProcessHandle.of(storePid).map(ProcessHandle::isAlive).orElse(false), topo + " runs");
            try (Connection c = gate("customer"); Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO customer(email) VALUES ('alice@domain.com')");
                assertEquals(List.of("1 alice@domain.com"), rows(st, "SELECT customer_id, email FROM customer"));
            }
            assertEquals(List.of("commerce/0", "customer/-"), lines(cli("SHOW VITESS_SHARDS")));
            Run down = mosaic(DOWN_WAIT, "local", "down");
            assertEquals(0, down.code, down.out);
            assertFalse(ProcessHandle.of(storePid).map(ProcessHandle::isAlive).orElse(false), topo + " left running");
            state.children().forEach((name, pid) -> assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive)
                    .orElse(false), name + " left running"));
            assertTrue(Files.isDirectory(dir.resolve(topo.equals("etcd") ? "etcd" : "zk")), "the store's data is kept");
        } finally {
            if (Files.exists(dir.resolve(LocalState.FILE))) {
                mosaic(DOWN_WAIT, "local", "down", "--data", dir.toString());
            }
        }
    }

    private static void requireFile(Path file, String packages) {
        if (Files.exists(file)) {
            return;
        }
        String why = file + " missing; install with: apt-get install -y " + packages;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(why);
        }
        org.junit.jupiter.api.Assumptions.abort(why);
    }

    /** Vitess's local walkthrough (the steps without MoveTables/Reshard), through the gate. */
    private static void walkthrough() throws Exception {
        try (Connection c = gate("commerce"); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO product(sku, description, price) VALUES ('SKU-1001', 'Monitor', 100), "
                    + "('SKU-1002', 'Keyboard', 30)");
            assertEquals(List.of("SKU-1001 Monitor 100", "SKU-1002 Keyboard 30"),
                    rows(st, "SELECT sku, description, price FROM product ORDER BY sku"));
        }
        Map<Long, String> emails = new TreeMap<>();
        List<String> withOrders = new ArrayList<>();
        try (Connection c = gate("customer"); Statement st = c.createStatement()) {
            // The walkthrough's four customers, then six more so that both shards get some (ids 1..7
            // all hash to 80-).
            List<String> names = List.of("alice", "bob", "charlie", "dan", "eve", "frank", "grace", "heidi", "ivan", "judy");
            st.executeUpdate("INSERT INTO customer(email) VALUES ('alice@domain.com'), ('bob@domain.com'), "
                    + "('charlie@domain.com'), ('dan@domain.com')");
            st.executeUpdate("INSERT INTO customer(email) VALUES ('eve@domain.com'), ('frank@domain.com'), "
                    + "('grace@domain.com'), ('heidi@domain.com'), ('ivan@domain.com'), ('judy@domain.com')");
            for (String r : rows(st, "SELECT customer_id, email FROM customer ORDER BY customer_id")) {
                emails.put(Long.parseLong(r.split(" ")[0]), r.split(" ")[1]);
            }
            assertEquals(names.stream().map(n -> n + "@domain.com").toList(), List.copyOf(emails.values()),
                    "ids from customer_seq are distinct and increasing, in insert order");
            List<Long> ids = List.copyOf(emails.keySet());
            ids.subList(0, 4).forEach(id -> withOrders.add(Long.toString(id)));
            // Orders: alice 2, bob 1, charlie 1, dan 1; order ids from order_seq.
            st.executeUpdate("INSERT INTO corder(customer_id, sku, price) VALUES (" + ids.get(0) + ", 'SKU-1001', 100), ("
                    + ids.get(1) + ", 'SKU-1002', 30), (" + ids.get(2) + ", 'SKU-1002', 30), (" + ids.get(3)
                    + ", 'SKU-1001', 100), (" + ids.get(0) + ", 'SKU-1002', 30)");
            List<String> orderIds = column(st, "SELECT order_id FROM corder ORDER BY order_id");
            assertEquals(5, orderIds.size(), orderIds.toString());
            assertEquals(5, orderIds.stream().distinct().count(), orderIds.toString());

            // Co-located join (both tables on xxhash(customer_id)): one customer, then all of them.
            assertEquals(List.of("alice@domain.com SKU-1001 100", "alice@domain.com SKU-1002 30"),
                    rows(st, "SELECT c.email, o.sku, o.price FROM customer c JOIN corder o ON c.customer_id = o.customer_id "
                            + "WHERE c.customer_id = " + ids.get(0) + " ORDER BY o.sku"));
            assertEquals(5, rows(st, "SELECT c.email, o.order_id FROM customer c JOIN corder o "
                    + "ON c.customer_id = o.customer_id").size());
            // Scatter aggregates.
            assertEquals(List.of("5 290"), rows(st, "SELECT COUNT(*), SUM(price) FROM corder"));
            assertEquals(List.of("SKU-1001 2 200", "SKU-1002 3 90"),
                    rows(st, "SELECT sku, COUNT(*), SUM(price) FROM corder GROUP BY sku ORDER BY sku"));
            assertEquals(List.of(ids.get(0) + " 2 130", ids.get(1) + " 1 30", ids.get(2) + " 1 30", ids.get(3) + " 1 100"),
                    rows(st, "SELECT customer_id, COUNT(*), SUM(price) FROM corder GROUP BY customer_id ORDER BY customer_id"));
        }

        // Every row is on exactly the shard xxhash names (as `mosaic vindex map` computes it).
        List<String> args = new ArrayList<>(List.of("vindex", "map", "--type", "xxhash", "--shards", "2"));
        emails.keySet().forEach(id -> args.add(Long.toString(id)));
        Run map = mosaic(Duration.ofMinutes(1), args.toArray(String[]::new));
        assertEquals(0, map.code, map.out);
        Map<String, List<String>> expected = new LinkedHashMap<>(Map.of("-80", new ArrayList<>(), "80-", new ArrayList<>()));
        for (String line : map.out.strip().split("\n")) {
            String[] f = line.split("\t");
            expected.get(f[2]).add(f[0]);
        }
        for (String shard : List.of("-80", "80-")) {
            String customers = cli("USE `customer/" + shard + "`; SELECT customer_id FROM customer ORDER BY customer_id");
            assertEquals(expected.get(shard), lines(customers), "customers on " + shard);
            String orders = cli("USE `customer/" + shard + "`; SELECT DISTINCT customer_id FROM corder ORDER BY customer_id");
            assertEquals(expected.get(shard).stream().filter(withOrders::contains).toList(), lines(orders),
                    "orders live with their customer on " + shard);
        }
        assertFalse(expected.get("-80").isEmpty(), "some customers on -80: " + expected);
        assertFalse(expected.get("80-").isEmpty(), "some customers on 80-: " + expected);

        assertEquals(List.of("commerce/0", "customer/-80", "customer/80-"), lines(cli("SHOW VITESS_SHARDS")));
        List<String> tablets = lines(cli("SHOW VITESS_TABLETS"));
        assertEquals(6, tablets.size(), tablets.toString());
        assertEquals(3, tablets.stream().filter(t -> t.contains("\tPRIMARY\t")).count(), tablets.toString());
        assertEquals(3, tablets.stream().filter(t -> t.contains("\tREPLICA\t")).count(), tablets.toString());
        assertTrue(tablets.stream().allMatch(t -> t.contains("\tSERVING\t")), tablets.toString());
    }

    private static void status() throws Exception {
        Run s = mosaic(Duration.ofMinutes(1), "local", "status");
        assertEquals(0, s.code, s.out);
        for (String expected : List.of("local cluster ready", "keyspace commerce (unsharded)", "keyspace customer (sharded)",
                "shard 0: primary zone1-0000000100", "shard -80: primary zone1-0000000300",
                "shard 80-: primary zone1-0000000400", "zone1-0000000401")) {
            assertTrue(s.out.contains(expected), "missing '" + expected + "' in:\n" + s.out);
        }
        assertEquals(6, s.out.lines().filter(l -> l.contains(" serving")).count(), s.out);
    }

    private static void down(LocalState state) throws Exception {
        long t0 = System.nanoTime();
        Run down = mosaic(DOWN_WAIT, "local", "down");
        System.out.printf("local down took %.1f s:%n%s%n", (System.nanoTime() - t0) / 1e9, down.out);
        assertEquals(0, down.code, down.out);
        assertTrue(down.out.contains("local cluster stopped"), down.out);
        assertFalse(ProcessHandle.of(state.supervisorPid()).map(ProcessHandle::isAlive).orElse(false), "supervisor left");
        long mysqlds = state.children().keySet().stream().filter(k -> k.startsWith("mysqld ")).count();
        assertEquals(6, mysqlds, state.children().toString());
        state.children().forEach((name, pid) -> assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                name + " (PID " + pid + ") left running"));
        for (int port : PORTS) {
            assertTrue(portFree(port), "port " + port + " still in use after down");
        }
        assertFalse(Files.exists(data.resolve(LocalState.FILE)), "the state file is removed");
        Run none = mosaic(Duration.ofMinutes(1), "local", "status");
        assertEquals(1, none.code, none.out);
        assertTrue(none.out.contains("no local cluster is running"), none.out);
    }

    private static boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Connection gate(String db) throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:15306/" + db
                + "?user=walkthrough&password=&useSSL=false&allowPublicKeyRetrieval=true&connectTimeout=10000&socketTimeout=60000");
    }

    private static List<String> rows(Statement st, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    b.append(i > 1 ? " " : "").append(rs.getString(i));
                }
                out.add(b.toString());
            }
        }
        return out;
    }

    private static List<String> column(Statement st, String sql) throws SQLException {
        return rows(st, sql);
    }

    /** Runs statements with the mariadb CLI against the gate; its output without column names. */
    private static String cli(String sql) throws Exception {
        Process p = new ProcessBuilder(requireBinary("mariadb"), "--batch", "--skip-column-names", "--skip-ssl",
                "-h127.0.0.1", "-P15306", "-uwalkthrough", "-e", sql).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "mariadb finished");
        assertEquals(0, p.exitValue(), sql + ":\n" + out);
        return out;
    }

    private static List<String> lines(String out) {
        return out.lines().filter(l -> !l.isBlank()).toList();
    }

    private record Run(int code, String out) {
    }

    /** {@code java -jar mosaic.jar ARGS} with its own home (the pointer file goes there), stdout and stderr together. */
    private static Run mosaic(Duration wait, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + home, "-Xmx256m", "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(root, "run", ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(wait.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("mosaic " + String.join(" ", args) + " did not finish within " + wait + ":\n" + Files.readString(out));
        }
        return new Run(p.exitValue(), Files.readString(out));
    }
}
