package dev.mosaic.server.tablet.plan;

import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.server.tablet.acl.Role;
import dev.mosaic.server.tablet.hotrow.RowKey;
import dev.mosaic.server.tablet.query.SqlBinder;
import dev.mosaic.server.tablet.query.StatementKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the tablet knows about one statement text, as the {@link StatementAnalyzer} found it: plain
 * data, immutable, shared by every execution of the same text (bind variables are not part of it).
 *
 * <p>Table names are as the statement wrote them without quotes and without a database qualifier
 * ({@code `db`.`t`} is {@code t}), as Vitess's table ACL names them; CTE names and {@code dual} are
 * not tables.
 *
 * @param kind what the statement does
 * @param parsed whether the parser understood the statement; if not, {@code kind} comes from its
 *     first keyword and the table lists are empty
 * @param tablesRead tables whose rows the statement reads (subqueries, {@code INSERT ... SELECT}
 *     sources, joins), in order of first appearance
 * @param tablesWritten tables whose rows it changes: the target of an INSERT / REPLACE, every table
 *     of an UPDATE's or DELETE's table list (as Vitess counts them)
 * @param tablesAltered tables whose definition it changes (DDL)
 * @param tablesUndetermined the statement may touch tables that cannot be known from its text:
 *     {@code CALL}, {@code DO}, {@code LOAD DATA}, {@code REPAIR}, {@code OPTIMIZE}, several
 *     statements in one text, and any statement the parser could not read that is not a plain
 *     session or transaction statement ({@code SET}, {@code BEGIN}, {@code SHOW}, ...)
 * @param hotRow for a single-table UPDATE or DELETE with a WHERE clause, the row it targets
 */
public record TabletPlan(StatementKind kind, boolean parsed, List<String> tablesRead, List<String> tablesWritten,
        List<String> tablesAltered, boolean tablesUndetermined, Optional<HotRowTemplate> hotRow) {

    /**
     * The hot-row key of an UPDATE or DELETE before its bind variables are known.
     *
     * @param table the updated table
     * @param whereClause the WHERE condition as the parser prints it, bind variables still {@code :name}
     */
    public record HotRowTemplate(String table, String whereClause) {
        /** Checks both parts. */
        public HotRowTemplate {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(whereClause, "whereClause");
        }

        /**
         * The row for these bind variables: {@code id = :id} with {@code id = 5} is {@code t where id = 5}.
         *
         * @throws dev.mosaic.api.error.MosaicException INVALID_ARGUMENT if a variable is not bound
         */
        public RowKey bind(BindVariables vars) {
            return new RowKey(table, SqlBinder.bind(whereClause, vars));
        }
    }

    /**
     * A table and the role a caller needs on it.
     *
     * @param table the table name
     * @param role the least role that allows the statement on it
     */
    public record TablePermission(String table, Role role) {
    }

    /** Copies the lists. */
    public TabletPlan {
        Objects.requireNonNull(kind, "kind");
        tablesRead = List.copyOf(tablesRead);
        tablesWritten = List.copyOf(tablesWritten);
        tablesAltered = List.copyOf(tablesAltered);
        Objects.requireNonNull(hotRow, "hotRow");
    }

    /** A statement the parser could not read, classified by its first keyword. */
    static TabletPlan unparsed(StatementKind kind, boolean tablesUndetermined) {
        return new TabletPlan(kind, false, List.of(), List.of(), List.of(), tablesUndetermined, Optional.empty());
    }

    /**
     * Every table the statement touches, once, with the role it needs there (Vitess: READER for
     * reads, WRITER for DML, ADMIN for DDL; a table both read and written needs the higher role).
     * Empty for a statement that touches no table ({@code SELECT 1}, {@code SET}, {@code BEGIN}).
     */
    public List<TablePermission> permissions() {
        Map<String, Role> roles = new LinkedHashMap<>();
        tablesRead.forEach(t -> roles.merge(t, Role.READER, TabletPlan::max));
        tablesWritten.forEach(t -> roles.merge(t, Role.WRITER, TabletPlan::max));
        tablesAltered.forEach(t -> roles.merge(t, Role.ADMIN, TabletPlan::max));
        List<TablePermission> out = new ArrayList<>(roles.size());
        roles.forEach((t, r) -> out.add(new TablePermission(t, r)));
        return out;
    }

    private static Role max(Role a, Role b) {
        return a.implies(b) ? a : b;
    }

    /** The role a statement of this plan's kind needs, for a statement whose tables are undetermined. */
    public Role kindRole() {
        return switch (kind) {
            case READ -> Role.READER;
            case DDL -> Role.ADMIN;
            case WRITE, OTHER -> Role.WRITER;
        };
    }
}
