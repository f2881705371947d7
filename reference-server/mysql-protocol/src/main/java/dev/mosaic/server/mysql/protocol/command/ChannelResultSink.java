package dev.mosaic.server.mysql.protocol.command;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.mysql.protocol.codec.Capabilities;
import dev.mosaic.server.mysql.protocol.codec.PacketOutput;
import dev.mosaic.server.mysql.protocol.codec.ResponseStart;
import dev.mosaic.server.mysql.protocol.codec.ServerStatus;
import dev.mosaic.server.mysql.protocol.codec.Wire;
import dev.mosaic.server.mysql.protocol.result.BinaryRow;
import dev.mosaic.server.mysql.protocol.result.Column;
import dev.mosaic.server.mysql.protocol.result.EofPacket;
import dev.mosaic.server.mysql.protocol.result.ErrPacket;
import dev.mosaic.server.mysql.protocol.result.OkPacket;
import dev.mosaic.server.mysql.protocol.result.TextRow;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * The reply of one command exchange, written from the thread running the command. The packet that
 * ends each result is held back until it is known whether another result follows, so that
 * SERVER_MORE_RESULTS_EXISTS can be set on it. Packets are batched; a reply that fits in one
 * batch is handed to the event loop in one piece by {@link #writeOut()} (one task per command,
 * which matters at tens of thousands of commands per second). A bigger reply streams: each full
 * batch is written from this thread as it fills, and when the channel stops being writable the
 * writer waits, up to the write timeout, for the client to read.
 */
final class ChannelResultSink implements ResultSink {
    private enum Pending { NONE, OK, END_OF_ROWS }

    private final Channel channel;
    private final Session session;
    private final Writability writability;
    private final CommandConfig config;
    private final PacketOutput out;
    private final boolean deprecateEof;
    private final boolean binary;
    private List<Column> columns;
    private Pending pending = Pending.NONE;
    private OkPacket pendingOk;
    private int pendingStatus;
    private int pendingWarnings;
    private final boolean mayBlock;
    /** Messages not yet written: the ResponseStart, then batches once the reply is complete. */
    private final List<Object> deferred = new ArrayList<>(2);
    private boolean completing;
    private boolean closeAfterReply;
    private boolean anyResult;
    private boolean done;

    /**
     * @param mayBlock false when writing on the event loop (small replies), where waiting for
     *     writability would deadlock
     */
    ChannelResultSink(Channel channel, Session session, Writability writability, CommandConfig config,
            int firstSequenceId, boolean binary, boolean mayBlock) {
        this.channel = channel;
        this.mayBlock = mayBlock;
        this.session = session;
        this.writability = writability;
        this.config = config;
        this.binary = binary;
        this.deprecateEof = Capabilities.has(session.capabilities(), Capabilities.DEPRECATE_EOF);
        this.out = new PacketOutput(channel.alloc(), this::handOn, config.batchBytes());
        deferred.add(new ResponseStart(firstSequenceId));
    }

    private void handOn(Object msg) {
        if (!channel.isActive()) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (completing && mayBlock) {
            deferred.add(msg); // the last batch goes out with writeOut()
            return;
        }
        for (Object o : deferred) {
            channel.write(o, channel.voidPromise());
        }
        deferred.clear();
        channel.write(msg, channel.voidPromise());
        if (mayBlock && !channel.isWritable()) {
            channel.flush();
            writability.await(channel, config.writeTimeout());
        }
    }

    /**
     * Writes and flushes what the reply still holds; on the event loop. For a sink used off the
     * loop, call after {@link #finish()} or {@link #fail}.
     */
    void writeOut() {
        if (channel.isActive()) {
            for (Object o : deferred) {
                channel.write(o, channel.voidPromise());
            }
            channel.flush();
        } else {
            deferred.forEach(ReferenceCountUtil::release);
        }
        deferred.clear();
        if (closeAfterReply) {
            channel.close();
        }
    }

    /** Closes the connection once the reply is out (a refused handshake). */
    void closeAfterReply() {
        closeAfterReply = true;
    }

    private void check() {
        if (done) {
            throw new IllegalStateException("the result sink is no longer valid");
        }
        if (!channel.isActive()) {
            throw new MosaicException(ErrorCode.CANCELED, "connection closed by the client");
        }
    }

    @Override
    public void ok(long affectedRows, long lastInsertId, int warnings, String info) {
        check();
        closeOpenResult();
        releasePending(true);
        pending = Pending.OK;
        pendingOk = new OkPacket(affectedRows, lastInsertId, session.statusFlags(), warnings, info == null ? "" : info);
        anyResult = true;
    }

