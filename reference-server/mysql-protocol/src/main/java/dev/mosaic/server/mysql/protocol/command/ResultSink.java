package dev.mosaic.server.mysql.protocol.command;

import dev.mosaic.server.mysql.protocol.result.Column;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * Where a {@link SessionHandler} writes the results of one command. A command produces one or
 * more results in order, each either an OK ({@link #ok}) or a result set ({@link #columns}, any
 * number of {@link #row} calls, {@link #endRows}); a multi-statement query produces one per
 * statement. The server sets SERVER_MORE_RESULTS_EXISTS between results itself. A handler that
 * produces no result gets an OK; a result set left open is ended when the handler returns. An
 * exception thrown by the handler is sent as an ERR after whatever was already written.
 *
 * <p>Values are the MySQL text form of each value (what the tablet ships), {@code null} for SQL
 * NULL; for COM_STMT_EXECUTE the server converts them to the binary protocol by column type.
 * Rows are streamed: {@link #row} blocks while the client is slow to read (backpressure), and
 * throws a {@link dev.mosaic.api.error.MosaicException} if the connection closed or the write
 * timeout passed, which the handler should let propagate.
 *
 * <p>Used by one thread at a time (the one running the handler call); not valid after it returns.
 */
public interface ResultSink {
    /** An OK result: a statement without rows completed. */
    void ok(long affectedRows, long lastInsertId, int warnings, String info);

    /** An OK result with no affected rows. */
    default void ok() {
        ok(0, 0, 0, "");
    }

    /** Starts a result set with these columns. */
    void columns(List<Column> columns);

    /** One row of the current result set; {@code values[i]} is column i's text form or null. */
    void row(byte[][] values);

    /**
     * One row in the packed form: {@code lengths[i]} bytes per value (-1 for NULL), concatenated
     * in {@code values} from its reader index (which is left unchanged).
     */
    void row(long[] lengths, ByteBuf values);

    /** Ends the current result set. */
    void endRows(int warnings);

    /** Ends the current result set without warnings. */
    default void endRows() {
        endRows(0);
    }
}
