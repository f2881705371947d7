package dev.mosaic.spi.durability;

import dev.mosaic.api.cluster.Tablet;

/**
 * Decides how safe a shard's writes are and who may take over as primary (Vitess's
 * {@code Durabler}). A policy is a small pure object: its answers depend only on the tablets
 * passed in, never on time or external state, and every method is total over all tablet types
 * and cells.
 *
 * <p>The safety predicates used by reparenting (has the old primary lost the ability to commit?
 * can a candidate make progress?) are derived from these answers by the framework, not by the
 * policy.
 */
public interface DurabilityPolicy {
    /** How eligible {@code tablet} is to become primary. Non-serving types must be {@link PromotionRule#MUST_NOT}. */
    PromotionRule promotionRule(Tablet tablet);

    /** How many semi-sync acknowledgements {@code primary} needs before a commit returns; 0 disables semi-sync. */
    int semiSyncAckers(Tablet primary);

    /** True if {@code replica} sends semi-sync acknowledgements when replicating from {@code primary}. */
    boolean isReplicaSemiSync(Tablet primary, Tablet replica);

    /** True if this policy ever requires semi-sync acknowledgements. */
    boolean hasSemiSync();
}
