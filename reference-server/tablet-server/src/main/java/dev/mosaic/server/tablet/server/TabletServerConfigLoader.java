package dev.mosaic.server.tablet.server;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.mysqlctl.MysqldConfig;
import dev.mosaic.server.tablet.config.TabletConfig;
import dev.mosaic.server.tablet.consolidator.ConsolidatorConfig;
import dev.mosaic.server.tablet.health.TabletHealth;
import dev.mosaic.server.tablet.server.TabletServerConfig.ConsolidatorSettings;
import dev.mosaic.server.tablet.server.TabletServerConfig.Identity;
import dev.mosaic.server.tablet.server.TabletServerConfig.Listen;
import dev.mosaic.server.tablet.server.TabletServerConfig.MysqldMode;
import dev.mosaic.server.tablet.server.TabletServerConfig.MysqldSettings;
import dev.mosaic.server.tablet.server.TabletServerConfig.TopoSettings;
import dev.mosaic.server.topo.TopoConnector;
import dev.mosaic.spi.PluginKind;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.config.ConfigException;
import dev.mosaic.spi.config.ConfigException.Problem;
import dev.mosaic.spi.config.ConfigKey;
import dev.mosaic.spi.topo.TopoStoreFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads a tablet process's YAML config file into a {@link TabletServerConfig}.
 *
 * <p>Nested mappings flatten to dotted keys ({@code query: {pool: {query: {size: 8}}}} is the key
 * {@code query.pool.query.size}; writing {@code query: {pool.query.size: 8}} is the same). Keys
 * under {@code query.} are the keys of {@link TabletConfig#fromMap}; keys under
 * {@code topo.config.} are the topology plugin's own keys, checked against its ConfigSpec. All
 * problems (unknown keys, missing required keys, bad values) are collected and reported together
 * in one {@link ConfigException}, each naming its key and the reason.
 */
public final class TabletServerConfigLoader {
    /** Prefix of the query-serving keys ({@link TabletConfig}). */
    public static final String QUERY_PREFIX = "query.";
    /** Prefix of the topology plugin's own keys. */
    public static final String TOPO_CONFIG_PREFIX = "topo.config.";

    /** The keys this loader reads itself (besides the two prefixes), in documentation order. */
    public static final List<String> KEYS = List.of(
            "tablet.alias", "tablet.cell", "tablet.uid", "tablet.keyspace", "tablet.shard", "tablet.type",
            "tablet.hostname",
            "ports.grpc", "ports.status", "ports.mysql",
            "grpc.bind-address", "grpc.threads",
            "status.bind-address", "status.threads",
            "mysqld.mode", "mysqld.root", "mysqld.flavor", "mysqld.host", "mysqld.user", "mysqld.password",
            "mysqld.start-timeout", "mysqld.shutdown-timeout",
            "topo.type", "topo.global-server-address", "topo.global-root",
            "health.interval", "health.heartbeat", "health.unhealthy-threshold",
            "consolidator.enabled", "consolidator.waiter-cap", "consolidator.max-result-bytes",
            "consolidator.max-total-result-bytes");

    /** Vitess's local example: web/status port 15000 + uid. */
    public static final int STATUS_PORT_BASE = 15000;
    /** Vitess's local example: gRPC port 16000 + uid. */
    public static final int GRPC_PORT_BASE = 16000;

    private final Plugins plugins;

    /** A loader that checks topology config against the plugins in {@code plugins}. */
    public TabletServerConfigLoader(Plugins plugins) {
        this.plugins = plugins;
    }

    /**
     * Reads and validates {@code file}.
     *
     * @throws ConfigException listing every problem, each naming its key
     * @throws MosaicException INVALID_ARGUMENT if the file cannot be read or is not YAML
     */
    public TabletServerConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "cannot read the tablet config file " + file + ": " + e, e);
        }
        return parse(text, file.toString());
    }

    /** Like {@link #load}, from YAML text; {@code source} names it in messages. */
    public TabletServerConfig parse(String yaml, String source) {
        Object doc;
        try {
            doc = new Load(LoadSettings.builder().setLabel(source).build()).loadFromString(yaml);
        } catch (YamlEngineException e) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "the tablet config " + source + " is not valid YAML: "
                    + e.getMessage(), e);
        }
        Map<String, String> flat = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        if (doc == null) {
            doc = Map.of();
        }
        if (!(doc instanceof Map<?, ?> top)) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "the tablet config " + source
                    + " must be a YAML mapping of sections (tablet:, mysqld:, topo:, ...)");
        }
        flatten("", top, flat, problems);
        return fromFlat(flat, problems, "tablet config " + source);
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
    public TabletServerConfig fromFlat(Map<String, String> values, String owner) {
        return fromFlat(values, new ArrayList<>(), owner);
    }

    private TabletServerConfig fromFlat(Map<String, String> values, List<Problem> problems, String owner) {
        Reader r = new Reader(values, problems);
        for (String key : values.keySet()) {
            if (!KEYS.contains(key) && !key.startsWith(QUERY_PREFIX) && !key.startsWith(TOPO_CONFIG_PREFIX)) {
                problems.add(new Problem(key, "unknown key; known keys: " + String.join(", ", KEYS)
                        + ", " + QUERY_PREFIX + "* (the query-serving keys, docs/tablet-query-serving.md), "
                        + TOPO_CONFIG_PREFIX + "* (the topology plugin's keys)"));
            }
        }

        // --- identity
        TabletAlias alias = alias(r);
        String keyspace = r.required("tablet.keyspace", s -> {
            if (!s.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException("not a keyspace name: '" + s + "'");
            }
            return s;
        });
        String shard = r.required("tablet.shard", s -> {
            dev.mosaic.api.cluster.Shard.keyRangeOf(s);
            return s;
        });
        TabletType type = r.optional("tablet.type", TabletType.REPLICA, TabletServerConfigLoader::initType);
        String hostname = r.optional("tablet.hostname", null, s -> s);
        if (hostname == null && r.ok("tablet.hostname")) {
            hostname = localHostname();
        }

        // --- ports and listeners
        long uid = alias == null ? 0 : alias.uid();
        int grpcPort = r.optional("ports.grpc", alias == null ? 0 : defaultPort("ports.grpc", GRPC_PORT_BASE, uid, r),
                TabletServerConfigLoader::port);
        int statusPort = r.optional("ports.status", alias == null ? 0
                : defaultPort("ports.status", STATUS_PORT_BASE, uid, r), TabletServerConfigLoader::port);
        int mysqlPort = r.optional("ports.mysql", alias == null ? 0
                : defaultPort("ports.mysql", MysqldConfig.DEFAULT_PORT_BASE, uid, r), TabletServerConfigLoader::port);
        String grpcBind = r.optional("grpc.bind-address", "0.0.0.0", s -> s);
        Integer grpcThreads = r.optional("grpc.threads", null, s -> positiveInt(s));
        String statusBind = r.optional("status.bind-address", "0.0.0.0", s -> s);
        int statusThreads = r.optional("status.threads", 4, s -> positiveInt(s));

        // --- mysqld
        MysqldMode mode = r.required("mysqld.mode", s -> switch (s.toLowerCase(Locale.ROOT)) {
            case "managed" -> MysqldMode.MANAGED;
            case "attached" -> MysqldMode.ATTACHED;
            default -> throw new IllegalArgumentException("must be 'managed' or 'attached', got '" + s + "'");
        });
        Path root = null;
        if (mode == MysqldMode.MANAGED) {
            root = r.required("mysqld.root", Path::of);
            if (alias != null && alias.uid() < 1) {
                problems.add(new Problem("tablet.alias", "a managed mysqld needs a uid of at least 1 (it is the server id)"));
            }
            for (String k : List.of("mysqld.host", "mysqld.user", "mysqld.password")) {
                if (values.containsKey(k)) {
                    problems.add(new Problem(k, "only for mysqld.mode 'attached' (a managed mysqld listens on "
                            + "127.0.0.1 and the tablet logs in as root)"));
                }
            }
        } else if (mode == MysqldMode.ATTACHED) {
            for (String k : List.of("mysqld.root", "mysqld.flavor")) {
                if (values.containsKey(k)) {
                    problems.add(new Problem(k, "only for mysqld.mode 'managed'"));
                }
            }
        }
        MysqldConfig.FlavorChoice flavor = r.optional("mysqld.flavor", MysqldConfig.FlavorChoice.AUTO,
                s -> switch (s.toLowerCase(Locale.ROOT)) {
                    case "auto" -> MysqldConfig.FlavorChoice.AUTO;
                    case "mariadb" -> MysqldConfig.FlavorChoice.MARIADB;
                    case "mysql8" -> MysqldConfig.FlavorChoice.MYSQL8;
                    default -> throw new IllegalArgumentException("must be auto, mariadb or mysql8, got '" + s + "'");
                });
        String host = r.optional("mysqld.host", "127.0.0.1", s -> s);
        String user = r.optional("mysqld.user", "root", s -> s);
        String password = r.optional("mysqld.password", "", s -> s);
        Duration startTimeout = r.optional("mysqld.start-timeout", Duration.ofMinutes(1), s -> positive(duration(s)));
        Duration shutdownTimeout = r.optional("mysqld.shutdown-timeout", Duration.ofMinutes(1), s -> positive(duration(s)));

        // --- topology
        TopoSettings topo = topo(values, r, problems);

        // --- query serving
        TabletConfig query = query(values, keyspace, problems);

        // --- health and consolidation
        TabletHealth.Settings defaults = TabletHealth.Settings.defaults();
        Duration interval = r.optional("health.interval", defaults.interval(), s -> positive(duration(s)));
        Duration heartbeat = r.optional("health.heartbeat", defaults.heartbeat(), s -> positive(duration(s)));
        Duration unhealthy = r.optional("health.unhealthy-threshold", defaults.unhealthyThreshold(),
                s -> positive(duration(s)));
        boolean consolidate = r.optional("consolidator.enabled", true, TabletServerConfigLoader::bool);
        ConsolidatorConfig cd = ConsolidatorConfig.DEFAULT;
        int waiterCap = r.optional("consolidator.waiter-cap", cd.waiterCap(), s -> nonNegativeInt(s));
        long maxResult = r.optional("consolidator.max-result-bytes", cd.maxResultBytes(), s -> nonNegativeLong(s));
        long maxTotal = r.optional("consolidator.max-total-result-bytes", cd.maxTotalResultBytes(),
                s -> nonNegativeLong(s));

        if (!problems.isEmpty()) {
            throw new ConfigException(owner, problems);
        }
        return new TabletServerConfig(
                new Identity(alias, keyspace, shard, type, hostname),
                new Listen(grpcBind, grpcPort, grpcThreads == null
                        ? dev.mosaic.server.tablet.grpc.TabletGrpcServer.defaultExecutorThreads(query) : grpcThreads),
                new Listen(statusBind, statusPort, statusThreads),
                new MysqldSettings(mode, root, flavor, mode == MysqldMode.MANAGED ? "127.0.0.1" : host, mysqlPort,
                        mode == MysqldMode.MANAGED ? "root" : user, mode == MysqldMode.MANAGED ? "" : password,
                        startTimeout, shutdownTimeout),
                topo, query, new TabletHealth.Settings(interval, heartbeat, unhealthy),
                new ConsolidatorSettings(consolidate, new ConsolidatorConfig(waiterCap, maxResult, maxTotal)));
    }

    private static TabletAlias alias(Reader r) {
        boolean hasAlias = r.values.containsKey("tablet.alias");
        boolean hasParts = r.values.containsKey("tablet.cell") || r.values.containsKey("tablet.uid");
        if (hasAlias && hasParts) {
            r.problems.add(new Problem("tablet.alias", "give either tablet.alias or tablet.cell + tablet.uid, not both"));
            return null;
        }
        if (hasAlias) {
            return r.required("tablet.alias", TabletAlias::parse);
        }
        if (!hasParts) {
            r.problems.add(new Problem("tablet.alias", "required key is missing (the tablet alias, e.g. "
                    + "zone1-0000000100; or tablet.cell and tablet.uid)"));
            return null;
        }
        String cell = r.required("tablet.cell", s -> s);
        Long uid = r.required("tablet.uid", s -> Long.parseLong(s.trim()));
        if (cell == null || uid == null) {
            return null;
        }
        try {
            return new TabletAlias(cell, uid);
        } catch (IllegalArgumentException e) {
            r.problems.add(new Problem("tablet.uid", e.getMessage()));
            return null;
        }
    }

    private static int defaultPort(String key, int base, long uid, Reader r) {
        long p = base + uid;
        if (p > 65535 && !r.values.containsKey(key)) {
            r.problems.add(new Problem(key, base + " + uid " + uid + " is not a port; set " + key + " explicitly"));
            return 0;
        }
        return (int) Math.min(p, 65535);
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

    private static TabletConfig query(Map<String, String> values, String keyspace, List<Problem> problems) {
        Map<String, String> raw = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(QUERY_PREFIX)) {
                raw.put(k.substring(QUERY_PREFIX.length()), v);
            }
        });
        // Vitess's default database is vt_<keyspace> unless --init_db_name_override says otherwise.
        if (!raw.containsKey(TabletConfig.DB_NAME) && keyspace != null) {
            raw.put(TabletConfig.DB_NAME, "vt_" + keyspace);
        }
        // One key at a time first, so every bad key is reported, not only the first.
        boolean bad = false;
        for (Map.Entry<String, String> e : raw.entrySet()) {
            try {
                TabletConfig.fromMap(Map.of(e.getKey(), e.getValue()));
            } catch (MosaicException ex) {
                if (e.getKey().equals(TabletConfig.TX_MAX_OPEN) && ex.getMessage().contains(TabletConfig.TX_POOL_SIZE)) {
                    continue; // relative to the pool size: judged with all keys below
                }
                problems.add(new Problem(QUERY_PREFIX + e.getKey(), reason(ex, e.getKey())));
                bad = true;
            }
        }
        if (bad) {
            return null;
        }
        try {
            return TabletConfig.fromMap(raw);
        } catch (MosaicException ex) {
            String key = raw.keySet().stream().filter(k -> ex.getMessage().startsWith("tablet config " + k + ":"))
                    .findFirst().orElse("");
            problems.add(new Problem(QUERY_PREFIX + key, reason(ex, key)));
            return null;
        }
    }

    private static String reason(MosaicException e, String key) {
        String prefix = "tablet config " + key + ": ";
        String m = e.getMessage();
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }

    // ------------------------------------------------------------------ value parsers

    private static TabletType initType(String s) {
        TabletType t;
        try {
            t = TabletType.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            t = null;
        }
        if (t != TabletType.REPLICA && t != TabletType.RDONLY && t != TabletType.SPARE) {
            // As vttablet: a tablet becomes PRIMARY through the shard record or a reparent, never by flag.
            throw new IllegalArgumentException("must be replica, rdonly or spare, got '" + s + "'");
        }
        return t;
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

    private static long nonNegativeLong(String s) {
        long n = Long.parseLong(s.trim());
        if (n < 0) {
            throw new IllegalArgumentException("must not be negative, got " + n);
        }
        return n;
    }

    private static boolean bool(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("must be true or false, got '" + s + "'");
        };
    }

    /** Durations as everywhere in Mosaic: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, ISO-8601. */
    static Duration duration(String s) {
        try {
            // TabletConfig's parser, through its public door: the message is rebuilt below.
            return TabletConfig.fromMap(Map.of(TabletConfig.QUERY_TIMEOUT, s)).queryTimeout();
        } catch (MosaicException e) {
            throw new IllegalArgumentException("not a duration (use e.g. 500ms, 30s, 5m, 1h): '" + s + "'");
        }
    }

    private static Duration positive(Duration d) {
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("must be positive, got " + d);
        }
        return d;
    }

    private static String localHostname() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** Reads keys, turning each parse failure into a problem naming the key. */
    private static final class Reader {
        final Map<String, String> values;
        final List<Problem> problems;
        final Set<String> failed = new LinkedHashSet<>();

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
                if (problems.stream().noneMatch(p -> p.key().equals(key))) {
                    problems.add(new Problem(key, "required key is missing"));
                }
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
