package dev.mosaic.server.gate.process;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.gate.gateway.GatewayConfig;
import dev.mosaic.server.gate.process.GateServerConfig.Auth;
import dev.mosaic.server.gate.process.GateServerConfig.AuthMode;
import dev.mosaic.server.gate.process.GateServerConfig.Listen;
import dev.mosaic.server.gate.process.GateServerConfig.Mysql;
import dev.mosaic.server.gate.process.GateServerConfig.Pool;
import dev.mosaic.server.gate.process.GateServerConfig.QueryLog;
import dev.mosaic.server.gate.process.GateServerConfig.TopoSettings;
import dev.mosaic.server.mysql.protocol.auth.AuthMethod;
import dev.mosaic.server.topo.TopoConnector;
import dev.mosaic.spi.PluginKind;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.config.ConfigException;
import dev.mosaic.spi.config.ConfigException.Problem;
import dev.mosaic.spi.config.ConfigKey;
import dev.mosaic.spi.topo.TopoStoreFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads a gate process's YAML config file into a {@link GateServerConfig}.
 *
 * <p>As the tablet's config: nested mappings flatten to dotted keys ({@code mysql: {port: 15306}}
 * is the key {@code mysql.port}); keys under {@code topo.config.} are the topology plugin's own,
 * checked against its ConfigSpec; keys under {@code auth.users.} name static users (the value is
 * the password). Every problem (unknown key, missing required key, bad value) is collected and
 * reported together in one {@link ConfigException}, each naming its key and the reason.
 */
