package dev.mosaic.topo.etcd;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.spi.config.Config;
import dev.mosaic.spi.config.ConfigKey;
import dev.mosaic.spi.config.ConfigSpec;
import dev.mosaic.spi.config.ConfigType;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The validated configuration of one etcd topology connection.
 *
 * @param endpoints      client URLs, {@code http://host:port} (a bare {@code host:port} gets {@code http://})
 * @param root           key prefix of this store's tree, starting with {@code /}, without a trailing {@code /}
 * @param leaseTtl       TTL of the session lease (locks, elections); also how long a dead process holds them
 * @param dialTimeout    how long connecting may take
 * @param requestTimeout bound on every single request to etcd
 */
record EtcdConfig(List<URI> endpoints, String root, Duration leaseTtl, Duration dialTimeout, Duration requestTimeout) {
    static final String ENDPOINTS = "endpoints";
    static final String ROOT = "root";
    static final String LEASE_TTL = "lease_ttl";
    static final String DIAL_TIMEOUT = "dial_timeout";
    static final String REQUEST_TIMEOUT = "request_timeout";

    static final ConfigSpec SPEC = ConfigSpec.of(
            ConfigKey.required(ENDPOINTS, ConfigType.LIST,
                    "Comma-separated etcd client URLs, e.g. http://127.0.0.1:2379,http://10.0.0.2:2379."),
            ConfigKey.optional(ROOT, ConfigType.STRING, "/mosaic/global",
                    "Key prefix under which this store's tree lives (one per cluster and cell), e.g. /mosaic/global."),
            ConfigKey.optional(LEASE_TTL, ConfigType.DURATION, "30s",
                    "TTL of the session lease that holds locks and election entries; a crashed holder releases them after this long (whole seconds, at least 1s)."),
            ConfigKey.optional(DIAL_TIMEOUT, ConfigType.DURATION, "5s",
                    "How long connecting to etcd may take before the store reports it unavailable."),
            ConfigKey.optional(REQUEST_TIMEOUT, ConfigType.DURATION, "10s",
                    "Upper bound on each request to etcd; a slower request fails with TIMEOUT or UNAVAILABLE."));

    /** Reads and checks typed configuration; a well-typed but unusable value is an INVALID_ARGUMENT naming the key. */
    static EtcdConfig from(Config config) {
        List<URI> endpoints = new ArrayList<>();
        for (String e : config.getList(ENDPOINTS)) {
            endpoints.add(endpoint(e));
        }
        if (endpoints.isEmpty()) {
            throw invalid(ENDPOINTS, "at least one endpoint is required");
        }
        String root = config.getString(ROOT).trim();
        if (!root.startsWith("/")) {
            throw invalid(ROOT, "'" + root + "' must start with '/'");
        }
        while (root.length() > 1 && root.endsWith("/")) {
            root = root.substring(0, root.length() - 1);
        }
        if (root.equals("/")) {
            root = "";
        } else {
            for (String seg : root.substring(1).split("/", -1)) {
                if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
                    throw invalid(ROOT, "'" + root + "' has an empty, '.' or '..' segment");
                }
            }
        }
        Duration leaseTtl = config.getDuration(LEASE_TTL);
        if (leaseTtl.compareTo(Duration.ofSeconds(1)) < 0 || leaseTtl.toNanos() % 1_000_000_000L != 0) {
            throw invalid(LEASE_TTL, leaseTtl + " is not a whole number of seconds >= 1s (etcd lease TTLs are in seconds)");
        }
        Duration dial = positive(config, DIAL_TIMEOUT);
        Duration request = positive(config, REQUEST_TIMEOUT);
        return new EtcdConfig(List.copyOf(endpoints), root, leaseTtl, dial, request);
    }

    private static URI endpoint(String raw) {
        String s = raw.contains("://") ? raw : "http://" + raw;
        try {
            URI uri = new URI(s);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    || uri.getHost() == null || uri.getPort() < 0) {
                throw invalid(ENDPOINTS, "'" + raw + "' is not http(s)://host:port");
            }
            if ("https".equals(uri.getScheme())) {
                throw invalid(ENDPOINTS, "'" + raw + "': TLS endpoints are not supported yet");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw invalid(ENDPOINTS, "'" + raw + "' is not a URL: " + e.getMessage());
        }
    }

    private static Duration positive(Config config, String key) {
        Duration d = config.getDuration(key);
        if (d.isZero() || d.isNegative()) {
            throw invalid(key, "must be positive, got " + d);
        }
        return d;
    }

    private static MosaicException invalid(String key, String reason) {
        return new MosaicException(ErrorCode.INVALID_ARGUMENT, "etcd topology store: config key '" + key + "': " + reason);
    }
}