    @Override
    public void columns(List<Column> cols) {
        check();
        closeOpenResult();
        releasePending(true);
        anyResult = true;
        this.columns = List.copyOf(cols);
        Wire.writeLenencInt(out.begin(), columns.size());
        out.end();
        for (Column c : columns) {
            c.encode(out.begin());
            out.end();
        }
        if (!deprecateEof) {
            EofPacket.encode(out.begin(), 0, session.statusFlags());
            out.end();
        }
    }

    @Override
    public void row(byte[][] values) {
        check();
        requireOpenResult();
        if (values.length != columns.size()) {
            throw new MosaicException(ErrorCode.INTERNAL, "row has " + values.length + " values for " + columns.size() + " columns");
        }
        ByteBuf b = out.begin();
        try {
            if (binary) {
                BinaryRow.encode(b, columns, values);
            } else {
                TextRow.encode(b, values);
            }
        } catch (RuntimeException e) {
            out.cancelPacket();
            throw e;
        }
        out.end();
    }

    @Override
    public void row(long[] lengths, ByteBuf values) {
        check();
        requireOpenResult();
        if (lengths.length != columns.size()) {
            throw new MosaicException(ErrorCode.INTERNAL, "row has " + lengths.length + " values for " + columns.size() + " columns");
        }
        if (binary) {
            byte[][] split = new byte[lengths.length][];
            int pos = values.readerIndex();
            for (int i = 0; i < lengths.length; i++) {
                if (lengths[i] >= 0) {
                    split[i] = new byte[(int) lengths[i]];
                    values.getBytes(pos, split[i]);
                    pos += (int) lengths[i];
                }
            }
            row(split);
            return;
        }
        ByteBuf b = out.begin();
        try {
            TextRow.encode(b, lengths, values);
        } catch (RuntimeException e) {
            out.cancelPacket();
            throw e;
        }
        out.end();
    }

    @Override
    public void endRows(int warnings) {
        check();
        requireOpenResult();
        columns = null;
        pending = Pending.END_OF_ROWS;
        pendingWarnings = warnings;
        pendingStatus = session.statusFlags();
    }

    /**
     * Column definitions only, ended like a result set (COM_FIELD_LIST; with no columns, the bare
     * end packet COM_SET_OPTION answers with).
     */
    void definitionsOnly(List<Column> cols) {
        anyResult = true;
        for (Column c : cols) {
            ByteBuf b = out.begin();
            c.encode(b);
            b.writeByte(TextRow.NULL_MARKER); // the column's default value, which COM_FIELD_LIST carries
            out.end();
        }
        pending = Pending.END_OF_ROWS;
        pendingStatus = session.statusFlags();
    }

    /**
     * Opens a packet of a reply that is not a result (COM_STMT_PREPARE's); the exchange then
     * ends without the implicit OK.
     */
    ByteBuf begin() {
        anyResult = true;
        return out.begin();
    }

    void end() {
        out.end();
    }

    /** Ends the exchange after a successful command. */
    void finish() {
        closeOpenResult();
        if (!anyResult) {
            pending = Pending.OK;
            pendingOk = new OkPacket(0, 0, session.statusFlags(), 0, "");
        }
        releasePending(false);
        complete();
    }

    /** Ends the exchange with an error after whatever was written. */
    void fail(Throwable error) {
        try {
            out.cancelPacket();
            if (columns != null) {
                // The client is reading rows: an ERR in place of the next row ends the result set.
                columns = null;
            } else {
                releasePending(true);
            }
            pending = Pending.NONE;
            ErrPacket.from(error).encode(out.begin());
            out.end();
            complete();
        } catch (MosaicException gone) {
            // The connection closed, or the client stopped reading past the write timeout (and
            // was disconnected): nothing more can reach it.
            out.discard();
            done = true;
        }
    }

    private void complete() {
        done = true;
        completing = true;
        if (channel.isActive()) {
            out.emit();
            if (!mayBlock) {
                writeOut();
            }
        } else {
            out.discard();
        }
    }

    private void closeOpenResult() {
        if (columns != null) {
            endRows(0);
        }
    }

    private void requireOpenResult() {
        if (columns == null) {
            throw new IllegalStateException("no result set open: call columns() first");
        }
    }

    private void releasePending(boolean more) {
        int moreFlag = more ? ServerStatus.MORE_RESULTS_EXISTS : 0;
        switch (pending) {
            case NONE -> {
                return;
            }
            case OK -> pendingOk.withStatus(pendingOk.statusFlags() | moreFlag).encode(out.begin(), OkPacket.OK_HEADER);
            case END_OF_ROWS -> {
                ByteBuf b = out.begin();
                if (deprecateEof) {
                    new OkPacket(0, 0, pendingStatus | moreFlag, pendingWarnings, "").encode(b, OkPacket.EOF_HEADER);
                } else {
                    EofPacket.encode(b, pendingWarnings, pendingStatus | moreFlag);
                }
            }
        }
        out.end();
        pending = Pending.NONE;
    }
}
