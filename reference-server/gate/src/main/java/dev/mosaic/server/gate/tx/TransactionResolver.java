package dev.mosaic.server.gate.tx;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.proto.query.CallerID;
import dev.mosaic.proto.query.Target;
import dev.mosaic.proto.query.TransactionMetadata;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.gate.gateway.TabletGateway;
import dev.mosaic.server.gate.gateway.TabletStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Finishes distributed transactions that their coordinating gate left behind (the gate died, or a
 * CommitPrepared failed), as Vitess's gate-side resolver does. Every {@code interval} it asks the
 * primary of every shard the gateway knows for the coordinator records older than
 * {@code abandonAge} and resolves each as its state says:
 *
 * <ul>
 *   <li>COMMIT (decided): CommitPrepared on every participant, then ConcludeTransaction;
 *   <li>PREPARE (no decision, its gate is gone): SetRollback (which fails if the commit decision
 *       wins the race), then RollbackPrepared on every participant, then ConcludeTransaction;
 *   <li>ROLLBACK: RollbackPrepared on every participant, then ConcludeTransaction.
 * </ul>
 *
 * <p>A record is concluded only once every participant succeeded: an unreachable participant (a
 * mysqld restarting, a tablet gone) fails this round and the next round tries again, however long
 * it takes. Each step is idempotent on the tablet, so several gates may resolve at once.
 *
 * <p>Metrics: {@code mosaic.gate.twopc.resolved} (tag {@code state=COMMIT|ROLLBACK}),
 * {@code mosaic.gate.twopc.resolve_errors}.
 */
public final class TransactionResolver implements AutoCloseable {
    private static final CallerID CALLER = CallerID.newBuilder().setPrincipal("twopc-resolver").build();

    /**
     * The resolver's settings (gate keys {@code twopc.abandon-age}, {@code twopc.resolver-interval}).
     *
     * @param abandonAge a coordinator record at least this old is resolved (whole seconds on the wire)
     * @param interval how often the shards are asked
     */
    public record Settings(Duration abandonAge, Duration interval) {
        /** Vitess-like defaults: records a minute old, checked every 10 seconds. */
        public static final Settings DEFAULTS = new Settings(Duration.ofMinutes(1), Duration.ofSeconds(10));

        public Settings {
            Objects.requireNonNull(abandonAge, "abandonAge");
            Objects.requireNonNull(interval, "interval");
            if (abandonAge.isNegative()) {
                throw new IllegalArgumentException("twopc.abandon-age must not be negative: " + abandonAge);
            }
            if (interval.isZero() || interval.isNegative()) {
                throw new IllegalArgumentException("twopc.resolver-interval must be positive: " + interval);
            }
        }
    }

    private final TabletGateway gateway;
    private final Settings settings;
    private final ScheduledThreadPoolExecutor thread;
    private final MeterRegistry registry;
    private final Counter errors;

    private TransactionResolver(TabletGateway gateway, Settings settings, MeterRegistry registry) {
        this.gateway = gateway;
        this.settings = settings;
        this.registry = registry;
        this.errors = Counter.builder("mosaic.gate.twopc.resolve_errors")
                .description("failed attempts to resolve a distributed transaction (retried)").register(registry);
        this.thread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "gate-twopc-resolver");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts resolving every {@code settings.interval()}. */
    public static TransactionResolver start(TabletGateway gateway, Settings settings, MeterRegistry registry) {
        TransactionResolver r = new TransactionResolver(Objects.requireNonNull(gateway, "gateway"),
                Objects.requireNonNull(settings, "settings"), registry);
        long every = settings.interval().toMillis();
        r.thread.scheduleWithFixedDelay(r::resolveQuietly, every, every, TimeUnit.MILLISECONDS);
        return r;
    }

    private void resolveQuietly() {
        try {
            resolveOnce();
        } catch (RuntimeException e) {
            errors.increment();
        }
    }

    /**
     * One round over every shard's primary: resolves what is old enough.
     *
     * @return how many transactions were resolved (concluded) in this round
     */
    public int resolveOnce() {
        int done = 0;
        for (Target shard : primaries()) {
            List<TransactionMetadata> records;
            try {
                records = gateway.unresolvedTransactions(shard, CALLER, settings.abandonAge());
            } catch (MosaicException e) {
                errors.increment();
                continue;
            }
            for (TransactionMetadata t : records) {
                try {
                    resolve(shard, t);
                    done++;
                } catch (MosaicException e) {
                    errors.increment(); // retried next round
                }
            }
        }
        return done;
    }

    private void resolve(Target coordinator, TransactionMetadata t) {
        String dtid = t.getDtid();
        switch (t.getState()) {
            case COMMIT -> {
                for (Target p : t.getParticipantsList()) {
                    gateway.commitPrepared(TwoPhaseCommit.primary(p), CALLER, dtid);
                }
            }
            case PREPARE, ROLLBACK -> {
                if (t.getState() == dev.mosaic.proto.query.TransactionState.PREPARE) {
                    gateway.setRollback(coordinator, CALLER, dtid, coordinatorTxId(dtid));
                }
                for (Target p : t.getParticipantsList()) {
                    gateway.rollbackPrepared(TwoPhaseCommit.primary(p), CALLER, dtid, 0);
                }
            }
            default -> throw new MosaicException(dev.mosaic.api.error.ErrorCode.INTERNAL,
                    "distributed transaction " + dtid + " has no valid state: " + t.getState());
        }
        gateway.concludeTransaction(coordinator, CALLER, dtid);
        Counter.builder("mosaic.gate.twopc.resolved").tag("state",
                        t.getState() == dev.mosaic.proto.query.TransactionState.COMMIT ? "COMMIT" : "ROLLBACK")
                .description("distributed transactions resolved, by decision").register(registry).increment();
    }

    /** The coordinator's transaction id from a dtid {@code keyspace:shard:id}; 0 if it has none. */
    static long coordinatorTxId(String dtid) {
        int at = dtid.lastIndexOf(':');
        try {
            return at < 0 ? 0 : Long.parseLong(dtid.substring(at + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private Set<Target> primaries() {
        Set<Target> out = new LinkedHashSet<>();
        for (TabletStatus s : gateway.tablets()) {
            if (s.target().getTabletType() == TabletType.PRIMARY) {
                out.add(TwoPhaseCommit.primary(s.target()));
            }
        }
        return out;
    }

    /** Stops resolving (a round under way is interrupted). */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
