package dev.mosaic.server.gate.process;

import static dev.mosaic.server.gate.testing.QueryResults.column;
import static dev.mosaic.server.gate.testing.ShardedTestCluster.requireBinary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.api.json.Json;
import dev.mosaic.api.json.JsonArray;
import dev.mosaic.api.json.JsonObject;
import dev.mosaic.api.vschema.KeyspaceVSchema;
import dev.mosaic.proto.topo.Keyspace;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.gate.process.status.GateStatus;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import dev.mosaic.server.tablet.TabletExtensions;
import dev.mosaic.server.tablet.TabletQueryServer;
import dev.mosaic.server.tablet.config.TabletConfig;
import dev.mosaic.server.tablet.grpc.TabletGrpcServer;
import dev.mosaic.server.tablet.health.TabletHealth;
import dev.mosaic.server.tablet.health.TabletRegistration;
import dev.mosaic.server.tablet.server.testing.EtcdProcess;
import dev.mosaic.server.tablet.server.testing.TabletTesting;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.spi.Plugins;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate as a process against a real topology: etcd holds the cell, keyspace {@code customer}
 * with shards {@code -80} and {@code 80-}, their vschema and two PRIMARY tablets (in this JVM,
 * each on its own MariaDB); the {@link GateProcess} is configured from YAML and found the rest in
 * the topology. Clients are mysql-connector-j, the mariadb CLI and a raw socket that sends garbage.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GateProcessIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String KS = "customer";
    private static final String DB = "vt_customer";
    private static final List<String> SHARDS = List.of("-80", "80-");
    private static final String VSCHEMA_T = """
            {"sharded": true,
             "vindexes": {"hash": {"type": "hash"}},
             "tables": {"t": {"column_vindexes": [{"column": "id", "name": "hash"}]}}}
            """;
    private static final String VSCHEMA_T_U = """
            {"sharded": true,
             "vindexes": {"hash": {"type": "hash"}},
             "tables": {"t": {"column_vindexes": [{"column": "id", "name": "hash"}]},
                        "u": {"column_vindexes": [{"column": "id", "name": "hash"}]}}}
            """;

    @TempDir
    static Path dir;
    private static EtcdProcess etcd;
    private static MysqldCluster cluster;
    private static TopoServer topo;
    private static final List<AutoCloseable> tablets = new ArrayList<>();
    private static GateProcess gate;
    private static Path slowLog;
    private static final ByteArrayOutputStream gateLog = new ByteArrayOutputStream();

    @BeforeAll
    static void start() throws Exception {
        etcd = EtcdProcess.start();
        cluster = MysqldCluster.start(2);
        topo = TabletTesting.topo(etcd);
        TabletTesting.addCell(topo, etcd, "zone1");
        topo.createKeyspace(KS, Keyspace.getDefaultInstance());
        topo.saveVSchema(KS, KeyspaceVSchema.fromJson(VSCHEMA_T));
        for (int i = 0; i < 2; i++) {
            Mysqld mysqld = cluster.get(i);
            mysqld.replication().makePrimary();
            mysqld.executeAll(List.of("SET GLOBAL read_only = 0", "CREATE DATABASE IF NOT EXISTS " + DB));
            topo.createShard(KS, SHARDS.get(i));
            startTablet(100 + i, mysqld, SHARDS.get(i));
        }
        slowLog = dir.resolve("slow.log");
        String yaml = String.join("\n",
                "topo:",
                "  type: etcd",
                "  global-server-address: " + etcd.endpoint(),
                "  global-root: " + TabletTesting.GLOBAL_ROOT,
                "  refresh-interval: 200ms",
                "cell: zone1",
                "gateway:",
                "  tablet-refresh-interval: 300ms",
                "  healthcheck-timeout: 5s",
                "  healthcheck-retry-min: 50ms",
                "  healthcheck-retry-max: 500ms",
                "mysql:",
                "  bind-address: 127.0.0.1",
                "  port: 0",
                "  handshake-timeout: 2s",
                "status: {bind-address: 127.0.0.1, port: 0}",
                "executor.shard-call-threads: 4",
                "querylog:",
                "  slow-threshold: 400ms",
                "  slow-log-file: " + slowLog,
                "");
        Plugins plugins = Plugins.load(GateProcessIT.class.getClassLoader());
        GateServerConfig config = new GateServerConfigLoader(plugins).parse(yaml, "gate.yaml");
        PrintStream log = new PrintStream(new TeeStream(gateLog, System.err), true, StandardCharsets.UTF_8);
        gate = GateProcess.start(config, plugins, log);
        TabletTesting.await("both primaries healthy in the gate", WAIT, () -> gate.status().tablets().stream()
                .filter(t -> t.healthy() && t.target().getTabletType() == TabletType.PRIMARY).count() == 2);
    }

    private static void startTablet(int uid, Mysqld mysqld, String shard) {
        TabletAlias alias = new TabletAlias("zone1", uid);
        TabletConfig config = TabletConfig.defaults().toBuilder().dbName(DB).queryPoolSize(4).streamPoolSize(2)
                .txPoolSize(2).maxOpenTransactions(2).build();
        TabletQueryServer engines = TabletQueryServer.open(config, mysqld.connectionParams(), new SimpleMeterRegistry(),
                TabletExtensions.NONE);
        tablets.add(engines::close);
        TabletHealth health = new TabletHealth(alias, KS, shard, TabletType.PRIMARY, Optional::empty,
                TabletHealth.Settings.defaults().withInterval(Duration.ofMillis(100))
                        .withHeartbeat(Duration.ofMillis(500))).start();
        tablets.add(0, health::close);
        TabletGrpcServer grpc = TabletGrpcServer.start(engines, health, new InetSocketAddress("127.0.0.1", 0), 4);
        tablets.add(0, grpc::close);
        topo.createTablet(TabletRegistration.record(alias, "127.0.0.1", grpc.port(), "127.0.0.1",
                mysqld.connectionParams().port(), KS, shard, TabletType.PRIMARY));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gate != null) {
            gate.close();
            assertTrue(gate.awaitClosed(Duration.ofSeconds(1)));
        }
        for (AutoCloseable c : tablets) {
            c.close();
        }
        if (topo != null) {
            topo.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + gate.mysqlPort() + "/" + KS
                + "?user=app&password=&useSSL=false&allowPublicKeyRetrieval=true&connectTimeout=10000&socketTimeout=30000");
    }

    @Test
    @Order(1)
    void connectorJQueriesThroughTheGateProcess() throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, name VARCHAR(20))");
            assertEquals(10, st.executeUpdate("INSERT INTO t (id, name) VALUES (1, 'a1'), (2, 'a2'), (3, 'a3'), "
                    + "(4, 'a4'), (5, 'a5'), (6, 'a6'), (7, 'a7'), (8, 'a8'), (9, 'a9'), (10, 'a10')"));
            assertEquals(List.of("a7"), column(st, "SELECT name FROM t WHERE id = 7"));
            assertEquals(List.of("10"), column(st, "SELECT COUNT(*) FROM t"));
            assertEquals(List.of("1", "2", "3"), column(st, "SELECT id FROM t ORDER BY id LIMIT 3"));
            assertEquals(List.of(GateServerConfigLoader.MARIADB_VERSION), column(st, "SELECT @@version"));
        }
        int onShards = 0;
        for (int i = 0; i < 2; i++) {
            onShards += cluster.get(i).fetch("SELECT id FROM " + DB + ".t").size();
        }
        assertEquals(10, onShards, "the rows are on the two shards' MariaDBs");
    }

    @Test
    @Order(2)
    void mariadbCliInBatchMode() throws Exception {
        String cli = requireBinary("mariadb");
        Process p = new ProcessBuilder(cli, "--batch", "--skip-ssl", "-h127.0.0.1", "-P" + gate.mysqlPort(), "-uapp",
                KS, "-e", "SELECT id, name FROM t WHERE id IN (2, 3) ORDER BY id")
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "mariadb finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertEquals("id\tname\n2\ta2\n3\ta3\n", out);
    }

    @Test
    @Order(3)
    void statusPagesShowTheTabletsSessionsPlanCacheAndQueries() throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (int id = 1; id <= 5; id++) {
                column(st, "SELECT name FROM t WHERE id = " + id);
            }
            SQLException shardError = assertThrows(SQLException.class, () -> column(st, "SELECT nosuch FROM t WHERE id = 1"));
            assertEquals(1054, shardError.getErrorCode(), shardError.getMessage());
            int port = gate.statusPort();
            TabletTesting.Http status = TabletTesting.get(port, "/debug/status");
            assertTrue(gate.status().shardErrors().entrySet().stream()
                    .anyMatch(e -> e.getKey().startsWith(KS + "/") && e.getValue() >= 1), gate.status().shardErrors()::toString);
            assertTrue(status.body().contains("<td>" + KS + "/"), "the shard's error count is on the page");
            assertEquals(200, status.code());
            for (String expected : List.of("zone1-0000000100", "zone1-0000000101", "SERVING", "Plan cache",
                    "Client sessions", "-80", "80-", KS)) {
                assertTrue(status.body().contains(expected), "status page shows " + expected + ":\n" + status.body());
            }
            GateStatus s = gate.status();
            assertTrue(s.sessions() >= 1, "this connection is a session: " + s.sessions());
            assertTrue(s.planCache().hits() >= 4, "the point select was planned once, then hit: " + s.planCache());
            assertTrue(s.keyspaces().get(KS).queries() >= 5, s.keyspaces().toString());
            assertTrue(s.keyspaces().get(KS).errors() >= 1, "the failed statement counts: " + s.keyspaces());

            JsonObject vars = (JsonObject) Json.parse(TabletTesting.get(port, "/debug/vars").body());
            assertEquals(2, ((JsonArray) vars.get("Tablets").orElseThrow()).size(), vars.toJson());
            assertEquals(Json.of("SERVING"), vars.get("State").orElseThrow());

            TabletTesting.Http metrics = TabletTesting.get(port, "/metrics");
            assertEquals(200, metrics.code());
            for (String meter : List.of("mosaic_gate_queries_total", "mosaic_gate_plan_cache_requests_total",
                    "mosaic_gate_tablet_calls_seconds_count", "mosaic_gate_sessions", "jvm_memory_used_bytes")) {
                assertTrue(metrics.body().contains(meter), "/metrics has " + meter);
            }
            assertEquals(200, TabletTesting.get(port, "/healthz").code());

            TabletTesting.Http stats = TabletTesting.get(port, "/debug/query_stats?format=json");
            JsonArray rows = (JsonArray) Json.parse(stats.body());
            assertTrue(rows.elements().stream().map(Json::toJson).anyMatch(r -> r.toLowerCase(java.util.Locale.ROOT).contains("where id = :vtg1")
                    && r.contains("\"Keyspace\":\"" + KS + "\"")), stats.body());
            assertTrue(TabletTesting.get(port, "/debug/query_stats").body().contains(":vtg1"));
        }
    }

    @Test
    @Order(4)
    void aVSchemaChangeInTheTopologyIsPickedUpWithoutRestart() throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE u (id BIGINT PRIMARY KEY, v VARCHAR(10))");
            SQLException unknown = assertThrows(SQLException.class,
                    () -> st.executeUpdate("INSERT INTO u (id, v) VALUES (1, 'x')"));
            assertTrue(unknown.getMessage().toLowerCase(java.util.Locale.ROOT).contains("u"), unknown.getMessage());
            long installed = gate.status().topology().vschemaChanges();

            topo.saveVSchema(KS, KeyspaceVSchema.fromJson(VSCHEMA_T_U));
            TabletTesting.await("the new vschema installed", WAIT,
                    () -> gate.status().topology().vschemaChanges() > installed);
            assertEquals(3, st.executeUpdate("INSERT INTO u (id, v) VALUES (1, 'x'), (2, 'y'), (3, 'z')"));
            assertEquals(List.of("y"), column(st, "SELECT v FROM u WHERE id = 2"));
            assertEquals(List.of("3"), column(st, "SELECT COUNT(*) FROM u"));
        }
        assertTrue(gateLog.toString(StandardCharsets.UTF_8).contains("installed a new vschema"));
    }

    @Test
    @Order(5)
    void garbageOnOneConnectionDoesNotDisturbAnother() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong ok = new AtomicLong();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Thread worker = new Thread(() -> {
            try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT name FROM t WHERE id = 4")) {
                while (!stop.get()) {
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next() || !"a4".equals(rs.getString(1))) {
                            throw new AssertionError("wrong answer");
                        }
                    }
                    ok.incrementAndGet();
                }
            } catch (Throwable t) {
                failures.add(t);
            }
        }, "good-client");
        worker.start();
        try {
            TabletTesting.await("the good client running", WAIT, () -> ok.get() > 5 || !failures.isEmpty());

            // Before authentication: a handshake response that is random bytes.
            try (RawClient raw = RawClient.connect(gate.mysqlPort())) {
                raw.send(1, new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 1, 2, 3, 4, 5, 6});
                assertErrorThenClosed(raw, "garbage handshake response");
            }
            // A packet out of sequence (id 7 where 1 is due).
            try (RawClient raw = RawClient.connect(gate.mysqlPort())) {
                raw.send(7, new byte[] {1, 2, 3});
                assertErrorThenClosed(raw, "sequence id out of order");
            }
            // Truncated: the header promises 50 bytes, 5 arrive, then the client stops writing.
            try (RawClient raw = RawClient.connect(gate.mysqlPort())) {
                raw.raw(new byte[] {50, 0, 0, 1, 1, 2, 3, 4, 5});
                raw.socket.shutdownOutput();
                assertErrorThenClosed(raw, "truncated packet");
            }
            // Bad length: 16 MiB promised, never sent; the handshake timeout (2 s) ends it.
            try (RawClient raw = RawClient.connect(gate.mysqlPort())) {
                raw.raw(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 9, 9, 9});
                assertErrorThenClosed(raw, "a length that never arrives");
            }
            // Authenticated, then an unknown command byte: an error, and the connection still works.
            try (RawClient raw = RawClient.connect(gate.mysqlPort())) {
                raw.authenticate("app");
                raw.send(0, new byte[] {0x7f, 1, 2});
                byte[] err = raw.read();
                assertEquals((byte) 0xff, err[0], "an ERR packet");
                assertEquals(1047, (err[1] & 0xff) | (err[2] & 0xff) << 8, "ER_UNKNOWN_COM_ERROR");
                raw.send(0, ("\u0003SELECT name FROM t WHERE id = 5").getBytes(StandardCharsets.UTF_8));
                byte[] result = raw.read();
                assertEquals(1, result[0], "a result set with one column after the error: "
                        + new String(result, StandardCharsets.UTF_8));
            }
            // Authenticated, then garbage: a query of invalid bytes, and an empty packet.
            try (RawClient raw = RawClient.connect(gate.mysqlPort())) {
                raw.authenticate("app");
                raw.send(0, new byte[] {0x03, (byte) 0xff, (byte) 0xfe, 0x00, (byte) 0x80, '(', '('});
                assertEquals((byte) 0xff, raw.read()[0], "garbage SQL is a syntax error");
                raw.send(0, new byte[0]);
                String outcome = raw.errorOrClose(Duration.ofSeconds(10));
                assertTrue(outcome.startsWith("ERR") || outcome.equals("CLOSED"), outcome);
            }

            long during = ok.get();
            TabletTesting.await("the good client keeps going", WAIT, () -> ok.get() > during + 20 || !failures.isEmpty());
        } finally {
            stop.set(true);
            worker.join(WAIT.toMillis());
        }
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError("the good client failed: " + failures.get(0), failures.get(0));
            throw e;
        }
        try (Connection c = connect(); Statement st = c.createStatement()) {
            assertEquals(List.of("a9"), column(st, "SELECT name FROM t WHERE id = 9"));
        }
    }

    @Test
    @Order(6)
    void theSlowLogRecordsASlowStatementWithItsNormalizedText() throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            assertEquals(List.of("0"), column(st, "SELECT SLEEP(0.6) FROM t WHERE id = 1"));
        }
        TabletTesting.await("the slow log line", WAIT, () -> read(slowLog).toLowerCase(java.util.Locale.ROOT).contains("sleep"));
        String line = read(slowLog).lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).contains("sleep"))
                .findFirst().orElseThrow();
        assertTrue(line.contains("rows=1"), line);
        assertTrue(line.contains("keyspace=" + KS), line);
        assertTrue(line.toLowerCase(java.util.Locale.ROOT).contains("where id = :vtg1\""),
                "normalized: the key literal is a bind variable: " + line);
        double ms = Double.parseDouble(line.replaceAll(".*latency_ms=([0-9.]+).*", "$1"));
        assertTrue(ms >= 600, line);
        assertTrue(!read(slowLog).toLowerCase(java.util.Locale.ROOT).contains("select name from t where id = :vtg1\""),
                "fast statements stay out of the slow log:\n" + read(slowLog));
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static void assertErrorThenClosed(RawClient raw, String what) throws IOException {
        String outcome = raw.errorOrClose(Duration.ofSeconds(15));
        if (outcome.startsWith("ERR")) {
            outcome = raw.errorOrClose(Duration.ofSeconds(15));
        }
        assertEquals("CLOSED", outcome, what + ": the server closes the connection");
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Copies the gate's log to two streams. */
    private static final class TeeStream extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int x) throws IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }

    /** A MySQL client that speaks just enough of the protocol to misbehave on purpose. */
    private static final class RawClient implements AutoCloseable {
        final Socket socket;
        final DataInputStream in;
        final OutputStream out;
        int lastSeq;

        private RawClient(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        /** Connects and reads the greeting. */
        static RawClient connect(int port) throws IOException {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(15_000);
            RawClient c = new RawClient(s);
            byte[] greeting = c.read();
            assertEquals(10, greeting[0], "protocol version 10 greeting");
            return c;
        }

        byte[] read() throws IOException {
            int len = in.readUnsignedByte() | in.readUnsignedByte() << 8 | in.readUnsignedByte() << 16;
            lastSeq = in.readUnsignedByte();
            byte[] payload = new byte[len];
            in.readFully(payload);
            return payload;
        }

        void send(int seq, byte[] payload) throws IOException {
            byte[] b = new byte[4 + payload.length];
            b[0] = (byte) payload.length;
            b[1] = (byte) (payload.length >> 8);
            b[2] = (byte) (payload.length >> 16);
            b[3] = (byte) seq;
            System.arraycopy(payload, 0, b, 4, payload.length);
            raw(b);
        }

        void raw(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /** A protocol-41 handshake response with an empty password ({@code auth.mode: none} lets it in). */
        void authenticate(String user) throws IOException {
            ByteArrayOutputStream p = new ByteArrayOutputStream();
            int caps = 0x1 | 0x200 | 0x8000 | 0x80000; // LONG_PASSWORD, PROTOCOL_41, SECURE_CONNECTION, PLUGIN_AUTH
            p.write(new byte[] {(byte) caps, (byte) (caps >> 8), (byte) (caps >> 16), (byte) (caps >> 24)});
            p.write(new byte[] {0, 0, 0, 1}); // max packet 16 MiB
            p.write(45);
            p.write(new byte[23]);
            p.write(user.getBytes(StandardCharsets.UTF_8));
            p.write(0);
            p.write(0); // empty auth response
            p.write("mysql_native_password".getBytes(StandardCharsets.UTF_8));
            p.write(0);
            send(1, p.toByteArray());
            byte[] r = read();
            if ((r[0] & 0xff) == 0xfe) { // auth switch: answer with an empty password
                send(lastSeq + 1, new byte[0]);
                r = read();
            }
            assertEquals(0, r[0], "OK after authentication");
        }

        /** Reads until an ERR packet ("ERR errno") or the end of the stream ("CLOSED"). */
        String errorOrClose(Duration timeout) throws IOException {
            socket.setSoTimeout((int) timeout.toMillis());
            try {
                while (true) {
                    byte[] p = read();
                    if (p.length >= 3 && (p[0] & 0xff) == 0xff) {
                        return "ERR " + ((p[1] & 0xff) | (p[2] & 0xff) << 8);
                    }
                }
            } catch (EOFException | java.net.SocketException e) {
                return "CLOSED";
            } catch (SocketTimeoutException e) {
                return "TIMEOUT (neither an error nor a close within " + timeout + ")";
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
