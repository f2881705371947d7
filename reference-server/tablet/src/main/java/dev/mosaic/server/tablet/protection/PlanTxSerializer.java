package dev.mosaic.server.tablet.protection;

import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.server.tablet.hotrow.HotRowProtection;
import dev.mosaic.server.tablet.hotrow.RowKey;
import dev.mosaic.server.tablet.plan.PlanCache;
import dev.mosaic.server.tablet.plan.TabletPlan;
import dev.mosaic.server.tablet.tx.TxSerializer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hot-row protection on the transaction path: a transaction's UPDATE or DELETE of a single table
 * with a WHERE clause queues in {@link HotRowProtection} under the row its {@link TabletPlan} names
 * (table + WHERE clause with the bind variables substituted, as Vitess keys its transaction
 * serializer), and keeps its place until the transaction ends.
 *
 * <ul>
 *   <li>Statements without such a key (INSERT, multi-table UPDATE, UPDATE without WHERE, text the
 *       parser cannot read) pass through, as in Vitess.
 *   <li>A transaction queues at most once, at its first keyed write; its later writes pass through.
 *       Vitess serializes only on a transaction's first statement; queueing again while holding a
 *       row could deadlock two transactions in the queue, where InnoDB would have detected it.
 *   <li>The wait is bounded by {@code waitTimeout} (the tablet's {@code query.timeout}, as Vitess
 *       bounds it by its query timeout): DEADLINE_EXCEEDED after it, RESOURCE_EXHAUSTED at once when
 *       the row's or the global queue is full.
 * </ul>
 *
 * <p>Thread-safe; the engine runs one statement at a time per transaction.
 */
public final class PlanTxSerializer implements TxSerializer {
    private final HotRowProtection protection;
    private final PlanCache plans;
    private final Duration waitTimeout;
    private final Map<Long, HotRowProtection.Permit> holding = new ConcurrentHashMap<>();

    /**
     * @param waitTimeout the longest wait for a row, or {@code null} for none
     */
    public PlanTxSerializer(HotRowProtection protection, PlanCache plans, Duration waitTimeout) {
        this.protection = Objects.requireNonNull(protection, "protection");
        this.plans = Objects.requireNonNull(plans, "plans");
        this.waitTimeout = waitTimeout;
    }

    @Override
    public Hold enter(long txId, String sql, BindVariables bindVars) {
        TabletPlan plan = plans.get(sql);
        if (plan.hotRow().isEmpty() || holding.containsKey(txId)) {
            return Hold.NONE;
        }
        RowKey row = plan.hotRow().get().bind(bindVars == null ? BindVariables.EMPTY : bindVars);
        HotRowProtection.Permit permit = protection.acquire(row, waitTimeout);
        holding.put(txId, permit);
        return () -> {
            holding.remove(txId, permit);
            permit.close();
        };
    }

    /** Transactions currently holding (running on) a row. */
    public int holdingTransactions() {
        return holding.size();
    }

    /** The protection in force (stats, tests). */
    public HotRowProtection protection() {
        return protection;
    }
}
