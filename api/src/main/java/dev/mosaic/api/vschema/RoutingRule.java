package dev.mosaic.api.vschema;

import java.util.List;
import java.util.Objects;

/**
 * One table routing rule: Vitess's {@code RoutingRule}. Queries naming {@code fromTable} go to the
 * target table instead; workflows such as MoveTables use these to switch traffic table by table.
 *
 * @param fromTable the table as queries name it: {@code table}, {@code keyspace.table}, either
 *                  optionally with a tablet-type suffix ({@code @replica}, {@code @rdonly}, ...)
 * @param toTables  the target, {@code keyspace.table}; Vitess accepts exactly one, and an empty list
 *                  disables the table (queries on it fail)
 */
public record RoutingRule(String fromTable, List<String> toTables) {
    /** Copies {@code toTables}; rejects nulls. */
    public RoutingRule {
        Objects.requireNonNull(fromTable, "fromTable");
        toTables = List.copyOf(toTables);
    }
}
