package dev.mosaic.server.tablet.config;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * The query-serving configuration of a tablet, validated once when it is built. Every error names
 * the offending key. Defaults follow Vitess's {@code queryserver-config-*} flags where one exists;
 * where Vitess allows an unbounded wait (the query pool timeout) Mosaic bounds it.
 *
 * <table>
 * <caption>Keys</caption>
 * <tr><th>key</th><th>default</th><th>Vitess flag</th></tr>
 * <tr><td>{@code db.name}</td><td>(none)</td><td>{@code db_name}</td></tr>
 * <tr><td>{@code pool.query.size}</td><td>16</td><td>{@code queryserver-config-pool-size}</td></tr>
 * <tr><td>{@code pool.query.wait-timeout}</td><td>5s</td><td>{@code queryserver-config-query-pool-timeout}</td></tr>
 * <tr><td>{@code pool.stream.size}</td><td>200</td><td>{@code queryserver-config-stream-pool-size}</td></tr>
 * <tr><td>{@code pool.stream.wait-timeout}</td><td>5s</td><td>{@code queryserver-config-stream-pool-timeout}</td></tr>
 * <tr><td>{@code pool.tx.size}</td><td>20</td><td>{@code queryserver-config-transaction-cap}</td></tr>
 * <tr><td>{@code pool.tx.wait-timeout}</td><td>1s</td><td>{@code queryserver-config-txpool-timeout}</td></tr>
 * <tr><td>{@code pool.dba.size}</td><td>3</td><td>{@code dba_pool_size}</td></tr>
 * <tr><td>{@code pool.waiter-cap}</td><td>5000</td><td>{@code queryserver-config-query-pool-waiter-cap}</td></tr>
 * <tr><td>{@code pool.idle-timeout}</td><td>30m</td><td>{@code queryserver-config-idle-timeout}</td></tr>
 * <tr><td>{@code pool.connect-timeout}</td><td>10s</td><td>(mysql connect timeout)</td></tr>
 * <tr><td>{@code query.timeout}</td><td>30s</td><td>{@code queryserver-config-query-timeout}</td></tr>
 * <tr><td>{@code query.max-result-rows}</td><td>10000</td><td>{@code queryserver-config-max-result-size}</td></tr>
 * <tr><td>{@code query.stream-buffer-size}</td><td>32768</td><td>{@code queryserver-config-stream-buffer-size}</td></tr>
 * <tr><td>{@code tx.timeout}</td><td>30s</td><td>{@code queryserver-config-transaction-timeout}</td></tr>
 * <tr><td>{@code tx.max-open}</td><td>20</td><td>(Vitess caps at the tx pool size)</td></tr>
 * <tr><td>{@code reserved.idle-timeout}</td><td>{@code tx.timeout}</td><td>(Vitess uses {@code queryserver-config-transaction-timeout})</td></tr>
 * <tr><td>{@code sidecar.db-name}</td><td>_vt</td><td>(the keyspace record's {@code sidecar_db_name} wins when set)</td></tr>
 * <tr><td>{@code schema.reload-interval}</td><td>30m</td><td>{@code queryserver-config-schema-reload-time}</td></tr>
 * <tr><td>{@code heartbeat.enable}</td><td>false</td><td>{@code heartbeat_enable}</td></tr>
 * <tr><td>{@code heartbeat.interval}</td><td>1s</td><td>{@code heartbeat_interval}</td></tr>
 * <tr><td>{@code query.plan-cache-size}</td><td>5000</td><td>{@code queryserver-config-query-cache-size}</td></tr>
 * <tr><td>{@code semi-sync.timeout}</td><td>10s</td><td>(Vitess sets an effectively infinite timeout: a primary blocks until acked)</td></tr>
 * <tr><td>{@code hotrow.enabled}</td><td>false</td><td>{@code enable_hot_row_protection}</td></tr>
 * <tr><td>{@code hotrow.dry-run}</td><td>false</td><td>{@code enable_hot_row_protection_dry_run}</td></tr>
 * <tr><td>{@code hotrow.max-queue-size}</td><td>20</td><td>{@code hot_row_protection_max_queue_size}</td></tr>
 * <tr><td>{@code hotrow.max-global-queue-size}</td><td>1000</td><td>{@code hot_row_protection_max_global_queue_size}</td></tr>
 * <tr><td>{@code hotrow.concurrent-transactions}</td><td>1 (Vitess: 5)</td><td>{@code hot_row_protection_concurrent_transactions}</td></tr>
 * <tr><td>{@code acl.file}</td><td>(none: no table ACL)</td><td>{@code table-acl-config}</td></tr>
 * <tr><td>{@code acl.enforce-config}</td><td>false</td><td>{@code enforce-tableacl-config}</td></tr>
 * <tr><td>{@code acl.strict}</td><td>false</td><td>{@code queryserver-config-strict-table-acl}</td></tr>
 * <tr><td>{@code acl.dry-run}</td><td>false</td><td>{@code queryserver-config-enable-table-acl-dry-run}</td></tr>
 * <tr><td>{@code acl.exempt-users}</td><td>(none)</td><td>{@code queryserver-config-acl-exempt-acl}</td></tr>
 * </table>
 *
 * <p>Durations are written {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h} or ISO-8601
 * ({@code PT30S}). A zero {@code query.timeout} or {@code tx.timeout} means "no limit"; a zero
 * wait timeout means "fail at once if nothing is free".
 *
 * @param dbName the database queries run in, or empty for none
 * @param queryPoolSize connections for plain (non-transactional) queries
 * @param queryPoolWaitTimeout how long a query waits for a free connection before "resource exhausted"
 * @param streamPoolSize connections for streaming queries
 * @param streamPoolWaitTimeout how long a stream waits for a free connection
 * @param txPoolSize connections for transactions
 * @param txPoolWaitTimeout how long a begin waits for a connection (and for room under {@code tx.max-open})
 * @param dbaPoolSize connections for the tablet's own work (killing queries and connections)
 * @param poolWaiterCap most callers that may wait on one pool at once; beyond it callers fail at once
 * @param poolIdleTimeout idle connections older than this are closed
 * @param connectTimeout how long opening a new MySQL connection may take
 * @param queryTimeout default limit on one statement; the MySQL query is killed when it passes
 * @param maxResultRows a non-streaming result with more rows is an error
 * @param streamBufferSize bytes of row data a stream gathers before handing a batch to its consumer
 * @param txTimeout a transaction open longer than this is rolled back by the killer
 * @param maxOpenTransactions most transactions and reserved connections open at once
 * @param reservedIdleTimeout a reserved connection outside a transaction and unused for this long is
 *     closed by the killer; zero means never
 * @param sidecarDbName the sidecar database, unless the keyspace record names one
 * @param schemaReloadInterval how often the schema engine reloads; zero for only on demand
 * @param heartbeatEnable whether replication lag comes from the sidecar heartbeat instead of
 *     {@code Seconds_Behind_Master}
 * @param heartbeatInterval how often the primary writes, and a replica reads, the heartbeat
 * @param maxOpenTransactions most transactions open at once
 * @param planCacheSize most statement analyses ({@code plan.TabletPlan}) cached, keyed by SQL text
 * @param semiSyncTimeout how long a semi-sync primary's commit waits for an ack before it falls
 *     back to asynchronous replication (the write then commits unacknowledged and may be lost on
 *     failover); at most 4294967295ms (MariaDB's limit), which in practice means "block"
 * @param hotRow hot-row protection ({@code hotrow.*})
 * @param tableAcl table ACLs ({@code acl.*})
 */
public record TabletConfig(
        String dbName,
        int queryPoolSize,
        Duration queryPoolWaitTimeout,
        int streamPoolSize,
        Duration streamPoolWaitTimeout,
        int txPoolSize,
        Duration txPoolWaitTimeout,
        int dbaPoolSize,
        int poolWaiterCap,
        Duration poolIdleTimeout,
        Duration connectTimeout,
        Duration queryTimeout,
        int maxResultRows,
        int streamBufferSize,
        Duration txTimeout,
        int maxOpenTransactions,
        Duration reservedIdleTimeout,
        String sidecarDbName,
        Duration schemaReloadInterval,
        boolean heartbeatEnable,
        Duration heartbeatInterval,
        int planCacheSize,
        Duration semiSyncTimeout,
        HotRowOptions hotRow,
        TableAclOptions tableAcl) {

    public static final String DB_NAME = "db.name";
    public static final String QUERY_POOL_SIZE = "pool.query.size";
    public static final String QUERY_POOL_WAIT_TIMEOUT = "pool.query.wait-timeout";
    public static final String STREAM_POOL_SIZE = "pool.stream.size";
    public static final String STREAM_POOL_WAIT_TIMEOUT = "pool.stream.wait-timeout";
    public static final String TX_POOL_SIZE = "pool.tx.size";
    public static final String TX_POOL_WAIT_TIMEOUT = "pool.tx.wait-timeout";
    public static final String DBA_POOL_SIZE = "pool.dba.size";
    public static final String POOL_WAITER_CAP = "pool.waiter-cap";
    public static final String POOL_IDLE_TIMEOUT = "pool.idle-timeout";
    public static final String CONNECT_TIMEOUT = "pool.connect-timeout";
    public static final String QUERY_TIMEOUT = "query.timeout";
    public static final String MAX_RESULT_ROWS = "query.max-result-rows";
    public static final String STREAM_BUFFER_SIZE = "query.stream-buffer-size";
    public static final String TX_TIMEOUT = "tx.timeout";
    public static final String TX_MAX_OPEN = "tx.max-open";
    public static final String RESERVED_IDLE_TIMEOUT = "reserved.idle-timeout";
    public static final String SIDECAR_DB_NAME = "sidecar.db-name";
    public static final String SCHEMA_RELOAD_INTERVAL = "schema.reload-interval";
    public static final String HEARTBEAT_ENABLE = "heartbeat.enable";
    public static final String HEARTBEAT_INTERVAL = "heartbeat.interval";
    public static final String PLAN_CACHE_SIZE = "query.plan-cache-size";
    public static final String SEMI_SYNC_TIMEOUT = "semi-sync.timeout";
    /** The longest semi-sync timeout MariaDB accepts ({@code rpl_semi_sync_master_timeout}, ms): "block". */
    public static final Duration MAX_SEMI_SYNC_TIMEOUT = Duration.ofMillis(4_294_967_295L);
    public static final String HOTROW_ENABLED = "hotrow.enabled";
    public static final String HOTROW_DRY_RUN = "hotrow.dry-run";
    public static final String HOTROW_MAX_QUEUE_SIZE = "hotrow.max-queue-size";
    public static final String HOTROW_MAX_GLOBAL_QUEUE_SIZE = "hotrow.max-global-queue-size";
    public static final String HOTROW_CONCURRENT_TRANSACTIONS = "hotrow.concurrent-transactions";
    public static final String ACL_FILE = "acl.file";
    public static final String ACL_ENFORCE_CONFIG = "acl.enforce-config";
    public static final String ACL_STRICT = "acl.strict";
    public static final String ACL_DRY_RUN = "acl.dry-run";
    public static final String ACL_EXEMPT_USERS = "acl.exempt-users";

    /**
     * Hot-row protection settings (Vitess's {@code hot_row_protection_*} flags).
     *
     * @param enabled serialize transactions that update the same row ({@code hotrow.enabled})
     * @param dryRun only count the waits and rejections that would have happened ({@code hotrow.dry-run})
     * @param maxQueueSize most transactions per row, running or waiting ({@code hotrow.max-queue-size})
     * @param maxGlobalQueueSize most transactions over all rows ({@code hotrow.max-global-queue-size})
     * @param concurrentTransactions transactions per row that may run at once ({@code hotrow.concurrent-transactions})
     */
    public record HotRowOptions(boolean enabled, boolean dryRun, int maxQueueSize, int maxGlobalQueueSize,
            int concurrentTransactions) {
        /** Off; when enabled, 20 per row, 1000 in total, one at a time per row. */
        public static final HotRowOptions DEFAULT = new HotRowOptions(false, false, 20, 1000, 1);

        /** Validates the limits; the error names the key. */
        public HotRowOptions {
            atLeast(HOTROW_MAX_QUEUE_SIZE, maxQueueSize, 1);
            atLeast(HOTROW_MAX_GLOBAL_QUEUE_SIZE, maxGlobalQueueSize, 1);
            atLeast(HOTROW_CONCURRENT_TRANSACTIONS, concurrentTransactions, 1);
            if (maxGlobalQueueSize < maxQueueSize) {
                throw invalid(HOTROW_MAX_GLOBAL_QUEUE_SIZE, "must be at least " + HOTROW_MAX_QUEUE_SIZE + " ("
                        + maxQueueSize + "), got " + maxGlobalQueueSize);
            }
        }
    }

    /**
     * Table ACL settings (Vitess's {@code table-acl-config} and {@code queryserver-config-*-table-acl} flags).
     *
     * @param file the table ACL JSON file; empty for no table ACL ({@code acl.file})
     * @param enforceConfig a file that cannot be read or is invalid stops startup; otherwise the tablet
     *     starts with an empty ACL and reports the problem ({@code acl.enforce-config})
     * @param strict deny what the ACL does not allow; without it (and without dry run) the ACL is loaded
     *     but not enforced, as in Vitess ({@code acl.strict})
     * @param dryRun count what would be denied but let it run ({@code acl.dry-run})
     * @param exemptUsers users (or caller groups) never checked ({@code acl.exempt-users}, comma-separated)
     */
    public record TableAclOptions(String file, boolean enforceConfig, boolean strict, boolean dryRun,
            java.util.Set<String> exemptUsers) {
        /** No table ACL. */
        public static final TableAclOptions DEFAULT = new TableAclOptions("", false, false, false, java.util.Set.of());

        /** Copies the exempt set; a null file means none. */
        public TableAclOptions {
            file = file == null ? "" : file.trim();
            exemptUsers = java.util.Set.copyOf(exemptUsers);
            for (String u : exemptUsers) {
                if (u.isBlank()) {
                    throw invalid(ACL_EXEMPT_USERS, "empty user name");
                }
            }
            if (file.isEmpty() && strict) {
                throw invalid(ACL_STRICT, "needs " + ACL_FILE + " (a strict table ACL without a file would deny every table)");
            }
            if (file.isEmpty() && dryRun) {
                throw invalid(ACL_DRY_RUN, "needs " + ACL_FILE);
            }
        }

        /** Whether a table ACL file is configured. */
        public boolean configured() {
            return !file.isEmpty();
        }
    }

    private static final int DEFAULT_PLAN_CACHE_SIZE = 5000;

    /** Validates every field; the error names the key. */
    public TabletConfig {
        dbName = dbName == null ? "" : dbName;
        if (!dbName.matches("[A-Za-z0-9_$-]*")) {
            throw invalid(DB_NAME, "not a plain database name: '" + dbName + "'");
        }
        atLeast(QUERY_POOL_SIZE, queryPoolSize, 1);
        nonNegative(QUERY_POOL_WAIT_TIMEOUT, queryPoolWaitTimeout);
        atLeast(STREAM_POOL_SIZE, streamPoolSize, 1);
        nonNegative(STREAM_POOL_WAIT_TIMEOUT, streamPoolWaitTimeout);
        atLeast(TX_POOL_SIZE, txPoolSize, 1);
        nonNegative(TX_POOL_WAIT_TIMEOUT, txPoolWaitTimeout);
        atLeast(DBA_POOL_SIZE, dbaPoolSize, 1);
        atLeast(POOL_WAITER_CAP, poolWaiterCap, 1);
        positive(POOL_IDLE_TIMEOUT, poolIdleTimeout);
        positive(CONNECT_TIMEOUT, connectTimeout);
        nonNegative(QUERY_TIMEOUT, queryTimeout);
        atLeast(MAX_RESULT_ROWS, maxResultRows, 1);
        if (maxResultRows == Integer.MAX_VALUE) {
            throw invalid(MAX_RESULT_ROWS, "must be below " + Integer.MAX_VALUE);
        }
        atLeast(STREAM_BUFFER_SIZE, streamBufferSize, 1);
        nonNegative(TX_TIMEOUT, txTimeout);
        atLeast(TX_MAX_OPEN, maxOpenTransactions, 1);
        if (maxOpenTransactions > txPoolSize) {
            throw invalid(TX_MAX_OPEN, "must not exceed " + TX_POOL_SIZE + " (" + txPoolSize
                    + "): every open transaction holds a connection, got " + maxOpenTransactions);
        }
        nonNegative(RESERVED_IDLE_TIMEOUT, reservedIdleTimeout);
        if (sidecarDbName == null || !sidecarDbName.matches("[A-Za-z0-9_]{1,64}")) {
            throw invalid(SIDECAR_DB_NAME, "not a sidecar database name (1-64 letters, digits or '_'): '"
                    + sidecarDbName + "'");
        }
        if (!dbName.isEmpty() && dbName.equals(sidecarDbName)) {
            throw invalid(SIDECAR_DB_NAME, "must differ from " + DB_NAME + " ('" + dbName + "')");
        }
        nonNegative(SCHEMA_RELOAD_INTERVAL, schemaReloadInterval);
        positive(HEARTBEAT_INTERVAL, heartbeatInterval);
        atLeast(PLAN_CACHE_SIZE, planCacheSize, 1);
        positive(SEMI_SYNC_TIMEOUT, semiSyncTimeout);
        if (semiSyncTimeout.compareTo(MAX_SEMI_SYNC_TIMEOUT) > 0) {
            throw invalid(SEMI_SYNC_TIMEOUT, "must be at most " + MAX_SEMI_SYNC_TIMEOUT.toMillis() + "ms (MariaDB's limit)");
        }
        Objects.requireNonNull(hotRow, "hotRow");
        Objects.requireNonNull(tableAcl, "tableAcl");
    }

    /** The defaults (see the class comment). */
    public static TabletConfig defaults() {
        return new Builder().build();
    }

    /** A builder starting from this config. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Builds a config from {@code key -> text} pairs (a YAML section or command-line flags);
     * absent keys keep their defaults.
     *
     * @throws MosaicException INVALID_ARGUMENT naming the key, for an unknown key or a bad value
     */
    public static TabletConfig fromMap(Map<String, String> values) {
        Builder b = new Builder();
        Map<String, BiConsumer<Builder, String>> setters = setters();
        for (Map.Entry<String, String> e : values.entrySet()) {
            BiConsumer<Builder, String> setter = setters.get(e.getKey());
            if (setter == null) {
                throw invalid(e.getKey(), "unknown key; known keys: " + String.join(", ", setters.keySet()));
            }
            String v = Objects.requireNonNull(e.getValue(), e.getKey()).trim();
            setter.accept(b, v);
        }
        return b.build();
    }

    private static Map<String, BiConsumer<Builder, String>> setters() {
        Map<String, BiConsumer<Builder, String>> m = new LinkedHashMap<>();
        m.put(DB_NAME, (b, v) -> b.dbName(v));
        m.put(QUERY_POOL_SIZE, (b, v) -> b.queryPoolSize(parseInt(QUERY_POOL_SIZE, v)));
        m.put(QUERY_POOL_WAIT_TIMEOUT, (b, v) -> b.queryPoolWaitTimeout(parseDuration(QUERY_POOL_WAIT_TIMEOUT, v)));
        m.put(STREAM_POOL_SIZE, (b, v) -> b.streamPoolSize(parseInt(STREAM_POOL_SIZE, v)));
        m.put(STREAM_POOL_WAIT_TIMEOUT, (b, v) -> b.streamPoolWaitTimeout(parseDuration(STREAM_POOL_WAIT_TIMEOUT, v)));
        m.put(TX_POOL_SIZE, (b, v) -> b.txPoolSize(parseInt(TX_POOL_SIZE, v)));
        m.put(TX_POOL_WAIT_TIMEOUT, (b, v) -> b.txPoolWaitTimeout(parseDuration(TX_POOL_WAIT_TIMEOUT, v)));
        m.put(DBA_POOL_SIZE, (b, v) -> b.dbaPoolSize(parseInt(DBA_POOL_SIZE, v)));
        m.put(POOL_WAITER_CAP, (b, v) -> b.poolWaiterCap(parseInt(POOL_WAITER_CAP, v)));
        m.put(POOL_IDLE_TIMEOUT, (b, v) -> b.poolIdleTimeout(parseDuration(POOL_IDLE_TIMEOUT, v)));
        m.put(CONNECT_TIMEOUT, (b, v) -> b.connectTimeout(parseDuration(CONNECT_TIMEOUT, v)));
        m.put(QUERY_TIMEOUT, (b, v) -> b.queryTimeout(parseDuration(QUERY_TIMEOUT, v)));
        m.put(MAX_RESULT_ROWS, (b, v) -> b.maxResultRows(parseInt(MAX_RESULT_ROWS, v)));
        m.put(STREAM_BUFFER_SIZE, (b, v) -> b.streamBufferSize(parseInt(STREAM_BUFFER_SIZE, v)));
        m.put(TX_TIMEOUT, (b, v) -> b.txTimeout(parseDuration(TX_TIMEOUT, v)));
        m.put(TX_MAX_OPEN, (b, v) -> b.maxOpenTransactions(parseInt(TX_MAX_OPEN, v)));
        m.put(RESERVED_IDLE_TIMEOUT, (b, v) -> b.reservedIdleTimeout(parseDuration(RESERVED_IDLE_TIMEOUT, v)));
        m.put(SIDECAR_DB_NAME, (b, v) -> b.sidecarDbName(v));
        m.put(SCHEMA_RELOAD_INTERVAL, (b, v) -> b.schemaReloadInterval(parseDuration(SCHEMA_RELOAD_INTERVAL, v)));
        m.put(HEARTBEAT_ENABLE, (b, v) -> b.heartbeatEnable(parseBoolean(HEARTBEAT_ENABLE, v)));
        m.put(HEARTBEAT_INTERVAL, (b, v) -> b.heartbeatInterval(parseDuration(HEARTBEAT_INTERVAL, v)));
        m.put(PLAN_CACHE_SIZE, (b, v) -> b.planCacheSize(parseInt(PLAN_CACHE_SIZE, v)));
        m.put(SEMI_SYNC_TIMEOUT, (b, v) -> b.semiSyncTimeout(parseDuration(SEMI_SYNC_TIMEOUT, v)));
        m.put(HOTROW_ENABLED, (b, v) -> b.hotRowEnabled = parseBoolean(HOTROW_ENABLED, v));
        m.put(HOTROW_DRY_RUN, (b, v) -> b.hotRowDryRun = parseBoolean(HOTROW_DRY_RUN, v));
        m.put(HOTROW_MAX_QUEUE_SIZE, (b, v) -> b.hotRowMaxQueueSize = parseInt(HOTROW_MAX_QUEUE_SIZE, v));
        m.put(HOTROW_MAX_GLOBAL_QUEUE_SIZE, (b, v) -> b.hotRowMaxGlobalQueueSize = parseInt(HOTROW_MAX_GLOBAL_QUEUE_SIZE, v));
        m.put(HOTROW_CONCURRENT_TRANSACTIONS, (b, v) -> b.hotRowConcurrency = parseInt(HOTROW_CONCURRENT_TRANSACTIONS, v));
        m.put(ACL_FILE, (b, v) -> b.aclFile = v);
        m.put(ACL_ENFORCE_CONFIG, (b, v) -> b.aclEnforceConfig = parseBoolean(ACL_ENFORCE_CONFIG, v));
        m.put(ACL_STRICT, (b, v) -> b.aclStrict = parseBoolean(ACL_STRICT, v));
        m.put(ACL_DRY_RUN, (b, v) -> b.aclDryRun = parseBoolean(ACL_DRY_RUN, v));
        m.put(ACL_EXEMPT_USERS, (b, v) -> b.aclExemptUsers = parseList(v));
        return m;
    }

    static int parseInt(String key, String v) {
        try {
            return Integer.parseInt(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw invalid(key, "not an integer: '" + v + "'");
        }
    }

    static boolean parseBoolean(String key, String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, "not a boolean (true or false): '" + v + "'");
        };
    }

    /** A comma-separated list, blanks around items dropped; empty text is the empty set. */
    static java.util.Set<String> parseList(String v) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (String item : v.split(",")) {
            if (!item.isBlank()) {
                out.add(item.trim());
            }
        }
        return out;
    }

    /** Parses {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 0} or ISO-8601 {@code PT30S}. */
    static Duration parseDuration(String key, String v) {
        String s = v.toLowerCase(Locale.ROOT);
        try {
            if (s.startsWith("pt") || s.startsWith("p")) {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            }
            if (s.equals("0")) {
                return Duration.ZERO;
            }
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            long n = Long.parseLong(s.substring(0, s.length() - 1));
            switch (s.charAt(s.length() - 1)) {
                case 's': return Duration.ofSeconds(n);
                case 'm': return Duration.ofMinutes(n);
                case 'h': return Duration.ofHours(n);
                default: break;
            }
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            // fall through to the error below
        }
        throw invalid(key, "not a duration (use e.g. 500ms, 30s, 5m, 1h): '" + v + "'");
    }

    private static void atLeast(String key, int value, int min) {
        if (value < min) {
            throw invalid(key, "must be at least " + min + ", got " + value);
        }
    }

    private static void nonNegative(String key, Duration d) {
        if (d == null) {
            throw invalid(key, "missing");
        }
        if (d.isNegative()) {
            throw invalid(key, "must not be negative, got " + d);
        }
    }

    private static void positive(String key, Duration d) {
        nonNegative(key, d);
        if (d.isZero()) {
            throw invalid(key, "must be positive");
        }
    }

    private static MosaicException invalid(String key, String why) {
        return new MosaicException(ErrorCode.INVALID_ARGUMENT, "tablet config " + key + ": " + why);
    }

    /** A mutable builder; {@link #build()} validates. Starts from the defaults. */
    public static final class Builder {
        private String dbName = "";
        private int queryPoolSize = 16;
        private Duration queryPoolWaitTimeout = Duration.ofSeconds(5);
        private int streamPoolSize = 200;
        private Duration streamPoolWaitTimeout = Duration.ofSeconds(5);
        private int txPoolSize = 20;
        private Duration txPoolWaitTimeout = Duration.ofSeconds(1);
        private int dbaPoolSize = 3;
        private int poolWaiterCap = 5000;
        private Duration poolIdleTimeout = Duration.ofMinutes(30);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration queryTimeout = Duration.ofSeconds(30);
        private int maxResultRows = 10_000;
        private int streamBufferSize = 32 * 1024;
        private Duration txTimeout = Duration.ofSeconds(30);
        private Integer maxOpenTransactions;
        private Duration reservedIdleTimeout;
        private String sidecarDbName = "_vt";
        private Duration schemaReloadInterval = Duration.ofMinutes(30);
        private boolean heartbeatEnable = false;
        private Duration heartbeatInterval = Duration.ofSeconds(1);
        private int planCacheSize = DEFAULT_PLAN_CACHE_SIZE;
        private Duration semiSyncTimeout = Duration.ofSeconds(10);
        private boolean hotRowEnabled = HotRowOptions.DEFAULT.enabled();
        private boolean hotRowDryRun = HotRowOptions.DEFAULT.dryRun();
        private int hotRowMaxQueueSize = HotRowOptions.DEFAULT.maxQueueSize();
        private int hotRowMaxGlobalQueueSize = HotRowOptions.DEFAULT.maxGlobalQueueSize();
        private int hotRowConcurrency = HotRowOptions.DEFAULT.concurrentTransactions();
        private String aclFile = "";
        private boolean aclEnforceConfig;
        private boolean aclStrict;
        private boolean aclDryRun;
        private java.util.Set<String> aclExemptUsers = java.util.Set.of();

        Builder() {
        }

        Builder(TabletConfig c) {
            dbName = c.dbName;
            queryPoolSize = c.queryPoolSize;
            queryPoolWaitTimeout = c.queryPoolWaitTimeout;
            streamPoolSize = c.streamPoolSize;
            streamPoolWaitTimeout = c.streamPoolWaitTimeout;
            txPoolSize = c.txPoolSize;
            txPoolWaitTimeout = c.txPoolWaitTimeout;
            dbaPoolSize = c.dbaPoolSize;
            poolWaiterCap = c.poolWaiterCap;
            poolIdleTimeout = c.poolIdleTimeout;
            connectTimeout = c.connectTimeout;
            queryTimeout = c.queryTimeout;
            maxResultRows = c.maxResultRows;
            streamBufferSize = c.streamBufferSize;
            txTimeout = c.txTimeout;
            maxOpenTransactions = c.maxOpenTransactions;
            reservedIdleTimeout = c.reservedIdleTimeout;
            sidecarDbName = c.sidecarDbName;
            schemaReloadInterval = c.schemaReloadInterval;
            heartbeatEnable = c.heartbeatEnable;
            heartbeatInterval = c.heartbeatInterval;
            planCacheSize = c.planCacheSize;
            semiSyncTimeout = c.semiSyncTimeout;
            hotRow(c.hotRow);
            tableAcl(c.tableAcl);
        }

        public Builder dbName(String v) { dbName = v; return this; }
        public Builder queryPoolSize(int v) { queryPoolSize = v; return this; }
        public Builder queryPoolWaitTimeout(Duration v) { queryPoolWaitTimeout = v; return this; }
        public Builder streamPoolSize(int v) { streamPoolSize = v; return this; }
        public Builder streamPoolWaitTimeout(Duration v) { streamPoolWaitTimeout = v; return this; }
        public Builder txPoolSize(int v) { txPoolSize = v; return this; }
        public Builder txPoolWaitTimeout(Duration v) { txPoolWaitTimeout = v; return this; }
        public Builder dbaPoolSize(int v) { dbaPoolSize = v; return this; }
        public Builder poolWaiterCap(int v) { poolWaiterCap = v; return this; }
        public Builder poolIdleTimeout(Duration v) { poolIdleTimeout = v; return this; }
        public Builder connectTimeout(Duration v) { connectTimeout = v; return this; }
        public Builder queryTimeout(Duration v) { queryTimeout = v; return this; }
        public Builder maxResultRows(int v) { maxResultRows = v; return this; }
        public Builder streamBufferSize(int v) { streamBufferSize = v; return this; }
        public Builder txTimeout(Duration v) { txTimeout = v; return this; }
        /** Defaults to {@code pool.tx.size} when not set. */
        public Builder maxOpenTransactions(int v) { maxOpenTransactions = v; return this; }
        /** Defaults to {@code tx.timeout} when not set, as in Vitess. */
        public Builder reservedIdleTimeout(Duration v) { reservedIdleTimeout = v; return this; }
        public Builder sidecarDbName(String v) { sidecarDbName = v; return this; }
        public Builder schemaReloadInterval(Duration v) { schemaReloadInterval = v; return this; }
        public Builder heartbeatEnable(boolean v) { heartbeatEnable = v; return this; }
        public Builder heartbeatInterval(Duration v) { heartbeatInterval = v; return this; }
        public Builder planCacheSize(int v) { planCacheSize = v; return this; }
        public Builder semiSyncTimeout(Duration v) { semiSyncTimeout = v; return this; }
        /** All {@code hotrow.*} settings at once. */
        public Builder hotRow(HotRowOptions v) {
            hotRowEnabled = v.enabled();
            hotRowDryRun = v.dryRun();
            hotRowMaxQueueSize = v.maxQueueSize();
            hotRowMaxGlobalQueueSize = v.maxGlobalQueueSize();
            hotRowConcurrency = v.concurrentTransactions();
            return this;
        }
        /** All {@code acl.*} settings at once. */
        public Builder tableAcl(TableAclOptions v) {
            aclFile = v.file();
            aclEnforceConfig = v.enforceConfig();
            aclStrict = v.strict();
            aclDryRun = v.dryRun();
            aclExemptUsers = v.exemptUsers();
            return this;
        }

        /** The validated config. @throws MosaicException INVALID_ARGUMENT naming the bad key */
        public TabletConfig build() {
            return new TabletConfig(dbName, queryPoolSize, queryPoolWaitTimeout, streamPoolSize,
                    streamPoolWaitTimeout, txPoolSize, txPoolWaitTimeout, dbaPoolSize, poolWaiterCap,
                    poolIdleTimeout, connectTimeout, queryTimeout, maxResultRows, streamBufferSize, txTimeout,
                    maxOpenTransactions == null ? txPoolSize : maxOpenTransactions,
                    reservedIdleTimeout == null ? txTimeout : reservedIdleTimeout,
                    sidecarDbName, schemaReloadInterval, heartbeatEnable, heartbeatInterval,
                    planCacheSize, semiSyncTimeout,
                    new HotRowOptions(hotRowEnabled, hotRowDryRun, hotRowMaxQueueSize, hotRowMaxGlobalQueueSize,
                            hotRowConcurrency),
                    new TableAclOptions(aclFile, aclEnforceConfig, aclStrict, aclDryRun, aclExemptUsers));
        }
    }
}
