package dev.mosaic.server.ctld.process;

import static dev.mosaic.server.process.config.ConfigValues.duration;
import static dev.mosaic.server.process.config.ConfigValues.positive;
import static dev.mosaic.server.process.config.ConfigValues.positiveInt;

import dev.mosaic.server.process.config.BackupSection;
import dev.mosaic.server.process.config.BackupStorageSettings;
import dev.mosaic.server.process.config.ConfigReader;
import dev.mosaic.server.process.config.ConfigValues;
import dev.mosaic.server.process.config.Listen;
import dev.mosaic.server.process.config.TopoSection;
import dev.mosaic.server.process.config.TopoSettings;
import dev.mosaic.server.process.config.YamlConfigFile;
import dev.mosaic.server.process.config.YamlConfigLoader;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.config.ConfigException.Problem;
import dev.mosaic.spi.config.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a ctld process's YAML config file into a {@link CtldServerConfig}, as the tablet's and
 * the gate's loaders do: nested mappings flatten to dotted keys, {@code topo.config.*} are the
 * topology plugin's own keys, and every problem (unknown key, missing required key, bad value) is
 * reported together in one {@link ConfigException}, each naming its key.
 */
public final class CtldServerConfigLoader extends YamlConfigLoader<CtldServerConfig> {
    /** The keys this loader reads itself (besides {@code topo.config.*}), in documentation order. */
    public static final List<String> KEYS = List.of(
            "topo.type", "topo.global-server-address", "topo.global-root",
            "cell",
            "grpc.bind-address", "grpc.port", "grpc.threads",
            "status.bind-address", "status.port", "status.threads", "status.gate-links",
            "tablet-manager.call-timeout");

    /** Vitess's local example: vtctld's gRPC port. */
    public static final int DEFAULT_GRPC_PORT = 15999;
    /** Vitess's local example: vtctld's web port. */
    public static final int DEFAULT_STATUS_PORT = 15000;
    /** vtctldclient's default {@code --action_timeout} is an hour; a single tablet call gets less. */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]+");

    private final Plugins plugins;

    /** A loader that checks topology config against the plugins in {@code plugins}. */
    public CtldServerConfigLoader(Plugins plugins) {
        super(new YamlConfigFile("ctld", "topo:, cell:, grpc:, status:, tablet-manager:"));
        this.plugins = plugins;
    }

    @Override
    protected CtldServerConfig validate(Map<String, String> values, List<Problem> problems, String owner) {
        ConfigReader r = ConfigReader.of(values, problems);
        for (String key : values.keySet()) {
            if (!KEYS.contains(key) && !key.startsWith(TopoSection.CONFIG_PREFIX)
                    && !key.startsWith(BackupSection.STORAGE_PREFIX)) {
                problems.add(new Problem(key, "unknown key; known keys: " + String.join(", ", KEYS) + ", "
                        + TopoSection.CONFIG_PREFIX + "* (the topology plugin's keys), "
                        + BackupSection.STORAGE_PREFIX + "* (the backup storage and its plugin's keys)"));
            }
        }
        TopoSettings topo = TopoSection.read(r, plugins);
        String cell = r.required("cell", CtldServerConfigLoader::cell);
        String grpcBind = r.optional("grpc.bind-address", "0.0.0.0", CtldServerConfigLoader::address);
        int grpcPort = r.optional("grpc.port", DEFAULT_GRPC_PORT, ConfigValues::port);
        int grpcThreads = r.optional("grpc.threads", 16, s -> positiveInt(s));
        String statusBind = r.optional("status.bind-address", "0.0.0.0", CtldServerConfigLoader::address);
        int statusPort = r.optional("status.port", DEFAULT_STATUS_PORT, ConfigValues::port);
        int statusThreads = r.optional("status.threads", 4, s -> positiveInt(s));
        List<URI> gateLinks = r.optional("status.gate-links", List.of(), CtldServerConfigLoader::urls);
        Duration callTimeout = r.optional("tablet-manager.call-timeout", DEFAULT_CALL_TIMEOUT,
                s -> positive(duration(s)));
        if (grpcPort != 0 && grpcPort == statusPort && r.ok("grpc.port") && r.ok("status.port")) {
            problems.add(new Problem("status.port", "is the same port as grpc.port (" + grpcPort + ")"));
        }
        Optional<BackupStorageSettings> backupStorage = BackupSection.readStorage(r, plugins);
        if (!problems.isEmpty()) {
            throw new ConfigException(owner, problems);
        }
        return new CtldServerConfig(topo, cell, new Listen(grpcBind, grpcPort, grpcThreads),
                new Listen(statusBind, statusPort, statusThreads), callTimeout, gateLinks, backupStorage);
    }

    // Cells are the part of a tablet alias before the '-', so they cannot contain one.
    private static String cell(String s) {
        if (!NAME.matcher(s).matches()) {
            throw new IllegalArgumentException("not a cell name (letters, digits and '_'): '" + s + "'");
        }
        return s;
    }

    private static String address(String s) {
        if (s.isEmpty() || s.contains(" ")) {
            throw new IllegalArgumentException("not a bind address: '" + s + "'");
        }
        return s;
    }

    private static List<URI> urls(String s) {
        List<URI> out = new ArrayList<>();
        for (String part : s.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            URI u;
            try {
                u = new URI(p);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("not a URL: '" + p + "' (" + e.getReason() + ")");
            }
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL with a host: '" + p + "'");
            }
            out.add(u);
        }
        return out;
    }
}
