package dev.mosaic.server.gate.process;

import static dev.mosaic.server.process.config.ConfigValues.duration;
import static dev.mosaic.server.process.config.ConfigValues.nonNegativeInt;
import static dev.mosaic.server.process.config.ConfigValues.positive;
import static dev.mosaic.server.process.config.ConfigValues.positiveInt;

import dev.mosaic.server.gate.gateway.GatewayConfig;
import dev.mosaic.server.gate.tx.TransactionResolver;
import dev.mosaic.server.gate.process.GateServerConfig.Auth;
import dev.mosaic.server.gate.process.GateServerConfig.AuthMode;
import dev.mosaic.server.gate.process.GateServerConfig.Mysql;
import dev.mosaic.server.gate.process.GateServerConfig.Pool;
import dev.mosaic.server.gate.process.GateServerConfig.QueryLog;
import dev.mosaic.server.mysql.protocol.auth.AuthMethod;
import dev.mosaic.server.process.config.ConfigReader;
import dev.mosaic.server.process.config.ConfigValues;
import dev.mosaic.server.process.config.Listen;
import dev.mosaic.server.process.config.TopoSection;
import dev.mosaic.server.process.config.TopoSettings;
import dev.mosaic.server.process.config.YamlConfigFile;
import dev.mosaic.server.process.config.YamlConfigLoader;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.config.ConfigException;
import dev.mosaic.spi.config.ConfigException.Problem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a gate process's YAML config file into a {@link GateServerConfig}.
 *
 * <p>As the tablet's config: nested mappings flatten to dotted keys ({@code mysql: {port: 15306}}
 * is the key {@code mysql.port}); keys under {@code topo.config.} are the topology plugin's own,
 * checked against its ConfigSpec; keys under {@code auth.users.} name static users (the value is
 * the password). Every problem (unknown key, missing required key, bad value) is collected and
 * reported together in one {@link ConfigException}, each naming its key and the reason.
 */
public final class GateServerConfigLoader extends YamlConfigLoader<GateServerConfig> {
    /** Prefix of the topology plugin's own keys. */
    public static final String TOPO_CONFIG_PREFIX = TopoSection.CONFIG_PREFIX;
    /** Prefix of the static users: {@code auth.users.<user>: <password>}. */
    public static final String USERS_PREFIX = "auth.users.";

    /** The keys this loader reads itself (besides the two prefixes), in documentation order. */
    public static final List<String> KEYS = List.of(
            "topo.type", "topo.global-server-address", "topo.global-root", "topo.refresh-interval",
            "cell", "cells", "keyspaces",
            "gateway.tablet-refresh-interval", "gateway.healthcheck-timeout", "gateway.healthcheck-retry-min",
            "gateway.healthcheck-retry-max", "gateway.low-replication-lag", "gateway.high-replication-lag",
            "gateway.min-serving-tablets", "gateway.call-timeout",
            "mysql.bind-address", "mysql.port", "mysql.max-connections", "mysql.io-threads", "mysql.command-threads",
            "mysql.command-queue", "mysql.server-version", "mysql.backend-flavor", "mysql.handshake-timeout",
            "auth.mode", "auth.method",
            "planner.cache-size", "executor.shard-call-threads", "executor.shard-call-queue",
            "status.bind-address", "status.port", "status.threads",
            "querylog.slow-threshold", "querylog.max-queries", "querylog.slow-log-file",
            "twopc.abandon-age", "twopc.resolver-interval");

    /** Vitess's local example: vtgate's MySQL port. */
    public static final int DEFAULT_MYSQL_PORT = 15306;
    /** Vitess's local example: vtgate's web port (15000 is the control daemon's). */
    public static final int DEFAULT_STATUS_PORT = 15001;
    /**
     * The version announced for MariaDB backends: MariaDB's own form ({@code 5.5.5-} first), so
     * clients do not take the gate for MySQL 8 and ask for variables MariaDB lacks
     * ({@code transaction_isolation}).
     */
    public static final String MARIADB_VERSION = "5.5.5-10.11.0-MariaDB-Mosaic";
    /** The version announced for MySQL 8 backends. */
    public static final String MYSQL8_VERSION = "8.0.31-Mosaic";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

    private final Plugins plugins;

    /** A loader that checks topology config against the plugins in {@code plugins}. */
    public GateServerConfigLoader(Plugins plugins) {
        super(new YamlConfigFile("gate", "topo:, mysql:, ..."));
        this.plugins = plugins;
    }

