package dev.mosaic.server.launcher.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.json.Json;
import dev.mosaic.api.json.JsonObject;
import dev.mosaic.proto.topo.CellInfo;
import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.proto.topo.TabletAlias;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.ctld.process.CtldProcess;
import dev.mosaic.server.ctld.process.CtldServerConfigLoader;
import dev.mosaic.server.launcher.MosaicCli;
import dev.mosaic.server.process.config.TopoSettings;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.spi.Plugins;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every {@code mosaic ctl} verb against a real ctld (in-process, on the memory topology, over real
 * gRPC): output, {@code --json}, exit codes and usage errors. Tablet verbs need running tablets;
 * here they are covered for their error paths (the end-to-end tests run them against real ones).
 */
class CtlCommandTest {
    private static final Plugins PLUGINS = Plugins.load(CtlCommandTest.class.getClassLoader());
    private static String cluster;
    private static CtldProcess ctld;
    private static TopoServer topo;

    record Result(int code, String out, String err) {
    }

    @BeforeAll
    static void startCtld() {
        cluster = "ctl-test-" + UUID.randomUUID();
        topo = new TopoSettings("memory", Map.of("cluster", cluster)).open(PLUGINS);
        topo.createCellInfo("zone1", CellInfo.newBuilder().setServerAddress(cluster + "-zone1").build());
        ctld = CtldProcess.start(new CtldServerConfigLoader(PLUGINS).parse(
                "topo: {type: memory, config: {cluster: " + cluster + "}}\ncell: zone1\n"
                        + "grpc: {bind-address: 127.0.0.1, port: 0}\nstatus: {bind-address: 127.0.0.1, port: 0}\n"
                        + "tablet-manager.call-timeout: 2s\n", "test.yaml"),
                PLUGINS, new PrintStream(new ByteArrayOutputStream()));
    }

    @AfterAll
    static void stopCtld() {
        if (ctld != null) {
            ctld.close();
        }
        if (topo != null) {
            topo.close();
        }
    }

    /** {@code mosaic ctl --server <ctld> ARGS}. */
    static Result ctl(String... args) {
        List<String> all = new ArrayList<>(List.of("ctl", "--server", "127.0.0.1:" + ctld.grpcPort()));
        all.addAll(List.of(args));
        return raw(all.toArray(String[]::new));
    }

