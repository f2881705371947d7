package dev.mosaic.server.mysql.protocol.command;

import dev.mosaic.server.mysql.protocol.result.Column;
import dev.mosaic.server.mysql.protocol.result.ColumnType;
import java.util.ArrayList;
import java.util.List;

/**
 * What COM_STMT_PREPARE tells the client about a statement: one definition per {@code ?}
 * parameter and the columns of its result set (empty if it returns none).
 *
 * @param params the parameter definitions (their count is the statement's parameter count)
 * @param columns the result columns; COM_STMT_EXECUTE results are encoded with the columns the
 *     handler passes to {@link ResultSink#columns}, which should agree
 * @param state what the handler keeps for the statement (its plan, say), handed back with the
 *     {@link PreparedStatement} on every execution; null if nothing. Confined to the session's calls
 */
public record PreparedInfo(List<Column> params, List<Column> columns, Object state) {
    /** Copies the lists. */
    public PreparedInfo {
        params = List.copyOf(params);
        columns = List.copyOf(columns);
    }

    /** A description without handler state. */
    public PreparedInfo(List<Column> params, List<Column> columns) {
        this(params, columns, null);
    }

    /** This description with {@code state} as the handler's state. */
    public PreparedInfo withState(Object state) {
        return new PreparedInfo(params, columns, state);
    }

    /** {@code paramCount} parameters described as MySQL does ({@code ?}, VAR_STRING, binary). */
    public static PreparedInfo of(int paramCount, List<Column> columns) {
        List<Column> params = new ArrayList<>(paramCount);
        for (int i = 0; i < paramCount; i++) {
            params.add(new Column("", "", "", "?", "", Column.BINARY_CHARSET, 0, ColumnType.VAR_STRING,
                    Column.BINARY_FLAG, 0));
        }
        return new PreparedInfo(params, columns);
    }

    /** The number of parameters. */
    public int paramCount() {
        return params.size();
    }
}
