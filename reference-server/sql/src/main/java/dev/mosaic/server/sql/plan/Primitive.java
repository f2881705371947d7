package dev.mosaic.server.sql.plan;

import dev.mosaic.server.sql.parse.ParsedStatement;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A node of an execution plan, as Vitess's engine primitives: routes that send SQL to shards,
 * and gate-side operators over their results. Plans are immutable, hold no literal values that
 * normalization replaced (those come from bind variables at execution) and are shared by every
 * session executing the same normalized statement.
 */
public sealed interface Primitive {

    /** True if the primitive reads only (may go to replicas), false if it writes or changes state. */
    boolean readOnly();

    /**
     * A SELECT sent to shards. When several shards answer and {@code orderBy} is non-empty, their
     * results are merged in that order (each shard returns its rows sorted).
     *
     * @param routing          where it goes
     * @param table            the (first) table it reads, for messages
     * @param query            the SQL template for each shard (bind variables substituted by the tablet)
     * @param orderBy          the merge order
     * @param truncateColumns  how many result columns the client sees; the rest are helper columns
     *                         (weight strings, AVG counts) dropped at the gate; 0 means keep all
     * @param sysTableSchema   for {@link RouteOpcode#DBA}: the expressions compared with
     *                         {@code table_schema}, which name the keyspace to ask and are replaced by
     *                         the database name in the shard query ({@code :__vtschemaname})
     */
    record Route(Routing routing, String table, String query, List<OrderBy> orderBy, int truncateColumns,
                 List<ValueExpr> sysTableSchema) implements Primitive {
        /** Copies the lists; rejects nulls. */
        public Route {
            Objects.requireNonNull(routing, "routing");
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(query, "query");
            orderBy = List.copyOf(orderBy);
            sysTableSchema = List.copyOf(sysTableSchema);
        }

        @Override
        public boolean readOnly() {
            return routing.opcode() != RouteOpcode.NEXT;
        }
    }

    /** The kind of a routed DML statement. */
    enum DmlKind { UPDATE, DELETE }

    /**
     * An UPDATE or DELETE routed by its WHERE clause.
     *
     * @param kind    update or delete
     * @param routing where it goes
     * @param table   the table written
     * @param query   the SQL template for each shard
     * @param lookups the lookup vindexes the statement maintains, when the table owns any that it
     *                changes (every owned one for a DELETE, those whose columns are set for an UPDATE)
     */
    record Dml(DmlKind kind, Routing routing, String table, String query, Optional<OwnedLookups> lookups)
            implements Primitive {
        /** Rejects nulls. */
        public Dml {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(routing, "routing");
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(query, "query");
            Objects.requireNonNull(lookups, "lookups");
        }

        /** A DML statement that maintains no lookup vindex. */
        public Dml(DmlKind kind, Routing routing, String table, String query) {
            this(kind, routing, table, query, Optional.empty());
        }

        @Override
        public boolean readOnly() {
            return false;
        }
    }

    /**
     * Lookup maintenance of an UPDATE or DELETE (Vitess's {@code OwnedVindexQuery}): before the
     * statement runs, {@code selectQuery} (same routing and WHERE, {@code FOR UPDATE}, in the
     * session's transaction) reads the affected rows' primary vindex columns followed by each owned
     * vindex's columns, in the order of {@code owned}; each row's keyspace id is computed from the
     * primary vindex, then the lookup rows are deleted (DELETE) or moved to the new values (UPDATE).
     *
     * @param selectQuery the SQL template reading the rows
     * @param primary     the table's primary vindex
     * @param owned       the owned lookup vindexes to maintain
     * @param newValues   for UPDATE, per owned vindex (same order) and per column, the value the
     *                    statement sets, or empty when the column keeps its value; empty for DELETE
     */
    record OwnedLookups(String selectQuery, Routing.PlannedVindex primary, List<Routing.PlannedVindex> owned,
                        List<List<Optional<ValueExpr>>> newValues) {
        /** Copies the lists; rejects nulls. */
        public OwnedLookups {
            Objects.requireNonNull(selectQuery, "selectQuery");
            Objects.requireNonNull(primary, "primary");
            owned = List.copyOf(owned);
            newValues = newValues.stream().map(List::copyOf).toList();
        }
    }

    /**
     * One owned lookup vindex an INSERT creates entries in, with each row's values of its columns.
     *
     * @param vindex the owned lookup vindex
     * @param rows   per row, the values of the vindex's columns
     */
    record OwnedInsert(Routing.PlannedVindex vindex, List<List<ValueExpr>> rows) {
        /** Copies the lists; rejects nulls. */
        public OwnedInsert {
            Objects.requireNonNull(vindex, "vindex");
            rows = rows.stream().map(List::copyOf).toList();
        }
    }