public final class GateServerConfigLoader {
    /** Prefix of the topology plugin's own keys. */
    public static final String TOPO_CONFIG_PREFIX = "topo.config.";
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
            "querylog.slow-threshold", "querylog.max-queries", "querylog.slow-log-file");

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
        this.plugins = plugins;
    }

    /**
     * Reads and validates {@code file}.
     *
     * @throws ConfigException listing every problem, each naming its key
     * @throws MosaicException INVALID_ARGUMENT if the file cannot be read or is not YAML
     */
    public GateServerConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "cannot read the gate config file " + file + ": " + e, e);
        }
        return parse(text, file.toString());
    }

    /** Like {@link #load}, from YAML text; {@code source} names it in messages. */
    public GateServerConfig parse(String yaml, String source) {
        Object doc;
        try {
            doc = new Load(LoadSettings.builder().setLabel(source).build()).loadFromString(yaml);
        } catch (YamlEngineException e) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "the gate config " + source + " is not valid YAML: "
                    + e.getMessage(), e);
        }
        if (doc == null) {
            doc = Map.of();
        }
        if (!(doc instanceof Map<?, ?> top)) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "the gate config " + source
                    + " must be a YAML mapping of sections (topo:, mysql:, ...)");
        }
        Map<String, String> flat = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        flatten("", top, flat, problems);
        return fromFlat(flat, problems, "gate config " + source);
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, String> out, List<Problem> problems) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = prefix + e.getKey();
            Object v = e.getValue();
            if (v instanceof Map<?, ?> m) {
                flatten(key + ".", m, out, problems);
            } else if (v instanceof List<?> l) {
                out.put(key, l.stream().map(String::valueOf).collect(Collectors.joining(",")));
            } else if (v == null) {
                problems.add(new Problem(key, "has no value"));
            } else if (out.put(key, String.valueOf(v)) != null) {
                problems.add(new Problem(key, "given twice (once nested, once dotted)"));
            }
        }
    }

    /**
     * Validates flat {@code key -> text} pairs (the flattened file).
     *
     * @throws ConfigException listing every problem
     */
    public GateServerConfig fromFlat(Map<String, String> values, String owner) {
        return fromFlat(values, new ArrayList<>(), owner);
    }

    private GateServerConfig fromFlat(Map<String, String> values, List<Problem> problems, String owner) {
        Reader r = new Reader(values, problems);
        for (String key : values.keySet()) {
            if (!KEYS.contains(key) && !key.startsWith(TOPO_CONFIG_PREFIX) && !key.startsWith(USERS_PREFIX)) {
                problems.add(new Problem(key, "unknown key; known keys: " + String.join(", ", KEYS) + ", "
                        + TOPO_CONFIG_PREFIX + "* (the topology plugin's keys), " + USERS_PREFIX
                        + "<user> (a static user's password)"));
            }
        }

        // --- topology and what is served
        TopoSettings topo = topo(values, r, problems);
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
        int mysqlPort = r.optional("mysql.port", DEFAULT_MYSQL_PORT, GateServerConfigLoader::port);
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
        int statusPort = r.optional("status.port", DEFAULT_STATUS_PORT, GateServerConfigLoader::port);
        int statusThreads = r.optional("status.threads", 4, s -> positiveInt(s));
        Duration slow = r.optional("querylog.slow-threshold", Duration.ofSeconds(1), s -> positive(duration(s)));
        int maxQueries = r.optional("querylog.max-queries", 1000, s -> positiveInt(s));
        Optional<Path> slowFile = r.optional("querylog.slow-log-file", Optional.empty(), s -> Optional.of(Path.of(s)));

        if (!problems.isEmpty()) {
            throw new ConfigException(owner, problems);
        }
        GatewayConfig gateway = new GatewayConfig(cells, cell, tabletRefresh, hcTimeout, retryMin, retryMax, lowLag,
                highLag, minServing, callTimeout);
        return new GateServerConfig(topo, gateway, keyspaces, topoRefresh,
                new Mysql(mysqlBind, mysqlPort, maxConnections, ioThreads, commandThreads, commandQueue, serverVersion,
                        handshakeTimeout),
                new Auth(mode, method, users), cacheSize, new Pool(shardThreads, shardQueue),
                new Listen(statusBind, statusPort, statusThreads), new QueryLog(slow, maxQueries, slowFile));
    }

    private TopoSettings topo(Map<String, String> values, Reader r, List<Problem> problems) {
        String type = r.required("topo.type", s -> s);
        if (type == null) {
            return null;
        }
        TopoStoreFactory factory;
        try {
            factory = plugins.factory(PluginKind.TOPO, type);
        } catch (MosaicException e) {
            problems.add(new Problem("topo.type", e.getMessage()));
            return null;
        }
        Map<String, String> config = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(TOPO_CONFIG_PREFIX)) {
                config.put(k.substring(TOPO_CONFIG_PREFIX.length()), v);
            }
        });
        List<ConfigKey> declared = factory.configSpec().keys();
        String address = values.get("topo.global-server-address");
        if (address != null) {
            String key;
            try {
                key = new TopoConnector(plugins).addressKey(type);
            } catch (IllegalArgumentException e) {
                problems.add(new Problem("topo.global-server-address", e.getMessage()));
                key = null;
            }
            if (key != null && config.putIfAbsent(key, address) != null) {
                problems.add(new Problem("topo.global-server-address", "also given as " + TOPO_CONFIG_PREFIX + key));
            }
        }
        String root = values.get("topo.global-root");
        if (root != null) {
            if (declared.stream().noneMatch(k -> k.name().equals("root"))) {
                problems.add(new Problem("topo.global-root", "topology plugin '" + type + "' has no root key"));
            } else if (config.putIfAbsent("root", root) != null) {
                problems.add(new Problem("topo.global-root", "also given as " + TOPO_CONFIG_PREFIX + "root"));
            }
        }
        try {
            factory.configSpec().validate(config, "topology plugin '" + type + "'");
        } catch (ConfigException e) {
            for (Problem p : e.problems()) {
                problems.add(new Problem(TOPO_CONFIG_PREFIX + p.key(), p.reason()));
            }
            return null;
        }
        return new TopoSettings(type, config);
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

    private static int port(String s) {
        int p = Integer.parseInt(s.trim());
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException("not a port (0..65535): " + s);
        }
        return p;
    }

    private static int positiveInt(String s) {
        int n = Integer.parseInt(s.trim());
        if (n < 1) {
            throw new IllegalArgumentException("must be at least 1, got " + n);
        }
        return n;
    }

    private static int nonNegativeInt(String s) {
        int n = Integer.parseInt(s.trim());
        if (n < 0) {
            throw new IllegalArgumentException("must not be negative, got " + n);
        }
        return n;
    }

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    /** Durations as everywhere in Mosaic: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, or ISO-8601. */
    static Duration duration(String s) {
        String t = s.trim();
        Matcher m = SIMPLE_DURATION.matcher(t);
        try {
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            }
            return Duration.parse(t);
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("not a duration (use e.g. 500ms, 30s, 5m, 1h): '" + s + "'");
        }
    }

    private static Duration positive(Duration d) {
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("must be positive, got " + d);
        }
        return d;
    }

    /** Reads keys, turning each parse failure into a problem naming the key. */
    private static final class Reader {
        final Map<String, String> values;
        final List<Problem> problems;
        final java.util.Set<String> failed = new java.util.HashSet<>();

        Reader(Map<String, String> values, List<Problem> problems) {
            this.values = values;
            this.problems = problems;
        }

        boolean ok(String key) {
            return !failed.contains(key);
        }

        <T> T required(String key, Function<String, T> parse) {
            String v = values.get(key);
            if (v == null) {
                problems.add(new Problem(key, "required key is missing"));
                failed.add(key);
                return null;
            }
            return parse(key, v, parse).orElse(null);
        }

        <T> T optional(String key, T fallback, Function<String, T> parse) {
            String v = values.get(key);
            return v == null ? fallback : parse(key, v, parse).orElse(fallback);
        }

        private <T> Optional<T> parse(String key, String v, Function<String, T> parse) {
            try {
                return Optional.ofNullable(parse.apply(v.trim()));
            } catch (NumberFormatException e) {
                problems.add(new Problem(key, "not a number: '" + v + "'"));
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(key, e.getMessage()));
            }
            failed.add(key);
            return Optional.empty();
        }
    }
}
