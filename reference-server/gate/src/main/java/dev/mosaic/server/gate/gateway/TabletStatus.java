package dev.mosaic.server.gate.gateway;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.proto.query.Target;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the gateway knows of one tablet: its address from the topology and its latest health.
 * Immutable; the gateway replaces it on every health message. Read by status pages and
 * {@code SHOW VITESS_TABLETS}.
 *
 * @param alias the tablet
 * @param hostname where its gRPC server listens
 * @param grpcPort the tablet record's {@code grpc} port
 * @param target what the tablet serves: from its last health message, or from its topology record
 *     until one arrives
 * @param serving whether its last health message said it serves {@code target}
 * @param replicationLagSeconds its replication lag (0 for a primary)
 * @param error why it is unhealthy: the tablet's health error, a broken or silent health stream,
 *     or "no health response yet"; empty when the tablet reported itself healthy
 * @param primaryTermStartSeconds when it became primary (seconds since the epoch), 0 unless primary
 * @param lastHealthAt when its last health message arrived, empty if none yet
 */
public record TabletStatus(TabletAlias alias, String hostname, int grpcPort, Target target, boolean serving,
        long replicationLagSeconds, String error, long primaryTermStartSeconds, Optional<Instant> lastHealthAt) {

    public TabletStatus {
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(target, "target");
        error = error == null ? "" : error;
        Objects.requireNonNull(lastHealthAt, "lastHealthAt");
    }

    /** The tablet's cell. */
    public String cell() {
        return alias.cell();
    }

    /** Serving and without error: a candidate for routing (before the replication-lag filter). */
    public boolean healthy() {
        return serving && error.isEmpty();
    }

    /** This status marked unhealthy for {@code why}. */
    TabletStatus unhealthy(String why) {
        return new TabletStatus(alias, hostname, grpcPort, target, false, replicationLagSeconds, why,
                primaryTermStartSeconds, lastHealthAt);
    }
}
