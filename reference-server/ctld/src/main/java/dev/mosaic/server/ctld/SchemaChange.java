package dev.mosaic.server.ctld;

import static dev.mosaic.server.ctld.CtldErrors.invalid;

import com.google.protobuf.ByteString;
import dev.mosaic.proto.tabletmanager.ExecuteFetchAsDbaRequest;
import dev.mosaic.proto.tabletmanager.PrimaryPositionRequest;
import dev.mosaic.proto.tabletmanager.WaitForPositionRequest;
import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.proto.vtctldata.ApplySchemaRequest;
import dev.mosaic.proto.vtctldata.ApplySchemaResponse;
import dev.mosaic.proto.vtctldata.ShardSchemaResult;
import dev.mosaic.server.sql.parse.StatementSplitter;
import dev.mosaic.server.topo.ActionLock;
import dev.mosaic.server.topo.ProtoConversions;
import dev.mosaic.server.topo.TopoServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * ApplySchema with the "direct" strategy: under the keyspace lock, each shard's primary runs the
 * statements in order as the DBA with the binlog on (so its replicas get them by replication) and
 * reloads its schema. Every shard is tried; a shard stops at its first failing statement. Statements
 * are split with the gate's splitter, which knows quotes and comments.
 */
final class SchemaChange {
    private final TopoServer topo;
    private final TopologyReads reads;
    private final TabletManagerClients tablets;

    SchemaChange(TopologyReads reads, TabletManagerClients tablets) {
        this.topo = reads.topo();
        this.reads = reads;
        this.tablets = tablets;
    }

    ApplySchemaResponse apply(ApplySchemaRequest req) {
        String ks = req.getKeyspace();
        reads.keyspace(ks);
        String strategy = req.getDdlStrategy().strip();
        if (!strategy.isEmpty() && !strategy.equals("direct")) {
            throw invalid("ddl_strategy \"" + req.getDdlStrategy() + "\" is not supported; only \"direct\" "
                    + "(Mosaic has no online DDL yet)");
        }
        List<String> statements = new ArrayList<>();
        for (String sql : req.getSqlList()) {
            statements.addAll(StatementSplitter.split(sql));
        }
        if (statements.isEmpty()) {
            throw invalid("no SQL statement to apply");
        }
        Duration waitReplicas = Duration.ofSeconds(req.getWaitReplicasTimeout().getSeconds(),
                req.getWaitReplicasTimeout().getNanos());
        if (waitReplicas.isNegative()) {
            throw invalid("wait_replicas_timeout must not be negative: " + waitReplicas);
        }
        List<String> shards = topo.getShardNames(ks);
        if (shards.isEmpty()) {
            throw CtldErrors.precondition("keyspace " + ks + " has no shards to apply the schema to");
        }
        ApplySchemaResponse.Builder out = ApplySchemaResponse.newBuilder();
        List<String> failures = new ArrayList<>();
        List<Status.Code> codes = new ArrayList<>();
        try (ActionLock lock = topo.lockKeyspace(ks, "ApplySchema")) {
            for (String shard : shards) {
                lock.check();
                ShardSchemaResult r = applyToShard(ks, shard, statements, waitReplicas, codes);
                out.addShardResults(r);
                if (r.getError().isEmpty()) {
                    out.putRowsAffectedByShard(shard, r.getRowsAffected());
                } else {
                    failures.add(shard + ": " + r.getError());
                }
            }
        }
        if (!failures.isEmpty()) {
            Status.Code code = codes.stream().distinct().count() == 1 ? codes.get(0) : Status.Code.UNKNOWN;
            throw Status.fromCode(code).withDescription("ApplySchema on keyspace " + ks + " failed on "
                    + failures.size() + " of " + shards.size() + " shard(s):\n  " + String.join("\n  ", failures))
                    .asRuntimeException();
        }
        return out.build();
    }

    private ShardSchemaResult applyToShard(String ks, String shard, List<String> statements, Duration waitReplicas,
                                           List<Status.Code> codes) {
        ShardSchemaResult.Builder r = ShardSchemaResult.newBuilder().setShard(shard);
        Tablet primary;
        try {
            primary = reads.shardPrimary(ks, shard);
        } catch (RuntimeException e) {
            codes.add(CtldErrors.toStatus(e).getStatus().getCode());
            return r.setError(e.getMessage()).build();
        }
        r.setTabletAlias(primary.getAlias());
        long rows = 0;
        for (int i = 0; i < statements.size(); i++) {
            String sql = statements.get(i);
            try {
                var result = tablets.call(primary, "ExecuteFetchAsDba", s -> s.executeFetchAsDba(
                        ExecuteFetchAsDbaRequest.newBuilder()
                                .setQuery(ByteString.copyFrom(sql, StandardCharsets.UTF_8))
                                .setReloadSchema(true).build()));
                rows += result.getResult().getRowsAffected();
            } catch (StatusRuntimeException e) {
                codes.add(e.getStatus().getCode());
                return r.setRowsAffected(rows).setError("statement " + (i + 1) + " of " + statements.size() + " ("
                        + abbreviate(sql) + "): " + CtldErrors.text(e)).build();
            }
        }
        r.setRowsAffected(rows);
        if (!waitReplicas.isZero()) {
            String wait = waitForReplicas(ks, shard, primary, waitReplicas);
            if (!wait.isEmpty()) {
                codes.add(Status.Code.DEADLINE_EXCEEDED);
                r.setError("applied on the primary, but " + wait);
            }
        }
        return r.build();
    }

    /** Waits until the shard's replicas have the primary's position; empty, or what did not catch up. */
    private String waitForReplicas(String ks, String shard, Tablet primary, Duration timeout) {
        String position;
        try {
            position = tablets.call(primary, "PrimaryPosition",
                    s -> s.primaryPosition(PrimaryPositionRequest.getDefaultInstance())).getPosition();
        } catch (StatusRuntimeException e) {
            return "its position could not be read: " + CtldErrors.text(e);
        }
        List<String> late = new ArrayList<>();
        for (Tablet t : reads.shardTablets(ks, shard)) {
            if (t.getAlias().equals(primary.getAlias())
                    || (t.getType() != TabletType.REPLICA && t.getType() != TabletType.RDONLY)) {
                continue;
            }
            try {
                tablets.call(t, timeout, "WaitForPosition", s -> s.waitForPosition(
                        WaitForPositionRequest.newBuilder().setPosition(position).build()));
            } catch (StatusRuntimeException e) {
                late.add(ProtoConversions.fromProto(t.getAlias()) + " (" + CtldErrors.text(e) + ")");
            }
        }
        return late.isEmpty() ? "" : "replicas did not catch up within " + timeout + ": " + String.join(", ", late);
    }

    static String abbreviate(String sql) {
        String oneLine = sql.replaceAll("\\s+", " ");
        return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 77) + "...";
    }
}
