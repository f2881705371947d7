package dev.mosaic.server.ctld;

import static dev.mosaic.server.ctld.CtldErrors.invalid;
import static dev.mosaic.server.ctld.CtldErrors.precondition;

import com.google.protobuf.Timestamp;
import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.proto.tabletmanager.InitPrimaryRequest;
import dev.mosaic.proto.tabletmanager.ReplicationState;
import dev.mosaic.proto.tabletmanager.ReplicationStatus;
import dev.mosaic.proto.tabletmanager.ReplicationStatusRequest;
import dev.mosaic.proto.tabletmanager.SetReadWriteRequest;
import dev.mosaic.proto.tabletmanager.SetReplicationSourceRequest;
import dev.mosaic.proto.topo.Shard;
import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.proto.vtctldata.InitShardPrimaryRequest;
import dev.mosaic.proto.vtctldata.InitShardPrimaryResponse;
import dev.mosaic.server.topo.ActionLock;
import dev.mosaic.server.topo.ProtoConversions;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.spi.durability.DurabilityPolicy;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * InitShardPrimary: makes a tablet the first primary of its shard and every other tablet of the
 * shard its replica, under the shard lock.
 *
 * <p>Order, chosen so that a call that stops half-way is finished by repeating it: InitPrimary on
 * the elect (it resets replication, goes read-write and records itself PRIMARY), then the shard
 * record names it primary, then each other tablet is pointed at it. A repeat with the same elect
 * finds the shard record naming it and the tablet PRIMARY, so it does not initialize it again
 * (InitPrimary resets the binlog history, which would strand the replicas), and only re-points
 * replicas that are not already replicating from it.
 */
final class ShardPrimaryInit {
    /** How long replicas get to connect and catch up when the request gives no timeout (Vitess's default). */
    static final Duration DEFAULT_WAIT_REPLICAS = Duration.ofSeconds(30);

    private final TopoServer topo;
    private final TopologyReads reads;
    private final TabletManagerClients tablets;
    private final Durability durability;

    ShardPrimaryInit(TopologyReads reads, TabletManagerClients tablets, Durability durability) {
        this.topo = reads.topo();
        this.reads = reads;
        this.tablets = tablets;
        this.durability = durability;
    }

    InitShardPrimaryResponse init(InitShardPrimaryRequest req) {
        String ks = req.getKeyspace();
        String shardName = req.getShard();
        if (!req.hasPrimaryElectTabletAlias() || req.getPrimaryElectTabletAlias().getCell().isEmpty()) {
            throw invalid("primary_elect_tablet_alias is required");
        }
        Duration wait = req.hasWaitReplicasTimeout()
                ? Duration.ofSeconds(req.getWaitReplicasTimeout().getSeconds(), req.getWaitReplicasTimeout().getNanos())
                : DEFAULT_WAIT_REPLICAS;
        if (wait.isNegative() || wait.isZero()) {
            throw invalid("wait_replicas_timeout must be positive: " + wait);
        }
        reads.shard(ks, shardName);
        TabletAlias electAlias = ProtoConversions.fromProto(req.getPrimaryElectTabletAlias());
        long reparentNs = System.currentTimeMillis() * 1_000_000L;
        List<String> events = new ArrayList<>();
        try (ActionLock lock = topo.lockShard(ks, shardName, "InitShardPrimary", "elect " + electAlias)) {
            events.add("locked shard " + ks + "/" + shardName);
            Shard shard = topo.getShard(ks, shardName).value();
            List<Tablet> shardTablets = reads.shardTablets(ks, shardName);
            Tablet elect = shardTablets.stream().filter(t -> t.getAlias().equals(req.getPrimaryElectTabletAlias()))
                    .findFirst().orElseGet(() -> {
                        Tablet t = reads.tablet(req.getPrimaryElectTabletAlias());
                        throw precondition("primary-elect tablet " + electAlias + " is in shard " + t.getKeyspace()
                                + "/" + t.getShard() + ", not in " + ks + "/" + shardName);
                    });
            boolean sameElect = shard.hasPrimaryAlias() && shard.getPrimaryAlias().equals(elect.getAlias());
            if (shard.hasPrimaryAlias() && !sameElect && !req.getForce()) {
                throw precondition("shard " + ks + "/" + shardName + " already has primary "
                        + ProtoConversions.fromProto(shard.getPrimaryAlias()) + "; use force to make " + electAlias
                        + " the primary anyway (or reparent)");
            }
            DurabilityPolicy policy = durability.policy(ks);
            Tablet electAsPrimary = elect.toBuilder().setType(TabletType.PRIMARY).build();
            Optional<String> position = Optional.empty();
            if (sameElect && elect.getType() == TabletType.PRIMARY) {
                events.add("tablet " + electAlias + " is already the primary of " + ks + "/" + shardName
                        + "; not initializing it again");
                // after a restart of its mysqld it may have come back read-only
                tablets.call(elect, "SetReadWrite", s -> s.setReadWrite(SetReadWriteRequest.getDefaultInstance()));
                events.add("SetReadWrite on " + electAlias);
            } else {
                boolean semiSync = durability.primarySemiSync(policy, electAsPrimary);
                String pos = tablets.call(elect, "InitPrimary",
                        s -> s.initPrimary(InitPrimaryRequest.newBuilder().setSemiSync(semiSync)
                                .setSemiSyncAckers(durability.primaryAckers(policy, electAsPrimary)).build())).getPosition();
                position = Optional.of(pos);
                events.add("InitPrimary on " + electAlias + ": read-write" + (semiSync ? ", semi-sync source" : "")
                        + ", at position " + (pos.isEmpty() ? "(empty)" : pos));
            }
            Tablet electNow = ensurePrimaryRecord(elect, events);
            Timestamp termStart = electNow.hasPrimaryTermStartTime() ? electNow.getPrimaryTermStartTime() : now();
            lock.updateShardFields(s -> {
                if (s.hasPrimaryAlias() && s.getPrimaryAlias().equals(elect.getAlias())) {
                    return null; // a repeat: keep the term that began with the first call
                }
                return s.toBuilder().setPrimaryAlias(elect.getAlias()).setPrimaryTermStartTime(termStart).build();
            });
            events.add("shard record " + ks + "/" + shardName + " names " + electAlias + " primary");
            List<String> failures = new ArrayList<>();
            for (Tablet t : shardTablets) {
                if (t.getAlias().equals(elect.getAlias())) {
                    continue;
                }
                lock.check();
                try {
                    pointAt(t, electNow, policy, position, reparentNs, wait, events);
                } catch (StatusRuntimeException e) {
                    failures.add(ProtoConversions.fromProto(t.getAlias()) + ": " + CtldErrors.text(e));
                }
            }
            if (!failures.isEmpty()) {
                throw Status.UNAVAILABLE.withDescription("InitShardPrimary " + ks + "/" + shardName + ": "
                        + electAlias + " is primary, but " + failures.size() + " tablet(s) could not be made its "
                        + "replicas (repeat the call to retry them):\n  " + String.join("\n  ", failures)
                        + "\ndone:\n  " + String.join("\n  ", events)).asRuntimeException();
            }
        }
        return InitShardPrimaryResponse.newBuilder().addAllEvents(events).build();
    }

