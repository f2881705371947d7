package dev.mosaic.server.ctld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.proto.tabletmanager.BackupEvent;
import dev.mosaic.proto.tabletmanager.ReplicationState;
import dev.mosaic.proto.tabletmanager.ReplicationStatus;
import dev.mosaic.proto.tabletmanager.ReplicationStatusRequest;
import dev.mosaic.proto.tabletmanager.ReplicationStatusResponse;
import dev.mosaic.proto.tabletmanager.TabletManagerGrpc;
import dev.mosaic.proto.topo.CellInfo;
import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.proto.vtctldata.BackupRequest;
import dev.mosaic.proto.vtctldata.BackupResponse;
import dev.mosaic.proto.vtctldata.BackupShardRequest;
import dev.mosaic.proto.vtctldata.CreateKeyspaceRequest;
import dev.mosaic.proto.vtctldata.CreateShardRequest;
import dev.mosaic.proto.vtctldata.GetBackupsRequest;
import dev.mosaic.proto.vtctldata.RemoveBackupRequest;
import dev.mosaic.proto.vtctldata.RestoreFromBackupRequest;
import dev.mosaic.proto.vtctldata.RestoreFromBackupResponse;
import dev.mosaic.proto.vtctldata.VtctldGrpc;
import dev.mosaic.server.topo.ProtoConversions;
import dev.mosaic.server.topo.TopoConnector;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.spi.PluginKind;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.backup.BackupStorage;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup, BackupShard, RestoreFromBackup, GetBackups and RemoveBackup of the Vtctld service, with
 * in-process tablet managers standing in for tablets (each answers ReplicationStatus with the lag
 * the test gives it and streams a backup's events as a tablet does) and a real file storage.
 */
class BackupVerbsTest {
    private static final Plugins PLUGINS = Plugins.load(BackupVerbsTest.class.getClassLoader());

    /** A tablet manager that reports a replication state and streams two events per backup or restore. */
    static final class FakeTablet extends TabletManagerGrpc.TabletManagerImplBase {
        final String alias;
        volatile boolean replicating = true;
        volatile int lag;
        final List<dev.mosaic.proto.tabletmanager.BackupRequest> backups = new ArrayList<>();
        final List<dev.mosaic.proto.tabletmanager.RestoreFromBackupRequest> restores = new ArrayList<>();

        FakeTablet(String alias) {
            this.alias = alias;
        }

        @Override
        public void replicationStatus(ReplicationStatusRequest request,
                StreamObserver<ReplicationStatusResponse> observer) {
            ReplicationState s = replicating ? ReplicationState.RUNNING : ReplicationState.STOPPED;
            observer.onNext(ReplicationStatusResponse.newBuilder().setStatus(ReplicationStatus.newBuilder()
                    .setIoState(s).setSqlState(s).setReplicationLagSeconds(lag)).build());
            observer.onCompleted();
        }

        @Override
        public void backup(dev.mosaic.proto.tabletmanager.BackupRequest request,
                StreamObserver<dev.mosaic.proto.tabletmanager.BackupResponse> observer) {
            synchronized (backups) {
                backups.add(request);
            }
            for (BackupEvent e : events("backup")) {
                observer.onNext(dev.mosaic.proto.tabletmanager.BackupResponse.newBuilder().setEvent(e).build());
            }
            observer.onCompleted();
        }

        @Override
        public void restoreFromBackup(dev.mosaic.proto.tabletmanager.RestoreFromBackupRequest request,
                StreamObserver<dev.mosaic.proto.tabletmanager.RestoreFromBackupResponse> observer) {
            synchronized (restores) {
                restores.add(request);
            }
            observer.onError(Status.FAILED_PRECONDITION.withDescription("tablet " + alias
                    + " is PRIMARY: type PRIMARY cannot restore from backup").asRuntimeException());
        }

        private List<BackupEvent> events(String what) {
            return List.of(BackupEvent.newBuilder().setKind(BackupEvent.Kind.STARTED).setName("n." + alias)
                            .setValue(what + " started").build(),
                    BackupEvent.newBuilder().setKind(BackupEvent.Kind.FINISHED).setName("n." + alias)
                            .setValue(what + " done").build());
        }
    }

    private final String cluster = "backup-verbs-" + UUID.randomUUID();
    private final Map<Integer, Server> tabletServers = new ConcurrentHashMap<>();
    private final Map<Integer, FakeTablet> fakes = new ConcurrentHashMap<>();
    private TopoServer topo;
    private TabletManagerClients clients;
    private BackupStorage storage;
    private Server server;
    private ManagedChannel channel;
    private VtctldGrpc.VtctldBlockingStub ctld;
    private VtctldGrpc.VtctldBlockingStub ctldWithoutStorage;
    private Server serverWithoutStorage;
    private ManagedChannel channelWithoutStorage;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        TopoConnector connector = new TopoConnector(PLUGINS);
        topo = connector.openServer(connector.target("memory:" + cluster, Map.of()), TopoServer.Options.defaults());
        topo.createCellInfo("zone1", CellInfo.newBuilder().setServerAddress(cluster + "-zone1").build());
        // Tablet "host:port" is the name of an in-process server holding that tablet's fake.
        clients = new TabletManagerClients(Duration.ofSeconds(5),
                (host, port) -> InProcessChannelBuilder.forName(cluster + "-" + port).directExecutor().build());
        storage = PLUGINS.create(PluginKind.BACKUP_STORAGE, "file", "test", Map.of("root", dir.toString()));
        server = InProcessServerBuilder.forName(cluster).directExecutor()
                .addService(new VtctldService(topo, clients, PLUGINS, Optional.of(storage))).build().start();
        channel = InProcessChannelBuilder.forName(cluster).directExecutor().build();
        ctld = VtctldGrpc.newBlockingStub(channel);
        serverWithoutStorage = InProcessServerBuilder.forName(cluster + "-nostorage").directExecutor()
                .addService(new VtctldService(topo, clients, PLUGINS)).build().start();
        channelWithoutStorage = InProcessChannelBuilder.forName(cluster + "-nostorage").directExecutor().build();
        ctldWithoutStorage = VtctldGrpc.newBlockingStub(channelWithoutStorage);
        ctld.createKeyspace(CreateKeyspaceRequest.newBuilder().setName("customer").build());
        ctld.createShard(CreateShardRequest.newBuilder().setKeyspace("customer").setShardName("-80").build());
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow();
        channelWithoutStorage.shutdownNow();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        serverWithoutStorage.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        for (Server s : tabletServers.values()) {
            s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        clients.close();
        storage.close();
        topo.close();
    }

    private FakeTablet tablet(int uid, TabletType type, int lag) throws Exception {
        FakeTablet fake = new FakeTablet("zone1-" + uid);
        fake.lag = lag;
        tabletServers.put(uid, InProcessServerBuilder.forName(cluster + "-" + uid).directExecutor()
                .addService(fake).build().start());
        fakes.put(uid, fake);
        topo.createTablet(Tablet.newBuilder().setAlias(alias(uid)).setHostname("fake").putPortMap("grpc", uid)
                .setKeyspace("customer").setShard("-80").setType(type).build());
        return fake;
    }

    private static dev.mosaic.proto.topo.TabletAlias alias(int uid) {
        return ProtoConversions.toProto(new TabletAlias("zone1", uid));
    }

    private List<BackupResponse> backupShard(boolean allowPrimary) {
        List<BackupResponse> out = new ArrayList<>();
        ctld.backupShard(BackupShardRequest.newBuilder().setKeyspace("customer").setShard("-80")
                .setAllowPrimary(allowPrimary).setConcurrency(3).build()).forEachRemaining(out::add);
        return out;
    }

    private static StatusRuntimeException assertStatus(Status.Code code, String fragment, Runnable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(code, e.getStatus().getCode(), "code of: " + e.getStatus());
        assertTrue(String.valueOf(e.getStatus().getDescription()).contains(fragment),
                "expected \"" + fragment + "\" in: " + e.getStatus().getDescription());
        return e;
    }

    @Test
    void backupStreamsTheTabletsEventsWithItsAliasAndPassesTheFlags() throws Exception {
        FakeTablet t = tablet(101, TabletType.REPLICA, 0);
        List<BackupResponse> out = new ArrayList<>();
        ctld.backup(BackupRequest.newBuilder().setTabletAlias(alias(101)).setAllowPrimary(true).setConcurrency(7)
                .build()).forEachRemaining(out::add);
        assertEquals(List.of(BackupEvent.Kind.STARTED, BackupEvent.Kind.FINISHED),
                out.stream().map(r -> r.getEvent().getKind()).toList());
        for (BackupResponse r : out) {
            assertEquals(alias(101), r.getTabletAlias());
            assertEquals("customer", r.getKeyspace());
            assertEquals("-80", r.getShard());
        }
        assertEquals(1, t.backups.size());
        assertTrue(t.backups.get(0).getAllowPrimary());
        assertEquals(7, t.backups.get(0).getConcurrency());
    }

    @Test
    void backupShardChoosesTheLeastLaggingReplicatingNonPrimary() throws Exception {
        tablet(100, TabletType.PRIMARY, 0);
        tablet(101, TabletType.REPLICA, 30);
        tablet(102, TabletType.RDONLY, 2);
        FakeTablet stopped = tablet(103, TabletType.REPLICA, 0);
        stopped.replicating = false;
        tablet(104, TabletType.DRAINED, 0);
        List<BackupResponse> out = backupShard(false);
        assertEquals(alias(102), out.get(0).getTabletAlias(), "RDONLY with 2s lag beats REPLICA with 30s");
        assertEquals(1, fakes.get(102).backups.size());
        assertEquals(3, fakes.get(102).backups.get(0).getConcurrency());
        for (int uid : List.of(100, 101, 103, 104)) {
            assertEquals(0, fakes.get(uid).backups.size(), "zone1-" + uid + " was not backed up");
        }
    }

    @Test
    void backupShardUsesThePrimaryOnlyWithAllowPrimaryAndNoOtherChoice() throws Exception {
        tablet(100, TabletType.PRIMARY, 0);
        tablet(101, TabletType.REPLICA, 0).replicating = false;
        StatusRuntimeException e = assertStatus(Status.Code.FAILED_PRECONDITION, "no tablet available for backup",
                () -> backupShard(false));
        assertTrue(e.getStatus().getDescription().contains("zone1-0000000101 (replication is not running)"),
                e.getStatus().getDescription());
        assertEquals(alias(100), backupShard(true).get(0).getTabletAlias());
        assertTrue(fakes.get(100).backups.get(0).getAllowPrimary());
    }

    @Test
    void restoreFromBackupPassesTheTimeAndKeepsTheTabletsError() throws Exception {
        FakeTablet t = tablet(100, TabletType.PRIMARY, 0);
        var time = com.google.protobuf.Timestamp.newBuilder().setSeconds(1_800_000_000L).build();
        StatusRuntimeException e = assertStatus(Status.Code.FAILED_PRECONDITION,
                "tablet zone1-0000000100 RestoreFromBackup: tablet zone1-100 is PRIMARY", () -> {
                    List<RestoreFromBackupResponse> out = new ArrayList<>();
                    ctld.restoreFromBackup(RestoreFromBackupRequest.newBuilder().setTabletAlias(alias(100))
                            .setBackupTime(time).build()).forEachRemaining(out::add);
                });
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
        assertEquals(time, t.restores.get(0).getBackupTime());
        assertStatus(Status.Code.NOT_FOUND, "zone1-0000000999 not found", () -> ctld.restoreFromBackup(
                RestoreFromBackupRequest.newBuilder().setTabletAlias(alias(999)).build()).hasNext());
    }

    @Test
    void getBackupsAndRemoveBackupReadCtldsStorage() {
        assertEquals(0, ctld.getBackups(GetBackupsRequest.newBuilder().setKeyspace("customer").setShard("-80")
                .setDetailed(true).build()).getBackupsCount());
        assertStatus(Status.Code.INVALID_ARGUMENT, "shard name is required",
                () -> ctld.getBackups(GetBackupsRequest.newBuilder().setKeyspace("customer").build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "backup name is required", () -> ctld.removeBackup(
                RemoveBackupRequest.newBuilder().setKeyspace("customer").setShard("-80").build()));
        assertStatus(Status.Code.NOT_FOUND, "2026-01-01.000000.zone1-0000000101", () -> ctld.removeBackup(
                RemoveBackupRequest.newBuilder().setKeyspace("customer").setShard("-80")
                        .setName("2026-01-01.000000.zone1-0000000101").build()));
    }

    @Test
    void withoutABackupStorageListingAndRemovingAreRefused() {
        assertStatus(Status.Code.FAILED_PRECONDITION, "no backup storage configured", () -> ctldWithoutStorage
                .getBackups(GetBackupsRequest.newBuilder().setKeyspace("customer").setShard("-80").build()));
        assertStatus(Status.Code.FAILED_PRECONDITION, "no backup storage configured", () -> ctldWithoutStorage
                .removeBackup(RemoveBackupRequest.newBuilder().setKeyspace("customer").setShard("-80").setName("x")
                        .build()));
    }
}
