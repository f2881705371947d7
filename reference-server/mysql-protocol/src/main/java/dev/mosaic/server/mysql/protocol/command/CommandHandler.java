package dev.mosaic.server.mysql.protocol.command;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import dev.mosaic.api.sql.Value;
import dev.mosaic.server.mysql.protocol.auth.Authenticated;
import dev.mosaic.server.mysql.protocol.codec.Packet;
import dev.mosaic.server.mysql.protocol.codec.ProtocolException;
import dev.mosaic.server.mysql.protocol.codec.ResponseStart;
import dev.mosaic.server.mysql.protocol.codec.Wire;
import dev.mosaic.server.mysql.protocol.result.Column;
import dev.mosaic.server.mysql.protocol.result.ErrPacket;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The command phase of one connection. Takes over when {@link Authenticated} arrives (selecting
 * the handshake's database and sending the handshake's OK), then decodes each command packet and
 * dispatches it to the {@link SessionHandler}.
 *
 * <p>Commands run one at a time in arrival order: while one runs on the executor the channel stops
 * reading, and packets already decoded wait in a queue of at most one read's worth. Commands that
 * need the handler run on the executor; COM_PING, COM_QUIT, COM_SET_OPTION, COM_STMT_RESET,
 * COM_STMT_SEND_LONG_DATA and unknown commands are answered on the event loop. A malformed
 * command is answered with ER_MALFORMED_PACKET and the connection continues; a framing error
 * (bad sequence id, oversized packet) is answered with its error and the connection closes.
 */
public final class CommandHandler extends ChannelInboundHandlerAdapter {
    static final int COM_QUIT = 0x01;
    static final int COM_INIT_DB = 0x02;
    static final int COM_QUERY = 0x03;
    static final int COM_FIELD_LIST = 0x04;
    static final int COM_PING = 0x0E;
    static final int COM_STMT_PREPARE = 0x16;
    static final int COM_STMT_EXECUTE = 0x17;
    static final int COM_STMT_SEND_LONG_DATA = 0x18;
    static final int COM_STMT_CLOSE = 0x19;
    static final int COM_STMT_RESET = 0x1A;
    static final int COM_SET_OPTION = 0x1B;
    static final int COM_RESET_CONNECTION = 0x1F;

    private static final int CURSOR_TYPE_MASK = 0x07;

    private static final InternalLogger LOG = InternalLoggerFactory.getInstance(CommandHandler.class);

    private final SessionHandler handler;
    private final Executor executor;
    private final CommandConfig config;
    private final Writability writability = new Writability();
    private final ArrayDeque<Packet> queue = new ArrayDeque<>();
    // Touched only by the running command (one at a time; the executor hand-off orders them).
    private final Map<Integer, PreparedStatement> statements = new HashMap<>();
    private int nextStatementId = 1;
    /** Statements closed while the executor refused work; the handler hears of them with the next call. */
    private final java.util.List<PreparedStatement> pendingCloses = new java.util.ArrayList<>();
    private ChannelHandlerContext ctx;
    private Session session;
    private boolean busy;
    private boolean closed;
    private boolean closeSubmitted;

