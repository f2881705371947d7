package dev.mosaic.api.vschema;

import java.util.Objects;

/**
 * One shard routing rule: Vitess's {@code ShardRoutingRule}. Queries for {@code shard} of
 * {@code fromKeyspace} are served by the same shard of {@code toKeyspace} (used by partial,
 * shard-by-shard MoveTables).
 *
 * @param fromKeyspace the keyspace queries name
 * @param toKeyspace   the keyspace that serves them
 * @param shard        the shard name, e.g. {@code -80}
 */
public record ShardRoutingRule(String fromKeyspace, String toKeyspace, String shard) {
    /** Rejects nulls. */
    public ShardRoutingRule {
        Objects.requireNonNull(fromKeyspace, "fromKeyspace");
        Objects.requireNonNull(toKeyspace, "toKeyspace");
        Objects.requireNonNull(shard, "shard");
    }
}
