package dev.mosaic.server.ctld;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.proto.topo.Keyspace;
import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.server.topo.ProtoConversions;
import dev.mosaic.spi.PluginKind;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.durability.DurabilityPolicy;
import dev.mosaic.spi.durability.PromotionRule;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The keyspace's durability policy plugin, asked whether primaries and replicas use semi-sync. */
final class Durability {
    /** "none" when no plugin provides it: no semi-sync; only serving types may be promoted. */
    private static final DurabilityPolicy NONE = new DurabilityPolicy() {
        @Override
        public PromotionRule promotionRule(dev.mosaic.api.cluster.Tablet tablet) {
            return switch (tablet.type()) {
                case PRIMARY, REPLICA -> PromotionRule.NEUTRAL;
                default -> PromotionRule.MUST_NOT;
            };
        }

        @Override
        public int semiSyncAckers(dev.mosaic.api.cluster.Tablet primary) {
            return 0;
        }

        @Override
        public boolean isReplicaSemiSync(dev.mosaic.api.cluster.Tablet primary, dev.mosaic.api.cluster.Tablet replica) {
            return false;
        }

        @Override
        public boolean hasSemiSync() {
            return false;
        }
    };

    private final TopologyReads reads;
    private final Plugins plugins;

    Durability(TopologyReads reads, Plugins plugins) {
        this.reads = reads;
        this.plugins = plugins;
    }

    /**
     * The policies a keyspace may name: the durability plugins installed, and "none", which ctld
     * understands without a plugin (no semi-sync anywhere) so a cluster without durability
     * plugins still works.
     */
    static List<String> knownPolicies(Plugins plugins) {
        TreeSet<String> names = new TreeSet<>(plugins.types(PluginKind.DURABILITY));
        names.add(TopologyVerbs.DEFAULT_DURABILITY);
        return List.copyOf(names);
    }

    /** The policy the keyspace record names ("none" when it names none). */
    DurabilityPolicy policy(String keyspace) {
        Keyspace ks = reads.keyspace(keyspace);
        String name = ks.getDurabilityPolicy().isEmpty() ? TopologyVerbs.DEFAULT_DURABILITY : ks.getDurabilityPolicy();
        if (name.equals(TopologyVerbs.DEFAULT_DURABILITY)
                && !plugins.types(PluginKind.DURABILITY).contains(name)) {
            return NONE;
        }
        try {
            return plugins.create(PluginKind.DURABILITY, name, keyspace, Map.of());
        } catch (MosaicException e) {
            throw CtldErrors.precondition("keyspace " + keyspace + " names durability policy \"" + name
                    + "\" which cannot be used here: " + e.getMessage());
        }
    }

    /** Whether {@code primary} needs semi-sync acknowledgements under its keyspace's policy. */
    boolean primarySemiSync(DurabilityPolicy policy, Tablet primary) {
        return policy.semiSyncAckers(api(primary)) > 0;
    }

    /** How many semi-sync acks {@code primary} waits for under the policy (0: semi-sync off). */
    int primaryAckers(DurabilityPolicy policy, Tablet primary) {
        return policy.semiSyncAckers(api(primary));
    }

    /** Whether {@code replica} acknowledges semi-sync to {@code primary} under the policy. */
    boolean replicaSemiSync(DurabilityPolicy policy, Tablet primary, Tablet replica) {
        return policy.isReplicaSemiSync(api(primary), api(replica));
    }

    /**
     * Whether {@code replica} (with the type it is about to have) should be a semi-sync replica of
     * its shard's current primary; false while the shard has no primary.
     */
    boolean replicaSemiSync(String keyspace, String shard, Tablet replica) {
        var s = reads.shard(keyspace, shard).value();
        if (!s.hasPrimaryAlias()) {
            return false;
        }
        Tablet primary;
        try {
            primary = reads.tablet(s.getPrimaryAlias());
        } catch (MosaicException e) {
            return false; // the primary's record is gone: nothing to acknowledge to
        }
        return replicaSemiSync(policy(keyspace), primary, replica);
    }

    static dev.mosaic.api.cluster.Tablet api(Tablet t) {
        return ProtoConversions.fromProto(t);
    }
}
