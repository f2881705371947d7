package dev.mosaic.server.gate.executor;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.proto.query.BoundQuery;
import dev.mosaic.proto.query.CallerID;
import dev.mosaic.proto.query.Errors;
import dev.mosaic.proto.query.ExecuteOptions;
import dev.mosaic.proto.query.QueryResult;
import dev.mosaic.proto.query.Target;
import dev.mosaic.server.gate.gateway.Opened;
import dev.mosaic.server.gate.gateway.ShardSession;
import dev.mosaic.server.gate.gateway.TabletGateway;
import dev.mosaic.spi.vindex.VindexCursor.CommitOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The pre and post sessions of a gate session's transaction (Vitess's {@code PreSessions} and
 * {@code PostSessions} in {@code SafeSession}, driven by {@code TxConn}): consistent lookup vindexes
 * write their lookup rows in {@link CommitOrder#PRE} (inserts) and {@link CommitOrder#POST}
 * (deletes) transactions separate from the main one, so that the lookup table never misses a live
 * owner row: a crash or failure between the commits leaves at most an extra lookup row.
 *
 * <p>The rules, as Vitess's {@code commitNormal} and {@code Rollback}:
 * <ul>
 *   <li>COMMIT commits every pre session first; if one fails, the remaining pre sessions, the main
 *       transaction and the post sessions are rolled back and COMMIT fails.</li>
 *   <li>Then the main transaction commits; if it fails, the post sessions are rolled back (the pre
 *       sessions are already committed: their lookup rows stay, pointing at rows that do not exist,
 *       which the next insert of the same value takes over).</li>
 *   <li>Then the post sessions commit; a failure there does not fail COMMIT (the main transaction is
 *       committed; an undeleted lookup row is harmless for a consistent lookup) and is logged.</li>
 *   <li>ROLLBACK rolls back the pre sessions, then the main transaction, then the post sessions.</li>
 * </ul>
 * Pre and post sessions are plain transactions on any healthy primary of their shard; the session's
 * settings are not applied to them. Stateless apart from the gateway; the per-session state lives in
 * {@link GateSession}.
 */
final class CommitOrderSessions {
    private static final System.Logger LOG = System.getLogger(CommitOrderSessions.class.getName());
    private static final ExecuteOptions OPTIONS = ExecuteOptions.getDefaultInstance();

    private final TabletGateway gateway;

    CommitOrderSessions(TabletGateway gateway) {
        this.gateway = gateway;
    }

    /** True if the session already has a {@code order} transaction on {@code target}. */
    boolean holds(GateSession session, CommitOrder order, Target target) {
        return session.orderedShard(order, target) != null;
    }

    /**
     * Runs {@code query} in the session's {@code order} (PRE or POST) transaction on {@code target},
     * beginning it with this query if there is none yet. An error that ends the transaction (deadlock,
     * timeout) marks the whole session transaction for rollback, as for the main transaction.
     */
    QueryResult execute(GateSession session, CallerID caller, CommitOrder order, Target target, BoundQuery query) {
        QueryLog.record(session, target, query);
        ShardSession open = session.orderedShard(order, target);
        if (open == null) {
            // The session's savepoints are replayed first, so ROLLBACK TO undoes lookup writes too.
            Opened o = gateway.beginExecute(target, caller, query, OPTIONS, session.savepoints());
            session.putOrderedShard(order, target, o.session());
            if (o.error().isPresent()) {
                MosaicException e = o.error().get();
                noteFailure(session, e);
                throw withPrefix(e, "target: " + describe(target) + " (" + order + " session): ");
            }
            return o.result();
        }
        try {
            return gateway.execute(open, caller, query, OPTIONS);
        } catch (MosaicException e) {
            noteFailure(session, e);
            throw e;
        }
    }

    /** The open PRE and POST sessions, for statements (savepoints) that run in every transaction of the session. */
    List<ShardSession> all(GateSession session) {
        List<ShardSession> out = new ArrayList<>(session.orderedShardSessions(CommitOrder.PRE));
        out.addAll(session.orderedShardSessions(CommitOrder.POST));
        return out;
    }

    /** Runs {@code query} (a savepoint statement) in an open PRE or POST session. */
    void executeIn(GateSession session, CallerID caller, ShardSession s, BoundQuery query) {
        try {
            gateway.execute(s, caller, query, OPTIONS);
        } catch (MosaicException e) {
            noteFailure(session, e);
            throw e;
        }
    }

    private static void noteFailure(GateSession session, MosaicException e) {
        if (e.code() == ErrorCode.ABORTED || e.code() == ErrorCode.RESOURCE_EXHAUSTED) {
            session.mustRollback(e.getMessage());
        }
    }

    /**
     * Commits the pre sessions, in the order they joined. On a failure the pre sessions not yet
     * committed are rolled back and the failure is thrown; the caller then rolls back the rest.
     */
    void commitPre(GateSession session, CallerID caller) {
        List<ShardSession> pre = session.orderedShardSessions(CommitOrder.PRE);
        for (int i = 0; i < pre.size(); i++) {
            ShardSession s = pre.get(i);
            try {
                session.putOrderedShard(CommitOrder.PRE, s.target(), gateway.commit(s, caller));
            } catch (MosaicException e) {
                session.putOrderedShard(CommitOrder.PRE, s.target(), null);
                MosaicException out = withPrefix(e, "COMMIT of the lookup pre-commit transaction failed on shard "
                        + describe(s.target()) + " (nothing of the main transaction was committed; it was rolled back): ");
                MosaicException rest = rollbackSessions(session, caller, CommitOrder.PRE, pre.subList(i + 1, pre.size()));
                if (rest != null) {
                    out.addSuppressed(rest);
                }
                throw out;
            }
        }
    }

    /**
     * Commits the post sessions after the main transaction committed. Failures do not fail the
     * commit (Vitess records a warning): each is logged, and its transaction forgotten.
     *
     * @return the failures, for the caller to count or report
     */
    List<MosaicException> commitPost(GateSession session, CallerID caller) {
        List<MosaicException> failures = new ArrayList<>();
        for (ShardSession s : session.orderedShardSessions(CommitOrder.POST)) {
            try {
                session.putOrderedShard(CommitOrder.POST, s.target(), gateway.commit(s, caller));
            } catch (MosaicException e) {
                session.putOrderedShard(CommitOrder.POST, s.target(), null);
                LOG.log(System.Logger.Level.WARNING, "post-commit of lookup deletes failed on " + describe(s.target())
                        + " after the main transaction committed; the lookup keeps extra rows: " + e.getMessage());
                failures.add(e);
            }
        }
        return failures;
    }

    /** Rolls back every {@code order} (PRE or POST) session; every one is tried, the first failure returned. */
    MosaicException rollback(GateSession session, CallerID caller, CommitOrder order) {
        return rollbackSessions(session, caller, order, session.orderedShardSessions(order));
    }

    private MosaicException rollbackSessions(GateSession session, CallerID caller, CommitOrder order,
            List<ShardSession> sessions) {
        MosaicException first = null;
        for (ShardSession s : sessions) {
            try {
                session.putOrderedShard(order, s.target(), gateway.rollback(s, caller));
            } catch (MosaicException e) {
                session.putOrderedShard(order, s.target(), null);
                if (first == null && e.code() != ErrorCode.NOT_FOUND && e.code() != ErrorCode.ABORTED) {
                    first = withPrefix(e, "ROLLBACK of the lookup " + order + " transaction failed on shard "
                            + describe(s.target()) + ": ");
                }
            }
        }
        return first;
    }

    private static MosaicException withPrefix(MosaicException e, String prefix) {
        return Errors.mysqlError(e.code(), e.mysqlErrno(), e.sqlState(), prefix + e.getMessage(), e);
    }

    private static String describe(Target t) {
        return t.getKeyspace() + "/" + t.getShard();
    }
}
