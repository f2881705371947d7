package dev.mosaic.spi.vindex;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.Value;
import java.util.List;

/**
 * The gate's side of lookup vindexes: structured reads and writes of a table in the keyspace
 * that holds it, in the session of the statement being executed. Vindexes never build SQL text;
 * the gate does, with proper quoting and routing.
 *
 * <p>Every call names a {@link CommitOrder}, which a consistent lookup needs: writes in
 * {@link CommitOrder#PRE} run in a separate transaction committed before the main one, those in
 * {@link CommitOrder#POST} in one committed after it, so that a lookup may hold extra rows but
 * never misses a live row. {@link CommitOrder#AUTOCOMMIT} commits immediately, outside any
 * transaction.
 *
 * <p>Errors are {@link MosaicException}s; a duplicate key on insert is reported with
 * {@link dev.mosaic.api.error.SqlError#DUP_ENTRY}.
 */
public interface VindexCursor {
    /** When a write becomes durable relative to the statement's own transaction. */
    enum CommitOrder {
        /** Committed before the main transaction. */
        PRE,
        /** Part of the main transaction. */
        NORMAL,
        /** Committed after the main transaction. */
        POST,
        /** Committed at once, outside any transaction. */
        AUTOCOMMIT
    }

    /** Row locking of a read. */
    enum ReadLock {
        /** A plain consistent read. */
        NONE,
        /** {@code LOCK IN SHARE MODE}. */
        SHARED,
        /** {@code FOR UPDATE}. */
        EXCLUSIVE
    }

    /** What an insert does with a row whose unique key already exists. */
    enum OnDuplicate {
        /** Fail the statement with {@code DUP_ENTRY}. */
        FAIL,
        /** Skip the row ({@code INSERT IGNORE}). */
        IGNORE,
        /** Overwrite the existing row's other columns with the new row's ({@code ON DUPLICATE KEY UPDATE}). */
        UPDATE
    }

    /**
     * For each key, the rows of {@code table} whose {@code keyColumns} equal it.
     *
     * @param table         a table name, optionally {@code keyspace.table}
     * @param keyColumns    the columns to match
     * @param keys          the values to match, one list per key, aligned with {@code keyColumns}
     * @param resultColumns the columns to return
     * @return for each key (same order), the matching rows, each a list of {@code resultColumns} values
     */
    List<List<List<Value>>> select(String table, List<String> keyColumns, List<List<Value>> keys,
                                   List<String> resultColumns, ReadLock lock, CommitOrder order);

    /**
     * Like {@link #select} but read only on the shard that owns {@code ksid} (the gate routes by
     * keyspace id instead of scattering). Consistent lookups use it to check the owner row a
     * lookup row points to.
     */
    List<List<List<Value>>> selectAt(KeyspaceId ksid, String table, List<String> keyColumns, List<List<Value>> keys,
                                     List<String> resultColumns, ReadLock lock, CommitOrder order);

    /**
     * Inserts rows.
     *
     * @param onDuplicate what to do with a row whose unique key already exists
     */
    void insert(String table, List<String> columns, List<List<Value>> rows, OnDuplicate onDuplicate, CommitOrder order);

    /** Deletes the rows whose {@code keyColumns} equal {@code key}. */
    void delete(String table, List<String> keyColumns, List<Value> key, CommitOrder order);

    /** Sets {@code setColumns} to {@code setValues} in the rows whose {@code keyColumns} equal {@code key}. */
    void update(String table, List<String> setColumns, List<Value> setValues, List<String> keyColumns,
                List<Value> key, CommitOrder order);

    /**
     * True if the statement being executed is DML inside an explicit transaction. Lookups apply
     * their {@code read_lock} only then, as Vitess's {@code InTransactionAndIsDML}.
     */
    boolean inTransactionAndIsDml();

    /**
     * The session a consistent lookup reads its rows in: {@link CommitOrder#PRE} for inserts and
     * selects, {@link CommitOrder#POST} for updates and deletes (Vitess's
     * {@code LookupRowLockShardSession}).
     */
    CommitOrder lookupRowLockShardSession();

    /**
     * A cursor for vindexes that need none: table access fails with {@code FAILED_PRECONDITION};
     * it is never in a transaction.
     */
    VindexCursor NONE = new VindexCursor() {
        private MosaicException fail() {
            return new MosaicException(ErrorCode.FAILED_PRECONDITION, "this vindex operation needs a cursor and none was given");
        }

        @Override
        public List<List<List<Value>>> select(String table, List<String> keyColumns, List<List<Value>> keys,
                                              List<String> resultColumns, ReadLock lock, CommitOrder order) {
            throw fail();
        }

        @Override
        public List<List<List<Value>>> selectAt(KeyspaceId ksid, String table, List<String> keyColumns,
                                                List<List<Value>> keys, List<String> resultColumns, ReadLock lock,
                                                CommitOrder order) {
            throw fail();
        }

        @Override
        public void insert(String table, List<String> columns, List<List<Value>> rows, OnDuplicate onDuplicate,
                           CommitOrder order) {
            throw fail();
        }

        @Override
        public boolean inTransactionAndIsDml() {
            return false;
        }

        @Override
        public CommitOrder lookupRowLockShardSession() {
            return CommitOrder.PRE;
        }

        @Override
        public void delete(String table, List<String> keyColumns, List<Value> key, CommitOrder order) {
            throw fail();
        }

        @Override
        public void update(String table, List<String> setColumns, List<Value> setValues, List<String> keyColumns,
                           List<Value> key, CommitOrder order) {
            throw fail();
        }
    };
}