    /**
     * An auto-increment column filled from a sequence.
     *
     * @param sequenceKeyspace the (unsharded) keyspace of the sequence table
     * @param sequenceTable    the sequence table
     * @param column           the column
     * @param rowValues        per row, the value the statement gave (a constant NULL when the column
     *                         was left out); NULL means "take the next value". The row templates
     *                         read the column from {@code :__seqN} (N = row index), bound at execution
     */
    record AutoIncrement(String sequenceKeyspace, String sequenceTable, String column, List<ValueExpr> rowValues) {
        /** Copies the list; rejects nulls. */
        public AutoIncrement {
            Objects.requireNonNull(sequenceKeyspace, "sequenceKeyspace");
            Objects.requireNonNull(sequenceTable, "sequenceTable");
            Objects.requireNonNull(column, "column");
            rowValues = List.copyOf(rowValues);
        }

        /** The bind variable that carries row {@code row}'s value. */
        public static String bindName(int row) {
            return "__seq" + row;
        }
    }

    /**
     * An INSERT. Unsharded: {@code query} goes to the keyspace's shard. Sharded: each row goes to
     * the shard of its keyspace id, computed from {@code rowVindexValues} with the primary vindex;
     * a shard's query is {@code prefix} + its rows' templates joined by {@code ", "} + {@code suffix}.
     *
     * @param routing         {@link RouteOpcode#UNSHARDED} or, for a sharded table, the primary vindex
     *                        (opcode {@link RouteOpcode#EQUAL_UNIQUE}, no values: see rowVindexValues)
     * @param table           the table
     * @param query           the full statement template (what an unsharded keyspace receives)
     * @param prefix          the text before the rows ({@code INSERT INTO t (a, b) VALUES })
     * @param rowTemplates    one template per row ({@code (:vtg1, :vtg2)})
     * @param suffix          the text after the rows (an {@code ON DUPLICATE KEY UPDATE} clause) or empty
     * @param rowVindexValues per row, the values of the primary vindex's columns
     * @param autoIncrement   the sequence-filled column, if the table has one
     * @param ignore          {@code INSERT IGNORE}
     * @param owned           the owned lookup vindexes whose entries are created before the rows are
     *                        inserted (Vitess's order); with {@code ignore}, a row whose entry could not
     *                        be created is left out of the insert
     */
    record Insert(Routing routing, String table, String query, String prefix, List<String> rowTemplates, String suffix,
                  List<List<ValueExpr>> rowVindexValues, Optional<AutoIncrement> autoIncrement, boolean ignore,
                  List<OwnedInsert> owned)
            implements Primitive {
        /** Copies the lists; rejects nulls. */
        public Insert {
            Objects.requireNonNull(routing, "routing");
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(query, "query");
            Objects.requireNonNull(prefix, "prefix");
            rowTemplates = List.copyOf(rowTemplates);
            Objects.requireNonNull(suffix, "suffix");
            rowVindexValues = rowVindexValues.stream().map(List::copyOf).toList();
            Objects.requireNonNull(autoIncrement, "autoIncrement");
            owned = List.copyOf(owned);
        }

        /** An INSERT into a table that owns no lookup vindex. */
        public Insert(Routing routing, String table, String query, String prefix, List<String> rowTemplates, String suffix,
                      List<List<ValueExpr>> rowVindexValues, Optional<AutoIncrement> autoIncrement, boolean ignore) {
            this(routing, table, query, prefix, rowTemplates, suffix, rowVindexValues, autoIncrement, ignore, List.of());
        }

        @Override
        public boolean readOnly() {
            return false;
        }
    }

    /** Which shards of a keyspace a {@link Send} goes to. */
    enum SendTarget { ALL_SHARDS, ANY_SHARD }

    /**
     * A statement sent unchanged (apart from keyspace qualifiers) to shards: DDL to every shard, or
     * a SHOW answered by one shard.
     *
     * @param keyspace the keyspace
     * @param target   every shard or any one
     * @param query    the SQL
     * @param isDdl    true for schema changes (which end an open transaction, as in MySQL)
     */
    record Send(String keyspace, SendTarget target, String query, boolean isDdl) implements Primitive {
        /** Rejects nulls. */
        public Send {
            Objects.requireNonNull(keyspace, "keyspace");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(query, "query");
        }

        @Override
        public boolean readOnly() {
            return !isDdl;
        }
    }

