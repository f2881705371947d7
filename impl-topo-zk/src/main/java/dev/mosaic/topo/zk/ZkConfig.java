package dev.mosaic.topo.zk;

import dev.mosaic.spi.config.Config;
import dev.mosaic.spi.config.ConfigException;
import dev.mosaic.spi.config.ConfigKey;
import dev.mosaic.spi.config.ConfigSpec;
import dev.mosaic.spi.config.ConfigType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The validated configuration of one ZooKeeper topology store.
 *
 * @param servers           ZooKeeper servers, {@code host:port} each
 * @param root              the znode under which the store's tree lives
 * @param sessionTimeout    requested session timeout: how long after losing contact a session (and
 *                          its locks, elections and ephemeral nodes) dies; the server may clamp it
 * @param connectionTimeout how long an operation waits for a connection before failing UNAVAILABLE
 * @param retryBaseSleep    first back-off of a retried read
 * @param retryMaxSleep     longest back-off
 * @param retryMaxRetries   how many times a read is retried after a connection loss
 * @param watchThreads      threads delivering watch events (each watch is delivered serially)
 */
record ZkConfig(List<String> servers, String root, Duration sessionTimeout, Duration connectionTimeout,
                Duration retryBaseSleep, Duration retryMaxSleep, int retryMaxRetries, int watchThreads) {

    static final ConfigSpec SPEC = ConfigSpec.of(
            ConfigKey.required("servers", ConfigType.LIST,
                    "ZooKeeper servers as host:port, comma-separated (e.g. zk1:2181,zk2:2181,zk3:2181)"),
            ConfigKey.optional("root", ConfigType.STRING, "/mosaic/global",
                    "znode under which this store's tree lives (one per cluster and cell)"),
            ConfigKey.optional("session_timeout", ConfigType.DURATION, "30s",
                    "session timeout: locks and leadership of a process that vanished are freed after this"),
            ConfigKey.optional("connection_timeout", ConfigType.DURATION, "15s",
                    "how long an operation waits for a connection before failing with UNAVAILABLE"),
            ConfigKey.optional("retry_base_sleep", ConfigType.DURATION, "100ms",
                    "first back-off when a read is retried after a connection loss"),
            ConfigKey.optional("retry_max_sleep", ConfigType.DURATION, "2s",
                    "longest back-off between retries"),
            ConfigKey.optional("retry_max_retries", ConfigType.INT, "3",
                    "how many times a read is retried after a connection loss (writes are never retried blindly)"),
            ConfigKey.optional("watch_threads", ConfigType.INT, "4",
                    "threads delivering watch and leader-change events; each watch is delivered in order"));

    /**
     * Reads and checks typed configuration.
     *
     * @throws ConfigException naming every unusable key
     */
    static ZkConfig from(Config c, String owner) {
        List<ConfigException.Problem> problems = new ArrayList<>();
        List<String> servers = c.getList("servers");
        if (servers.isEmpty()) {
            problems.add(new ConfigException.Problem("servers", "at least one host:port is required"));
        }
        for (String s : servers) {
            int colon = s.lastIndexOf(':');
            boolean ok = colon > 0 && colon < s.length() - 1;
            if (ok) {
                try {
                    int port = Integer.parseInt(s.substring(colon + 1));
                    ok = port > 0 && port < 65536;
                } catch (NumberFormatException e) {
                    ok = false;
                }
            }
            if (!ok || s.contains("/")) {
                problems.add(new ConfigException.Problem("servers", "'" + s + "' is not host:port"));
            }
        }
        String root = c.getString("root");
        String rootProblem = ZkPaths.checkRoot(root);
        if (rootProblem != null) {
            problems.add(new ConfigException.Problem("root", "'" + root + "' " + rootProblem));
        }
        Duration session = positiveMillis(c, "session_timeout", problems);
        Duration connection = positiveMillis(c, "connection_timeout", problems);
        Duration base = positiveMillis(c, "retry_base_sleep", problems);
        Duration max = positiveMillis(c, "retry_max_sleep", problems);
        if (base != null && max != null && max.compareTo(base) < 0) {
            problems.add(new ConfigException.Problem("retry_max_sleep", max + " is shorter than retry_base_sleep " + base));
        }
        int retries = c.getInt("retry_max_retries");
        if (retries < 0 || retries > 29) {
            problems.add(new ConfigException.Problem("retry_max_retries", retries + " is outside 0..29"));
        }
        int threads = c.getInt("watch_threads");
        if (threads < 1 || threads > 256) {
            problems.add(new ConfigException.Problem("watch_threads", threads + " is outside 1..256"));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(owner, problems);
        }
        return new ZkConfig(servers, root, session, connection, base, max, retries, threads);
    }

    private static Duration positiveMillis(Config c, String key, List<ConfigException.Problem> problems) {
        Duration d = c.getDuration(key);
        if (d.toMillis() < 1 || d.toMillis() > Integer.MAX_VALUE) {
            problems.add(new ConfigException.Problem(key, d + " must be between 1ms and " + Integer.MAX_VALUE + "ms"));
            return null;
        }
        return d;
    }

    /** The connect string ZooKeeper takes. */
    String connectString() {
        return String.join(",", servers);
    }
}
