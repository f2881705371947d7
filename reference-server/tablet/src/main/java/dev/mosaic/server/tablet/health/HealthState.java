package dev.mosaic.server.tablet.health;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.proto.topo.TabletType;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One immutable health snapshot of a tablet.
 *
 * @param alias the tablet
 * @param cell the tablet's cell
 * @param keyspace the keyspace it serves
 * @param shard the shard it serves
 * @param type its current type
 * @param serving whether it takes queries for its target
 * @param replicationLagSeconds replication lag of a replica; 0 on a primary or when unknown
 * @param healthError why it should get no traffic; empty when healthy
 * @param qps queries per second over the last minute
 * @param primaryTermStartSeconds when it became primary, seconds since the epoch; 0 unless primary
 * @param checkedAt when the check ran
 * @param tableSchemaChanged tables (and views) the schema engine found created, altered or dropped
 *     since the previous snapshot that carried any; each name goes out in one snapshot only
 */
public record HealthState(TabletAlias alias, String cell, String keyspace, String shard, TabletType type,
        boolean serving, long replicationLagSeconds, String healthError, double qps, long primaryTermStartSeconds,
        Instant checkedAt, List<String> tableSchemaChanged) {

    public HealthState {
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(checkedAt, "checkedAt");
        cell = cell == null ? "" : cell;
        keyspace = keyspace == null ? "" : keyspace;
        shard = shard == null ? "" : shard;
        healthError = healthError == null ? "" : healthError;
        tableSchemaChanged = tableSchemaChanged == null ? List.of() : List.copyOf(tableSchemaChanged);
    }

    /** This snapshot with {@code earlier}'s schema changes added in front (for a replaced undelivered snapshot). */
    HealthState withEarlierSchemaChanges(List<String> earlier) {
        if (earlier.isEmpty()) {
            return this;
        }
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(earlier);
        all.addAll(tableSchemaChanged);
        return new HealthState(alias, cell, keyspace, shard, type, serving, replicationLagSeconds, healthError, qps,
                primaryTermStartSeconds, checkedAt, List.copyOf(all));
    }

    /**
     * True if {@code other} differs in what a listener must hear about at once: everything but the
     * QPS and the check time (those go out with the heartbeat). A snapshot carrying schema changes
     * always goes out.
     */
    public boolean differsFrom(HealthState other) {
        return other == null || type != other.type || serving != other.serving
                || replicationLagSeconds != other.replicationLagSeconds || !healthError.equals(other.healthError)
                || primaryTermStartSeconds != other.primaryTermStartSeconds || !keyspace.equals(other.keyspace)
                || !shard.equals(other.shard) || !tableSchemaChanged.isEmpty();
    }
}
