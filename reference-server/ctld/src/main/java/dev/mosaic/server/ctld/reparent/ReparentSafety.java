package dev.mosaic.server.ctld.reparent;

import dev.mosaic.api.cluster.Tablet;
import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.spi.durability.DurabilityPolicy;
import dev.mosaic.spi.durability.PromotionRule;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reparent safety predicates over a shard's tablets, for any {@link DurabilityPolicy}. Tablets are
 * identified by alias. "Reached" tablets are those a reparent has contacted and stopped: their
 * replication is stopped and they are read-only, so they neither commit nor acknowledge. Pure;
 * thread-safe.
 */
public final class ReparentSafety {
    private final DurabilityPolicy policy;

    /**
     * Binds the predicates to a policy.
     *
     * @param policy the keyspace's durability policy
     */
    public ReparentSafety(DurabilityPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /**
     * The tablets among {@code tablets} (other than {@code primary} itself) that would send
     * semi-sync acks to {@code primary}.
     *
     * @param primary a primary or candidate
     * @param tablets any tablets
     * @return the ackers, in the given order
     */
    public List<Tablet> ackersFor(Tablet primary, Collection<Tablet> tablets) {
        return tablets.stream()
                .filter(t -> !t.alias().equals(primary.alias()))
                .filter(t -> policy.isReplicaSemiSync(primary, t))
                .toList();
    }

    /**
     * Whether {@code candidate} can no longer commit: it was reached itself, or so many of its
     * ackers were reached that the rest cannot give it the acks it needs. A candidate needing no
     * acks that was not reached can always commit.
     *
     * @param candidate a tablet that might be (or become) a primary
     * @param reached   the tablets stopped so far
     * @param all       every tablet of the shard
     * @return true if {@code candidate} cannot accept a write
     */
    public boolean haveRevoked(Tablet candidate, Collection<Tablet> reached, Collection<Tablet> all) {
        Set<TabletAlias> stopped = aliases(reached);
        if (stopped.contains(candidate.alias())) {
            return true;
        }
        long unreachedAckers = ackersFor(candidate, all).stream().filter(t -> !stopped.contains(t.alias())).count();
        return unreachedAckers < policy.semiSyncAckers(candidate);
    }

    /**
     * Whether no tablet that could be a primary (any whose promotion rule is not
     * {@link PromotionRule#MUST_NOT}) can still commit: the condition an emergency reparent needs
     * before it picks a new primary, so no write is acknowledged by the old one afterwards.
     *
     * @param reached the tablets stopped so far
     * @param all     every tablet of the shard
     * @return true if every possible primary has been revoked
     */
    public boolean haveRevoked(Collection<Tablet> reached, Collection<Tablet> all) {
        return all.stream()
                .filter(t -> policy.promotionRule(t) != PromotionRule.MUST_NOT)
                .allMatch(t -> haveRevoked(t, reached, all));
    }

    /**
     * Whether {@code candidate}, once promoted, can commit with the tablets reached: it was reached
     * itself (an unreached tablet may be down) and enough reached tablets would ack for it.
     *
     * @param candidate the tablet to promote
     * @param reached   the tablets reached (they will replicate from the candidate)
     * @return true if the candidate can make progress
     */
    public boolean canEstablish(Tablet candidate, Collection<Tablet> reached) {
        if (!aliases(reached).contains(candidate.alias())) {
            return false;
        }
        return ackersFor(candidate, reached).size() >= policy.semiSyncAckers(candidate);
    }

    private static Set<TabletAlias> aliases(Collection<Tablet> tablets) {
        return tablets.stream().map(Tablet::alias).collect(Collectors.toUnmodifiableSet());
    }
}
