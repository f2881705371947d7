package dev.mosaic.server.tablet.consolidator;

import dev.mosaic.api.sql.BindVariables;
import java.util.Objects;

/**
 * What makes two executions interchangeable: the same normalized SQL with the same bind variables,
 * sent to the same target. The target is opaque here (for example {@code keyspace/shard@type} plus
 * anything else that changes the answer, such as the database or a read-your-writes token); the
 * engine must put into it everything that could make two otherwise equal statements return
 * different rows.
 *
 * @param target where the statement runs, as the engine names it
 * @param sql the normalized statement text (comments stripped, literals as bind variables)
 * @param bindVars the bind variables of this execution
 */
public record ConsolidationKey(String target, String sql, BindVariables bindVars) {
    /** Validates that no component is null. */
    public ConsolidationKey {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(bindVars, "bindVars");
    }

    /** A key with no bind variables. */
    public static ConsolidationKey of(String target, String sql) {
        return new ConsolidationKey(target, sql, BindVariables.EMPTY);
    }
}
