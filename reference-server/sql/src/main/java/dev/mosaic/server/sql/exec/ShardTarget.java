package dev.mosaic.server.sql.exec;

import dev.mosaic.api.key.KeyRange;
import java.util.Objects;

/**
 * One shard of a keyspace as the gate routes to it: its name and key range.
 *
 * @param name  the shard name ({@code -80}, {@code 80-}, {@code 0})
 * @param range the key range it holds
 */
public record ShardTarget(String name, KeyRange range) {
    /** Rejects nulls. */
    public ShardTarget {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(range, "range");
    }

    /** The shard named by its key range ({@code -80}); an unsharded keyspace's {@code 0} or {@code -} holds everything. */
    public static ShardTarget named(String name) {
        return new ShardTarget(name, name.equals("0") || name.equals("-") ? KeyRange.FULL : KeyRange.parse(name));
    }
}
