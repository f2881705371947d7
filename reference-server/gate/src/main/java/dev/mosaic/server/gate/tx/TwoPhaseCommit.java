package dev.mosaic.server.gate.tx;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.proto.query.CallerID;
import dev.mosaic.proto.query.Errors;
import dev.mosaic.proto.query.Target;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.gate.gateway.ShardSession;
import dev.mosaic.server.gate.gateway.TabletGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gate's atomic commit of a transaction open on several shards (Vitess's {@code commit2PC}).
 * The first shard the transaction reached is the coordinator (metadata manager, MM), the others
 * the participants (resource managers, RMs):
 *
 * <ol>
 *   <li>CreateTransaction on the MM: the record of the distributed transaction id (dtid,
 *       {@code keyspace:shard:transaction id} of the MM) in state PREPARE, naming the RMs;
 *   <li>Prepare on each RM, one after another: each keeps its transaction open and writes it to
 *       its redo log;
 *   <li>StartCommit on the MM: its own transaction commits together with the record's move to
 *       COMMIT. This is the decision;
 *   <li>CommitPrepared on each RM;
 *   <li>ConcludeTransaction on the MM: the record is deleted.
 * </ol>
 *
 * <p>Failures: before StartCommit (or when StartCommit certainly failed) the transaction is rolled
 * back everywhere: SetRollback on the MM (its transaction rolled back, the record to ROLLBACK),
 * RollbackPrepared on every RM, then Conclude; if one of those calls fails, what is left is for the
 * {@link TransactionResolver}. When StartCommit's outcome is unknown (the MM or its connection was
 * lost during it) nothing more is done: the record says what was decided and the resolver finishes
 * it. After StartCommit the transaction is committed: a failing CommitPrepared is left to the
 * resolver, which retries it until it succeeds. In each of these cases the client gets an error
 * that names the dtid and says what happens next (Vitess answers the same way).
 *
 * <p>Transactions holding a reserved connection (session settings) cannot be prepared, as in
 * Vitess: their commit is refused and they are rolled back.
 *
 * <p>Counts its outcomes ({@link #committed}, {@link #rolledBack}, {@link #unresolved}). Thread-safe.
 */
public final class TwoPhaseCommit {
    /** Error classes of StartCommit after which the decision may or may not have been recorded. */
    private static final Set<ErrorCode> OUTCOME_UNKNOWN = Set.of(ErrorCode.UNAVAILABLE, ErrorCode.DEADLINE_EXCEEDED,
            ErrorCode.UNKNOWN, ErrorCode.INTERNAL, ErrorCode.CANCELED);

    private final TabletGateway gateway;
    private final LongAdder committed = new LongAdder();
    private final LongAdder rolledBack = new LongAdder();
    private final LongAdder unresolved = new LongAdder();
    private volatile CommitHook hook = CommitHook.NONE;

    /** A coordinator calling tablets through {@code gateway} (the executor's; its unit tests pass none). */
    public TwoPhaseCommit(TabletGateway gateway) {
        this.gateway = gateway;
    }

    /** Atomic commits that committed on every shard. */
    public long committed() {
        return committed.sum();
    }

    /** Atomic commits rolled back on every shard by the gate. */
    public long rolledBack() {
        return rolledBack.sum();
    }

    /** Atomic commits left (in part) to the resolver. */
    public long unresolved() {
        return unresolved.sum();
    }

    /** Installs {@code hook} (replacing the previous one); {@link CommitHook#NONE} removes it. */
    public void hook(CommitHook hook) {
        this.hook = Objects.requireNonNull(hook, "hook");
    }

    /** The dtid of a transaction whose coordinator is {@code mm}: Vitess's {@code keyspace:shard:transaction id}. */
    public static String dtid(ShardSession mm) {
        return mm.target().getKeyspace() + ":" + mm.target().getShard() + ":" + mm.transactionId();
    }

    /**
     * Commits {@code shards} (the session's open transactions, in the order they joined; at least
     * two) atomically. Every shard session has ended when this returns or throws.
     *
     * @throws MosaicException FAILED_PRECONDITION for a transaction on a reserved connection
     *     (rolled back); the error of the step that failed, its message saying whether the
     *     transaction was rolled back, is committed and will be completed by the resolver, or will be
     *     decided by the resolver
     */
    public void commit(List<ShardSession> shards, CallerID caller) {
        if (shards.size() < 2) {
            throw new IllegalArgumentException("an atomic commit needs at least two shards: " + shards.size());
        }
        for (ShardSession s : shards) {
            if (s.reservedId() != 0) {
                releaseAll(shards, caller);
                rolledBack.increment();
                throw new MosaicException(ErrorCode.FAILED_PRECONDITION, "atomic distributed transaction not allowed: "
                        + "cannot prepare the transaction on a reserved connection (shard " + describe(s.target())
                        + " runs with session settings); the transaction was rolled back");
            }
        }
        ShardSession mm = shards.get(0);
        List<ShardSession> rms = shards.subList(1, shards.size());
        String dtid = dtid(mm);
        List<Target> participants = rms.stream().map(s -> primary(s.target())).toList();
        try {
            gateway.createTransaction(mm, caller, dtid, participants);
        } catch (MosaicException e) {
            MosaicException rollback = rollbackAll(shards, caller);
            rolledBack.increment();
            throw failure(e, "atomic commit of " + dtid + " failed creating its record on " + describe(mm.target())
                    + "; the transaction was rolled back" + (rollback == null ? "" : " (with errors)") + ": ", rollback);
        }
        hook.reached(CommitHook.Point.CREATED, dtid, mm.target(), participants);
        for (ShardSession rm : rms) {
            try {
                gateway.prepare(rm, caller, dtid);
            } catch (MosaicException e) {
                MosaicException rollback = rollbackDecided(mm, rms, caller, dtid);
                count(rollback);
                throw failure(e, "atomic commit of " + dtid + " failed to prepare on " + describe(rm.target())
                        + (rollback == null ? "; the transaction was rolled back on every shard: "
                                : "; rollback attempted, the resolver completes it: "), rollback);
            }
        }
        hook.reached(CommitHook.Point.PREPARED, dtid, mm.target(), participants);
        try {
            gateway.startCommit(mm, caller, dtid);
        } catch (MosaicException e) {
            if (OUTCOME_UNKNOWN.contains(e.code())) {
                unresolved.increment();
                throw failure(e, "atomic commit of " + dtid + ": the coordinator " + describe(mm.target())
                        + " failed while recording the decision; the transaction will be committed or rolled back "
                        + "on every shard by the resolver, as its record says: ", null);
            }
            MosaicException rollback = rollbackDecided(mm, rms, caller, dtid);
            count(rollback);
            throw failure(e, "atomic commit of " + dtid + " failed on the coordinator " + describe(mm.target())
                    + (rollback == null ? "; the transaction was rolled back on every shard: "
                            : "; rollback attempted, the resolver completes it: "), rollback);
        }
        hook.reached(CommitHook.Point.DECIDED, dtid, mm.target(), participants);
        List<String> failed = new ArrayList<>();
        MosaicException first = null;
        for (ShardSession rm : rms) {
            try {
                gateway.commitPrepared(primary(rm.target()), caller, dtid);
            } catch (MosaicException e) {
                failed.add(describe(rm.target()));
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            unresolved.increment();
            throw failure(first, "atomic commit of " + dtid + " is committed but not yet on " + failed
                    + "; the resolver will complete the commit there: ", null);
        }
        try {
            gateway.concludeTransaction(primary(mm.target()), caller, dtid);
        } catch (MosaicException e) {
            // Committed everywhere; the resolver finds the record and concludes it.
        }
        committed.increment();
    }

    /** Rollback after the record exists: SetRollback on the MM, RollbackPrepared everywhere, Conclude. */
    private MosaicException rollbackDecided(ShardSession mm, List<ShardSession> rms, CallerID caller, String dtid) {
        MosaicException first = null;
        try {
            gateway.setRollback(mm, caller, dtid);
        } catch (MosaicException e) {
            first = e;
        }
        for (ShardSession rm : rms) {
            try {
                gateway.rollbackPrepared(primary(rm.target()), caller, dtid, rm.transactionId());
            } catch (MosaicException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            return first;
        }
        try {
            gateway.concludeTransaction(primary(mm.target()), caller, dtid);
        } catch (MosaicException e) {
            return e;
        }
        return null;
    }

    private void count(MosaicException rollback) {
        (rollback == null ? rolledBack : unresolved).increment();
    }


    private MosaicException rollbackAll(List<ShardSession> shards, CallerID caller) {
        MosaicException first = null;
        for (ShardSession s : shards) {
            try {
                gateway.rollback(s, caller);
            } catch (MosaicException e) {
                first = first == null ? e : first;
            }
        }
        return first;
    }

    private void releaseAll(List<ShardSession> shards, CallerID caller) {
        for (ShardSession s : shards) {
            try {
                gateway.release(s, caller);
            } catch (MosaicException e) {
                // the tablet ends it on its own timeout
            }
        }
    }

    private static MosaicException failure(MosaicException e, String prefix, MosaicException suppressed) {
        MosaicException out = Errors.mysqlError(e.code(), e.mysqlErrno(), e.sqlState(), prefix + e.getMessage(), e);
        if (suppressed != null) {
            out.addSuppressed(suppressed);
        }
        return out;
    }

    /** The PRIMARY target of the same shard, without a cell: where calls outside the session go. */
    static Target primary(Target t) {
        return Target.newBuilder().setKeyspace(t.getKeyspace()).setShard(t.getShard())
                .setTabletType(TabletType.PRIMARY).build();
    }

    private static String describe(Target t) {
        return t.getKeyspace() + "/" + t.getShard();
    }
}