    /**
     * LIMIT/OFFSET applied at the gate to its input's rows.
     *
     * @param count  how many rows to return
     * @param offset how many to skip first, if any
     * @param input  the rows
     */
    record Limit(ValueExpr count, Optional<ValueExpr> offset, Primitive input) implements Primitive {
        /** Rejects nulls. */
        public Limit {
            Objects.requireNonNull(count, "count");
            Objects.requireNonNull(offset, "offset");
            Objects.requireNonNull(input, "input");
        }

        @Override
        public boolean readOnly() {
            return input.readOnly();
        }
    }

    /**
     * Aggregation at the gate over per-shard partial aggregates. With {@code groupBy}, the input
     * arrives sorted by the grouping columns and groups are combined in one streaming pass; without,
     * every row combines into one (scalar aggregation, one row even for no input).
     *
     * @param aggregates      the aggregates, each reading its partial column(s)
     * @param groupBy         the grouping columns, in input order
     * @param raw             true when the input holds base rows (a cross-shard join's output), not
     *                        partial aggregates: COUNT counts the non-NULL values, AVG divides the
     *                        sum by that count
     * @param truncateColumns the number of columns the client sees (0: all)
     * @param input           the per-shard partial results
     */
    record Aggregate(List<AggregateParam> aggregates, List<OrderBy> groupBy, boolean raw, int truncateColumns, Primitive input)
            implements Primitive {
        /** Copies the lists; rejects nulls. */
        public Aggregate {
            aggregates = List.copyOf(aggregates);
            groupBy = List.copyOf(groupBy);
            Objects.requireNonNull(input, "input");
        }

        /** An aggregation merging partial aggregates. */
        public Aggregate(List<AggregateParam> aggregates, List<OrderBy> groupBy, int truncateColumns, Primitive input) {
            this(aggregates, groupBy, false, truncateColumns, input);
        }

        @Override
        public boolean readOnly() {
            return input.readOnly();
        }
    }

    /**
     * A sort at the gate of its whole input (Vitess's MemorySort), for orders the shards cannot
     * produce, e.g. ORDER BY an aggregate of a multi-shard GROUP BY. Holds every input row.
     *
     * @param orderBy         the sort keys
     * @param truncateColumns the number of columns the client sees (0: all)
     * @param input           the rows
     */
    record MemorySort(List<OrderBy> orderBy, int truncateColumns, Primitive input) implements Primitive {
        /** Copies the list; rejects nulls. */
        public MemorySort {
            orderBy = List.copyOf(orderBy);
            Objects.requireNonNull(input, "input");
        }

        @Override
        public boolean readOnly() {
            return input.readOnly();
        }
    }

    /**
     * DISTINCT at the gate: rows equal in {@code columns} (compared as {@link OrderBy} says, the
     * direction being irrelevant) are returned once; the input arrives sorted by them.
     *
     * @param columns         the columns that make rows distinct
     * @param truncateColumns the number of columns the client sees (0: all)
     * @param input           the rows
     */
    record Distinct(List<OrderBy> columns, int truncateColumns, Primitive input) implements Primitive {
        /** Copies the list; rejects nulls. */
        public Distinct {
            columns = List.copyOf(columns);
            Objects.requireNonNull(input, "input");
        }

        @Override
        public boolean readOnly() {
            return input.readOnly();
        }
    }

    /** A comparison operator of a gate-side {@link Filter}. */
    enum CompareOp {
        EQ("="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

        private final String sql;

        CompareOp(String sql) {
            this.sql = sql;
        }

        /** The operator as SQL writes it. */
        public String sql() {
            return sql;
        }

        /** The operator with its operands swapped ({@code a < b} is {@code b > a}). */
        public CompareOp flipped() {
            return switch (this) {
                case LT -> GT;
                case LE -> GE;
                case GT -> LT;
                case GE -> LE;
                default -> this;
            };
        }
    }

