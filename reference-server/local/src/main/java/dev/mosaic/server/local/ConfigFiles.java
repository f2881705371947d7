package dev.mosaic.server.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The config file of every process in the local cluster, in the same YAML format as
 * {@code mosaic tablet|gate|ctld --config FILE} reads (docs/tablet.md, docs/gate.md), so that the
 * files under {@code DATA/config/} show an operator how to run each process by hand.
 */
final class ConfigFiles {
    private ConfigFiles() {
    }

    /** The root of the file backup storage the tablets and ctld share: {@code DATA/backups}. */
    static Path backupRoot(Path dataDir) {
        return dataDir.resolve("backups");
    }

    /** The {@code backup:} section: file storage under {@link #backupRoot}. */
    private static List<String> backupSection(Path dataDir) {
        return List.of(
                "backup:",
                "  storage:",
                "    type: file",
                "    root: \"" + backupRoot(dataDir) + "\"");
    }

    /**
     * A tablet with a managed mysqld under {@code DATA/mysql}, listening on loopback only, backing
     * up to the shared file storage (the default engine, {@code builtin}).
     */
    static String tablet(ClusterLayout.TabletSpec t, Path dataDir, List<String> topoSection) {
        List<String> l = new ArrayList<>(List.of(
                "# tablet " + t.alias() + " (" + t.target() + "), written by mosaic local up",
                "tablet:",
                "  alias: " + t.alias(),
                "  keyspace: " + t.keyspace(),
                "  shard: \"" + t.shard() + "\"",
                "  type: replica",
                // The published host: the gate and ctld dial it, and everything listens on loopback.
                "  hostname: 127.0.0.1",
                "ports:",
                "  grpc: " + t.grpcPort(),
                "  status: " + t.statusPort(),
                "  mysql: " + t.mysqlPort(),
                "grpc:",
                "  bind-address: 127.0.0.1",
                "status:",
                "  bind-address: 127.0.0.1",
                "mysqld:",
                "  mode: managed",
                "  root: \"" + dataDir.resolve("mysql") + "\"",
                // Small pools: a laptop runs every tablet of the cluster.
                "query:",
                "  pool:",
                "    query.size: 8",
                "    stream.size: 8"));
        l.addAll(backupSection(dataDir));
        l.addAll(topoSection);
        return String.join("\n", l) + "\n";
    }

    /** The gate: MySQL on 15306, status on 15001, anyone may log in, topology re-read every second. */
    static String gate(List<String> topoSection) {
        List<String> l = new ArrayList<>(List.of(
                "# the gate, written by mosaic local up",
                "cell: " + ClusterLayout.CELL,
                "mysql:",
                "  bind-address: 127.0.0.1",
                "  port: " + ClusterLayout.GATE_MYSQL_PORT,
                "status:",
                "  bind-address: 127.0.0.1",
                "  port: " + ClusterLayout.GATE_STATUS_PORT,
                "auth:",
                "  mode: none",
                // A new keyspace or primary is routable a second after ctld writes it.
                "gateway:",
                "  tablet-refresh-interval: 1s"));
        l.addAll(topoSection);
        l.add("  refresh-interval: 1s");
        return String.join("\n", l) + "\n";
    }

    /**
     * ctld: gRPC on 15999, status on 15000 linking to the gate's status page, listing backups in
     * the tablets' file storage.
     */
    static String ctld(Path dataDir, List<String> topoSection) {
        List<String> l = new ArrayList<>(List.of(
                "# ctld, written by mosaic local up",
                "cell: " + ClusterLayout.CELL,
                "grpc:",
                "  bind-address: 127.0.0.1",
                "  port: " + ClusterLayout.CTLD_GRPC_PORT,
                "status:",
                "  bind-address: 127.0.0.1",
                "  port: " + ClusterLayout.CTLD_STATUS_PORT,
                "  gate-links: [\"http://127.0.0.1:" + ClusterLayout.GATE_STATUS_PORT + "/debug/status\"]",
                "tablet-manager:",
                "  call-timeout: 30s"));
        l.addAll(backupSection(dataDir));
        l.addAll(topoSection);
        return String.join("\n", l) + "\n";
    }
}