    static Result raw(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = MosaicCli.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    private static Result ok(String... args) {
        Result r = ctl(args);
        assertEquals(0, r.code(), "mosaic ctl " + String.join(" ", args) + ":\n" + r.err() + r.out());
        return r;
    }

    private static Result fails(String... args) {
        Result r = ctl(args);
        assertEquals(1, r.code(), "mosaic ctl " + String.join(" ", args) + ":\n" + r.err() + r.out());
        assertTrue(r.err().startsWith("error: "), r.err());
        return r;
    }

    private static JsonObject json(String text) {
        return (JsonObject) Json.parse(text);
    }

    private static Json at(Json j, String... path) {
        Json at = j;
        for (String p : path) {
            at = ((JsonObject) at).get(p).orElseThrow(() -> new AssertionError("no '" + p + "' in " + j.toJson()));
        }
        return at;
    }

    @Test
    void cellVerbs() {
        String zone2 = cluster + "-zone2";
        assertEquals("Created cell: zone2\n", ok("AddCellInfo", "--root", "/vitess/zone2", "--server-address", zone2,
                "zone2").out());
        ok("AddCellInfo", "--root", "/vitess/zone2", "--server-address", zone2, "zone2"); // the same again: done
        Result moved = fails("AddCellInfo", "--root", "/elsewhere", "--server-address", zone2, "zone2");
        assertTrue(moved.err().startsWith("error: ALREADY_EXISTS: ") && moved.err().contains("/vitess/zone2"), moved.err());
        assertTrue(ok("GetCellInfoNames").out().lines().toList().containsAll(List.of("zone1", "zone2")));
        JsonObject info = json(ok("GetCellInfo", "zone2").out());
        assertEquals(Json.of("/vitess/zone2"), at(info, "root"));
        assertEquals(Json.of(zone2), at(info, "server_address"));
        assertTrue(fails("GetCellInfo", "zone9").err().startsWith("error: NOT_FOUND: "));
        assertTrue(fails("AddCellInfo", "--root", "/r", "zo/ne").err().startsWith("error: INVALID_ARGUMENT: "));
        Result noRoot = ctl("AddCellInfo", "zone3");
        assertEquals(2, noRoot.code(), noRoot.err());
        assertTrue(noRoot.err().contains("--root"), noRoot.err());
    }

    @Test
    void keyspaceVerbs() {
        Result created = ok("CreateKeyspace", "--sidecar-db-name", "_mosaic", "ks_a");
        assertTrue(created.out().startsWith("Successfully created keyspace ks_a. Result:\n"), created.out());
        JsonObject record = json(created.out().substring(created.out().indexOf('\n') + 1));
        assertEquals(Json.of("ks_a"), at(record, "name"));
        assertEquals(Json.of("_mosaic"), at(record, "keyspace", "sidecar_db_name"));
        assertEquals(Json.of("none"), at(record, "keyspace", "durability_policy"), "vtctldclient's default");
        assertEquals(Json.of("NORMAL"), at(record, "keyspace", "keyspace_type"), "unset fields are printed too");

        assertEquals(record, json(ok("GetKeyspace", "ks_a").out()));
        assertEquals(record, at(json(ok("--json", "GetKeyspace", "ks_a").out()), "keyspace"));
        assertEquals(record, at(json(ok("GetKeyspace", "--json", "ks_a").out()), "keyspace"),
                "global options may follow the verb");
        String all = ok("GetKeyspaces").out();
        assertTrue(Json.parse(all).toJson().contains("\"name\":\"ks_a\""), all);

        Result unknownPolicy = fails("CreateKeyspace", "--durability-policy", "nosuch_policy", "ks_b");
        assertTrue(unknownPolicy.err().startsWith("error: INVALID_ARGUMENT: "), unknownPolicy.err());
        assertTrue(unknownPolicy.err().contains("nosuch_policy"), unknownPolicy.err());
        Result again = fails("CreateKeyspace", "ks_a");
        assertTrue(again.err().contains("ALREADY_EXISTS"), again.err());
        ok("CreateKeyspace", "--force", "ks_a");

        assertEquals("Successfully deleted keyspace ks_a.\n", ok("DeleteKeyspace", "ks_a").out());
        Result gone = fails("GetKeyspace", "ks_a");
        assertTrue(gone.err().startsWith("error: NOT_FOUND: "), gone.err());
        assertTrue(gone.err().contains("ks_a"), gone.err());
    }

    @Test
    void shardVerbs() {
        Result created = ok("CreateShard", "--include-parent", "ks_s/-80");
        assertTrue(created.out().startsWith("Successfully created shard ks_s/-80. Result:\n"), created.out());
        ok("CreateShard", "ks_s/80-");
        JsonObject shard = json(ok("GetShard", "ks_s/-80").out());
        assertEquals(Json.of("ks_s"), at(shard, "keyspace"));
        assertEquals(Json.of("-80"), at(shard, "name"));
        assertEquals(Json.of("gA=="), at(shard, "shard", "key_range", "end"), "0x80, base64 as protobuf JSON writes bytes");
        assertEquals(shard, at(json(ok("--json", "GetShard", "ks_s/-80").out()), "shard"));
        Result exists = ok("CreateShard", "--force", "ks_s/-80");
        assertTrue(exists.out().startsWith("Shard ks_s/-80 already exists. Result:"), exists.out());

        fails("CreateShard", "nosuch_ks/0");
        Result deleteKs = fails("DeleteKeyspace", "ks_s");
        assertTrue(deleteKs.err().contains("ks_s"), deleteKs.err());

        assertEquals("Successfully deleted shards ks_s/-80, ks_s/80-.\n",
                ok("DeleteShards", "--even-if-serving", "ks_s/-80", "ks_s/80-").out());
        fails("GetShard", "ks_s/-80");
        ok("DeleteKeyspace", "--recursive", "ks_s");
    }

    @Test
    void vschemaAndServingGraphVerbs(@TempDir Path dir) throws Exception {
        ok("CreateKeyspace", "ks_v");
        ok("CreateShard", "ks_v/-80");
        ok("CreateShard", "ks_v/80-");
        String vschema = "{\"sharded\":true,\"vindexes\":{\"hash\":{\"type\":\"hash\"}},"
                + "\"tables\":{\"customer\":{\"column_vindexes\":[{\"column\":\"id\",\"name\":\"hash\"}]}}}";
        Result dry = ok("ApplyVSchema", "--dry-run", "--vschema", vschema, "ks_v");
        assertTrue(dry.out().startsWith("[DRY RUN]"), dry.out());
        Result applied = ok("ApplyVSchema", "--vschema", vschema, "ks_v");
        assertTrue(applied.out().startsWith("New VSchema object:\n"), applied.out());
        assertEquals(Json.parse(vschema), Json.parse(ok("GetVSchema", "ks_v").out()));

        Path file = dir.resolve("vschema.json");
        Files.writeString(file, vschema.replace("\"hash\":{\"type\":\"hash\"}", "\"hash\":{\"type\":\"xxhash\"}"));
        ok("ApplyVSchema", "--vschema-file", file.toString(), "--skip-rebuild", "ks_v");
        assertTrue(ok("GetVSchema", "ks_v").out().contains("xxhash"));
        Result badType = fails("ApplyVSchema", "--vschema", "{\"vindexes\":{\"v\":{\"type\":\"nosuch\"}}}", "ks_v");
        assertTrue(badType.err().contains("nosuch"), badType.err());

        String rules = "{\"rules\":[{\"from_table\":\"customer\",\"to_tables\":[\"ks_v.customer\"]}]}";
        Result dryRules = ok("ApplyRoutingRules", "--dry-run", "--rules", rules);
        assertTrue(dryRules.out().startsWith("[DRY RUN]"), dryRules.out());
        assertEquals(Json.parse("{\"rules\":[]}"), Json.parse(ok("GetRoutingRules").out()), "a dry run applies nothing");
        Result appliedRules = ok("ApplyRoutingRules", "--rules", rules, "--cells", "zone1");
        assertTrue(appliedRules.out().startsWith("New RoutingRules object:\n"), appliedRules.out());
        assertEquals(Json.parse(rules), Json.parse(ok("GetRoutingRules").out()));

        assertEquals("Rebuilt the serving graph of keyspace ks_v.\n", ok("RebuildKeyspaceGraph", "ks_v").out());
        assertEquals("Rebuilt the serving vschema of cells zone1.\n", ok("RebuildVSchemaGraph", "-c", "zone1").out());
        fails("RebuildKeyspaceGraph", "--cells", "nosuchcell", "ks_v");
        fails("GetVSchema", "nosuch_ks");
    }

    @Test
    void tabletListingAndClusterStatus() throws Exception {
        ok("CreateKeyspace", "ks_t");
        ok("CreateShard", "ks_t/0");
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        topo.createTablet(Tablet.newBuilder().setAlias(TabletAlias.newBuilder().setCell("zone1").setUid(100))
                .setHostname("127.0.0.1").putPortMap("grpc", deadPort).putPortMap("vt", 15100)
                .setKeyspace("ks_t").setShard("0").setType(TabletType.REPLICA)
                .setMysqlHostname("127.0.0.1").setMysqlPort(17100).putTags("rack", "r1").build());

        assertEquals("zone1-0000000100 ks_t 0 replica 127.0.0.1:15100 127.0.0.1:17100 [rack:r1] <null>\n",
                ok("GetTablets", "--keyspace", "ks_t").out());
        assertEquals(ok("GetTablets", "-k", "ks_t").out(), ok("GetTablets", "--tablet-alias", "zone1-100").out());
        assertEquals("", ok("GetTablets", "--keyspace", "ks_t", "--tablet-type", "primary").out());
        JsonObject listed = json(ok("--json", "GetTablets", "--keyspace", "ks_t").out());
        assertTrue(listed.toJson().contains("\"mysql_port\":17100"), listed.toJson());
        assertTrue(Json.parse(ok("GetTablets", "--keyspace", "ks_t", "--format", "json").out()).toJson()
                .startsWith("[{\"alias\":{\"cell\":\"zone1\",\"uid\":100}"));

        JsonObject tablet = json(ok("GetTablet", "zone1-0000000100").out());
        assertEquals(Json.of("ks_t"), at(tablet, "keyspace"));
        assertEquals(Json.of("REPLICA"), at(tablet, "type"));
        Result missing = fails("GetTablet", "zone1-999");
        assertTrue(missing.err().contains("NOT_FOUND"), missing.err());

        String status = ok("GetClusterStatus").out();
        assertTrue(status.contains("keyspace ks_t (unsharded, vschema "), status);
        assertTrue(status.contains("  shard 0 (primary none)\n"), status);
        assertTrue(status.contains("    zone1-0000000100 replica 127.0.0.1:" + deadPort
                + " mysql 127.0.0.1:17100 UNREACHABLE"), status);
        assertTrue(ok("--json", "GetClusterStatus").out().contains("\"reachable\": false"));
    }

    @Test
    void tabletVerbsReportTheTabletsErrors() {
        ok("CreateKeyspace", "ks_e");
        ok("CreateShard", "ks_e/0");
        // No tablet zone1-0000000998 exists: each verb fails with ctld's message naming it.
        for (String[] verb : List.of(
                new String[] {"ChangeTabletType", "zone1-998", "rdonly"},
                new String[] {"ChangeTabletType", "--dry-run", "zone1-998", "rdonly"},
                new String[] {"ExecuteFetchAsDBA", "zone1-998", "SELECT 1"},
                new String[] {"GetSchema", "zone1-998"},
                new String[] {"InitShardPrimary", "ks_e/0", "zone1-998"})) {
            Result r = fails(verb);
            assertTrue(r.err().contains("zone1-0000000998"), String.join(" ", verb) + ": " + r.err());
            assertEquals("", r.out());
        }
        // A keyspace without tablets: nothing to apply DDL to or initialize sequences on.
        fails("ApplySchema", "--sql", "CREATE TABLE t (id BIGINT PRIMARY KEY)", "ks_e");
        fails("InitializeSequences", "nosuch_ks");
        Result strategy = fails("ApplySchema", "--ddl-strategy", "vitess", "--sql", "ALTER TABLE t ADD c INT", "ks_e");
        assertTrue(strategy.err().contains("INVALID_ARGUMENT"), strategy.err());
    }

    @Test
    void backupVerbsReportCtldsAndTheTabletsErrors() {
        ok("CreateKeyspace", "ks_b");
        ok("CreateShard", "ks_b/-80");
        // No tablet zone1-0000000997: Backup and RestoreFromBackup fail naming it.
        for (String[] verb : List.of(new String[] {"Backup", "zone1-997"},
                new String[] {"RestoreFromBackup", "--backup-timestamp", "2026-11-22.150547", "zone1-997"})) {
            Result r = fails(verb);
            assertTrue(r.err().contains("zone1-0000000997"), String.join(" ", verb) + ": " + r.err());
        }
        // A shard without tablets has none to back up.
        assertTrue(fails("BackupShard", "ks_b/-80").err().contains("FAILED_PRECONDITION: no tablet available for backup"));
        // This ctld has no backup storage configured.
        assertTrue(fails("GetBackups", "ks_b/-80").err().contains("FAILED_PRECONDITION: ctld has no backup storage"));
        assertTrue(fails("RemoveBackup", "ks_b/-80", "x").err().contains("no backup storage"));
    }

    @Test
    void throttlerVerbs() {
        ok("CreateKeyspace", "ks_throttle");
        assertEquals("Updated throttler config of keyspace ks_throttle\n",
                ok("UpdateThrottlerConfig", "--enable", "--threshold", "2", "ks_throttle").out());
        ok("UpdateThrottlerConfig", "--metric-name", "threads_running", "--threshold", "50", "ks_throttle");
        ok("UpdateThrottlerConfig", "--throttle-app", "x", "--throttle-app-ratio", "0.5", "--throttle-app-duration", "30m",
                "ks_throttle");
        ok("UpdateThrottlerConfig", "--throttle-app", "exempt-app", "--throttle-app-exempt", "ks_throttle");
        ok("UpdateThrottlerConfig", "--app-name", "vreplication", "--app-metrics", "lag,threads_running", "ks_throttle");
        var c = topo.getKeyspace("ks_throttle").value().getThrottlerConfig();
        assertTrue(c.getEnabled());
        assertEquals(2.0, c.getThreshold());
        assertEquals(50.0, c.getMetricThresholdsMap().get("threads_running"));
        assertEquals(0.5, c.getThrottledAppsMap().get("x").getRatio());
        long expires = c.getThrottledAppsMap().get("x").getExpiresAt().getSeconds() - java.time.Instant.now().getEpochSecond();
        assertTrue(expires > 29 * 60 && expires <= 30 * 60, "30m: " + expires);
        assertTrue(c.getThrottledAppsMap().get("exempt-app").getExempt());
        assertEquals(List.of("lag", "threads_running"), c.getAppCheckedMetricsMap().get("vreplication").getNamesList());
        ok("UpdateThrottlerConfig", "--unthrottle-app", "x", "--disable", "ks_throttle");
        c = topo.getKeyspace("ks_throttle").value().getThrottlerConfig();
        assertFalse(c.getEnabled());
        assertFalse(c.getThrottledAppsMap().containsKey("x"));
        Result missing = fails("UpdateThrottlerConfig", "--enable", "nosuch_ks");
        assertTrue(missing.err().contains("keyspace nosuch_ks not found"), missing.err());
        for (String[] verb : List.of(new String[] {"CheckThrottler", "--app-name", "x", "zone1-998"},
                new String[] {"GetThrottlerStatus", "zone1-998"})) {
            Result r = fails(verb);
            assertTrue(r.err().contains("zone1-0000000998"), String.join(" ", verb) + ": " + r.err());
        }
    }

    /** Each bad command line and a word the usage error must contain: exit 2, nothing sent. */
    static Stream<Arguments> usageErrors() {
        return Stream.of(
                Arguments.of(List.of("NoSuchVerb"), "NoSuchVerb"),
                Arguments.of(List.of(), "missing verb"),
                Arguments.of(List.of("GetKeyspace"), "KEYSPACE"),
                Arguments.of(List.of("GetKeyspace", "a", "b"), "b"),
                Arguments.of(List.of("CreateKeyspace", "--type", "WEIRD", "k"), "NORMAL or SNAPSHOT"),
                Arguments.of(List.of("CreateKeyspace", "--type", "SNAPSHOT", "k"), "--base-keyspace"),
                Arguments.of(List.of("CreateKeyspace", "--base-keyspace", "b", "k"), "only for --type SNAPSHOT"),
                Arguments.of(List.of("CreateShard", "commerce"), "KEYSPACE/SHARD"),
                Arguments.of(List.of("GetShard", "commerce/0/x"), "KEYSPACE/SHARD"),
                Arguments.of(List.of("DeleteShards"), "KEYSPACE/SHARD"),
                Arguments.of(List.of("GetTablet", "zone1"), "cell-uid"),
                Arguments.of(List.of("GetTablet", "zone1-abc"), "not a number"),
                Arguments.of(List.of("GetTablets", "--shard", "0"), "--shard needs --keyspace"),
                Arguments.of(List.of("GetTablets", "-k", "ks", "-t", "zone1-1"), "cannot be combined"),
                Arguments.of(List.of("GetTablets", "--format", "xml"), "awk or json"),
                Arguments.of(List.of("GetTablets", "--tablet-type", "boss"), "not a tablet type"),
                Arguments.of(List.of("ChangeTabletType", "zone1-100", "boss"), "not a tablet type"),
                Arguments.of(List.of("ChangeTabletType", "zone1-100"), "TYPE"),
                Arguments.of(List.of("ApplySchema", "ks"), "--sql or --sql-file"),
                Arguments.of(List.of("ApplySchema", "--sql", "x", "--sql-file", "/f", "ks"), "exactly one"),
                Arguments.of(List.of("ApplySchema", "--sql-file", "/nonexistent/schema.sql", "ks"), "cannot read --sql-file"),
                Arguments.of(List.of("ApplySchema", "--sql", " ", "ks"), "no SQL"),
                Arguments.of(List.of("ApplySchema", "--wait-replicas-timeout", "soon", "--sql", "x", "ks"), "not a duration"),
                Arguments.of(List.of("ApplyVSchema", "ks"), "--vschema or --vschema-file"),
                Arguments.of(List.of("ApplyVSchema", "--vschema", "{not json", "ks"), "is not JSON"),
                Arguments.of(List.of("ApplyRoutingRules"), "--rules or --rules-file"),
                Arguments.of(List.of("ApplyRoutingRules", "--rules", "{\"rulez\":[]}"), "not routing rules JSON"),
                Arguments.of(List.of("RebuildKeyspaceGraph"), "KEYSPACE"),
                Arguments.of(List.of("ExecuteFetchAsDBA", "--max-rows", "0", "zone1-1", "SELECT 1"), "--max-rows"),
                Arguments.of(List.of("ExecuteFetchAsDBA", "zone1-1"), "QUERY"),
                Arguments.of(List.of("InitializeSequences", "--cache", "0", "ks"), "--cache"),
                Arguments.of(List.of("InitShardPrimary", "ks/0"), "TABLET_ALIAS"),
                Arguments.of(List.of("--action-timeout", "forever", "GetKeyspaces"), "not a duration"),
                Arguments.of(List.of("GetKeyspaces", "--server", "nohost"), "not HOST:PORT"),
                Arguments.of(List.of("GetKeyspaces", "--nosuchflag"), "--nosuchflag"),
                Arguments.of(List.of("Backup"), "TABLET_ALIAS"),
                Arguments.of(List.of("Backup", "--concurrency", "-1", "zone1-1"), "--concurrency"),
                Arguments.of(List.of("BackupShard", "customer"), "KEYSPACE/SHARD"),
                Arguments.of(List.of("GetBackups", "--limit", "-2", "customer/-80"), "--limit"),
                Arguments.of(List.of("RemoveBackup", "customer/-80"), "BACKUP_NAME"),
                Arguments.of(List.of("RestoreFromBackup", "--backup-timestamp", "yesterday", "zone1-1"),
                        "2006-01-02.150405"),
                Arguments.of(List.of("UpdateThrottlerConfig", "--enable", "--disable", "ks"), "mutually exclusive"),
                Arguments.of(List.of("UpdateThrottlerConfig", "--throttle-app", "x", "--throttle-app-ratio", "2", "ks"), "between 0 and 1"),
                Arguments.of(List.of("UpdateThrottlerConfig", "--app-metrics", "lag", "ks"), "--app-name"),
                Arguments.of(List.of("UpdateThrottlerConfig", "--throttle-app", "x", "--throttle-app-duration", "soon", "ks"), "not a duration"),
                Arguments.of(List.of("UpdateThrottlerConfig", "--enable"), "KEYSPACE"),
                Arguments.of(List.of("CheckThrottler", "--scope", "cell", "zone1-100"), "self or shard"),
                Arguments.of(List.of("GetThrottlerStatus"), "TABLET_ALIAS"));
    }

    @ParameterizedTest
    @MethodSource("usageErrors")
    void usageErrorsExitTwo(List<String> args, String word) {
        Result r = ctl(args.toArray(String[]::new));
        assertEquals(2, r.code(), args + ": " + r.err());
        assertTrue(r.err().contains(word), args + ": expected '" + word + "' in:\n" + r.err());
        assertEquals("", r.out());
    }

    @Test
    void everyVerbHasHelp() {
        CommandLine ctl = new CommandLine(new MosaicCli()).getSubcommands().get("ctl");
        List<String> verbs = ctl.getSubcommands().keySet().stream().filter(v -> !v.equals("help")).toList();
        assertEquals(33, verbs.size(), verbs.toString());
        for (String verb : verbs) {
            Result r = raw("ctl", verb, "--help");
            assertEquals(0, r.code(), verb + ": " + r.err());
            assertTrue(r.out().startsWith("Usage: mosaic ctl " + verb + " "), r.out());
            assertTrue(r.out().contains("--server=HOST:PORT"), verb + " lists the global options:\n" + r.out());
            String description = r.out().lines().skip(1).filter(l -> !l.startsWith(" ")).findFirst().orElse("");
            assertTrue(description.length() > 20, verb + " has a description:\n" + r.out());
        }
        Result top = raw("ctl", "--help");
        assertEquals(0, top.code());
        assertTrue(top.out().contains("GetClusterStatus"), top.out());
        assertTrue(top.out().contains("2   usage error"), top.out());
    }

    @Test
    void anUnreachableCtldIsAFailureNamingTheAddress() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Result r = raw("ctl", "--server", "127.0.0.1:" + port, "GetKeyspaces");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("error: cannot reach ctld at 127.0.0.1:" + port + " (--server)"), r.err());
    }

    @Test
    void aSilentServerHitsTheActionTimeout() throws Exception {
        // Accepts TCP connections and never speaks HTTP/2: the call can only end by its deadline.
        List<Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (java.io.IOException e) {
                    // the server socket closed at the end of the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            long t0 = System.nanoTime();
            Result r = raw("ctl", "--server", "127.0.0.1:" + silent.getLocalPort(), "--action-timeout", "1500ms",
                    "GetKeyspaces");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(1, r.code(), r.err());
            assertTrue(r.err().contains("ctld did not finish GetKeyspaces within 1.5s (--action-timeout)"), r.err());
            assertTrue(ms >= 1400 && ms < 20_000, "took " + ms + " ms");
        } finally {
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void goDurationsParseAsVtctldclientTakesThem() {
        assertEquals(java.time.Duration.ofHours(1), Converters.GoDuration.parse("1h0m0s"));
        assertEquals(java.time.Duration.ofSeconds(90), Converters.GoDuration.parse("1m30s"));
        assertEquals(java.time.Duration.ofMillis(1500), Converters.GoDuration.parse("1.5s"));
        assertEquals(java.time.Duration.ofMillis(250), Converters.GoDuration.parse("250ms"));
        assertEquals(java.time.Duration.ZERO, Converters.GoDuration.parse("0"));
        for (String bad : List.of("", "5", "1d", "s", "1h 2m", "-1s")) {
            try {
                Converters.GoDuration.parse(bad);
                throw new AssertionError("'" + bad + "' parsed");
            } catch (CommandLine.TypeConversionException expected) {
                assertFalse(expected.getMessage().isEmpty());
            }
        }
    }
}
