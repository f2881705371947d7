package dev.mosaic.server.ctld;

import dev.mosaic.proto.vtctldata.AddCellInfoRequest;
import dev.mosaic.proto.vtctldata.AddCellInfoResponse;
import dev.mosaic.proto.vtctldata.ApplyRoutingRulesRequest;
import dev.mosaic.proto.vtctldata.ApplyRoutingRulesResponse;
import dev.mosaic.proto.vtctldata.ApplySchemaRequest;
import dev.mosaic.proto.vtctldata.ApplySchemaResponse;
import dev.mosaic.proto.vtctldata.ApplyVSchemaRequest;
import dev.mosaic.proto.vtctldata.ApplyVSchemaResponse;
import dev.mosaic.proto.vtctldata.BackupRequest;
import dev.mosaic.proto.vtctldata.BackupResponse;
import dev.mosaic.proto.vtctldata.BackupShardRequest;
import dev.mosaic.proto.vtctldata.ChangeTabletTypeRequest;
import dev.mosaic.proto.vtctldata.ChangeTabletTypeResponse;
import dev.mosaic.proto.vtctldata.CreateKeyspaceRequest;
import dev.mosaic.proto.vtctldata.CreateKeyspaceResponse;
import dev.mosaic.proto.vtctldata.CreateShardRequest;
import dev.mosaic.proto.vtctldata.CreateShardResponse;
import dev.mosaic.proto.vtctldata.DeleteKeyspaceRequest;
import dev.mosaic.proto.vtctldata.DeleteKeyspaceResponse;
import dev.mosaic.proto.vtctldata.DeleteShardsRequest;
import dev.mosaic.proto.vtctldata.DeleteShardsResponse;
import dev.mosaic.proto.vtctldata.ExecuteFetchAsDBARequest;
import dev.mosaic.proto.vtctldata.ExecuteFetchAsDBAResponse;
import dev.mosaic.proto.vtctldata.GetBackupsRequest;
import dev.mosaic.proto.vtctldata.GetBackupsResponse;
import dev.mosaic.proto.vtctldata.GetCellInfoNamesRequest;
import dev.mosaic.proto.vtctldata.GetCellInfoNamesResponse;
import dev.mosaic.proto.vtctldata.GetCellInfoRequest;
import dev.mosaic.proto.vtctldata.GetCellInfoResponse;
import dev.mosaic.proto.vtctldata.GetClusterStatusRequest;
import dev.mosaic.proto.vtctldata.GetClusterStatusResponse;
import dev.mosaic.proto.vtctldata.GetKeyspaceRequest;
import dev.mosaic.proto.vtctldata.GetKeyspaceResponse;
import dev.mosaic.proto.vtctldata.GetKeyspacesRequest;
import dev.mosaic.proto.vtctldata.GetKeyspacesResponse;
import dev.mosaic.proto.vtctldata.GetRoutingRulesRequest;
import dev.mosaic.proto.vtctldata.GetRoutingRulesResponse;
import dev.mosaic.proto.vtctldata.GetSchemaRequest;
import dev.mosaic.proto.vtctldata.GetSchemaResponse;
import dev.mosaic.proto.vtctldata.GetShardRequest;
import dev.mosaic.proto.vtctldata.GetShardResponse;
import dev.mosaic.proto.vtctldata.GetTabletRequest;
import dev.mosaic.proto.vtctldata.GetTabletResponse;
import dev.mosaic.proto.vtctldata.GetTabletsRequest;
import dev.mosaic.proto.vtctldata.GetTabletsResponse;
import dev.mosaic.proto.vtctldata.GetVSchemaRequest;
import dev.mosaic.proto.vtctldata.GetVSchemaResponse;
import dev.mosaic.proto.vtctldata.InitShardPrimaryRequest;
import dev.mosaic.proto.vtctldata.InitShardPrimaryResponse;
import dev.mosaic.proto.vtctldata.InitializeSequencesRequest;
import dev.mosaic.proto.vtctldata.InitializeSequencesResponse;
import dev.mosaic.proto.vtctldata.RebuildKeyspaceGraphRequest;
import dev.mosaic.proto.vtctldata.RebuildKeyspaceGraphResponse;
import dev.mosaic.proto.vtctldata.RebuildVSchemaGraphRequest;
import dev.mosaic.proto.vtctldata.RebuildVSchemaGraphResponse;
import dev.mosaic.proto.vtctldata.RemoveBackupRequest;
import dev.mosaic.proto.vtctldata.RemoveBackupResponse;
import dev.mosaic.proto.vtctldata.RestoreFromBackupRequest;
import dev.mosaic.proto.vtctldata.RestoreFromBackupResponse;
import dev.mosaic.proto.vtctldata.VtctldGrpc;
import dev.mosaic.server.backup.Backups;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.backup.BackupStorage;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The control daemon's management API (Vitess's {@code vtctlservice.Vtctld}) over the topology
 * and the tablets. Each verb lives in a class of its own room (topology records, vschema, tablet
 * calls, schema changes, primary initialization, sequences, cluster status); this class only
 * routes gRPC calls to them and turns their errors into statuses (see {@link CtldErrors}).
 *
 * <p>Mutating verbs take the keyspace or shard lock of what they change, can be repeated, and
 * order their writes so that an interrupted call leaves a valid topology. Verbs run on the
 * server's executor threads and block on the topology and on tablets; every tablet call carries
 * the deadline of {@link TabletManagerClients}. Thread-safe.
 */
