package dev.mosaic.server.tablet.server;

import static dev.mosaic.server.process.config.ConfigValues.nonNegativeInt;
import static dev.mosaic.server.process.config.ConfigValues.nonNegativeLong;
import static dev.mosaic.server.process.config.ConfigValues.positive;
import static dev.mosaic.server.process.config.ConfigValues.positiveInt;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.mysqlctl.MysqldConfig;
import dev.mosaic.server.process.config.BackupSection;
import dev.mosaic.server.process.config.BackupStorageSettings;
import dev.mosaic.server.tablet.config.TabletConfig;
import dev.mosaic.server.tablet.consolidator.ConsolidatorConfig;
import dev.mosaic.server.tablet.health.TabletHealth;
import dev.mosaic.server.tablet.throttle.ThrottlerSettings;
import dev.mosaic.server.tablet.server.TabletServerConfig.ConsolidatorSettings;
import dev.mosaic.server.tablet.server.TabletServerConfig.Identity;
import dev.mosaic.server.tablet.server.TabletServerConfig.MysqldMode;
import dev.mosaic.server.tablet.server.TabletServerConfig.MysqldSettings;
import dev.mosaic.server.process.config.ConfigReader;
import dev.mosaic.server.process.config.ConfigValues;
import dev.mosaic.server.process.config.Listen;
import dev.mosaic.server.process.config.TopoSection;
import dev.mosaic.server.process.config.TopoSettings;
import dev.mosaic.server.process.config.YamlConfigFile;
import dev.mosaic.server.process.config.YamlConfigLoader;
import dev.mosaic.spi.PluginKind;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.config.ConfigException.Problem;
import dev.mosaic.spi.config.ConfigException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

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
public final class TabletServerConfigLoader extends YamlConfigLoader<TabletServerConfig> {
    /** Prefix of the query-serving keys ({@link TabletConfig}). */
    public static final String QUERY_PREFIX = "query.";
    /** Prefix of the topology plugin's own keys. */
    public static final String TOPO_CONFIG_PREFIX = TopoSection.CONFIG_PREFIX;

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
            "consolidator.max-total-result-bytes",
            "backup.engine", "backup.concurrency", "restore-from-backup", "restore-from-backup-ts",
            "throttler.poll-interval", "throttler.config-refresh", "throttler.staleness", "throttler.read-timeout",
            "throttler.rpc-timeout");

    /** The engine backups are taken with when {@code backup.engine} is not given (Vitess's default). */
    public static final String DEFAULT_BACKUP_ENGINE = "builtin";
    /** Files copied at once when {@code backup.concurrency} is not given (Vitess's {@code --concurrency}). */
    public static final int DEFAULT_BACKUP_CONCURRENCY = 4;
    /** Vitess's {@code --restore-from-backup-ts} format (Go layout {@code 2006-01-02.150405}), in UTC. */
    public static final java.time.format.DateTimeFormatter BACKUP_TS =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd.HHmmss").withZone(java.time.ZoneOffset.UTC);

    /** Vitess's local example: web/status port 15000 + uid. */
    public static final int STATUS_PORT_BASE = 15000;
    /** Vitess's local example: gRPC port 16000 + uid. */
    public static final int GRPC_PORT_BASE = 16000;

    private final Plugins plugins;

    /** A loader that checks topology config against the plugins in {@code plugins}. */
    public TabletServerConfigLoader(Plugins plugins) {
        super(new YamlConfigFile("tablet", "tablet:, mysqld:, topo:, ..."));
        this.plugins = plugins;
    }

    @Override
    protected TabletServerConfig validate(Map<String, String> values, List<Problem> problems, String owner) {
        ConfigReader r = ConfigReader.reportingMissingKeysOnce(values, problems);
        for (String key : values.keySet()) {
            if (!KEYS.contains(key) && !key.startsWith(QUERY_PREFIX) && !key.startsWith(TOPO_CONFIG_PREFIX)
                    && !key.startsWith(BackupSection.STORAGE_PREFIX)) {
                problems.add(new Problem(key, "unknown key; known keys: " + String.join(", ", KEYS)
                        + ", " + QUERY_PREFIX + "* (the query-serving keys, docs/tablet-query-serving.md), "
                        + TOPO_CONFIG_PREFIX + "* (the topology plugin's keys), "
                        + BackupSection.STORAGE_PREFIX + "* (the backup storage and its plugin's keys)"));
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
                ConfigValues::port);
        int statusPort = r.optional("ports.status", alias == null ? 0
                : defaultPort("ports.status", STATUS_PORT_BASE, uid, r), ConfigValues::port);
        int mysqlPort = r.optional("ports.mysql", alias == null ? 0
                : defaultPort("ports.mysql", MysqldConfig.DEFAULT_PORT_BASE, uid, r), ConfigValues::port);
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
        TopoSettings topo = TopoSection.read(r, plugins);

        // --- query serving
        TabletConfig query = query(values, keyspace, problems);

        // --- health and consolidation
        TabletHealth.Settings defaults = TabletHealth.Settings.defaults();
        Duration interval = r.optional("health.interval", defaults.interval(), s -> positive(duration(s)));
        Duration heartbeat = r.optional("health.heartbeat", defaults.heartbeat(), s -> positive(duration(s)));
        Duration unhealthy = r.optional("health.unhealthy-threshold", defaults.unhealthyThreshold(),
                s -> positive(duration(s)));
        boolean consolidate = r.optional("consolidator.enabled", true, ConfigValues::bool);
        ConsolidatorConfig cd = ConsolidatorConfig.DEFAULT;
        int waiterCap = r.optional("consolidator.waiter-cap", cd.waiterCap(), s -> nonNegativeInt(s));
        long maxResult = r.optional("consolidator.max-result-bytes", cd.maxResultBytes(), s -> nonNegativeLong(s));
        long maxTotal = r.optional("consolidator.max-total-result-bytes", cd.maxTotalResultBytes(),
                s -> nonNegativeLong(s));

        // --- backups
        TabletServerConfig.BackupSettings backup = backup(r, mode);

        // --- throttler (what to throttle on is per keyspace, in the topology)
        ThrottlerSettings td = ThrottlerSettings.defaults();
        Duration pollInterval = r.optional("throttler.poll-interval", td.pollInterval(), s -> positive(duration(s)));
        Duration configRefresh = r.optional("throttler.config-refresh", td.configRefresh(), s -> positive(duration(s)));
        Duration staleness = r.optional("throttler.staleness", td.staleness(), s -> positive(duration(s)));
        Duration readTimeout = r.optional("throttler.read-timeout", td.readTimeout(), s -> positive(duration(s)));
        Duration rpcTimeout = r.optional("throttler.rpc-timeout", td.rpcTimeout(), s -> positive(duration(s)));
        ThrottlerSettings throttler = null;
        if (pollInterval != null && configRefresh != null && staleness != null && readTimeout != null && rpcTimeout != null) {
            try {
                throttler = new ThrottlerSettings(pollInterval, configRefresh, staleness, readTimeout, rpcTimeout);
            } catch (IllegalArgumentException e) {
                problems.add(new Problem("throttler.staleness", e.getMessage()));
            }
        }

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
                new ConsolidatorSettings(consolidate, new ConsolidatorConfig(waiterCap, maxResult, maxTotal)),
                backup, throttler);
    }

    private TabletServerConfig.BackupSettings backup(ConfigReader r, MysqldMode mode) {
        Optional<BackupStorageSettings> storage = BackupSection.readStorage(r, plugins);
        String engine = r.optional("backup.engine", DEFAULT_BACKUP_ENGINE, s -> s);
        if (storage.isPresent() && engine != null && r.ok("backup.engine") && !plugins.types(PluginKind.BACKUP_ENGINE).contains(engine)) {
            List<String> known = plugins.types(PluginKind.BACKUP_ENGINE);
            r.problem("backup.engine", "unknown backup engine '" + engine + "'; "
                    + (known.isEmpty() ? "no backup engine plugins are installed" : "known engines: "
                    + String.join(", ", known)));
        }
        int concurrency = r.optional("backup.concurrency", DEFAULT_BACKUP_CONCURRENCY, s -> positiveInt(s));
        boolean restore = r.optional("restore-from-backup", false, ConfigValues::bool);
        Instant ts = r.optional("restore-from-backup-ts", null, s -> {
            try {
                return BACKUP_TS.parse(s.trim(), Instant::from);
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("not a backup time in the form 2006-01-02.150405 (UTC): '"
                        + s + "'");
            }
        });
        if ((restore || ts != null) && !BackupSection.present(r.values())) {
            r.problem("restore-from-backup", "needs a backup storage: set backup.storage.type and its keys "
                    + "(e.g. backup.storage.root)");
        }
        if (ts != null && !restore) {
            r.problem("restore-from-backup-ts", "only with restore-from-backup: true");
        }
        if (restore && mode == MysqldMode.ATTACHED) {
            r.problem("restore-from-backup", "only for mysqld.mode 'managed' (the tablet restores into the "
                    + "empty data directory it creates)");
        }
        return new TabletServerConfig.BackupSettings(storage, engine == null ? DEFAULT_BACKUP_ENGINE : engine,
                concurrency, restore, Optional.ofNullable(ts));
    }

    private static TabletAlias alias(ConfigReader r) {
        boolean hasAlias = r.values().containsKey("tablet.alias");
        boolean hasParts = r.values().containsKey("tablet.cell") || r.values().containsKey("tablet.uid");
        if (hasAlias && hasParts) {
            r.problems().add(new Problem("tablet.alias", "give either tablet.alias or tablet.cell + tablet.uid, not both"));
            return null;
        }
        if (hasAlias) {
            return r.required("tablet.alias", TabletAlias::parse);
        }
        if (!hasParts) {
            r.problems().add(new Problem("tablet.alias", "required key is missing (the tablet alias, e.g. "
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
            r.problems().add(new Problem("tablet.uid", e.getMessage()));
            return null;
        }
    }

    private static int defaultPort(String key, int base, long uid, ConfigReader r) {
        long p = base + uid;
        if (p > 65535 && !r.values().containsKey(key)) {
            r.problems().add(new Problem(key, base + " + uid " + uid + " is not a port; set " + key + " explicitly"));
            return 0;
        }
        return (int) Math.min(p, 65535);
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

    /** Durations as everywhere in Mosaic: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, ISO-8601. */
    static Duration duration(String s) {
        try {
            // TabletConfig's parser, through its public door: the message is rebuilt below.
            return TabletConfig.fromMap(Map.of(TabletConfig.QUERY_TIMEOUT, s)).queryTimeout();
        } catch (MosaicException e) {
            throw new IllegalArgumentException("not a duration (use e.g. 500ms, 30s, 5m, 1h): '" + s + "'");
        }
    }

    private static String localHostname() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
