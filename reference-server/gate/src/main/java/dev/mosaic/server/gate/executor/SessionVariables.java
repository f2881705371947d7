package dev.mosaic.server.gate.executor;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import dev.mosaic.api.sql.Value;
import dev.mosaic.proto.query.Errors;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the gate does with each session system variable a client sets (Vitess keeps the same kind
 * of table in its {@code sysvars} package): keep it at the gate, accept and ignore it, or apply it
 * on the shards through reserved connections; anything else is MySQL's error 1193.
 */
final class SessionVariables {
    private SessionVariables() {
    }

    /** How a variable is handled. */
    enum Kind {
        /** {@code autocommit}: the gate's own transaction mode. */
        AUTOCOMMIT,
        /** {@code transaction_mode} (Vitess's): SINGLE, MULTI or TWOPC, kept by the gate. */
        TRANSACTION_MODE,
        /** The connection character set: the gate speaks utf8mb4 whatever is asked; kept, not sent. */
        CHARSET,
        /** Accepted and kept at the gate, without effect (connection timeouts and the like). */
        IGNORED,
        /** Changes what MySQL does: applied on every shard through the session's reserved connections. */
        SHARD
    }

    private static final Set<String> CHARSET = Set.of("names", "character_set_client", "character_set_connection",
            "character_set_results", "collation_connection", "charset", "character set");

    private static final Set<String> IGNORED = Set.of("wait_timeout", "interactive_timeout", "net_read_timeout",
            "net_write_timeout", "lc_messages", "sql_notes", "sql_warnings", "session_track_gtids",
            "session_track_schema", "session_track_state_change", "session_track_system_variables",
            "session_track_transaction_info");

    private static final Set<String> SHARD = Set.of("sql_mode", "time_zone", "sql_select_limit", "max_execution_time",
            "max_statement_time", "foreign_key_checks", "unique_checks", "sql_safe_updates", "group_concat_max_len",
            "transaction_isolation", "tx_isolation", "transaction_read_only", "tx_read_only", "sql_auto_is_null",
            "sql_big_selects", "max_join_size", "div_precision_increment", "lock_wait_timeout",
            "innodb_lock_wait_timeout", "sql_quote_show_create", "optimizer_switch", "default_week_format",
            "big_tables", "tmp_table_size", "max_heap_table_size", "sort_buffer_size", "join_buffer_size",
            "cte_max_recursion_depth", "optimizer_search_depth", "block_encryption_mode", "max_sort_length",
            "sql_buffer_result", "explicit_defaults_for_timestamp", "default_storage_engine", "innodb_strict_mode");

    /** Character sets (and their collations' prefixes) the gate accepts for the connection. */
    private static final Set<String> CHARSETS = Set.of("utf8mb4", "utf8", "utf8mb3", "latin1", "ascii", "binary");

    private static final Map<String, String> ISOLATION = Map.of(
            "READ-UNCOMMITTED", "READ UNCOMMITTED",
            "READ-COMMITTED", "READ COMMITTED",
            "REPEATABLE-READ", "REPEATABLE READ",
            "SERIALIZABLE", "SERIALIZABLE");

    /**
     * The kind of session variable {@code name}.
     *
     * @throws MosaicException ER_UNKNOWN_SYSTEM_VARIABLE (1193) for a variable the gate does not know
     */
    static Kind kind(String name) {
        if (name.equals("autocommit")) {
            return Kind.AUTOCOMMIT;
        }
        if (name.equals("transaction_mode")) {
            return Kind.TRANSACTION_MODE;
        }
        if (CHARSET.contains(name)) {
            return Kind.CHARSET;
        }
        if (IGNORED.contains(name)) {
            return Kind.IGNORED;
        }
        if (SHARD.contains(name)) {
            return Kind.SHARD;
        }
        throw new MosaicException(SqlError.UNKNOWN_SYSTEM_VARIABLE, "Unknown system variable '" + name + "'");
    }

    /** The value as MySQL text, or null for NULL. */
    static String text(Value v) {
        return v.isNull() ? null : new String(v.toBytes(), StandardCharsets.UTF_8);
    }

    /**
     * A boolean variable's value: 1/0, ON/OFF, TRUE/FALSE.
     *
     * @throws MosaicException ER_WRONG_VALUE_FOR_VAR (1231) otherwise
     */
    static boolean bool(String name, Value v) {
        String t = text(v);
        if (t != null) {
            switch (t.toLowerCase(Locale.ROOT)) {
                case "1", "on", "true":
                    return true;
                case "0", "off", "false":
                    return false;
                default:
                    break;
            }
        }
        throw wrongValue(name, t);
    }

    /**
     * Checks a connection character set or collation value.
     *
     * @throws MosaicException ER_UNKNOWN_CHARACTER_SET (1115) for a character set the gate does
     *                         not speak
     */
    static void checkCharset(String name, Value v) {
        String t = text(v);
        if (t == null) {
            if (name.equals("character_set_results")) {
                return; // NULL: no conversion of results, what Connector/J asks for
            }
            throw wrongValue(name, null);
        }
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.equals("default")) {
            return;
        }
        String charset = name.equals("collation_connection") ? lower.substring(0, Math.max(0, lower.indexOf('_'))) : lower;
        if (lower.equals("binary") || CHARSETS.contains(charset)) {
            return;
        }
        throw Errors.mysqlError(ErrorCode.INVALID_ARGUMENT, 1115, "42000", "Unknown character set: '" + t + "'", null);
    }

    /**
     * The statement that gives a shard connection {@code name = value} for the session.
     *
     * @param nextTransactionOnly {@code SET TRANSACTION ...} without a scope: the next transaction only
     * @throws MosaicException ER_WRONG_VALUE_FOR_VAR (1231) for an isolation level or read-only
     *                         mode MySQL would not accept
     */
    static String statement(String name, Value v, boolean nextTransactionOnly) {
        String scope = nextTransactionOnly ? "SET TRANSACTION " : "SET SESSION TRANSACTION ";
        switch (name) {
            case "transaction_isolation", "tx_isolation" -> {
                String t = text(v);
                String level = t == null ? null : ISOLATION.get(t.toUpperCase(Locale.ROOT).replace(' ', '-'));
                if (level == null) {
                    throw wrongValue(name, t);
                }
                return scope + "ISOLATION LEVEL " + level;
            }
            case "transaction_read_only", "tx_read_only" -> {
                return scope + (bool(name, v) ? "READ ONLY" : "READ WRITE");
            }
            default -> {
                if (nextTransactionOnly) {
                    throw new IllegalArgumentException(name + " has no next-transaction scope");
                }
                return "SET @@session." + name + " = " + literal(v);
            }
        }
    }

    /** The value as a SQL literal; {@code DEFAULT} stays the keyword. */
    private static String literal(Value v) {
        String t = text(v);
        if (t != null && !v.type().isNumber() && t.equalsIgnoreCase("default")) {
            return "DEFAULT";
        }
        return v.toSqlLiteral();
    }

    static MosaicException wrongValue(String name, String value) {
        return new MosaicException(SqlError.WRONG_VALUE_FOR_VAR, "Variable '" + name + "' can't be set to the value of '"
                + (value == null ? "NULL" : value) + "'");
    }
}
