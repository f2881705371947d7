package dev.mosaic.spi.vindex;

import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.Value;
import java.util.List;

/**
 * A vindex backed by a lookup table that the gate maintains when rows of its owner table are
 * inserted, updated or deleted (Vitess's {@code Lookup} interface). All table access goes through
 * the {@link VindexCursor}, inside the caller's transaction unless the vindex is configured for
 * autocommit.
 */
public interface LookupVindex {
    /**
     * Records that each row (its values of the vindex's columns) lives at the keyspace id of the
     * same index.
     *
     * @param ignoreDuplicates true for {@code INSERT IGNORE}: a duplicate is skipped, not an error
     * @throws dev.mosaic.api.error.MosaicException {@code DUP_ENTRY} for a unique vindex whose value
     *         already maps to a live row elsewhere
     */
    void create(VindexCursor cursor, List<List<Value>> rows, List<KeyspaceId> ksids, boolean ignoreDuplicates);

    /** Removes the entries of these rows, all living at {@code ksid}. */
    void delete(VindexCursor cursor, List<List<Value>> rows, KeyspaceId ksid);

    /** Moves one row's entry from its old values to its new values (the keyspace id is unchanged). */
    void update(VindexCursor cursor, List<Value> oldValues, KeyspaceId ksid, List<Value> newValues);

    /** True if rows of the owner table are only written, never read through this vindex yet (backfill). */
    default boolean isWriteOnly() {
        return false;
    }
}
