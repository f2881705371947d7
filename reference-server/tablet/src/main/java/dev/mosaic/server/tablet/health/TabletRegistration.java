package dev.mosaic.server.tablet.health;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.topo.ProtoConversions;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The tablet's record in its cell's topology: published on {@link #start} (created, or replaced
 * if a previous run left one), its type kept current by {@link #updateType}, removed on a clean
 * {@link #close}. All writes go through {@link TopoServer}'s typed calls, which keep the shard's
 * replication graph in step.
 */
public final class TabletRegistration implements AutoCloseable {
    private final TopoServer topo;
    private final TabletAlias alias;
    private volatile Tablet record;
    private volatile boolean published;

    /** A registration of {@code record} (its alias set) in {@code topo}; nothing is written until {@link #start}. */
    public TabletRegistration(TopoServer topo, Tablet record) {
        this.topo = Objects.requireNonNull(topo, "topo");
        this.record = Objects.requireNonNull(record, "record");
        if (!record.hasAlias()) {
            throw new IllegalArgumentException("the tablet record has no alias");
        }
        this.alias = ProtoConversions.fromProto(record.getAlias());
    }

    /** A record with the usual fields; {@code grpcPort} goes in the port map as "grpc". */
    public static Tablet record(TabletAlias alias, String hostname, int grpcPort, String mysqlHost, int mysqlPort,
            String keyspace, String shard, TabletType type) {
        Tablet.Builder b = Tablet.newBuilder()
                .setAlias(ProtoConversions.toProto(alias))
                .setHostname(hostname)
                .putPortMap("grpc", grpcPort)
                .setMysqlHostname(mysqlHost)
                .setMysqlPort(mysqlPort)
                .setKeyspace(keyspace)
                .setShard(shard)
                .setType(type);
        ProtoConversions.shardKeyRange(shard).ifPresent(b::setKeyRange);
        return b.build();
    }

    /**
     * Completes the record before it is published, e.g. with the ports a server bound after this
     * registration was built (the tablet manager needs the registration before the gRPC server
     * that serves it has a port). The alias must stay the same.
     *
     * @throws IllegalStateException once the record is published
     * @throws IllegalArgumentException if {@code change} alters the alias
     */
    public synchronized void completeRecord(UnaryOperator<Tablet> change) {
        if (published) {
            throw new IllegalStateException("tablet " + alias + " is already published; use updateType");
        }
        Tablet next = Objects.requireNonNull(change.apply(record), "completed record");
        if (!next.hasAlias() || !ProtoConversions.fromProto(next.getAlias()).equals(alias)) {
            throw new IllegalArgumentException("completing the record of " + alias + " must keep its alias");
        }
        record = next;
    }

    /** The tablet's alias. */
    public TabletAlias alias() {
        return alias;
    }

    /** The record as last written. */
    public Tablet record() {
        return record;
    }

    /**
     * Publishes the record: creates it, or, if one exists (a previous run that did not shut down
     * cleanly), overwrites it; if that one was in another keyspace/shard it is deleted and
     * re-created, so the replication graphs stay right.
     */
    public synchronized TabletRegistration start() {
        Tablet mine = record;
        try {
            topo.createTablet(mine);
        } catch (TopoException e) {
            if (e.error() != TopoError.NODE_EXISTS) {
                throw e;
            }
            Tablet old = topo.getTablet(alias).value();
            if (old.getKeyspace().equals(mine.getKeyspace()) && old.getShard().equals(mine.getShard())) {
                topo.updateTabletFields(alias, t -> mine);
            } else {
                topo.deleteTablet(alias);
                topo.createTablet(mine);
            }
        }
        published = true;
        return this;
    }

    /** Records a type change (and a new primary term start when it becomes PRIMARY). */
    public synchronized void updateType(TabletType type) {
        Objects.requireNonNull(type, "type");
        Tablet.Builder b = record.toBuilder().setType(type);
        if (type == TabletType.PRIMARY && record.getType() != TabletType.PRIMARY) {
            long now = System.currentTimeMillis();
            b.setPrimaryTermStartTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(now / 1000)
                    .setNanos((int) (now % 1000) * 1_000_000));
        } else if (type != TabletType.PRIMARY) {
            b.clearPrimaryTermStartTime();
        }
        Tablet next = b.build();
        if (published) {
            topo.updateTabletFields(alias, t -> {
                Tablet.Builder u = t.toBuilder().setType(type);
                if (next.hasPrimaryTermStartTime()) {
                    u.setPrimaryTermStartTime(next.getPrimaryTermStartTime());
                } else {
                    u.clearPrimaryTermStartTime();
                }
                return u.build();
            });
        }
        record = next;
    }

    /** Removes the record (a clean shutdown); already gone is fine. */
    @Override
    public synchronized void close() {
        if (!published) {
            return;
        }
        published = false;
        try {
            topo.deleteTablet(alias);
        } catch (TopoException e) {
            if (e.error() != TopoError.NO_NODE) {
                throw e;
            }
        }
    }
}
