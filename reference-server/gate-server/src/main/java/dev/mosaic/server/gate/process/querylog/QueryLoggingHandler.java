package dev.mosaic.server.gate.process.querylog;

import dev.mosaic.api.sql.Value;
import dev.mosaic.server.gate.executor.GateSession;
import dev.mosaic.server.mysql.protocol.command.PreparedInfo;
import dev.mosaic.server.mysql.protocol.command.PreparedStatement;
import dev.mosaic.server.mysql.protocol.command.ResultSink;
import dev.mosaic.server.mysql.protocol.command.Session;
import dev.mosaic.server.mysql.protocol.command.SessionHandler;
import dev.mosaic.server.mysql.protocol.result.Column;
import dev.mosaic.server.sql.cache.CachingPlanner;
import dev.mosaic.server.sql.plan.Plan;
import dev.mosaic.server.sql.plan.Primitive;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@link SessionHandler} in front of the gate's own: counts the open sessions and records every
 * COM_QUERY and COM_STMT_EXECUTE in the {@link QueryLog} with its latency, rows (returned or
 * affected), keyspace and error. The normalized text comes from the plan cache as the executor
 * plans the statement ({@link CachingPlanner#observe}), so nothing is parsed twice; a statement
 * that fails before it is planned (a syntax error) is logged under its own text, cut to 200
 * characters.
 */
public final class QueryLoggingHandler implements SessionHandler {
    private static final int UNPLANNED_TEXT = 200;

    private final SessionHandler delegate;
    private final QueryLog log;
    private final java.util.Set<Session> sessions = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** The plans of the statement running on this thread (several for a multi-statement query). */
    private final ThreadLocal<List<Plan>> planned = new ThreadLocal<>();

    /** Logs the statements {@code delegate} runs, learning their plans from {@code planner}. */
    public QueryLoggingHandler(SessionHandler delegate, CachingPlanner planner, QueryLog log) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.log = Objects.requireNonNull(log, "log");
        planner.observe((plan, cacheHit) -> {
            List<Plan> plans = planned.get();
            if (plans != null) {
                plans.add(plan);
            }
        });
    }

    /** Sessions opened and not closed yet. */
    public int openSessions() {
        return sessions.size();
    }

    @Override
    public void open(Session session) {
        delegate.open(session);
        sessions.add(session);
    }

    @Override
    public void close(Session session) {
        sessions.remove(session);
        delegate.close(session);
    }

    @Override
    public void query(Session session, String sql, ResultSink sink) {
        timed(session, sql, sink, s -> delegate.query(session, sql, s));
    }

    @Override
    public void execute(Session session, PreparedStatement statement, List<Value> params, ResultSink sink) {
        timed(session, statement.sql(), sink, s -> delegate.execute(session, statement, params, s));
    }

    private void timed(Session session, String sql, ResultSink sink, java.util.function.Consumer<ResultSink> call) {
        List<Plan> plans = new ArrayList<>(1);
        List<Plan> outer = planned.get();
        planned.set(plans);
        CountingSink counting = new CountingSink(sink);
        String error = null;
        long start = System.nanoTime();
        try {
            call.accept(counting);
        } catch (RuntimeException | Error e) {
            error = String.valueOf(e.getMessage());
            throw e;
        } finally {
            long nanos = System.nanoTime() - start;
            planned.set(outer);
            String text;
            String keyspace = null;
            if (plans.isEmpty()) {
                String s = sql.strip();
                text = s.length() > UNPLANNED_TEXT ? s.substring(0, UNPLANNED_TEXT) : s;
            } else {
                StringBuilder b = new StringBuilder();
                for (Plan p : plans) {
                    b.append(b.length() == 0 ? "" : "; ").append(p.query());
                    if (keyspace == null) {
                        keyspace = keyspaceOf(p.root());
                    }
                }
                text = b.toString();
            }
            if (keyspace == null && session.attachment() instanceof GateSession g && g.keyspace() != null) {
                keyspace = g.keyspace();
            }
            log.record(text, keyspace == null ? QueryLog.NO_KEYSPACE : keyspace, nanos, counting.rows, error);
        }
    }

    /** The keyspace a plan sends its work to, or null if the gate answers it alone. */
    static String keyspaceOf(Primitive p) {
        if (p instanceof Primitive.Route r) {
            return r.routing().keyspace();
        } else if (p instanceof Primitive.Dml d) {
            return d.routing().keyspace();
        } else if (p instanceof Primitive.Insert i) {
            return i.routing().keyspace();
        } else if (p instanceof Primitive.Send s) {
            return s.keyspace();
        } else if (p instanceof Primitive.Limit l) {
            return keyspaceOf(l.input());
        } else if (p instanceof Primitive.Aggregate a) {
            return keyspaceOf(a.input());
        } else if (p instanceof Primitive.MemorySort m) {
            return keyspaceOf(m.input());
        } else if (p instanceof Primitive.Distinct d) {
            return keyspaceOf(d.input());
        } else if (p instanceof Primitive.Join j) {
            return keyspaceOf(j.left());        } else if (p instanceof Primitive.PulloutSubquery q) {
            return keyspaceOf(q.outer());        } else if (p instanceof Primitive.Concatenate c) {
            return keyspaceOf(c.inputs().get(0));
        }
        return null;
    }

    @Override
    public PreparedInfo prepare(Session session, String sql) {
        return delegate.prepare(session, sql);
    }

    @Override
    public void closeStatement(Session session, PreparedStatement statement) {
        delegate.closeStatement(session, statement);
    }

    @Override
    public void initDb(Session session, String schema) {
        delegate.initDb(session, schema);
    }

    @Override
    public List<Column> fieldList(Session session, String table, String wildcard) {
        return delegate.fieldList(session, table, wildcard);
    }

    @Override
    public void reset(Session session) {
        delegate.reset(session);
    }

    /** Counts rows returned and rows affected on their way to the client. */
    private static final class CountingSink implements ResultSink {
        private final ResultSink sink;
        long rows;

        CountingSink(ResultSink sink) {
            this.sink = sink;
        }

        @Override
        public void ok(long affectedRows, long lastInsertId, int warnings, String info) {
            rows += affectedRows;
            sink.ok(affectedRows, lastInsertId, warnings, info);
        }

        @Override
        public void columns(List<Column> columns) {
            sink.columns(columns);
        }

        @Override
        public void row(byte[][] values) {
            sink.row(values);
            rows++;
        }

        @Override
        public void row(long[] lengths, ByteBuf values) {
            sink.row(lengths, values);
            rows++;
        }

        @Override
        public void endRows(int warnings) {
            sink.endRows(warnings);
        }
    }
}
