package dev.mosaic.api.vschema;

import java.util.List;
import java.util.Objects;

/**
 * The use of a vindex on a table's column(s): Vitess's {@code ColumnVindex} message. Exactly one of
 * {@code column} (the legacy single-column form) and {@code columns} should be set; the record
 * accepts both so that a document can be read and then {@linkplain KeyspaceVSchema#validate()
 * validated} with a precise error.
 *
 * @param column  the single column, or empty
 * @param columns the columns of a (possibly multi-column) vindex, or empty
 * @param name    the name of a vindex declared in the keyspace's {@code vindexes}
 */
public record ColumnVindexDef(String column, List<String> columns, String name) {
    /** Copies {@code columns}; rejects nulls. */
    public ColumnVindexDef {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(name, "name");
        columns = List.copyOf(columns);
    }

    /** The single-column form. */
    public static ColumnVindexDef of(String column, String name) {
        return new ColumnVindexDef(column, List.of(), name);
    }

    /** The columns this vindex reads, whichever form was used: {@code [column]} or {@code columns}. */
    public List<String> effectiveColumns() {
        return column.isEmpty() ? columns : List.of(column);
    }
}
