package dev.mosaic.server.gate.gateway;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.proto.query.Target;
import java.util.Objects;

/**
 * A transaction and/or reserved connection open on one tablet: what the gate's session keeps per
 * shard, so that every later statement, commit, rollback or release goes to the tablet that opened
 * it (never to another tablet of the target, and never retried elsewhere).
 *
 * @param target the target it was opened for
 * @param tablet the tablet holding it
 * @param transactionId the tablet's transaction id, 0 if none
 * @param reservedId the tablet's reserved connection id, 0 if none
 */
public record ShardSession(Target target, TabletAlias tablet, long transactionId, long reservedId) {
    public ShardSession {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(tablet, "tablet");
    }

    /** True while a transaction or a reserved connection is open. */
    public boolean isOpen() {
        return transactionId != 0 || reservedId != 0;
    }
}
