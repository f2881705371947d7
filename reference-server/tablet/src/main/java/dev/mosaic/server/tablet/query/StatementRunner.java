package dev.mosaic.server.tablet.query;

import com.mysql.cj.jdbc.StatementImpl;
import com.mysql.cj.jdbc.result.ResultSetMetaData;
import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.SqlType;
import dev.mosaic.server.tablet.pool.PooledConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Runs one SQL statement on a borrowed connection with a MySQL-side timeout ({@link QueryKiller})
 * and, for non-streaming results, the row limit. Shared by the query and transaction engines.
 *
 * <p>Metrics: {@code mosaic.tablet.query.row_limit_exceeded}.
 */
public final class StatementRunner {
    private final QueryKiller killer;
    private final Counter rowLimitExceeded;
    private final List<DdlListener> ddlListeners = new CopyOnWriteArrayList<>();

    /** A runner whose timeouts are enforced by {@code killer}. */
    public StatementRunner(QueryKiller killer, MeterRegistry registry) {
        this.killer = killer;
        this.rowLimitExceeded = Counter.builder("mosaic.tablet.query.row_limit_exceeded")
                .description("results refused because they had more rows than query.max-result-rows").register(registry);
    }

    /** Adds a listener told after every DDL statement this runner runs (see {@link DdlListener}). */
    public void addDdlListener(DdlListener listener) {
        ddlListeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    private void afterStatement(String sql) {
        if (!ddlListeners.isEmpty() && StatementKind.of(sql) == StatementKind.DDL) {
            for (DdlListener l : ddlListeners) {
                try {
                    l.ddlExecuted(sql);
                } catch (RuntimeException e) {
                    // a listener's failure must not turn a statement that ran into an error
                }
            }
        }
    }

    /** The killer enforcing timeouts. */
    public QueryKiller killer() {
        return killer;
    }

    /**
     * Runs {@code sql} and reads its whole result.
     *
     * <p>If the statement is killed on timeout, the connection is discarded when
     * {@code discardOnKill} (a plain-pool connection), else left to the caller (a transaction).
     *
     * @throws MosaicException DEADLINE_EXCEEDED when killed on timeout; RESOURCE_EXHAUSTED "Row
     *     count exceeded N" when the result has more than {@code maxRows} rows; the mapped MySQL error otherwise
     */
    public QueryResult execute(PooledConnection conn, String sql, Duration timeout, int maxRows, boolean discardOnKill) {
        try {
            return executeOnce(conn, sql, timeout, maxRows, discardOnKill);
        } finally {
            afterStatement(sql);
        }
    }

    private QueryResult executeOnce(PooledConnection conn, String sql, Duration timeout, int maxRows,
            boolean discardOnKill) {
        QueryKiller.Watch watch = killer.watch(conn, timeout);
        try (Statement s = conn.jdbc().createStatement()) {
            boolean hasResultSet;
            try {
                hasResultSet = s.execute(sql);
            } finally {
                watch.close();
            }
            if (watch.fired()) {
                // A killed SLEEP() returns normally; any statement that outlived its timeout is an error.
                throw new SQLException("Query execution was interrupted", "70100", 1317);
            }
            if (!hasResultSet) {
                long affected = Math.max(0, s.getLargeUpdateCount());
                return new QueryResult(List.of(), List.of(), affected, s.unwrap(StatementImpl.class).getLastInsertID());
            }
            try (ResultSet rs = s.getResultSet()) {
                List<Field> fields = fields(rs);
                int n = fields.size();
                List<byte[][]> rows = new ArrayList<>();
                while (rs.next()) {
                    if (rows.size() == maxRows) {
                        rowLimitExceeded.increment();
                        throw new MosaicException(ErrorCode.RESOURCE_EXHAUSTED, "Row count exceeded " + maxRows);
                    }
                    rows.add(row(rs, n));
                }
                return new QueryResult(fields, rows, 0, 0);
            }
        } catch (SQLException e) {
            if (watch.fired()) {
                if (discardOnKill) {
                    conn.discard();
                }
                throw timedOut(sql, watch, conn, e);
            }
            throw failed(conn, e, sql);
        } finally {
            if (watch.fired() && discardOnKill) {
                // The KILL may have raced with the end of the statement: don't reuse the connection.
                conn.discard();
            }
        }
    }

    /**
     * Runs {@code sql} reading its result row by row (never the whole result in memory): first a
     * batch with the fields, then batches of rows of about {@code bufferSize} bytes. There is no
     * row limit. If {@code consumer} throws, the MySQL query is killed and the connection discarded.
     *
     * @throws MosaicException as {@link #execute}, or what {@code consumer} threw
     */
    public void stream(PooledConnection conn, String sql, Duration timeout, int bufferSize, Consumer<QueryResult> consumer) {
        try {
            streamOnce(conn, sql, timeout, bufferSize, consumer);
        } finally {
            afterStatement(sql);
        }
    }

    private void streamOnce(PooledConnection conn, String sql, Duration timeout, int bufferSize,
            Consumer<QueryResult> consumer) {
        QueryKiller.Watch watch = killer.watch(conn, timeout);
        boolean[] consumerFailed = {false};
        try (Statement s = conn.jdbc().createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            s.setFetchSize(Integer.MIN_VALUE); // Connector/J: stream rows instead of buffering the result
            if (!s.execute(sql)) {
                watch.close();
                if (watch.fired()) {
                    throw new SQLException("Query execution was interrupted", "70100", 1317);
                }
                long affected = Math.max(0, s.getLargeUpdateCount());
                consumer.accept(new QueryResult(List.of(), List.of(), affected, s.unwrap(StatementImpl.class).getLastInsertID()));
                return;
            }
            try (ResultSet rs = s.getResultSet()) {
                List<Field> fields = fields(rs);
                int n = fields.size();
                deliver(consumer, new QueryResult(fields, List.of(), 0, 0), conn, consumerFailed);
                List<byte[][]> batch = new ArrayList<>();
                long bytes = 0;
                while (rs.next()) {
                    byte[][] row = row(rs, n);
                    batch.add(row);
                    for (byte[] v : row) {
                        bytes += v == null ? 1 : v.length + 1;
                    }
                    if (bytes >= bufferSize) {
                        deliver(consumer, new QueryResult(List.of(), batch, 0, 0), conn, consumerFailed);
                        batch = new ArrayList<>();
                        bytes = 0;
                    }
                }
                watch.close();
                if (watch.fired()) {
                    throw new SQLException("Query execution was interrupted", "70100", 1317);
                }
                if (!batch.isEmpty()) {
                    deliver(consumer, new QueryResult(List.of(), batch, 0, 0), conn, consumerFailed);
                }
            }
        } catch (SQLException e) {
            watch.close();
            if (watch.fired()) {
                conn.discard();
                throw timedOut(sql, watch, conn, e);
            }
            throw failed(conn, e, sql);
        } finally {
            watch.close();
            if (consumerFailed[0] || watch.fired()) {
                conn.discard();
            }
        }
    }

    /**
     * The error for a statement that failed with {@code e}. A lost connection discards this one
     * and tells its pool, which drops every connection it holds: if mysqld restarted they are all
     * dead, and none may be handed out again.
     */
    private static MosaicException failed(PooledConnection conn, SQLException e, String sql) {
        if (MysqlErrors.connectionLost(e)) {
            conn.pool().connectionLost();
        }
        return MysqlErrors.toMosaic(e, sql);
    }

    /** Hands a batch over; if the consumer fails, kills the query first so closing the result set does not drain it. */
    private void deliver(Consumer<QueryResult> consumer, QueryResult batch, PooledConnection conn, boolean[] failed) {
        try {
            consumer.accept(batch);
        } catch (RuntimeException | Error e) {
            failed[0] = true;
            killer.killQuery(conn.mysqlThreadId());
            throw e;
        }
    }

    private static MosaicException timedOut(String sql, QueryKiller.Watch watch, PooledConnection conn, SQLException e) {
        return new MosaicException(ErrorCode.DEADLINE_EXCEEDED, "query timed out after " + watch.elapsed().toMillis()
                + "ms (timeout " + watch.timeout().toMillis() + "ms), killed MySQL query on connection "
                + conn.mysqlThreadId() + ": " + MysqlErrors.shorten(sql), e);
    }

    private static byte[][] row(ResultSet rs, int n) throws SQLException {
        byte[][] row = new byte[n][];
        for (int i = 0; i < n; i++) {
            row[i] = rs.getBytes(i + 1);
        }
        return row;
    }

    private static List<Field> fields(ResultSet rs) throws SQLException {
        com.mysql.cj.result.Field[] fs = rs.getMetaData().unwrap(ResultSetMetaData.class).getFields();
        List<Field> out = new ArrayList<>(fs.length);
        for (com.mysql.cj.result.Field f : fs) {
            out.add(new Field(f.getName(), f.getOriginalName(), f.getTableName(), f.getOriginalTableName(),
                    f.getDatabaseName(), sqlType(f), f.getMysqlTypeId(), protocolLength(f), f.getCollationIndex(),
                    protocolDecimals(f), f.getFlags() & 0xffff));
        }
        return out;
    }

    /**
     * The column length MySQL sent. Connector/J aligns it with information_schema while reading the
     * column definition: integer columns get their type's precision, a DECIMAL loses the sign's and
     * the point's places. The gate passes the definition on to clients that align it again, so the
     * protocol's value is restored: a DECIMAL's places back, integers MySQL's default display
     * widths (an explicit width such as {@code INT(5)} is lost), {@code TINYINT(1)} 1.
     */
    static long protocolLength(com.mysql.cj.result.Field f) {
        int point = f.getDecimals() > 0 ? 1 : 0;
        return switch (f.getMysqlType()) {
            case DECIMAL -> f.getLength() + 1 + point;
            case DECIMAL_UNSIGNED -> f.getLength() + point;
            case BOOLEAN -> 1;
            case TINYINT -> 4;
            case TINYINT_UNSIGNED -> 3;
            case SMALLINT -> 6;
            case SMALLINT_UNSIGNED -> 5;
            case MEDIUMINT -> 9;
            case MEDIUMINT_UNSIGNED -> 8;
            case INT -> 11;
            case INT_UNSIGNED -> 10;
            case BIGINT, BIGINT_UNSIGNED -> 20;
            default -> f.getLength();
        };
    }

    /**
     * The decimals MySQL sent: Connector/J reads a FLOAT's or DOUBLE's "not fixed" 31 as 0, which
     * is restored (a float column declared with 0 decimals reads as not fixed too).
     */
    static int protocolDecimals(com.mysql.cj.result.Field f) {
        return switch (f.getMysqlType()) {
            case FLOAT, FLOAT_UNSIGNED, DOUBLE, DOUBLE_UNSIGNED -> f.getDecimals() == 0 ? 31 : f.getDecimals();
            default -> f.getDecimals();
        };
    }

    /** Vitess's type name for a column. */
    static SqlType sqlType(com.mysql.cj.result.Field f) {
        boolean u = f.isUnsigned();
        switch (f.getMysqlType()) {
            case TINYINT: case BOOLEAN: return SqlType.INT8;
            case TINYINT_UNSIGNED: return SqlType.UINT8;
            case SMALLINT: return SqlType.INT16;
            case SMALLINT_UNSIGNED: return SqlType.UINT16;
            case MEDIUMINT: return SqlType.INT24;
            case MEDIUMINT_UNSIGNED: return SqlType.UINT24;
            case INT: return SqlType.INT32;
            case INT_UNSIGNED: return SqlType.UINT32;
            case BIGINT: return SqlType.INT64;
            case BIGINT_UNSIGNED: return SqlType.UINT64;
            case FLOAT: case FLOAT_UNSIGNED: return SqlType.FLOAT32;
            case DOUBLE: case DOUBLE_UNSIGNED: return SqlType.FLOAT64;
            case DECIMAL: case DECIMAL_UNSIGNED: return SqlType.DECIMAL;
            case NULL: return SqlType.NULL_TYPE;
            case TIMESTAMP: return SqlType.TIMESTAMP;
            case DATE: return SqlType.DATE;
            case TIME: return SqlType.TIME;
            case DATETIME: return SqlType.DATETIME;
            case YEAR: return SqlType.YEAR;
            case VARCHAR: return SqlType.VARCHAR;
            case VARBINARY: return SqlType.VARBINARY;
            case CHAR: return SqlType.CHAR;
            case BINARY: return SqlType.BINARY;
            case BIT: return SqlType.BIT;
            case JSON: return SqlType.JSON;
            case ENUM: return SqlType.ENUM;
            case SET: return SqlType.SET;
            case TINYTEXT: case TEXT: case MEDIUMTEXT: case LONGTEXT: return SqlType.TEXT;
            case TINYBLOB: case BLOB: case MEDIUMBLOB: case LONGBLOB: return SqlType.BLOB;
            case GEOMETRY: return SqlType.GEOMETRY;
            default: return u ? SqlType.UINT64 : SqlType.VARBINARY;
        }
    }
}
