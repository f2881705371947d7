package dev.mosaic.server.gate.executor;

import dev.mosaic.server.mysql.protocol.command.ResultSink;
import dev.mosaic.server.mysql.protocol.result.Column;
import io.netty.buffer.ByteBuf;
import java.util.List;

/** A sink that drops what it is given: the result of a statement run by {@code VEXPLAIN QUERIES}. */
enum DiscardingSink implements ResultSink {
    INSTANCE;

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
    public void row(long[] lengths, ByteBuf values) {
    }

    @Override
    public void endRows(int warnings) {
    }
}
