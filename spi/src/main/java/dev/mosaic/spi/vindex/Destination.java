package dev.mosaic.spi.vindex;

import dev.mosaic.api.key.KeyRange;
import dev.mosaic.api.key.KeyspaceId;
import java.util.List;
import java.util.Objects;

/** Where a value's rows live, as a vindex answers it (Vitess's {@code key.Destination}). */
public sealed interface Destination permits Destination.One, Destination.Many, Destination.Range, Destination.None {

    /** Exactly one keyspace id. */
    record One(KeyspaceId id) implements Destination {
        /** Rejects null. */
        public One {
            Objects.requireNonNull(id, "id");
        }
    }

    /** Several keyspace ids (non-unique vindexes). */
    record Many(List<KeyspaceId> ids) implements Destination {
        /** Copies the list. */
        public Many {
            ids = List.copyOf(ids);
        }
    }

    /** A key range (range and prefix mapping, partial multi-column vindexes). */
    record Range(KeyRange range) implements Destination {
        /** Rejects null. */
        public Range {
            Objects.requireNonNull(range, "range");
        }
    }

    /** Nowhere: the value cannot exist in any shard (e.g. a lookup found nothing, or NULL). */
    record None() implements Destination {
    }

    /** The shared {@link None}. */
    None NONE = new None();
}