    /**
     * One condition of a {@link Filter}: {@code column op value}, with SQL's NULL semantics (a NULL
     * on either side is not true).
     *
     * @param column the input column
     * @param op     the operator
     * @param value  the constant or bind variable compared with
     */
    record Comparison(int column, CompareOp op, ValueExpr value) {
        /** Rejects nulls. */
        public Comparison {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * A filter at the gate (HAVING over a multi-shard aggregation): the input rows for which every
     * comparison is true. Only numeric columns are compared (exactly, as DECIMAL, or as doubles for
     * floating-point columns); another column type, or a non-numeric value, fails at execution with
     * VT12001 rather than compare otherwise than MySQL.
     *
     * @param conditions      the AND-ed comparisons
     * @param truncateColumns the number of columns the client sees (0: all)
     * @param input           the rows
     */
    record Filter(List<Comparison> conditions, int truncateColumns, Primitive input) implements Primitive {
        /** Copies the list; rejects nulls. */
        public Filter {
            conditions = List.copyOf(conditions);
            Objects.requireNonNull(input, "input");
        }

        @Override
        public boolean readOnly() {
            return input.readOnly();
        }
    }

    /** The kind of a gate-side {@link Join}. */
    enum JoinKind { INNER, LEFT }

    /**
     * A nested-loop join at the gate (Vitess's engine.Join): for each row of {@code left}, the
     * {@code right} plan runs with {@code vars} bound from that row's columns; INNER returns the
     * combined rows, LEFT also returns each left row that matched nothing, with NULLs for the
     * right side. The comparison of the join columns happens in MySQL (in the bound right query).
     *
     * @param kind       inner or left
     * @param left       the outer input
     * @param right      the inner input, run once per left row
     * @param columns    the output columns: {@code -1 - i} is left column i, {@code 1 + i} is right column i
     * @param vars       bind variable name to the left column index it is taken from
     * @param rightFields the right plan sent to one shard with a condition that matches nothing, run
     *                    once for the right side's column definitions
     */
    record Join(JoinKind kind, Primitive left, Primitive right, List<Integer> columns, java.util.Map<String, Integer> vars,
                Primitive rightFields) implements Primitive {
        /** Copies the collections; rejects nulls. */
        public Join {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
            columns = List.copyOf(columns);
            vars = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(vars));
            Objects.requireNonNull(rightFields, "rightFields");
        }

        @Override
        public boolean readOnly() {
            return left.readOnly() && right.readOnly();
        }
    }

    /** How a {@link PulloutSubquery}'s result is passed to the outer query. */
    enum PulloutOpcode {
        /** A scalar subquery: its one value (NULL for no row; more than one row is an error). */
        VALUE,
        /** {@code x IN (subquery)}: the values as a list, and whether there were any. */
        IN,
        /** {@code x NOT IN (subquery)}: as IN. */
        NOT_IN,
        /** {@code [NOT] EXISTS (subquery)}: only whether it returned a row, as {@code :hasValuesVar}. */
        EXISTS
    }

    /**
     * An uncorrelated subquery evaluated once at the gate (Vitess's UncorrelatedSubquery /
     * PulloutSubquery); its result is bound for the outer query as {@code :valueVar} (a value, or for
     * IN / NOT IN a list, {@code ::valueVar}) and {@code :hasValuesVar} (1 or 0, IN / NOT IN only).
     *
     * @param opcode       how the result is passed
     * @param valueVar     the bind variable of the value(s)
     * @param hasValuesVar the bind variable telling whether the subquery returned rows
     * @param subquery     the subquery's plan (one column)
     * @param outer        the outer query's plan, reading the bind variables
     */
    record PulloutSubquery(PulloutOpcode opcode, String valueVar, String hasValuesVar, Primitive subquery, Primitive outer)
            implements Primitive {
        /** Rejects nulls. */
        public PulloutSubquery {
            Objects.requireNonNull(opcode, "opcode");
            Objects.requireNonNull(valueVar, "valueVar");
            Objects.requireNonNull(hasValuesVar, "hasValuesVar");
            Objects.requireNonNull(subquery, "subquery");
            Objects.requireNonNull(outer, "outer");
        }

        @Override
        public boolean readOnly() {
            return subquery.readOnly() && outer.readOnly();
        }
    }

    /**
     * The rows of several inputs one after the other ({@code UNION ALL}); the columns are the first
     * input's, and every input must return columns of the same types (checked at execution).
     *
     * @param inputs the inputs, in order (at least two)
     */
    record Concatenate(List<Primitive> inputs) implements Primitive {
        /** Copies the list. */
        public Concatenate {
            inputs = List.copyOf(inputs);
            if (inputs.size() < 2) {
                throw new IllegalArgumentException("Concatenate needs two inputs or more");
            }
        }

        @Override
        public boolean readOnly() {
            return inputs.stream().allMatch(Primitive::readOnly);
        }
    }

    /**
     * Where a SET assignment applies: the session, the server ({@code GLOBAL}), a user-defined
     * {@code @variable}, or only the session's next transaction ({@code SET TRANSACTION ...}
     * without a scope, {@code SET @@transaction_isolation = ...}).
     */
    enum SetScope { SESSION, GLOBAL, USER_DEFINED, NEXT_TRANSACTION }

