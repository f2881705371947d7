package dev.mosaic.server.tablet.twopc;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.tablet.tx.DetachedTransaction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The prepared transactions of this tablet by dtid, as Vitess's prepared pool: each holds its
 * MySQL transaction (and its row locks) open until CommitPrepared or RollbackPrepared takes it.
 * A transaction being committed or rolled back is <em>reserved</em>: still counted, but no second
 * caller can take it. Dtids whose replay from the redo log failed are kept apart with the reason.
 *
 * <p>Thread-safe.
 */
public final class PreparedPool {
    private final int capacity;
    private final Map<String, DetachedTransaction> conns = new LinkedHashMap<>();
    private final Set<String> reserved = new HashSet<>();
    private final Map<String, String> failed = new HashMap<>();

    /** A pool of at most {@code capacity} prepared transactions. */
    public PreparedPool(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Adds a prepared transaction.
     *
     * @throws MosaicException ALREADY_EXISTS if {@code dtid} is there already; RESOURCE_EXHAUSTED when full
     */
    public synchronized void put(String dtid, DetachedTransaction t) {
        if (conns.containsKey(dtid)) {
            throw new MosaicException(ErrorCode.ALREADY_EXISTS, "duplicate dtid: " + dtid);
        }
        if (conns.size() >= capacity) {
            throw new MosaicException(ErrorCode.RESOURCE_EXHAUSTED, "prepared transactions exceeded limit: " + capacity);
        }
        failed.remove(dtid);
        conns.put(dtid, t);
    }

    /**
     * Takes {@code dtid} for commit or rollback: reserved until {@link #forget} or
     * {@link #release}. Null if there is none.
     *
     * @throws MosaicException FAILED_PRECONDITION if another caller is committing or rolling it back
     */
    public synchronized DetachedTransaction take(String dtid) {
        DetachedTransaction t = conns.get(dtid);
        if (t == null) {
            return null;
        }
        if (!reserved.add(dtid)) {
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION, "dtid " + dtid
                    + ": already being committed or rolled back");
        }
        return t;
    }

    /** Gives a taken transaction back (its commit did not happen and it is still prepared). */
    public synchronized void release(String dtid) {
        reserved.remove(dtid);
    }

    /** Removes {@code dtid} (ended, or its connection is gone). */
    public synchronized void forget(String dtid) {
        conns.remove(dtid);
        reserved.remove(dtid);
    }

    /** True if {@code dtid} is held (reserved or not). */
    public synchronized boolean contains(String dtid) {
        return conns.containsKey(dtid);
    }

    /** Marks {@code dtid} as failed to replay, with the reason. */
    public synchronized void markFailed(String dtid, String why) {
        failed.put(dtid, why);
    }

    /** Why {@code dtid} failed to replay, or null. */
    public synchronized String failure(String dtid) {
        return failed.get(dtid);
    }

    /** Forgets a failure (the entry was rolled back). */
    public synchronized void clearFailure(String dtid) {
        failed.remove(dtid);
    }

    /** The dtids held, in the order they were prepared. */
    public synchronized List<String> dtids() {
        return new ArrayList<>(conns.keySet());
    }

    /** The dtids that failed to replay. */
    public synchronized Set<String> failedDtids() {
        return Set.copyOf(failed.keySet());
    }

    /** The transactions not reserved now, by dtid (for the liveness check). */
    public synchronized Map<String, DetachedTransaction> idle() {
        Map<String, DetachedTransaction> out = new LinkedHashMap<>();
        for (Map.Entry<String, DetachedTransaction> e : conns.entrySet()) {
            if (!reserved.contains(e.getKey())) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /** Removes and returns every transaction (shutdown), reserved ones included. */
    public synchronized List<DetachedTransaction> drain() {
        List<DetachedTransaction> out = new ArrayList<>(conns.values());
        conns.clear();
        reserved.clear();
        return out;
    }

    /** How many are held. */
    public synchronized int size() {
        return conns.size();
    }
}
