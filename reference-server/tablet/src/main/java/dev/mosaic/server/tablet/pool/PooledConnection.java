package dev.mosaic.server.tablet.pool;

import java.sql.Connection;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A connection borrowed from a {@link ConnectionPool}, with the MySQL thread (connection) id that
 * {@code KILL} needs. Give it back exactly once: {@link #close()} when its session state is known
 * to be clean, {@link #discard()} when it is not (killed, broken, or left inside a transaction).
 * Not thread-safe: one owner at a time.
 */
public final class PooledConnection implements AutoCloseable {
    private final ConnectionPool pool;
    private final Connection connection;
    private final long mysqlThreadId;
    private final AtomicBoolean returned = new AtomicBoolean();

    PooledConnection(ConnectionPool pool, Connection connection, long mysqlThreadId) {
        this.pool = pool;
        this.connection = connection;
        this.mysqlThreadId = mysqlThreadId;
    }

    /** The JDBC connection; do not close it directly. */
    public Connection jdbc() {
        return connection;
    }

    /** MySQL's id for this connection ({@code CONNECTION_ID()}), the target of {@code KILL}. */
    public long mysqlThreadId() {
        return mysqlThreadId;
    }

    /** The pool it came from. */
    public ConnectionPool pool() {
        return pool;
    }

    /** True once it was given back ({@link #close()} or {@link #discard()}); it must not be used then. */
    public boolean returned() {
        return returned.get();
    }

    /** Returns the connection for reuse. Idempotent (with {@link #discard()}). */
    @Override
    public void close() {
        if (returned.compareAndSet(false, true)) {
            pool.release(connection, false);
        }
    }

    /** Closes the MySQL connection instead of reusing it. Idempotent (with {@link #close()}). */
    public void discard() {
        if (returned.compareAndSet(false, true)) {
            pool.release(connection, true);
        }
    }
}
