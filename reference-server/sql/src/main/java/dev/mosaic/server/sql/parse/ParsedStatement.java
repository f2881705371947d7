package dev.mosaic.server.sql.parse;

import java.util.Objects;
import java.util.Optional;
import net.sf.jsqlparser.statement.Statement;

/**
 * A statement as the gate understands it: either a JSqlParser AST (queries, DML, DDL, SET) or one
 * of the small session and administrative statements the gate recognises itself, because they
 * are answered or routed by the gate and JSqlParser's MySQL dialect does not cover them all.
 */
public sealed interface ParsedStatement {

    /** A statement parsed by JSqlParser. */
    record Ast(Statement statement) implements ParsedStatement {
        /** Rejects null. */
        public Ast {
            Objects.requireNonNull(statement, "statement");
        }
    }

    /** Transaction control. */
    enum TxOp { BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE_SAVEPOINT, ROLLBACK_TO_SAVEPOINT }

    /**
     * {@code BEGIN}/{@code START TRANSACTION}, {@code COMMIT}, {@code ROLLBACK}, and the savepoint
     * statements; {@code savepoint} is empty unless the operation names one.
     */
    record Transaction(TxOp op, String savepoint) implements ParsedStatement {
        /** Rejects null. */
        public Transaction {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(savepoint, "savepoint");
        }
    }

    /**
     * {@code SET [GLOBAL | SESSION | LOCAL] TRANSACTION characteristic [, characteristic]}, which
     * JSqlParser does not parse.
     *
     * @param scope     {@code global}, {@code session}, or empty for the next transaction only
     * @param isolation the isolation level as {@code transaction_isolation} spells it
     *                  ({@code READ-COMMITTED}, ...), if given
     * @param readOnly  {@code READ ONLY} (true) or {@code READ WRITE} (false), if given
     */
    record SetTransaction(String scope, Optional<String> isolation, Optional<Boolean> readOnly) implements ParsedStatement {
        /** Rejects nulls. */
        public SetTransaction {
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(isolation, "isolation");
            Objects.requireNonNull(readOnly, "readOnly");
        }
    }

    /** {@code USE keyspace} (the keyspace may carry a tablet type, {@code ks@replica}). */
    record Use(String keyspace) implements ParsedStatement {
        /** Rejects null. */
        public Use {
            Objects.requireNonNull(keyspace, "keyspace");
        }
    }

    /** The SHOW statements the gate knows. */
    enum ShowKind { DATABASES, TABLES, COLUMNS, CREATE_TABLE, VARIABLES, WARNINGS, VITESS_SHARDS, VITESS_TABLETS, VITESS_KEYSPACES }

    /**
     * A SHOW statement.
     *
     * @param kind     what is shown
     * @param full     {@code SHOW FULL ...}
     * @param global   {@code SHOW GLOBAL VARIABLES}
     * @param keyspace the keyspace named by {@code FROM db} or a qualified table, if any
     * @param table    the table of COLUMNS / CREATE TABLE, if any
     * @param like     the {@code LIKE} pattern, if any (without quotes)
     */
    record Show(ShowKind kind, boolean full, boolean global, Optional<String> keyspace, Optional<String> table,
                Optional<String> like) implements ParsedStatement {
        /** Rejects nulls. */
        public Show {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(keyspace, "keyspace");
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(like, "like");
        }
    }

    /**
     * {@code SELECT NEXT n VALUES FROM seq} (or {@code NEXT VALUE}, n = 1): reserve n ids from a
     * sequence table.
     *
     * @param keyspace the qualifier of the sequence, if written
     * @param table    the sequence table
     * @param count    how many values
     */
    record NextValues(Optional<String> keyspace, String table, long count) implements ParsedStatement {
        /** Rejects nulls and counts below 1. */
        public NextValues {
            Objects.requireNonNull(keyspace, "keyspace");
            Objects.requireNonNull(table, "table");
            if (count < 1) {
                throw new IllegalArgumentException("count must be positive: " + count);
            }
        }
    }

    /** What a {@link VExplain} statement returns. */
    enum VExplainKind {
        /** The plan of the statement as JSON, without running it. */
        PLAN,
        /** Runs the statement and lists every query the gate sent to a shard. */
        QUERIES,
        /** Runs the statement and returns its plan and the queries sent, as one JSON document. */
        ALL
    }

    /**
     * {@code VEXPLAIN [PLAN | QUERIES | ALL] statement} (Vitess's syntax; without a kind, PLAN),
     * and its older form {@code EXPLAIN FORMAT=VTEXPLAIN statement} (QUERIES).
     *
     * @param kind      what to return
     * @param statement the explained statement, parsed
     */
    record VExplain(VExplainKind kind, ParsedStatement statement) implements ParsedStatement {
        /** Rejects nulls and nesting. */
        public VExplain {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(statement, "statement");
            if (statement instanceof VExplain) {
                throw new IllegalArgumentException("VEXPLAIN of VEXPLAIN");
            }
        }
    }
}
