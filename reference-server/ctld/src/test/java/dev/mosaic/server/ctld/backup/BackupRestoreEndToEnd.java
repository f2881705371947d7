package dev.mosaic.server.ctld.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.proto.query.QueryResult;
import dev.mosaic.proto.query.Rows;
import dev.mosaic.proto.tabletmanager.BackupEvent;
import dev.mosaic.proto.topo.CellInfo;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.proto.vtctldata.BackupInfo;
import dev.mosaic.proto.vtctldata.BackupResponse;
import dev.mosaic.proto.vtctldata.BackupShardRequest;
import dev.mosaic.proto.vtctldata.CreateKeyspaceRequest;
import dev.mosaic.proto.vtctldata.CreateShardRequest;
import dev.mosaic.proto.vtctldata.ExecuteFetchAsDBARequest;
import dev.mosaic.proto.vtctldata.GetBackupsRequest;
import dev.mosaic.proto.vtctldata.InitShardPrimaryRequest;
import dev.mosaic.proto.vtctldata.RemoveBackupRequest;
import dev.mosaic.proto.vtctldata.VtctldGrpc;
import dev.mosaic.server.ctld.TabletManagerClients;
import dev.mosaic.server.ctld.VtctldService;
import dev.mosaic.server.gate.process.GateProcess;
import dev.mosaic.server.gate.process.GateServerConfig;
import dev.mosaic.server.gate.process.GateServerConfigLoader;
import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import dev.mosaic.server.tablet.server.TabletProcess;
import dev.mosaic.server.tablet.server.testing.TabletTesting;
import dev.mosaic.server.topo.ProtoConversions;
import dev.mosaic.server.topo.TopoConnector;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.spi.PluginKind;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.backup.BackupStorage;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The backup story end to end, on real MariaDB and real tablet processes, with one engine (each
 * subclass names it): a sharded keyspace ({@code customer}, shards -80 and 80-, each a primary and
 * a replica), rows in a table; {@code BackupShard customer/-80} through ctld's service backs up
 * the replica; more rows are written; a brand-new tablet (new uid, new empty managed mysqld)
 * starts with {@code restore-from-backup}, has the backup's rows, catches up with the later writes
 * and serves as a REPLICA (read through a gate at {@code customer/-80@replica} once the old
 * replica is drained); the primary is not backed up without allow_primary; RestoreFromBackup of
 * the running new tablet restores it again; GetBackups lists the backup and RemoveBackup removes it. Timings are
 * printed to stdout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BackupRestoreEndToEnd {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final TabletAlias LOW_PRIMARY = new TabletAlias("zone1", 100);
    private static final TabletAlias LOW_REPLICA = new TabletAlias("zone1", 101);
    private static final TabletAlias LOW_NEW = new TabletAlias("zone1", 102);
    private static final TabletAlias HIGH_PRIMARY = new TabletAlias("zone1", 200);
    private static final TabletAlias HIGH_REPLICA = new TabletAlias("zone1", 201);
    private static final int BACKUP_ROWS = 200;
    private static final int LATER_ROWS = 50;

    private final Plugins plugins = Plugins.load(BackupRestoreEndToEnd.class.getClassLoader());
    private final List<TabletProcess> tablets = new ArrayList<>();
    private final String cluster = "backup-it-" + UUID.randomUUID();
    private MysqldCluster mysqlds;
    private TopoServer topo;
    private TabletManagerClients clients;
    private BackupStorage storage;
    private Server server;
    private ManagedChannel channel;
    private VtctldGrpc.VtctldBlockingStub ctld;
    private Path dir;
    private GateProcess gate;
    private final java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newFixedThreadPool(2);

    /** The backup engine the tablets are configured with. */
    abstract String engine();

    /** The keyspace's durability policy ("none" unless a subclass asks for another). */
    String durability() {
        return "none";
    }

    @BeforeAll
    void startCluster() throws Exception {
        MysqldCluster.requireBinaries();
        dir = Files.createTempDirectory("backup-it-" + engine());
        Files.createDirectories(dir.resolve("backups"));
        long t0 = System.nanoTime();
        mysqlds = MysqldCluster.start(4);
        TopoConnector connector = new TopoConnector(plugins);
        topo = connector.openServer(connector.target("memory:" + cluster, Map.of()), TopoServer.Options.defaults());
        topo.createCellInfo("zone1", CellInfo.newBuilder().setServerAddress(cluster + "-zone1").build());
        clients = new TabletManagerClients(Duration.ofSeconds(30));
        storage = plugins.create(PluginKind.BACKUP_STORAGE, "file", "ctld",
                Map.of("root", dir.resolve("backups").toString()));
        server = InProcessServerBuilder.forName(cluster).executor(executor)
                .addService(new VtctldService(topo, clients, plugins, Optional.of(storage))).build().start();
        channel = InProcessChannelBuilder.forName(cluster).build();
        ctld = VtctldGrpc.newBlockingStub(channel);
        ctld.createKeyspace(CreateKeyspaceRequest.newBuilder().setName("customer")
                .setDurabilityPolicy(durability()).build());
        for (String shard : List.of("-80", "80-")) {
            ctld.createShard(CreateShardRequest.newBuilder().setKeyspace("customer").setShardName(shard).build());
        }
        tablets.add(startTablet(attached(LOW_PRIMARY, "-80", 0)));
        tablets.add(startTablet(attached(LOW_REPLICA, "-80", 1)));
        tablets.add(startTablet(attached(HIGH_PRIMARY, "80-", 2)));
        tablets.add(startTablet(attached(HIGH_REPLICA, "80-", 3)));
        initShardPrimary("-80", LOW_PRIMARY);
        initShardPrimary("80-", HIGH_PRIMARY);
        for (TabletAlias p : List.of(LOW_PRIMARY, HIGH_PRIMARY)) {
            dba(p, "CREATE TABLE customer (id BIGINT PRIMARY KEY, name VARCHAR(64) NOT NULL)");
        }
        System.out.printf("[%s] cluster of 4 tablets up in %d ms%n", engine(), ms(t0));
    }

    @AfterAll
    void stopCluster() {
        if (gate != null) {
            gate.close();
        }
        for (TabletProcess t : tablets) {
            t.close();
        }
        if (channel != null) {
            channel.shutdownNow();
        }
        if (server != null) {
            server.shutdownNow();
        }
        executor.shutdownNow();
        if (clients != null) {
            clients.close();
        }
        if (storage != null) {
            storage.close();
        }
        if (topo != null) {
            topo.close();
        }
        if (mysqlds != null) {
            mysqlds.close();
        }
    }

    @Test
    void backupShardThenABrandNewTabletRestoresCatchesUpAndServes() throws Exception {
        insert(LOW_PRIMARY, 1, BACKUP_ROWS);
        insert(HIGH_PRIMARY, 1, 10);
        TabletTesting.await("the -80 replica has the first rows", WAIT, () -> count(LOW_REPLICA) == BACKUP_ROWS);

        // BackupShard picks the shard's replica and streams its events.
        long t0 = System.nanoTime();
        List<BackupResponse> events = new ArrayList<>();
        Iterator<BackupResponse> it = ctld.backupShard(BackupShardRequest.newBuilder().setKeyspace("customer")
                .setShard("-80").build());
        it.forEachRemaining(events::add);
        long backupMs = ms(t0);
        assertFalse(events.isEmpty());
        for (BackupResponse r : events) {
            assertEquals(ProtoConversions.toProto(LOW_REPLICA), r.getTabletAlias(), r.toString());
            assertEquals("-80", r.getShard());
        }
        assertEquals(BackupEvent.Kind.STARTED, events.get(0).getEvent().getKind());
        BackupEvent finished = events.get(events.size() - 1).getEvent();
        assertEquals(BackupEvent.Kind.FINISHED, finished.getKind(), events.toString());
        assertEquals(engine(), finished.getEngine());
        assertTrue(finished.getPosition().startsWith("MariaDB/"), finished.getPosition());
        assertTrue(finished.getBytesDone() > 0, finished.toString());
        assertTrue(finished.getName().endsWith(".zone1-0000000101"), finished.getName());
        System.out.printf("[%s] BackupShard customer/-80: %s, %d bytes, %d events, %d ms%n", engine(),
                finished.getName(), finished.getBytesDone(), events.size(), backupMs);
        // The backed-up replica is back to REPLICA and replicating.
        assertEquals(TabletType.REPLICA, topo.getTablet(LOW_REPLICA).value().getType());
        insert(LOW_PRIMARY, BACKUP_ROWS + 1, LATER_ROWS);
        TabletTesting.await("the backed-up replica replicates again", WAIT,
                () -> count(LOW_REPLICA) == BACKUP_ROWS + LATER_ROWS);

        // GetBackups lists it, with its manifest when detailed.
        List<BackupInfo> listed = ctld.getBackups(GetBackupsRequest.newBuilder().setKeyspace("customer")
                .setShard("-80").setDetailed(true).build()).getBackupsList();
        assertEquals(1, listed.size(), listed.toString());
        assertEquals(finished.getName(), listed.get(0).getName());
        assertEquals(finished.getPosition(), listed.get(0).getPosition());
        assertEquals(BackupInfo.Status.COMPLETE, listed.get(0).getStatus());

        // A brand-new tablet restores the backup at startup, then catches up from the primary.
        t0 = System.nanoTime();
        TabletProcess fresh = startTablet(managed(LOW_NEW, "-80"));
        tablets.add(fresh);
        long startMs = ms(t0);
        int atStart = count(LOW_NEW);
        assertTrue(atStart >= BACKUP_ROWS, "the restored tablet has the backup's rows, had " + atStart);
        assertEquals(List.of("1", "row-1", String.valueOf(BACKUP_ROWS), "row-" + BACKUP_ROWS),
                column(dba(LOW_NEW, "SELECT id, name FROM customer WHERE id IN (1, " + BACKUP_ROWS
                        + ") ORDER BY id"), 2));
        t0 = System.nanoTime();
        TabletTesting.await("the restored tablet catches up with the writes after the backup", WAIT,
                () -> count(LOW_NEW) == BACKUP_ROWS + LATER_ROWS);
        long catchUpMs = ms(t0);
        insert(LOW_PRIMARY, BACKUP_ROWS + LATER_ROWS + 1, 1);
        TabletTesting.await("the restored tablet keeps replicating", WAIT,
                () -> count(LOW_NEW) == BACKUP_ROWS + LATER_ROWS + 1);
        assertEquals(TabletType.REPLICA, topo.getTablet(LOW_NEW).value().getType());
        TabletTesting.await("the restored tablet serves", WAIT, () -> fresh.status().health().serving());
        // It acknowledges semi-sync exactly when the keyspace's durability policy says a REPLICA does.
        assertEquals(List.of(durability().equals("semi_sync") ? "1" : "0"),
                column(dba(LOW_NEW, "SELECT @@rpl_semi_sync_slave_enabled"), 1), "semi-sync replica on " + durability());
        System.out.printf("[%s] restore-from-backup tablet start (init + restore + replication): %d ms, "
                + "rows at start %d, caught up %d ms later%n", engine(), startMs, atStart, catchUpMs);

        // Through the gate: with the old replica drained, customer/-80@replica is the restored tablet.
        ctld.changeTabletType(dev.mosaic.proto.vtctldata.ChangeTabletTypeRequest.newBuilder()
                .setTabletAlias(ProtoConversions.toProto(LOW_REPLICA)).setDbType(TabletType.DRAINED).build());
        gate = startGate();
        GateProcess g = gate;
        TabletTesting.await("the gate sees the restored tablet as the only healthy -80 replica", WAIT,
                () -> g.status().tablets().stream().filter(t -> t.healthy()
                        && t.target().getTabletType() == TabletType.REPLICA
                        && t.target().getShard().equals("-80")).count() == 1);
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:mysql://127.0.0.1:"
                + gate.mysqlPort() + "/?user=app&password=&useSSL=false&allowPublicKeyRetrieval=true"
                + "&connectTimeout=10000&socketTimeout=30000");
             java.sql.Statement st = c.createStatement()) {
            st.execute("USE `customer/-80@replica`");
            try (java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*), MIN(id), MAX(id) FROM customer")) {
                assertTrue(rs.next());
                assertEquals(BACKUP_ROWS + LATER_ROWS + 1, rs.getInt(1));
                assertEquals(1, rs.getInt(2));
                assertEquals(BACKUP_ROWS + LATER_ROWS + 1, rs.getInt(3));
            }
        }

        // The tablet manager refuses to back the primary up without allow_primary.
        io.grpc.StatusRuntimeException refused = org.junit.jupiter.api.Assertions.assertThrows(
                io.grpc.StatusRuntimeException.class, () -> ctld.backup(dev.mosaic.proto.vtctldata.BackupRequest
                        .newBuilder().setTabletAlias(ProtoConversions.toProto(LOW_PRIMARY)).build()).hasNext());
        assertEquals(io.grpc.Status.Code.FAILED_PRECONDITION, refused.getStatus().getCode());
        assertTrue(refused.getStatus().getDescription().contains("--allow-primary"), refused.getStatus().toString());

        // RestoreFromBackup on the running new tablet: RESTORE, restored, replicating, REPLICA again.
        insert(LOW_PRIMARY, BACKUP_ROWS + LATER_ROWS + 2, 1);
        t0 = System.nanoTime();
        List<dev.mosaic.proto.vtctldata.RestoreFromBackupResponse> restoreEvents = new ArrayList<>();
        ctld.restoreFromBackup(dev.mosaic.proto.vtctldata.RestoreFromBackupRequest.newBuilder()
                .setTabletAlias(ProtoConversions.toProto(LOW_NEW)).build()).forEachRemaining(restoreEvents::add);
        long restoreMs = ms(t0);
        BackupEvent restored = restoreEvents.get(restoreEvents.size() - 1).getEvent();
        assertEquals(BackupEvent.Kind.FINISHED, restored.getKind(), restoreEvents.toString());
        assertEquals(finished.getName(), restored.getName());
        assertEquals(TabletType.REPLICA, topo.getTablet(LOW_NEW).value().getType());
        TabletTesting.await("the tablet restored by RestoreFromBackup catches up", WAIT,
                () -> count(LOW_NEW) == BACKUP_ROWS + LATER_ROWS + 2);
        System.out.printf("[%s] RestoreFromBackup of a running tablet: %d ms, %d events%n", engine(), restoreMs,
                restoreEvents.size());

        // RemoveBackup removes it.
        ctld.removeBackup(RemoveBackupRequest.newBuilder().setKeyspace("customer").setShard("-80")
                .setName(finished.getName()).build());
        assertEquals(0, ctld.getBackups(GetBackupsRequest.newBuilder().setKeyspace("customer").setShard("-80")
                .build()).getBackupsCount());
    }

    // ---- helpers ------------------------------------------------------------------------------

    private GateProcess startGate() {
        String yaml = String.join("\n",
                "topo:",
                "  type: memory",
                "  global-server-address: " + cluster,
                "  refresh-interval: 200ms",
                "cell: zone1",
                "gateway:",
                "  tablet-refresh-interval: 300ms",
                "  healthcheck-timeout: 5s",
                "mysql:",
                "  bind-address: 127.0.0.1",
                "  port: 0",
                "status: {bind-address: 127.0.0.1, port: 0}",
                "");
        GateServerConfig config = new GateServerConfigLoader(plugins).parse(yaml, "gate.yaml");
        return GateProcess.start(config, plugins, System.err);
    }

    private String attached(TabletAlias alias, String shard, int mysqld) {
        return String.join("\n",
                common(alias, shard),
                "ports:",
                "  grpc: 0",
                "  status: 0",
                "  mysql: " + mysqlds.get(mysqld).connectionParams().port(),
                "mysqld:",
                "  mode: attached",
                "  host: 127.0.0.1",
                "  user: root",
                "  password: \"\"",
                "");
    }

    private String managed(TabletAlias alias, String shard) {
        return String.join("\n",
                common(alias, shard),
                "ports:",
                "  grpc: 0",
                "  status: 0",
                "  mysql: " + MysqldCluster.freePort(),
                "mysqld:",
                "  mode: managed",
                "  root: " + dir.resolve("managed"),
                "  start-timeout: 2m",
                "restore-from-backup: true",
                "");
    }

    private String common(TabletAlias alias, String shard) {
        return String.join("\n",
                "tablet:",
                "  alias: " + alias,
                "  keyspace: customer",
                "  shard: \"" + shard + "\"",
                "  type: replica",
                "  hostname: localhost",
                "topo:",
                "  type: memory",
                "  global-server-address: " + cluster,
                "query:",
                "  db:",
                "    name: vt_customer",
                "  pool:",
                "    query:",
                "      size: 2",
                "    stream.size: 2",
                "    tx.size: 2",
                "health:",
                "  interval: 200ms",
                "backup:",
                "  engine: " + engine(),
                "  storage:",
                "    type: file",
                "    root: " + dir.resolve("backups"));
    }

    private TabletProcess startTablet(String yaml) throws Exception {
        Path file = Files.createTempFile(dir, "tablet", ".yaml");
        Files.writeString(file, yaml);
        return TabletProcess.start(TabletProcess.loadConfig(file));
    }

    private void initShardPrimary(String shard, TabletAlias elect) {
        ctld.initShardPrimary(InitShardPrimaryRequest.newBuilder().setKeyspace("customer").setShard(shard)
                .setPrimaryElectTabletAlias(ProtoConversions.toProto(elect))
                .setWaitReplicasTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(30)).build());
    }

    private void insert(TabletAlias primary, int from, int n) {
        StringBuilder sql = new StringBuilder("INSERT INTO customer (id, name) VALUES ");
        for (int i = from; i < from + n; i++) {
            sql.append(i == from ? "" : ", ").append('(').append(i).append(", 'row-").append(i).append("')");
        }
        dba(primary, sql.toString());
    }

    private int count(TabletAlias tablet) {
        try {
            return Integer.parseInt(column(dba(tablet, "SELECT COUNT(*) FROM customer"), 1).get(0));
        } catch (RuntimeException e) {
            return -1; // not there yet (table not replicated, tablet restarting): the caller waits
        }
    }

    private QueryResult dba(TabletAlias tablet, String sql) {
        return ctld.executeFetchAsDBA(ExecuteFetchAsDBARequest.newBuilder()
                .setTabletAlias(ProtoConversions.toProto(tablet)).setQuery(sql).build()).getResult();
    }

    private static List<String> column(QueryResult r, int columns) {
        List<String> out = new ArrayList<>();
        for (var row : r.getRowsList()) {
            List<byte[]> values = Rows.decode(row);
            for (int i = 0; i < columns; i++) {
                out.add(values.get(i) == null ? null : new String(values.get(i), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static long ms(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }
}