    /**
     * One assignment of a SET statement.
     *
     * @param scope the variable's scope
     * @param name  the variable name, lower case without {@code @}/{@code @@} and scope
     * @param value the constant value
     */
    record SetAssignment(SetScope scope, String name, ValueExpr value) {
        /** Rejects nulls. */
        public SetAssignment {
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    /** {@code SET ...}: session state kept by the gate (and replayed to tablets where needed). */
    record SessionSet(List<SetAssignment> assignments) implements Primitive {
        /** Copies the list. */
        public SessionSet {
            assignments = List.copyOf(assignments);
        }

        @Override
        public boolean readOnly() {
            return true;
        }
    }

    /** {@code USE keyspace}: changes the session's target keyspace (and tablet type, if suffixed). */
    record UseKeyspace(String keyspace, Optional<String> tabletType) implements Primitive {
        /** Rejects nulls. */
        public UseKeyspace {
            Objects.requireNonNull(keyspace, "keyspace");
            Objects.requireNonNull(tabletType, "tabletType");
        }

        @Override
        public boolean readOnly() {
            return true;
        }
    }

    /** Transaction control, executed by the gate's session (on every shard the transaction touched). */
    record TransactionControl(ParsedStatement.TxOp op, String savepoint) implements Primitive {
        /** Rejects nulls. */
        public TransactionControl {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(savepoint, "savepoint");
        }

        @Override
        public boolean readOnly() {
            return true;
        }
    }

    /** A value the gate itself answers in a SELECT without tables. */
    enum GateFunction {
        /** {@code @@version}: the gate's advertised server version. */
        VERSION,
        /** {@code @@version_comment}. */
        VERSION_COMMENT,
        /** {@code DATABASE()} / {@code SCHEMA()}: the session's keyspace, or NULL. */
        DATABASE,
        /** {@code LAST_INSERT_ID()}: the session's last auto-increment value. */
        LAST_INSERT_ID,
        /** {@code CONNECTION_ID()}: the client connection's id at the gate. */
        CONNECTION_ID,
        /** {@code @@autocommit}: the session's autocommit mode, which the gate keeps (1 or 0). */
        AUTOCOMMIT,
        /** {@code @@transaction_mode}: the session's transaction mode (Vitess's SINGLE, MULTI, TWOPC), kept by the gate. */
        TRANSACTION_MODE,
        /** A constant (the column's {@link GateColumn#constant()}). */
        CONSTANT
    }

    /**
     * One column of a {@link GateProjection}.
     *
     * @param name     the column name the client sees
     * @param function what it holds
     * @param constant the value for {@link GateFunction#CONSTANT}, else empty
     */
    record GateColumn(String name, GateFunction function, Optional<ValueExpr> constant) {
        /** Rejects nulls. */
        public GateColumn {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(function, "function");
            Objects.requireNonNull(constant, "constant");
        }
    }

    /** A one-row result computed by the gate ({@code SELECT @@version, DATABASE()}). */
    record GateProjection(List<GateColumn> columns) implements Primitive {
        /** Copies the list. */
        public GateProjection {
            columns = List.copyOf(columns);
        }

        @Override
        public boolean readOnly() {
            return true;
        }
    }

    /**
     * A SHOW answered by the gate from its topology view and session: DATABASES (keyspaces),
     * VITESS_KEYSPACES, VITESS_SHARDS, VITESS_TABLETS, WARNINGS.
     *
     * @param kind     what to show
     * @param like     the LIKE filter, if any
     */
    record GateShow(ParsedStatement.ShowKind kind, Optional<String> like) implements Primitive {
        /** Rejects nulls. */
        public GateShow {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(like, "like");
        }

        @Override
        public boolean readOnly() {
            return true;
        }
    }

    /**
     * {@code VEXPLAIN}: for {@link ParsedStatement.VExplainKind#PLAN} the gate answers with
     * {@code input}'s description without running it; for QUERIES and ALL it runs {@code input}
     * (writes included, in the session's transaction) while recording every query sent to a shard,
     * and answers with those instead of the statement's result.
     *
     * @param kind  what to return
     * @param input the explained statement's plan
     */
    record VExplain(ParsedStatement.VExplainKind kind, Primitive input) implements Primitive {
        /** Rejects nulls. */
        public VExplain {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(input, "input");
        }

        @Override
        public boolean readOnly() {
            return kind == ParsedStatement.VExplainKind.PLAN || input.readOnly();
        }
    }
}