public class VtctldService extends VtctldGrpc.VtctldImplBase {
    /** How long GetClusterStatus waits for a tablet's first health message. */
    public static final Duration HEALTH_PROBE_DEADLINE = Duration.ofSeconds(2);

    private final TopologyReads reads;
    private final TopologyVerbs topology;
    private final VSchemaVerbs vschemas;
    private final TabletVerbs tabletVerbs;
    private final SchemaChange schemaChange;
    private final ShardPrimaryInit primaryInit;
    private final SequenceInitializer sequences;
    private final ClusterStatusProbe clusterStatus;
    private final BackupVerbs backupVerbs;
    private final ThrottlerVerbs throttler;

    /**
     * A service writing to {@code topo} and reaching tablets through {@code tablets} (it owns
     * neither), with the vindex and durability plugins found on this class's class loader.
     */
    public VtctldService(TopoServer topo, TabletManagerClients tablets) {
        this(topo, tablets, Plugins.load(VtctldService.class.getClassLoader()));
    }

    /** A service validating vindex types and durability policies against {@code plugins}. */
    public VtctldService(TopoServer topo, TabletManagerClients tablets, Plugins plugins) {
        this(topo, tablets, plugins, Optional.empty());
    }

    /**
     * A service that also lists and removes backups in {@code backupStorage} (it does not own
     * it); without one, GetBackups and RemoveBackup fail with FAILED_PRECONDITION. Backup and
     * RestoreFromBackup are the tablets' work and need no storage here.
     */
    public VtctldService(TopoServer topo, TabletManagerClients tablets, Plugins plugins,
            Optional<BackupStorage> backupStorage) {
        Objects.requireNonNull(topo, "topo");
        Objects.requireNonNull(tablets, "tablets");
        Objects.requireNonNull(plugins, "plugins");
        this.reads = new TopologyReads(topo);
        this.topology = new TopologyVerbs(reads, plugins);
        this.vschemas = new VSchemaVerbs(reads, topology, plugins);
        Durability durability = new Durability(reads, plugins);
        this.tabletVerbs = new TabletVerbs(reads, tablets, durability);
        this.schemaChange = new SchemaChange(reads, tablets);
        this.primaryInit = new ShardPrimaryInit(reads, tablets, durability);
        this.sequences = new SequenceInitializer(reads, tablets);
        Duration probe = tablets.callTimeout().compareTo(HEALTH_PROBE_DEADLINE) < 0
                ? tablets.callTimeout() : HEALTH_PROBE_DEADLINE;
        this.clusterStatus = new ClusterStatusProbe(reads, tablets, probe);
        // Listing and removing need no engine: the framework is asked for none.
        this.backupVerbs = new BackupVerbs(reads, tablets, backupStorage.map(s -> new Backups(s, name -> {
            throw CtldErrors.error(dev.mosaic.api.error.ErrorCode.UNIMPLEMENTED,
                    "ctld runs no backup engine (" + name + "); tablets take and restore backups");
        })));
        this.throttler = new ThrottlerVerbs(reads, tablets, java.time.Clock.systemUTC());
    }

    // ---- throttler (issue 9) -------------------------------------------------------------------

    @Override
    public void updateThrottlerConfig(dev.mosaic.proto.vtctldata.UpdateThrottlerConfigRequest req,
            StreamObserver<dev.mosaic.proto.vtctldata.UpdateThrottlerConfigResponse> out) {
        CtldErrors.answer(out, () -> throttler.update(req));
    }