    @Override
    protected GateServerConfig validate(Map<String, String> values, List<Problem> problems, String owner) {
        ConfigReader r = ConfigReader.of(values, problems);
        for (String key : values.keySet()) {
            if (!KEYS.contains(key) && !key.startsWith(TOPO_CONFIG_PREFIX) && !key.startsWith(USERS_PREFIX)) {
                problems.add(new Problem(key, "unknown key; known keys: " + String.join(", ", KEYS) + ", "
                        + TOPO_CONFIG_PREFIX + "* (the topology plugin's keys), " + USERS_PREFIX
                        + "<user> (a static user's password)"));
            }
        }

        // --- topology and what is served
        TopoSettings topo = TopoSection.read(r, plugins);
        Duration topoRefresh = r.optional("topo.refresh-interval", Duration.ofSeconds(10), s -> positive(duration(s)));
        String cell = r.required("cell", GateServerConfigLoader::name);
        List<String> cells = r.optional("cells", cell == null ? List.of() : List.of(cell), GateServerConfigLoader::names);
        if (cell != null && r.ok("cells") && !cells.contains(cell)) {
            problems.add(new Problem("cells", "must include the gate's own cell '" + cell + "'"));
        }
        List<String> keyspaces = r.optional("keyspaces", List.of(), GateServerConfigLoader::names);

        // --- gateway (Vitess's vtgate flags)
        GatewayConfig d = GatewayConfig.defaults(List.of("-"));
        Duration tabletRefresh = r.optional("gateway.tablet-refresh-interval", d.tabletRefreshInterval(),
                s -> positive(duration(s)));
        Duration hcTimeout = r.optional("gateway.healthcheck-timeout", d.healthCheckTimeout(), s -> positive(duration(s)));
        Duration retryMin = r.optional("gateway.healthcheck-retry-min", d.healthRetryMin(), s -> positive(duration(s)));
        Duration retryMax = r.optional("gateway.healthcheck-retry-max", d.healthRetryMax(), s -> positive(duration(s)));
        Duration lowLag = r.optional("gateway.low-replication-lag", d.lowReplicationLag(), s -> positive(duration(s)));
        Duration highLag = r.optional("gateway.high-replication-lag", d.highReplicationLag(), s -> positive(duration(s)));
        int minServing = r.optional("gateway.min-serving-tablets", d.minServingTablets(), s -> nonNegativeInt(s));
        Duration callTimeout = r.optional("gateway.call-timeout", d.callTimeout(), s -> positive(duration(s)));
        if (retryMax.compareTo(retryMin) < 0) {
            problems.add(new Problem("gateway.healthcheck-retry-max", "is below gateway.healthcheck-retry-min ("
                    + retryMax + " < " + retryMin + ")"));
        }
        if (highLag.compareTo(lowLag) < 0) {
            problems.add(new Problem("gateway.high-replication-lag", "is below gateway.low-replication-lag ("
                    + highLag + " < " + lowLag + ")"));
        }

        // --- MySQL listener
        String mysqlBind = r.optional("mysql.bind-address", "0.0.0.0", s -> s);
        int mysqlPort = r.optional("mysql.port", DEFAULT_MYSQL_PORT, ConfigValues::port);
        int maxConnections = r.optional("mysql.max-connections", 1000, s -> positiveInt(s));
        int ioThreads = r.optional("mysql.io-threads", 1, s -> positiveInt(s));
        int commandThreads = r.optional("mysql.command-threads", 16, s -> positiveInt(s));
        int commandQueue = r.optional("mysql.command-queue", 1024, s -> positiveInt(s));
        String flavorVersion = r.optional("mysql.backend-flavor", MARIADB_VERSION, s -> switch (s.toLowerCase(Locale.ROOT)) {
            case "mariadb" -> MARIADB_VERSION;
            case "mysql8" -> MYSQL8_VERSION;
            default -> throw new IllegalArgumentException("must be mariadb or mysql8, got '" + s + "'");
        });
        if (values.containsKey("mysql.server-version") && values.containsKey("mysql.backend-flavor")) {
            problems.add(new Problem("mysql.server-version", "give either mysql.server-version or "
                    + "mysql.backend-flavor (which picks a version), not both"));
        }
        String serverVersion = r.optional("mysql.server-version", flavorVersion, s -> {
            if (s.isBlank()) {
                throw new IllegalArgumentException("must not be empty");
            }
            return s;
        });
        Duration handshakeTimeout = r.optional("mysql.handshake-timeout", Duration.ofSeconds(10),
                s -> positive(duration(s)));

        // --- auth
        AuthMode mode = r.optional("auth.mode", AuthMode.NONE, s -> switch (s.toLowerCase(Locale.ROOT)) {
            case "none" -> AuthMode.NONE;
            case "static" -> AuthMode.STATIC;
            default -> throw new IllegalArgumentException("must be none or static, got '" + s + "'");
        });
        AuthMethod method = r.optional("auth.method", AuthMethod.MYSQL_NATIVE_PASSWORD, s -> AuthMethod.ofPluginName(
                s.toLowerCase(Locale.ROOT)).orElseThrow(() -> new IllegalArgumentException(
                "must be " + Arrays.stream(AuthMethod.values()).map(AuthMethod::pluginName)
                        .collect(Collectors.joining(" or ")) + ", got '" + s + "'")));
        Map<String, String> users = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(USERS_PREFIX)) {
                users.put(k.substring(USERS_PREFIX.length()), v);
            }
        });
        if (mode == AuthMode.STATIC && users.isEmpty()) {
            problems.add(new Problem(USERS_PREFIX + "<user>", "auth.mode static needs at least one user"));
        }
        if (mode == AuthMode.NONE && !users.isEmpty()) {
            problems.add(new Problem(USERS_PREFIX + users.keySet().iterator().next(),
                    "users are only for auth.mode static (auth.mode none lets anyone in)"));
        }

        // --- planner, executor, status, query log
        int cacheSize = r.optional("planner.cache-size", 5000, s -> positiveInt(s));
        int shardThreads = r.optional("executor.shard-call-threads", 16, s -> positiveInt(s));
        int shardQueue = r.optional("executor.shard-call-queue", 256, s -> positiveInt(s));
        String statusBind = r.optional("status.bind-address", "0.0.0.0", s -> s);
        int statusPort = r.optional("status.port", DEFAULT_STATUS_PORT, ConfigValues::port);
        int statusThreads = r.optional("status.threads", 4, s -> positiveInt(s));
        Duration slow = r.optional("querylog.slow-threshold", Duration.ofSeconds(1), s -> positive(duration(s)));
        int maxQueries = r.optional("querylog.max-queries", 1000, s -> positiveInt(s));
        Optional<Path> slowFile = r.optional("querylog.slow-log-file", Optional.empty(), s -> Optional.of(Path.of(s)));
        Duration abandonAge = r.optional("twopc.abandon-age", TransactionResolver.Settings.DEFAULTS.abandonAge(),
                s -> positive(duration(s)));
        Duration resolverInterval = r.optional("twopc.resolver-interval",
                TransactionResolver.Settings.DEFAULTS.interval(), s -> positive(duration(s)));

        if (!problems.isEmpty()) {
            throw new ConfigException(owner, problems);
        }
        GatewayConfig gateway = new GatewayConfig(cells, cell, tabletRefresh, hcTimeout, retryMin, retryMax, lowLag,
                highLag, minServing, callTimeout);
        return new GateServerConfig(topo, gateway, keyspaces, topoRefresh,
                new Mysql(mysqlBind, mysqlPort, maxConnections, ioThreads, commandThreads, commandQueue, serverVersion,
                        handshakeTimeout),
                new Auth(mode, method, users), cacheSize, new Pool(shardThreads, shardQueue),
                new Listen(statusBind, statusPort, statusThreads), new QueryLog(slow, maxQueries, slowFile),
                new TransactionResolver.Settings(abandonAge, resolverInterval));
    }

    // ------------------------------------------------------------------ value parsers

    private static String name(String s) {
        if (!NAME.matcher(s).matches()) {
            throw new IllegalArgumentException("not a name (letters, digits, '_' and '-'): '" + s + "'");
        }
        return s;
    }

    private static List<String> names(String s) {
        List<String> out = new ArrayList<>();
        for (String part : s.split(",")) {
            String p = part.trim();
            if (!p.isEmpty()) {
                name(p);
                if (out.contains(p)) {
                    throw new IllegalArgumentException("'" + p + "' is listed twice");
                }
                out.add(p);
            }
        }
        return out;
    }
}