    /**
     * The elect's record as PRIMARY: the tablet writes it itself on InitPrimary; if it did not (a
     * tablet manager without topology registration), ctld writes it.
     */
    private Tablet ensurePrimaryRecord(Tablet elect, List<String> events) {
        TabletAlias alias = ProtoConversions.fromProto(elect.getAlias());
        Tablet now = reads.tablet(elect.getAlias());
        if (now.getType() == TabletType.PRIMARY) {
            return now;
        }
        Timestamp start = now();
        Tablet updated = topo.updateTabletFields(alias, t -> t.toBuilder().setType(TabletType.PRIMARY)
                .setPrimaryTermStartTime(start).build()).value();
        events.add("tablet record " + alias + " set to PRIMARY");
        return updated;
    }

    private void pointAt(Tablet replica, Tablet primary, DurabilityPolicy policy, Optional<String> position,
                         long reparentNs, Duration wait, List<String> events) {
        TabletAlias alias = ProtoConversions.fromProto(replica.getAlias());
        TabletAlias primaryAlias = ProtoConversions.fromProto(primary.getAlias());
        if (replica.getType() != TabletType.PRIMARY && replicatesFrom(replica, primary)) {
            events.add("tablet " + alias + " already replicates from " + primaryAlias);
            return;
        }
        boolean semiSync = durability.replicaSemiSync(policy, primary, replica);
        SetReplicationSourceRequest.Builder b = SetReplicationSourceRequest.newBuilder()
                .setParent(primary.getAlias()).setTimeCreatedNs(reparentNs).setForceStartReplication(true)
                .setSemiSync(semiSync);
        position.ifPresent(b::setWaitPosition);
        tablets.call(replica, wait, "SetReplicationSource", s -> s.setReplicationSource(b.build()));
        events.add("SetReplicationSource on " + alias + ": replicating from " + primaryAlias
                + (semiSync ? " (semi-sync)" : "") + (position.isPresent() ? ", caught up" : ""));
        Tablet after = reads.tablet(replica.getAlias());
        if (after.getType() == TabletType.PRIMARY) {
            // the tablet manager leaves PRIMARY itself when pointed at another primary; make sure
            topo.updateTabletFields(alias, t -> t.toBuilder().setType(TabletType.REPLICA).clearPrimaryTermStartTime()
                    .build());
            events.add("tablet record " + alias + " set from PRIMARY to REPLICA");
        }
    }

    /** True if the tablet's mysqld replicates from the primary's mysqld with both threads running. */
    private boolean replicatesFrom(Tablet replica, Tablet primary) {
        ReplicationStatus st;
        try {
            st = tablets.call(replica, "ReplicationStatus",
                    s -> s.replicationStatus(ReplicationStatusRequest.getDefaultInstance())).getStatus();
        } catch (StatusRuntimeException e) {
            return false; // not a replica (FAILED_PRECONDITION) or unreachable: SetReplicationSource will tell
        }
        return st.getSourceHost().equals(primary.getMysqlHostname()) && st.getSourcePort() == primary.getMysqlPort()
                && st.getIoState() == ReplicationState.RUNNING && st.getSqlState() == ReplicationState.RUNNING;
    }

    private static Timestamp now() {
        Instant n = Instant.now();
        return Timestamp.newBuilder().setSeconds(n.getEpochSecond()).setNanos(n.getNano()).build();
    }
}
