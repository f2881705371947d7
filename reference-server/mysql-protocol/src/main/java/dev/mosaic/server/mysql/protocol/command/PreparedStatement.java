package dev.mosaic.server.mysql.protocol.command;

import java.io.ByteArrayOutputStream;

/**
 * A statement prepared on one connection: its id (unique on the connection), SQL text and
 * {@link PreparedInfo}. The server also keeps here what the binary protocol carries between
 * executions: the parameter types last bound and data sent with COM_STMT_SEND_LONG_DATA.
 * Confined to its session's calls.
 */
public final class PreparedStatement {
    private final int id;
    private final String sql;
    private final PreparedInfo info;
    /** Type code and unsigned flag (bit 15) per parameter, as last bound; -1 until bound. */
    final int[] boundTypes;
    final ByteArrayOutputStream[] longData;
    long longDataBytes;

    PreparedStatement(int id, String sql, PreparedInfo info) {
        this.id = id;
        this.sql = sql;
        this.info = info;
        this.boundTypes = new int[info.paramCount()];
        java.util.Arrays.fill(boundTypes, -1);
        this.longData = new ByteArrayOutputStream[info.paramCount()];
    }

    /** The statement id the client uses. */
    public int id() {
        return id;
    }

    /** The SQL text as prepared. */
    public String sql() {
        return sql;
    }

    /** What the handler said about it. */
    public PreparedInfo info() {
        return info;
    }

    void clearLongData() {
        java.util.Arrays.fill(longData, null);
        longDataBytes = 0;
    }

    @Override
    public String toString() {
        return "PreparedStatement[" + id + ", " + sql + "]";
    }
}