    @Override
    public void checkThrottler(dev.mosaic.proto.vtctldata.CheckThrottlerRequest req,
            StreamObserver<dev.mosaic.proto.vtctldata.CheckThrottlerResponse> out) {
        CtldErrors.answer(out, () -> throttler.check(req));
    }

    @Override
    public void getThrottlerStatus(dev.mosaic.proto.vtctldata.GetThrottlerStatusRequest req,
            StreamObserver<dev.mosaic.proto.vtctldata.GetThrottlerStatusResponse> out) {
        CtldErrors.answer(out, () -> throttler.status(req));
    }

    // ---- topology -----------------------------------------------------------------------------

    @Override
    public void addCellInfo(AddCellInfoRequest req, StreamObserver<AddCellInfoResponse> out) {
        CtldErrors.answer(out, () -> topology.addCellInfo(req));
    }

    @Override
    public void getCellInfo(GetCellInfoRequest req, StreamObserver<GetCellInfoResponse> out) {
        CtldErrors.answer(out, () -> topology.getCellInfo(req));
    }

    @Override
    public void getCellInfoNames(GetCellInfoNamesRequest req, StreamObserver<GetCellInfoNamesResponse> out) {
        CtldErrors.answer(out, topology::getCellInfoNames);
    }

    @Override
    public void createKeyspace(CreateKeyspaceRequest req, StreamObserver<CreateKeyspaceResponse> out) {
        CtldErrors.answer(out, () -> topology.createKeyspace(req));
    }

    @Override
    public void deleteKeyspace(DeleteKeyspaceRequest req, StreamObserver<DeleteKeyspaceResponse> out) {
        CtldErrors.answer(out, () -> {
            topology.deleteKeyspace(req);
            return DeleteKeyspaceResponse.getDefaultInstance();
        });
    }

    @Override
    public void createShard(CreateShardRequest req, StreamObserver<CreateShardResponse> out) {
        CtldErrors.answer(out, () -> topology.createShard(req));
    }

    @Override
    public void deleteShards(DeleteShardsRequest req, StreamObserver<DeleteShardsResponse> out) {
        CtldErrors.answer(out, () -> {
            topology.deleteShards(req);
            return DeleteShardsResponse.getDefaultInstance();
        });
    }

    @Override
    public void getKeyspace(GetKeyspaceRequest req, StreamObserver<GetKeyspaceResponse> out) {
        CtldErrors.answer(out, () -> GetKeyspaceResponse.newBuilder()
                .setKeyspace(TopologyVerbs.keyspaceMessage(req.getKeyspace(), reads.keyspace(req.getKeyspace())))
                .build());
    }

    @Override
    public void getKeyspaces(GetKeyspacesRequest req, StreamObserver<GetKeyspacesResponse> out) {
        CtldErrors.answer(out, () -> {
            GetKeyspacesResponse.Builder b = GetKeyspacesResponse.newBuilder();
            for (String ks : reads.topo().getKeyspaceNames()) {
                reads.findKeyspace(ks).ifPresent(k -> b.addKeyspaces(TopologyVerbs.keyspaceMessage(ks, k)));
            }
            return b.build();
        });
    }

    @Override
    public void getShard(GetShardRequest req, StreamObserver<GetShardResponse> out) {
        CtldErrors.answer(out, () -> GetShardResponse.newBuilder().setShard(TopologyVerbs.shardMessage(
                req.getKeyspace(), req.getShardName(), reads.shard(req.getKeyspace(), req.getShardName()).value()))
                .build());
    }

    @Override
    public void getTablets(GetTabletsRequest req, StreamObserver<GetTabletsResponse> out) {
        CtldErrors.answer(out, () -> GetTabletsResponse.newBuilder().addAllTablets(topology.getTablets(req)).build());
    }

    @Override
    public void getTablet(GetTabletRequest req, StreamObserver<GetTabletResponse> out) {
        CtldErrors.answer(out, () -> GetTabletResponse.newBuilder().setTablet(reads.tablet(req.getTabletAlias()))
                .build());
    }

    @Override
    public void rebuildKeyspaceGraph(RebuildKeyspaceGraphRequest req, StreamObserver<RebuildKeyspaceGraphResponse> out) {
        CtldErrors.answer(out, () -> {
            topology.rebuildKeyspaceGraph(req.getKeyspace(), req.getCellsList(), req.getAllowPartial());
            return RebuildKeyspaceGraphResponse.getDefaultInstance();
        });
    }

