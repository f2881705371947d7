package dev.mosaic.api.vschema;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A table in a keyspace's vschema: Vitess's {@code Table} message.
 *
 * @param type                    ordinary, sequence or reference
 * @param columnVindexes          the vindexes on the table's columns; in a sharded keyspace the first
 *                                is the primary vindex, which decides the shard of each row
 * @param autoIncrement           the column filled from a sequence, if any
 * @param columns                 declared columns, in order
 * @param pinned                  for a table that lives in one shard of a sharded keyspace: the hex
 *                                keyspace id that picks the shard (e.g. {@code 80}); empty otherwise
 * @param columnListAuthoritative true if {@code columns} lists every column of the table
 * @param source                  for a reference table, the table it is copied from
 *                                ({@code keyspace.table} or {@code table}); empty otherwise
 */
public record TableDef(TableType type, List<ColumnVindexDef> columnVindexes, Optional<AutoIncrementDef> autoIncrement,
                       List<ColumnDef> columns, String pinned, boolean columnListAuthoritative, String source) {
    /** An ordinary table with nothing declared: {@code {}} in JSON. */
    public static final TableDef EMPTY = new TableDef(TableType.STANDARD, List.of(), Optional.empty(), List.of(), "", false, "");

    /** Copies the lists; rejects nulls. */
    public TableDef {
        Objects.requireNonNull(type, "type");
        columnVindexes = List.copyOf(columnVindexes);
        Objects.requireNonNull(autoIncrement, "autoIncrement");
        columns = List.copyOf(columns);
        Objects.requireNonNull(pinned, "pinned");
        Objects.requireNonNull(source, "source");
    }

    /** An ordinary table sharded by {@code columnVindexes} (the first being the primary vindex). */
    public static TableDef sharded(ColumnVindexDef... columnVindexes) {
        return new TableDef(TableType.STANDARD, List.of(columnVindexes), Optional.empty(), List.of(), "", false, "");
    }

    /** A sequence table. */
    public static TableDef sequence() {
        return new TableDef(TableType.SEQUENCE, List.of(), Optional.empty(), List.of(), "", false, "");
    }

    /** The same table with {@code autoIncrement} set. */
    public TableDef withAutoIncrement(AutoIncrementDef autoIncrement) {
        return new TableDef(type, columnVindexes, Optional.of(autoIncrement), columns, pinned, columnListAuthoritative, source);
    }
}
