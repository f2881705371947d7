package dev.mosaic.server.local;

import com.google.protobuf.Duration;
import dev.mosaic.proto.topo.TabletAlias;
import dev.mosaic.proto.vtctldata.ApplySchemaRequest;
import dev.mosaic.proto.vtctldata.ApplySchemaResponse;
import dev.mosaic.proto.vtctldata.ApplyVSchemaRequest;
import dev.mosaic.proto.vtctldata.CreateKeyspaceRequest;
import dev.mosaic.proto.vtctldata.GetShardRequest;
import dev.mosaic.proto.vtctldata.InitShardPrimaryRequest;
import dev.mosaic.proto.vtctldata.InitializeSequencesRequest;
import dev.mosaic.proto.vtctldata.InitializeSequencesResponse;
import dev.mosaic.proto.vtctldata.RebuildKeyspaceGraphRequest;
import dev.mosaic.proto.vtctldata.RebuildVSchemaGraphRequest;
import dev.mosaic.proto.vtctldata.SequenceState;
import dev.mosaic.proto.vtctldata.ShardSchemaResult;
import dev.mosaic.proto.vtctldata.VtctldGrpc;
import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Brings the cluster to the end state of Vitess's local walkthrough through ctld's gRPC API, as an
 * operator with {@code mosaic ctl} would: keyspaces, a primary per shard, schemas, vschemas,
 * sequences, the serving graph. Every step is idempotent, so {@code up} on a data directory that
 * holds a cluster already changes nothing that exists.
 */
final class WalkthroughSetup {
    /** Each call's deadline: InitShardPrimary waits for replicas, ApplySchema for every primary. */
    private static final long CALL_SECONDS = 120;
    /** How many ids a gate reserves per round trip to a sequence's row (Vitess's example uses 100 too). */
    private static final long SEQUENCE_CACHE = 100;

    private final VtctldGrpc.VtctldBlockingStub ctld;
    private final ClusterLayout layout;
    private final Consumer<String> progress;
    private final Runnable primariesInitialized;

    /**
     * @param primariesInitialized runs once every shard has its primary: from then on the mysqlds
     *     must never be initialized as primaries again
     */
    WalkthroughSetup(VtctldGrpc.VtctldBlockingStub ctld, ClusterLayout layout, Consumer<String> progress,
            Runnable primariesInitialized) {
        this.ctld = ctld;
        this.layout = layout;
        this.progress = progress;
        this.primariesInitialized = primariesInitialized;
    }

    void run() {
        for (String ks : List.of(ClusterLayout.COMMERCE, ClusterLayout.CUSTOMER)) {
            stub().createKeyspace(CreateKeyspaceRequest.newBuilder().setName(ks).setForce(true)
                    .setAllowEmptyVSchema(true).setDurabilityPolicy("none").build());
            progress.accept("keyspace " + ks + " ready");
        }
        for (String target : layout.targets()) {
            String[] ksShard = target.split("/", 2);
            initPrimary(ksShard[0], ksShard[1]);
        }
        primariesInitialized.run();
        for (String ks : List.of(ClusterLayout.COMMERCE, ClusterLayout.CUSTOMER)) {
            ApplySchemaResponse r = stub().applySchema(ApplySchemaRequest.newBuilder().setKeyspace(ks)
                    .addAllSql(Walkthrough.schemaStatements(ks)).setDdlStrategy("direct").build());
            for (ShardSchemaResult s : r.getShardResultsList()) {
                if (!s.getError().isEmpty()) {
                    throw new MosaicException(ErrorCode.INTERNAL, "ApplySchema " + ks + "/" + s.getShard() + ": " + s.getError());
                }
            }
            progress.accept("schema of " + ks + " applied (" + Walkthrough.schemaStatements(ks).size() + " tables)");
            stub().applyVSchema(ApplyVSchemaRequest.newBuilder().setKeyspace(ks)
                    .setVSchemaJson(Walkthrough.vschemaJson(ks)).build());
            progress.accept("vschema of " + ks + " applied");
        }
        InitializeSequencesResponse seq = stub().initializeSequences(InitializeSequencesRequest.newBuilder()
                .setKeyspace(ClusterLayout.CUSTOMER).setCache(SEQUENCE_CACHE).build());
        for (SequenceState s : seq.getSequencesList()) {
            progress.accept("sequence " + s.getSequence() + " feeds " + s.getColumn() + ", next id " + s.getNextId());
        }
        for (String ks : List.of(ClusterLayout.COMMERCE, ClusterLayout.CUSTOMER)) {
            stub().rebuildKeyspaceGraph(RebuildKeyspaceGraphRequest.newBuilder().setKeyspace(ks).build());
        }
        stub().rebuildVSchemaGraph(RebuildVSchemaGraphRequest.getDefaultInstance());
        progress.accept("serving graph and vschema graph rebuilt");
    }

    /**
     * InitShardPrimary with the layout's primary. Repeating it is safe (ctld does not initialize a
     * primary the shard already names, and only re-points replicas that do not replicate from it),
     * which a restart needs: replicas come back with replication stopped. A shard whose record names
     * another primary (an operator reparented it) is left alone.
     */
    private void initPrimary(String keyspace, String shard) {
        ClusterLayout.TabletSpec primary = layout.shard(keyspace, shard).get(0);
        TabletAlias alias = TabletAlias.newBuilder().setCell(ClusterLayout.CELL).setUid((int) primary.uid()).build();
        dev.mosaic.proto.topo.Shard record = stub().getShard(GetShardRequest.newBuilder().setKeyspace(keyspace)
                .setShardName(shard).build()).getShard().getShard();
        if (record.hasPrimaryAlias() && !record.getPrimaryAlias().equals(alias)) {
            progress.accept("shard " + keyspace + "/" + shard + ": primary is " + record.getPrimaryAlias().getCell() + "-"
                    + String.format("%010d", record.getPrimaryAlias().getUid()) + " (reparented); left as it is");
            return;
        }
        stub().initShardPrimary(InitShardPrimaryRequest.newBuilder().setKeyspace(keyspace).setShard(shard)
                .setPrimaryElectTabletAlias(alias)
                .setWaitReplicasTimeout(Duration.newBuilder().setSeconds(60)).build());
        progress.accept("shard " + keyspace + "/" + shard + ": primary " + primary.alias()
                + (record.hasPrimaryAlias() ? " (kept), replicas replicating" : ""));
    }

    private VtctldGrpc.VtctldBlockingStub stub() {
        return ctld.withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS);
    }
}
