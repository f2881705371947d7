package dev.mosaic.tck.durability;

import static dev.mosaic.tck.Clauses.require;

import dev.mosaic.api.cluster.Tablet;
import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.api.cluster.TabletType;
import dev.mosaic.spi.durability.DurabilityPolicy;
import dev.mosaic.spi.durability.DurabilityPolicyFactory;
import dev.mosaic.spi.durability.PromotionRule;
import dev.mosaic.tck.Clause;
import dev.mosaic.tck.ClauseWarning;
import dev.mosaic.tck.PluginContract;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The contract of a durability-policy provider: the policy is a small pure function of the tablets
 * it is asked about (Vitess's {@code Durabler}).
 *
 * <p>A plugin author extends it and implements {@link #factory()} (and {@link #sampleConfig()} if
 * the factory has required keys). The contract creates instances through the registry and asks
 * them about {@link #sampleTablets()}: one tablet of every {@link TabletType} in each of the
 * {@link #CELLS}, so every pair covers the same-cell and cross-cell layouts. The reparent safety
 * predicates are derived from these answers by the framework; a policy that breaks a clause
 * would make them wrong.
 *
 * <p>{@code durability.acks-reachable} is a warning clause: failing it does not break the
 * contract (the runner prints {@code WARN}), but a primary under such a policy blocks every
 * commit until the semi-sync timeout. JUnit creates one instance per clause; nothing is shared
 * between clauses.
 */
public abstract class DurabilityContract extends PluginContract<DurabilityPolicyFactory> {
    /** The cells the sample tablets live in. */
    public static final List<String> CELLS = List.of("zone1", "zone2", "zone3");
    /** The tablet types that never serve queries and must never be promoted. */
    public static final Set<TabletType> NON_SERVING = EnumSet.of(TabletType.BACKUP, TabletType.RESTORE,
            TabletType.SPARE, TabletType.DRAINED);
    /** How many times {@code durability.deterministic} repeats each question. */
    public static final int REPEATS = 3;

    /** For subclasses. */
    protected DurabilityContract() {
    }

    /**
     * The tablets the clauses ask about: for each cell in {@link #CELLS} and each tablet type, one
     * tablet of keyspace {@code tck}, shard {@code -}, uids numbered from 100. Override to add
     * tablets (keep these: the clauses rely on every type in every cell being present).
     *
     * @return the sample tablets, distinct aliases
     */
    protected List<Tablet> sampleTablets() {
        List<Tablet> out = new ArrayList<>();
        long uid = 100;
        for (String cell : CELLS) {
            for (TabletType type : TabletType.values()) {
                out.add(tablet(cell, uid++, type));
            }
        }
        return out;
    }

    /**
     * A tablet of keyspace {@code tck}, shard {@code -}, with made-up addresses.
     *
     * @param cell the cell
     * @param uid  the uid
     * @param type the type
     * @return the tablet
     */
    public static Tablet tablet(String cell, long uid, TabletType type) {
        return new Tablet(new TabletAlias(cell, uid), "host-" + uid, 15000, 15001, "mysql-" + uid, 3306,
                "tck", "-", type, Map.of());
    }

    /**
     * A new policy from the factory under test, created through the registry with the sample
     * configuration. Skips the clause when the registry refuses the provider or the instance
     * cannot be created (the registry clauses report those), or a required key has no sample value.
     *
     * @return a new policy
     */
    protected final DurabilityPolicy newPolicy() {
        return serviceInstance(DurabilityPolicy.class);
    }

    /**
     * <b>durability.total</b>: {@code promotionRule}, {@code semiSyncAckers},
     * {@code isReplicaSemiSync} (for every ordered pair of distinct sample tablets) and
     * {@code hasSemiSync} answer without throwing; {@code promotionRule} never returns null.
     */
    @Test
    @Tag("durability.total")
    @Clause(value = "durability.total",
            text = "every method answers for every tablet type and cell layout without throwing; promotion rules are never null")
    public final void total() {
        DurabilityPolicy p = newPolicy();
        List<Tablet> tablets = sampleTablets();
        for (Tablet t : tablets) {
            PromotionRule rule = ask(() -> p.promotionRule(t), "promotionRule(" + label(t) + ")");
            require(rule != null, () -> "promotionRule(" + label(t) + ") returned null");
            ask(() -> p.semiSyncAckers(t), "semiSyncAckers(" + label(t) + ")");
            for (Tablet r : tablets) {
                if (!r.alias().equals(t.alias())) {
                    ask(() -> p.isReplicaSemiSync(t, r), "isReplicaSemiSync(" + label(t) + ", " + label(r) + ")");
                }
            }
        }
        ask(p::hasSemiSync, "hasSemiSync()");
    }

    /**
     * <b>durability.must-not-non-serving</b>: a tablet of a non-serving type ({@link #NON_SERVING})
     * is {@link PromotionRule#MUST_NOT}, in every cell.
     */
    @Test
    @Tag("durability.must-not-non-serving")
    @Clause(value = "durability.must-not-non-serving",
            text = "backup, restore, spare and drained tablets are never promoted (MUST_NOT)")
    public final void mustNotNonServing() {
        DurabilityPolicy p = newPolicy();
        for (Tablet t : sampleTablets()) {
            if (NON_SERVING.contains(t.type())) {
                PromotionRule rule = p.promotionRule(t);
                require(rule == PromotionRule.MUST_NOT, () -> "promotionRule(" + label(t) + ") is " + rule
                        + "; a non-serving tablet must be MUST_NOT");
            }
        }
    }

    /**
     * <b>durability.ack-count</b>: {@code semiSyncAckers} is never negative.
     */
    @Test
    @Tag("durability.ack-count")
    @Clause(value = "durability.ack-count", text = "semiSyncAckers is never negative")
    public final void ackCount() {
        DurabilityPolicy p = newPolicy();
        for (Tablet t : sampleTablets()) {
            int acks = p.semiSyncAckers(t);
            require(acks >= 0, () -> "semiSyncAckers(" + label(t) + ") is " + acks);
        }
    }

    /**
     * <b>durability.has-semi-sync</b>: {@code hasSemiSync()} is true exactly when some primary
     * needs at least one ack.
     */
    @Test
    @Tag("durability.has-semi-sync")
    @Clause(value = "durability.has-semi-sync",
            text = "hasSemiSync() is true exactly when some primary needs at least one semi-sync ack")
    public final void hasSemiSync() {
        DurabilityPolicy p = newPolicy();
        Tablet needing = null;
        for (Tablet t : sampleTablets()) {
            if (t.type() == TabletType.PRIMARY && p.semiSyncAckers(t) > 0) {
                needing = t;
                break;
            }
        }
        boolean has = p.hasSemiSync();
        Tablet n = needing;
        require(has == (n != null), () -> n != null
                ? "hasSemiSync() is false but semiSyncAckers(" + label(n) + ") is " + p.semiSyncAckers(n)
                : "hasSemiSync() is true but no primary needs an ack");
    }

    /**
     * <b>durability.acks-reachable</b> (warning): for every sample primary needing {@code N}
     * acks, a shard with {@code N} replicas and {@code N} rdonly tablets in each cell holds at
     * least {@code N} tablets that ack for it; otherwise its commits could never be acknowledged.
     */
    @Test
    @Tag("durability.acks-reachable")
    @Clause(value = "durability.acks-reachable",
            text = "(warning) a primary needing N acks has at least N acking tablets in a shard with N replicas and N rdonly tablets per cell")
    public final void acksReachable() {
        DurabilityPolicy p = newPolicy();
        for (Tablet primary : sampleTablets()) {
            if (primary.type() != TabletType.PRIMARY) {
                continue;
            }
            int needed = p.semiSyncAckers(primary);
            int ackers = 0;
            int shardSize = 0;
            long uid = 10_000;
            for (String cell : CELLS) {
                for (TabletType type : List.of(TabletType.REPLICA, TabletType.RDONLY)) {
                    for (int i = 0; i < needed; i++) {
                        shardSize++;
                        if (p.isReplicaSemiSync(primary, tablet(cell, uid++, type))) {
                            ackers++;
                        }
                    }
                }
            }
            int found = ackers;
            int size = shardSize;
            ClauseWarning.warnUnless(found >= needed, label(primary) + " needs " + needed + " acks but only " + found
                    + " of " + size + " replica and rdonly tablets in " + CELLS + " ack for it: every commit would wait for the semi-sync timeout");
        }
    }

    /**
     * <b>durability.deterministic</b>: two instances created with the same configuration, and
     * repeated calls on one, give the same answers for the same tablets.
     */
    @Test
    @Tag("durability.deterministic")
    @Clause(value = "durability.deterministic",
            text = "the same questions get the same answers, from one instance and from another with the same configuration")
    public final void deterministic() {
        DurabilityPolicy a = newPolicy();
        DurabilityPolicy b = newPolicy();
        List<Tablet> tablets = sampleTablets();
        String first = answers(a, tablets);
        for (int i = 0; i < REPEATS; i++) {
            String again = answers(a, tablets);
            require(first.equals(again), () -> "repeated questions got different answers: " + diff(first, again));
        }
        String other = answers(b, tablets);
        require(first.equals(other), () -> "an instance with the same configuration answers differently: " + diff(first, other));
    }

    private static String answers(DurabilityPolicy p, List<Tablet> tablets) {
        StringBuilder sb = new StringBuilder();
        sb.append("hasSemiSync()=").append(answer(p::hasSemiSync)).append('\n');
        for (Tablet t : tablets) {
            sb.append("promotionRule(").append(label(t)).append(")=").append(answer(() -> p.promotionRule(t))).append('\n');
            sb.append("semiSyncAckers(").append(label(t)).append(")=").append(answer(() -> p.semiSyncAckers(t))).append('\n');
            for (Tablet r : tablets) {
                if (!r.alias().equals(t.alias())) {
                    sb.append("isReplicaSemiSync(").append(label(t)).append(", ").append(label(r)).append(")=")
                            .append(answer(() -> p.isReplicaSemiSync(t, r))).append('\n');
                }
            }
        }
        return sb.toString();
    }

    /** An answer, or the exception it threw (totality is another clause's business). */
    private static String answer(Supplier<?> question) {
        try {
            return String.valueOf(question.get());
        } catch (RuntimeException e) {
            return "threw " + e.getClass().getName();
        }
    }

    private static String diff(String a, String b) {
        String[] x = a.split("\n");
        String[] y = b.split("\n");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (!x[i].equals(y[i])) {
                return x[i] + " then " + y[i].substring(y[i].indexOf('=') + 1);
            }
        }
        return "different number of answers";
    }

    private static <T> T ask(Supplier<T> question, String what) {
        try {
            return question.get();
        } catch (RuntimeException e) {
            throw new AssertionError(what + " threw " + e, e);
        }
    }

    /**
     * How messages name a tablet: {@code replica@zone2-101}.
     *
     * @param t a tablet
     * @return its type and alias
     */
    public static String label(Tablet t) {
        return t.type().lowerName() + "@" + t.alias().cell() + "-" + t.alias().uid();
    }
}
