package dev.mosaic.api.cluster;

import dev.mosaic.api.key.KeyRange;
import java.util.Objects;
import java.util.Optional;

/**
 * A shard record: one slice of a keyspace, served by one primary and its replicas.
 *
 * @param keyspace        the keyspace it belongs to
 * @param name            the shard name: a key range in Vitess notation ({@code -80}) or, for an
 *                        unsharded keyspace, {@code 0}
 * @param keyRange        the key range the name denotes ({@link KeyRange#FULL} for {@code 0})
 * @param primary         the current primary tablet, if one has been elected
 * @param primaryTermStartMillis when the current primary's term began (epoch millis), 0 if none
 * @param isPrimaryServing whether the shard's primary serves traffic (false while a
 *                        resharding cutover has moved writes elsewhere)
 */
public record Shard(String keyspace, String name, KeyRange keyRange, Optional<TabletAlias> primary,
                    long primaryTermStartMillis, boolean isPrimaryServing) {
    /** Validates the components; the name must agree with the key range. */
    public Shard {
        Names.requireName("keyspace name", keyspace);
        Names.requireName("shard name", name);
        Objects.requireNonNull(keyRange, "keyRange");
        Objects.requireNonNull(primary, "primary");
        if (!keyRangeOf(name).equals(keyRange)) {
            throw new IllegalArgumentException("shard name '" + name + "' does not match key range " + keyRange);
        }
    }

    /** A new shard with no primary yet, serving. */
    public static Shard create(String keyspace, String name) {
        return new Shard(keyspace, name, keyRangeOf(name), Optional.empty(), 0L, true);
    }

    /**
     * The key range a shard name denotes: Vitess notation, or the full range for a name that is
     * not a key range ({@code 0}, or any custom unsharded name).
     */
    public static KeyRange keyRangeOf(String shardName) {
        return shardName.indexOf('-') >= 0 ? KeyRange.parse(shardName) : KeyRange.FULL;
    }
}