    /** A handler dispatching to {@code handler} on {@code executor} (bounded; rejection is answered with an error). */
    public CommandHandler(SessionHandler handler, Executor executor, CommandConfig config) {
        this.handler = handler;
        this.executor = executor;
        this.config = config;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** The session, once authenticated (for tests and embedding code); null before. */
    public Session session() {
        return session;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (!(evt instanceof Authenticated a)) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        session = new Session(a.connectionId(), a.user(), a.remote(), a.capabilities(), a.charset(), a.attributes(), "");
        busy = true;
        submit(null, a.okSequenceId(), () -> {
            ChannelResultSink sink = sink(a.okSequenceId(), false, true);
            try {
                handler.open(session);
                if (!a.schema().isEmpty()) {
                    handler.initDb(session, a.schema());
                    session.setSchema(a.schema());
                }
                sink.finish();
            } catch (Throwable t) {
                sink.fail(t);
                sink.closeAfterReply();
            }
            return sink;
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Packet p)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (closed || session == null) {
            p.release();
            return;
        }
        queue.add(p);
        if (busy) {
            // A client pipelining commands: stop reading until the queue drains.
            ctx.channel().config().setAutoRead(false);
        }
        drain();
    }

    private void drain() {
        while (!busy && !closed) {
            Packet p = queue.poll();
            if (p == null) {
                if (!ctx.channel().config().isAutoRead()) {
                    ctx.channel().config().setAutoRead(true);
                }
                return;
            }
            busy = true;
            dispatch(p);
        }
    }

    /** Runs on the event loop when the running command has written its reply. */
    private void done() {
        busy = false;
        if (closed) {
            submitClose();
            return;
        }
        drain();
    }

    private void dispatch(Packet p) {
        ByteBuf in = p.content();
        int seq = p.replySequenceId();
        if (!in.isReadable()) {
            inline(p, seq, sink -> sink.fail(ProtocolException.malformed("empty command packet")));
            return;
        }
        int command = in.readUnsignedByte();
        switch (command) {
            case COM_QUIT -> {
                p.release();
                busy = false;
                ctx.close();
            }
            case COM_PING -> inline(p, seq, ChannelResultSink::finish);
            case COM_SET_OPTION -> inline(p, seq, sink -> setOption(in, sink));
            case COM_STMT_RESET -> inline(p, seq, sink -> resetStatement(in, sink));
            case COM_STMT_SEND_LONG_DATA -> {
                try {
                    sendLongData(in);
                } catch (ProtocolException e) {
                    // MySQL sends no reply to SEND_LONG_DATA, not even for a malformed one.
                }
                p.release();
                busy = false;
            }
            case COM_QUERY -> async(p, seq, false, sink -> handler.query(session, in.toString(StandardCharsets.UTF_8), sink));
            case COM_INIT_DB -> async(p, seq, false, sink -> {
                String db = in.toString(StandardCharsets.UTF_8);
                handler.initDb(session, db);
                session.setSchema(db);
            });
            case COM_FIELD_LIST -> async(p, seq, false, sink -> {
                String table = Wire.readNulString(in);
                String wildcard = in.toString(StandardCharsets.UTF_8);
                sink.definitionsOnly(handler.fieldList(session, table, wildcard));
            });
            case COM_STMT_PREPARE -> async(p, seq, false, sink -> prepare(in.toString(StandardCharsets.UTF_8), sink));
            case COM_STMT_EXECUTE -> async(p, seq, true, sink -> execute(in, sink));
            case COM_STMT_CLOSE -> {
                // No reply; the handler still hears of it, in order with other commands.
                PreparedStatement stmt = in.readableBytes() >= 4 ? statements.remove(in.readIntLE()) : null;
                p.release();
                if (stmt == null) {
                    busy = false;
                    return;
                }
                if (!submit(null, -1, () -> {
                    closeQuietly(stmt);
                    return null;
                })) {
                    pendingCloses.add(stmt);
                }
            }
            case COM_RESET_CONNECTION -> async(p, seq, false, sink -> {
                statements.clear();
                handler.reset(session);
            });
            default -> inline(p, seq, sink -> sink.fail(new MosaicException(SqlError.UNKNOWN_COMMAND, "Unknown command")));
        }
    }

    @FunctionalInterface
    private interface Command {
        void run(ChannelResultSink sink);
    }

    /** Work for the executor; returns the reply to write out, or null if there is none. */
    @FunctionalInterface
    private interface Work {
        ChannelResultSink run();
    }

    private ChannelResultSink sink(int seq, boolean binary, boolean mayBlock) {
        return new ChannelResultSink(ctx.channel(), session, writability, config, seq, binary, mayBlock);
    }

    /** A command answered on the event loop. */
    private void inline(Packet p, int seq, Command command) {
        ChannelResultSink sink = sink(seq, false, false);
        try {
            command.run(sink);
        } catch (Throwable t) {
            sink.fail(t);
        } finally {
            p.release();
            busy = false;
        }
    }

    /** A command run on the executor; its reply ends with an OK if it wrote nothing else. */
    private void async(Packet p, int seq, boolean binary, Command command) {
        submit(p, seq, () -> {
            ChannelResultSink sink = sink(seq, binary, true);
            try {
                command.run(sink);
                sink.finish();
            } catch (Throwable t) {
                sink.fail(t);
            }
            return sink;
        });
    }

    /**
     * Runs {@code work} on the executor, then {@link #done()} on the event loop. If the executor
     * refuses, the command is answered with an error numbered {@code seq} (no answer if -1).
     */
    private boolean submit(Packet p, int seq, Work work) {
        try {
            executor.execute(() -> {
                ChannelResultSink sink = null;
                try {
                    deliverPendingCloses();
                    sink = work.run();
                } finally {
                    if (p != null) {
                        p.release();
                    }
                    ChannelResultSink reply = sink;
                    // One event-loop task per command: the reply's last batch, the flush, the next command.
                    ctx.executor().execute(() -> {
                        if (reply != null) {
                            reply.writeOut();
                        }
                        done();
                    });
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            if (p != null) {
                p.release();
            }
            if (seq >= 0) {
                ChannelResultSink sink = sink(seq, false, false);
                sink.fail(new MosaicException(SqlError.TOO_MANY_USER_CONNECTIONS, "Server busy: the command queue is full"));
            }
            if (p == null && seq >= 0) {
                // The handshake could not complete: the client was told, and is disconnected.
                ctx.close();
            }
            busy = false; // the drain loop that dispatched this command goes on with the next one
            return false;
        }
    }

    private void deliverPendingCloses() {
        for (PreparedStatement stmt : pendingCloses) {
            closeQuietly(stmt);
        }
        pendingCloses.clear();
    }

    /**
     * Tells the handler a statement is closed. COM_STMT_CLOSE has no reply, so a failure cannot
     * reach the client; it is logged, and must not keep the command it rides with from running.
     */
    private void closeQuietly(PreparedStatement stmt) {
        try {
            handler.closeStatement(session, stmt);
        } catch (RuntimeException e) {
            LOG.warn("session handler failed to close statement {} of connection {}", stmt.id(), session.connectionId(), e);
        }
    }

    private void setOption(ByteBuf in, ChannelResultSink sink) {
        Wire.need(in, 2, "COM_SET_OPTION");
        int option = in.readUnsignedShortLE();
        switch (option) {
            case 0 -> session.setMultiStatements(true);
            case 1 -> session.setMultiStatements(false);
            default -> throw new MosaicException(SqlError.UNKNOWN_COMMAND, "Unknown command");
        }
        sink.definitionsOnly(List.of());
        sink.finish();
    }

    private PreparedStatement statement(ByteBuf in, String command) {
        Wire.need(in, 4, command);
        int id = in.readIntLE();
        PreparedStatement stmt = statements.get(id);
        if (stmt == null) {
            throw new MosaicException(SqlError.UNKNOWN_STMT_HANDLER,
                    "Unknown prepared statement handler (" + Integer.toUnsignedString(id) + ") given to " + command);
        }
        return stmt;
    }

    private void resetStatement(ByteBuf in, ChannelResultSink sink) {
        statement(in, "mysqld_stmt_reset").clearLongData();
        sink.finish();
    }

    private void sendLongData(ByteBuf in) {
        Wire.need(in, 6, "COM_STMT_SEND_LONG_DATA");
        PreparedStatement stmt = statements.get(in.readIntLE());
        int param = in.readUnsignedShortLE();
        if (stmt == null || param >= stmt.longData.length) {
            return;
        }
        stmt.longDataBytes += in.readableBytes();
        if (stmt.longDataBytes > config.maxAllowedPacket()) {
            return; // reported by the next COM_STMT_EXECUTE
        }
        if (stmt.longData[param] == null) {
            stmt.longData[param] = new ByteArrayOutputStream();
        }
        byte[] chunk = new byte[in.readableBytes()];
        in.readBytes(chunk);
        stmt.longData[param].writeBytes(chunk);
    }

    private void prepare(String sql, ChannelResultSink sink) {
        if (statements.size() >= config.maxPreparedStatements()) {
            throw new MosaicException(ErrorCode.RESOURCE_EXHAUSTED, "Can't create more than max_prepared_stmt_count statements "
                    + "(current value: " + config.maxPreparedStatements() + ")");
        }
        var info = handler.prepare(session, sql);
        PreparedStatement stmt = new PreparedStatement(nextStatementId++, sql, info);
        statements.put(stmt.id(), stmt);
        ByteBuf b = sink.begin();
        b.writeByte(0x00);
        b.writeIntLE(stmt.id());
        b.writeShortLE(info.columns().size());
        b.writeShortLE(info.paramCount());
        b.writeByte(0);
        b.writeShortLE(0);
        sink.end();
        if (info.paramCount() > 0) {
            definitions(sink, info.params());
        }
        if (!info.columns().isEmpty()) {
            definitions(sink, info.columns());
        }
    }

    private void definitions(ChannelResultSink sink, List<Column> cols) {
        for (Column c : cols) {
            c.encode(sink.begin());
            sink.end();
        }
        if (!dev.mosaic.server.mysql.protocol.codec.Capabilities.has(session.capabilities(),
                dev.mosaic.server.mysql.protocol.codec.Capabilities.DEPRECATE_EOF)) {
            dev.mosaic.server.mysql.protocol.result.EofPacket.encode(sink.begin(), 0, session.statusFlags());
            sink.end();
        }
    }

    private void execute(ByteBuf in, ChannelResultSink sink) {
        PreparedStatement stmt = statement(in, "mysqld_stmt_execute");
        Wire.need(in, 5, "COM_STMT_EXECUTE");
        int flags = in.readUnsignedByte();
        in.skipBytes(4); // iteration count, always 1
        try {
            if (stmt.longDataBytes > config.maxAllowedPacket()) {
                throw ProtocolException.tooLarge(stmt.longDataBytes, config.maxAllowedPacket());
            }
            List<Value> params = BinaryParams.decode(in, stmt);
            if ((flags & CURSOR_TYPE_MASK) != 0 && !stmt.info().columns().isEmpty()) {
                // A cursor would need COM_STMT_FETCH, which this server does not implement; MySQL
                // ignores the cursor type for statements without a result set, and so do we.
                throw new MosaicException(SqlError.NOT_SUPPORTED_YET,
                        "This version of Mosaic doesn't yet support 'cursors (COM_STMT_EXECUTE with a cursor type)'");
            }
            handler.execute(session, stmt, params, sink);
        } finally {
            stmt.clearLongData();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        writability.signal();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        Packet p;
        while ((p = queue.poll()) != null) {
            p.release();
        }
        writability.signal();
        if (!busy) {
            submitClose();
        }
        ctx.fireChannelInactive();
    }

    private void submitClose() {
        if (closeSubmitted || session == null) {
            return;
        }
        closeSubmitted = true;
        Runnable close = () -> {
            deliverPendingCloses();
            for (PreparedStatement stmt : statements.values()) {
                closeQuietly(stmt);
            }
            statements.clear();
            try {
                handler.close(session);
            } catch (RuntimeException e) {
                // The client is gone; nobody else can be told.
                LOG.warn("session handler failed to close connection {}", session.connectionId(), e);
            }
        };
        try {
            executor.execute(close);
        } catch (RejectedExecutionException e) {
            // The handler must hear of every close even when the executor is saturated.
            CompletableFuture.runAsync(close);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof MosaicException m && ctx.channel().isActive() && !busy) {
            // A framing error: report it, then close (the stream cannot be trusted any more).
            ByteBuf b = ctx.alloc().buffer();
            b.writeInt(0);
            ErrPacket.from(m).encode(b);
            b.setMediumLE(0, b.readableBytes() - 4);
            ctx.write(new ResponseStart(1));
            ctx.writeAndFlush(b).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
        if (!(c instanceof MosaicException) && !(c instanceof java.io.IOException)) {
            // Anything else is a bug in this module; surface it to whoever logs at the pipeline's tail.
            ctx.fireExceptionCaught(new MosaicException(ErrorCode.INTERNAL, "MySQL protocol handler failed", c));
        }
    }
}
