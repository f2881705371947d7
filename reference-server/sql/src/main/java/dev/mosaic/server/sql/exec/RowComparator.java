package dev.mosaic.server.sql.exec;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import dev.mosaic.api.sql.SqlType;
import dev.mosaic.server.sql.plan.OrderBy;
import java.util.Comparator;
import java.util.List;

/**
 * Orders rows by a plan's {@link OrderBy} keys: each key compares its column by type, or, when
 * the column is text and the plan added a weight-string column, compares the weight strings
 * byte-wise (so the column's collation decides, as on the shards).
 */
public final class RowComparator implements Comparator<Row> {
    private final List<OrderBy> keys;
    private final List<Field> fields;

    /**
     * A comparator for rows with {@code fields}.
     *
     * @throws MosaicException {@code UNIMPLEMENTED} for an ENUM or SET key: MySQL orders them by
     *                         their position in the column definition, which the gate does not know,
     *                         so merging them would silently misorder
     */
    public RowComparator(List<OrderBy> keys, List<Field> fields) {
        this.keys = List.copyOf(keys);
        this.fields = List.copyOf(fields);
        for (OrderBy k : keys) {
            SqlType t = fields.get(k.column()).type();
            if (t == SqlType.ENUM || t == SqlType.SET) {
                throw new MosaicException(SqlError.NOT_SUPPORTED_YET, "VT12001: unsupported: ordering, grouping or DISTINCT across shards on "
                        + t + " column " + fields.get(k.column()).name());
            }
        }
    }

    @Override
    public int compare(Row a, Row b) {
        for (OrderBy k : keys) {
            int c;
            if (k.usesCollation() && fields.get(k.column()).type().isText()) {
                int w = k.weightStringColumn();
                c = a.isNull(w) || b.isNull(w)
                        ? Boolean.compare(!a.isNull(w), !b.isNull(w))
                        : ValueComparator.compareBytes(a.buffer(), a.offset(w), a.length(w), b.buffer(), b.offset(w), b.length(w));
            } else {
                c = ValueComparator.compare(fields.get(k.column()).type(), a, k.column(), b, k.column());
            }
            if (c != 0) {
                return k.descending() ? -c : c;
            }
        }
        return 0;
    }
}