    @Override
    public void rebuildVSchemaGraph(RebuildVSchemaGraphRequest req, StreamObserver<RebuildVSchemaGraphResponse> out) {
        CtldErrors.answer(out, () -> {
            topology.rebuildVSchemaGraph(req.getCellsList());
            return RebuildVSchemaGraphResponse.getDefaultInstance();
        });
    }

    // ---- vschema and routing rules ------------------------------------------------------------

    @Override
    public void applyVSchema(ApplyVSchemaRequest req, StreamObserver<ApplyVSchemaResponse> out) {
        CtldErrors.answer(out, () -> vschemas.applyVSchema(req));
    }

    @Override
    public void getVSchema(GetVSchemaRequest req, StreamObserver<GetVSchemaResponse> out) {
        CtldErrors.answer(out, () -> GetVSchemaResponse.newBuilder()
                .setVSchemaJson(vschemas.getVSchema(req.getKeyspace())).build());
    }

    @Override
    public void applyRoutingRules(ApplyRoutingRulesRequest req, StreamObserver<ApplyRoutingRulesResponse> out) {
        CtldErrors.answer(out, () -> {
            vschemas.applyRoutingRules(req);
            return ApplyRoutingRulesResponse.getDefaultInstance();
        });
    }

    @Override
    public void getRoutingRules(GetRoutingRulesRequest req, StreamObserver<GetRoutingRulesResponse> out) {
        CtldErrors.answer(out, () -> GetRoutingRulesResponse.newBuilder()
                .setRoutingRules(reads.topo().getRoutingRules()).build());
    }

    // ---- tablets ------------------------------------------------------------------------------

    @Override
    public void getSchema(GetSchemaRequest req, StreamObserver<GetSchemaResponse> out) {
        CtldErrors.answer(out, () -> tabletVerbs.getSchema(req));
    }

    @Override
    public void executeFetchAsDBA(ExecuteFetchAsDBARequest req, StreamObserver<ExecuteFetchAsDBAResponse> out) {
        CtldErrors.answer(out, () -> tabletVerbs.executeFetchAsDba(req));
    }

    @Override
    public void changeTabletType(ChangeTabletTypeRequest req, StreamObserver<ChangeTabletTypeResponse> out) {
        CtldErrors.answer(out, () -> tabletVerbs.changeTabletType(req));
    }

    @Override
    public void applySchema(ApplySchemaRequest req, StreamObserver<ApplySchemaResponse> out) {
        CtldErrors.answer(out, () -> schemaChange.apply(req));
    }

    @Override
    public void initShardPrimary(InitShardPrimaryRequest req, StreamObserver<InitShardPrimaryResponse> out) {
        CtldErrors.answer(out, () -> primaryInit.init(req));
    }

    // ---- Mosaic additions ---------------------------------------------------------------------

    @Override
    public void initializeSequences(InitializeSequencesRequest req, StreamObserver<InitializeSequencesResponse> out) {
        CtldErrors.answer(out, () -> sequences.initialize(req));
    }

    @Override
    public void getClusterStatus(GetClusterStatusRequest req, StreamObserver<GetClusterStatusResponse> out) {
        CtldErrors.answer(out, clusterStatus::status);
    }

    // ---- backups (backup-serve) ---------------------------------------------------------------

    @Override
    public void backup(BackupRequest req, StreamObserver<BackupResponse> out) {
        streamed(out, () -> backupVerbs.backup(req, out::onNext));
    }

    @Override
    public void backupShard(BackupShardRequest req, StreamObserver<BackupResponse> out) {
        streamed(out, () -> backupVerbs.backupShard(req, out::onNext));
    }

    @Override
    public void getBackups(GetBackupsRequest req, StreamObserver<GetBackupsResponse> out) {
        CtldErrors.answer(out, () -> backupVerbs.getBackups(req));
    }

    @Override
    public void removeBackup(RemoveBackupRequest req, StreamObserver<RemoveBackupResponse> out) {
        CtldErrors.answer(out, () -> {
            backupVerbs.removeBackup(req);
            return RemoveBackupResponse.getDefaultInstance();
        });
    }

    @Override
    public void restoreFromBackup(RestoreFromBackupRequest req, StreamObserver<RestoreFromBackupResponse> out) {
        streamed(out, () -> backupVerbs.restoreFromBackup(req, out::onNext));
    }

    /** Runs a server-streaming verb whose messages went out as it ran; completes or fails the stream. */
    private static void streamed(StreamObserver<?> out, Runnable verb) {
        try {
            verb.run();
        } catch (RuntimeException e) {
            out.onError(CtldErrors.toStatus(e));
            return;
        }
        out.onCompleted();
    }
}
