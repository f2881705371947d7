package dev.mosaic.server.gate.server;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import dev.mosaic.api.sql.Value;
import dev.mosaic.proto.query.CallerID;
import dev.mosaic.server.gate.executor.Executor;
import dev.mosaic.server.gate.executor.GateSession;
import dev.mosaic.server.mysql.protocol.command.PreparedInfo;
import dev.mosaic.server.mysql.protocol.command.PreparedStatement;
import dev.mosaic.server.mysql.protocol.command.ResultSink;
import dev.mosaic.server.mysql.protocol.command.Session;
import dev.mosaic.server.mysql.protocol.command.SessionHandler;
import dev.mosaic.server.mysql.protocol.result.Column;
import dev.mosaic.server.sql.cache.CachingPlanner;
import dev.mosaic.server.sql.parse.StatementSplitter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * The MySQL protocol's {@link SessionHandler} backed by the gate's {@link Executor}: each
 * connection gets a {@link GateSession}; COM_QUERY and COM_INIT_DB run through the executor;
 * prepared statements (planned once, executed with bound parameters) and COM_FIELD_LIST through
 * {@link GatePreparedStatements}. Errors are {@link MosaicException}s, which the protocol layer
 * sends as MySQL error packets with the code's error number and SQLSTATE. The session's autocommit
 * and transaction state are echoed in the status flags; COM_RESET_CONNECTION and the end of the
 * connection roll back its transaction and release its reserved connections.
 */
public final class GateSessionHandler implements SessionHandler {
    private final Executor executor;
    private final GatePreparedStatements prepared;

    /**
     * A handler running every session's statements on {@code executor}.
     *
     * @param planner  the plan cache {@code executor} plans with, which prepared statements plan with too
     * @param registry where to publish the prepared-statement metrics
     */
    public GateSessionHandler(Executor executor, CachingPlanner planner, MeterRegistry registry) {
        this.executor = executor;
        this.prepared = new GatePreparedStatements(executor, planner, registry);
    }

    @Override
    public void open(Session session) {
        session.attach(newState(session));
        String schema = session.schema();
        if (schema != null && !schema.isEmpty()) {
            initDb(session, schema);
        }
    }

    @Override
    public void query(Session session, String sql, ResultSink sink) {
        if (sql.indexOf(';') >= 0) {
            List<String> statements = StatementSplitter.split(sql);
            if (statements.size() > 1) {
                if (!session.multiStatements()) {
                    throw new MosaicException(SqlError.PARSE_ERROR, "You have an error in your SQL syntax: "
                            + statements.size() + " statements in one query, and the client did not enable"
                            + " multi-statements (CLIENT_MULTI_STATEMENTS)");
                }
                // One result per statement, in order; the first failure ends the query, as in MySQL.
                for (String statement : statements) {
                    executor.execute(state(session), caller(session), statement, sink);
                    session.setSchema(nullToEmpty(state(session).keyspace()));
                }
                return;
            }
        }
        executor.execute(state(session), caller(session), sql, sink);
        session.setSchema(nullToEmpty(state(session).keyspace()));
    }

    @Override
    public void initDb(Session session, String schema) {
        // USE goes through the planner so an unknown keyspace fails as MySQL's 1049.
        executor.execute(state(session), caller(session), "USE `" + schema.replace("`", "``") + "`", new DiscardingSink());
    }

    @Override
    public PreparedInfo prepare(Session session, String sql) {
        return prepared.prepare(state(session), caller(session), sql);
    }

    @Override
    public void execute(Session session, PreparedStatement statement, List<Value> params, ResultSink sink) {
        prepared.execute(state(session), caller(session), statement, params, sink);
        session.setSchema(nullToEmpty(state(session).keyspace()));
    }

    @Override
    public List<Column> fieldList(Session session, String table, String wildcard) {
        return prepared.fieldList(state(session), caller(session), table, wildcard);
    }

    @Override
    public void reset(Session session) {
        executor.resetSession(state(session), caller(session));
    }

    @Override
    public void close(Session session) {
        try {
            if (session.attachment() instanceof GateSession g) {
                executor.closeSession(g, caller(session));
            }
        } finally {
            session.attach(null);
        }
    }

    private static GateSession state(Session session) {
        Object a = session.attachment();
        if (a instanceof GateSession g) {
            return g;
        }
        GateSession g = newState(session);
        session.attach(g);
        return g;
    }

    /** A gate session whose autocommit and transaction state reach the protocol's status flags. */
    private static GateSession newState(Session session) {
        GateSession g = new GateSession(session.connectionId());
        g.statusListener((autocommit, inTransaction) -> {
            session.setAutocommit(autocommit);
            session.setInTransaction(inTransaction);
        });
        return g;
    }

    private static CallerID caller(Session session) {
        return CallerID.newBuilder().setPrincipal(session.user()).build();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** For the OK of a USE run on the client's behalf (COM_INIT_DB answers with its own OK). */
    private static final class DiscardingSink implements ResultSink {
        @Override
        public void ok(long affectedRows, long lastInsertId, int warnings, String info) {
        }

        @Override
        public void columns(List<Column> columns) {
        }

        @Override
        public void row(byte[][] values) {
        }

        @Override
        public void row(long[] lengths, io.netty.buffer.ByteBuf values) {
        }

        @Override
        public void endRows(int warnings) {
        }
    }
}
