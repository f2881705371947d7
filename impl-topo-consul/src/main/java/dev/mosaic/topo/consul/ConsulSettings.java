package dev.mosaic.topo.consul;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.spi.config.Config;
import java.time.Duration;
import java.util.Optional;

/**
 * The validated configuration of one Consul topology connection.
 *
 * @param host              Consul agent host
 * @param port              Consul agent HTTP port
 * @param root              key prefix of this store's tree, no leading or trailing slash
 * @param sessionTtl        TTL of the connection's Consul session
 * @param lockDelay         Consul lock-delay of the sessions this store creates (whole seconds)
 * @param token             ACL token, if any
 * @param requestTimeout    socket read timeout of ordinary requests
 * @param watchWait         {@code wait} of a watch's blocking query
 * @param watchRetryTimeout how long a watch retries an unreachable agent before ending with Failed
 */
record ConsulSettings(String host, int port, String root, Duration sessionTtl, Duration lockDelay,
                      Optional<String> token, Duration requestTimeout, Duration watchWait,
                      Duration watchRetryTimeout) {

    /** Consul refuses session TTLs above this (and, on a real server, below 10s). */
    static final Duration MAX_SESSION_TTL = Duration.ofHours(24);
    /** Consul caps lock-delay at 60s. */
    static final Duration MAX_LOCK_DELAY = Duration.ofSeconds(60);

    static ConsulSettings from(Config config) {
        String address = config.getString("address").trim();
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1 || address.contains("/")) {
            throw invalid("address", "'" + address + "' is not host:port (e.g. 127.0.0.1:8500)");
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw invalid("address", "port of '" + address + "' is not a number");
        }
        if (port < 1 || port > 65535) {
            throw invalid("address", "port " + port + " is out of range");
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String root = config.getString("root").trim();
        while (root.startsWith("/")) {
            root = root.substring(1);
        }
        while (root.endsWith("/")) {
            root = root.substring(0, root.length() - 1);
        }
        if (root.contains("//")) {
            throw invalid("root", "'" + root + "' has an empty segment");
        }
        Duration ttl = config.getDuration("session_ttl");
        if (ttl.compareTo(Duration.ofMillis(100)) < 0 || ttl.compareTo(MAX_SESSION_TTL) > 0) {
            throw invalid("session_ttl", ttl + " is outside 100ms..24h (a real Consul server accepts 10s..24h)");
        }
        Duration lockDelay = config.getDuration("lock_delay");
        if (lockDelay.isNegative() || lockDelay.compareTo(MAX_LOCK_DELAY) > 0 || lockDelay.toNanos() % 1_000_000_000L != 0) {
            throw invalid("lock_delay", lockDelay + " must be whole seconds between 0s and 60s");
        }
        Duration requestTimeout = positive(config, "request_timeout");
        Duration watchWait = config.getDuration("watch_wait");
        if (watchWait.compareTo(Duration.ofSeconds(1)) < 0 || watchWait.compareTo(Duration.ofMinutes(10)) > 0) {
            throw invalid("watch_wait", watchWait + " is outside 1s..10m (Consul caps blocking queries at 10m)");
        }
        Duration retry = positive(config, "watch_retry_timeout");
        Optional<String> token = config.findString("token").map(String::trim).filter(t -> !t.isEmpty());
        return new ConsulSettings(host, port, root, ttl, lockDelay, token, requestTimeout, watchWait, retry);
    }

    private static Duration positive(Config config, String key) {
        Duration d = config.getDuration(key);
        if (d.isNegative() || d.isZero()) {
            throw invalid(key, d + " must be positive");
        }
        return d;
    }

    private static MosaicException invalid(String key, String reason) {
        return new MosaicException(ErrorCode.INVALID_ARGUMENT, "consul topology store: key '" + key + "': " + reason);
    }

    /** The Consul key of a topology path ({@code ""} is the root itself). */
    String key(String path) {
        if (root.isEmpty()) {
            return path;
        }
        return path.isEmpty() ? root : root + "/" + path;
    }

    /** The key prefix under which the children of directory {@code dir} live. */
    String childPrefix(String dir) {
        String k = key(dir);
        return k.isEmpty() ? "" : k + "/";
    }

    /** The topology path of a Consul key under the root. */
    String path(String key) {
        return root.isEmpty() ? key : key.substring(root.length() + 1);
    }
}
