package dev.mosaic.server.sql.exec;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.SqlType;
import dev.mosaic.api.sql.Value;
import dev.mosaic.server.sql.plan.Primitive;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A nested-loop join ({@link Primitive.Join}): each left row binds the join variables of the right
 * plan, which runs once per left row; the output columns are picked from both sides. LEFT joins
 * pad a left row that matched nothing with NULLs. Streams the left side; holds one left row's
 * right rows at a time.
 */
final class JoinStream implements RowStream {
    private final Primitive.Join join;
    private final BindVariables bindVars;
    private final ResultMerger.ShardSource source;
    private final RowStream left;
    private final List<Field> fields;
    private final List<Field> leftFields;
    private Row leftRow;
    private List<Row> rightRows = List.of();
    private int rightIndex;
    private boolean closed;

    /** utf8mb4_general_ci: the collation of the tablets' connections (character_set_server utf8mb4). */
    static final int CONNECTION_COLLATION = 45;

    JoinStream(Primitive.Join join, BindVariables bindVars, ResultMerger.ShardSource source) {
        this.join = join;
        this.bindVars = bindVars;
        this.source = source;
        List<Field> rightFields;
        try (RowStream rf = ResultMerger.open(join.rightFields(), bindVars, source)) {
            rightFields = rf.fields();
        }
        this.left = ResultMerger.open(join.left(), bindVars, source);
        this.leftFields = left.fields();
        for (Map.Entry<String, Integer> v : join.vars().entrySet()) {
            Field f = leftFields.get(v.getValue());
            int collation = f.definition() == null ? 0 : f.definition().charset();
            if (f.type().isText() && collation != 0 && collation != CONNECTION_COLLATION) {
                left.close();
                // A text value bound into the other side's query becomes a literal of the connection's
                // collation: compared with another value there, a column's own collation (e.g. _bin)
                // would be lost and the answer could differ from MySQL's. Refuse rather than guess.
                throw new MosaicException(SqlError.NOT_SUPPORTED_YET, "VT12001: unsupported: cross-shard join"
                        + " passing text column " + f.name() + " (collation id " + collation + ") to the other"
                        + " side's query; only utf8mb4_general_ci text is passed exactly");
            }
        }
        List<Field> out = new ArrayList<>();
        for (int c : join.columns()) {
            out.add(c < 0 ? leftFields.get(-1 - c) : rightFields.get(c - 1));
        }
        this.fields = List.copyOf(out);
    }

    @Override
    public List<Field> fields() {
        return fields;
    }

    @Override
    public Row next() {
        while (true) {
            if (leftRow != null && rightIndex < rightRows.size()) {
                return combine(leftRow, rightRows.get(rightIndex++));
            }
            Row l = left.next();
            if (l == null) {
                return null;
            }
            leftRow = l;
            rightRows = rightRowsFor(l);
            rightIndex = 0;
            if (rightRows.isEmpty() && join.kind() == Primitive.JoinKind.LEFT) {
                return combine(l, null);
            }
        }
    }

    private List<Row> rightRowsFor(Row l) {
        BindVariables bv = bindVars;
        for (Map.Entry<String, Integer> v : join.vars().entrySet()) {
            bv = bv.with(v.getKey(), value(l, v.getValue(), leftFields.get(v.getValue()).type()));
        }
        List<Row> rows = new ArrayList<>();
        try (RowStream r = ResultMerger.open(join.right(), bv, source)) {
            for (Row row = r.next(); row != null; row = r.next()) {
                rows.add(row);
            }
        }
        return rows;
    }

    private Row combine(Row l, Row r) {
        List<Integer> cols = join.columns();
        int[] lengths = new int[cols.size()];
        int total = 0;
        for (int i = 0; i < cols.size(); i++) {
            int c = cols.get(i);
            Row src = c < 0 ? l : r;
            int col = c < 0 ? -1 - c : c - 1;
            lengths[i] = src == null ? -1 : src.length(col);
            total += Math.max(0, lengths[i]);
        }
        byte[] values = new byte[total];
        int off = 0;
        for (int i = 0; i < cols.size(); i++) {
            if (lengths[i] > 0) {
                int c = cols.get(i);
                Row src = c < 0 ? l : r;
                int col = c < 0 ? -1 - c : c - 1;
                System.arraycopy(src.buffer(), src.offset(col), values, off, lengths[i]);
                off += lengths[i];
            }
        }
        return Row.wrap(lengths, values);
    }

    /** The typed value of a row's column, as a bind variable for the right side's query. */
    static Value value(Row row, int col, SqlType type) {
        if (row.isNull(col)) {
            return Value.NULL;
        }
        byte[] bytes = row.bytes(col);
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (type.isIntegral() && type.isSigned()) {
            return Value.of(Long.parseLong(text));
        }
        if (type.isIntegral() && type.isUnsigned()) {
            return Value.ofUnsigned(Long.parseUnsignedLong(text));
        }
        if (type == SqlType.DECIMAL) {
            return Value.of(new BigDecimal(text));
        }
        if (type.isFloat()) {
            return Value.of(Double.parseDouble(text));
        }
        if (type.isBinary()) {
            return new Value.Binary(type, bytes);
        }
        if (type.isNumber() || type == SqlType.NULL_TYPE || type == SqlType.TUPLE) {
            return new Value.Binary(SqlType.VARBINARY, bytes);
        }
        return new Value.Text(type, bytes);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            left.close();
        }
    }
}
