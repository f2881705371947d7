package dev.mosaic.server.mysqlctl.flavor;

import static dev.mosaic.server.mysqlctl.flavor.SqlText.lowerKeys;
import static dev.mosaic.server.mysqlctl.flavor.SqlText.number;
import static dev.mosaic.server.mysqlctl.flavor.SqlText.on;
import static dev.mosaic.server.mysqlctl.flavor.SqlText.quote;

import dev.mosaic.server.mysqlctl.replication.GtidSet;
import dev.mosaic.server.mysqlctl.replication.MySqlGtidSet;
import dev.mosaic.server.mysqlctl.replication.ReplicationSource;
import dev.mosaic.server.mysqlctl.replication.ReplicationStatus;
import dev.mosaic.server.mysqlctl.replication.SemiSyncStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * MySQL 8.0.26 and later (the first release with the source/replica names for every statement,
 * variable and semi-sync plugin used here): {@code uuid:1-5} GTID sets, {@code CHANGE REPLICATION
 * SOURCE TO ... SOURCE_AUTO_POSITION=1}, {@code START/STOP REPLICA}, the
 * {@code rpl_semi_sync_source}/{@code rpl_semi_sync_replica} plugins, {@code super_read_only},
 * {@code WAIT_FOR_EXECUTED_GTID_SET}; 8.4+ spells {@code RESET MASTER} as
 * {@code RESET BINARY LOGS AND GTIDS}.
 *
 * <p>Written from the MySQL 8.0/8.4 reference manual and unit-tested for its SQL and parsing only:
 * MySQL 8 is not packaged for the Debian machines Mosaic is built on, so this flavor has not run
 * against a real MySQL 8 server.
 */
public final class MySql8Flavor implements Flavor {
    /** The oldest supported 8.0 patch release. */
    static final int MIN_PATCH_8_0 = 26;

    private final String version;
    private final int major;
    private final int minor;

    MySql8Flavor(String version, int major, int minor, int patch) {
        this.version = Objects.requireNonNull(version, "version");
        this.major = major;
        this.minor = minor;
    }

    @Override
    public String name() {
        return "mysql8";
    }

    @Override
    public String serverVersion() {
        return version;
    }

    @Override
    public GtidSet parseGtidSet(String text) {
        return MySqlGtidSet.parse(text == null ? "" : text);
    }

    @Override
    public List<String> serverBinaryNames() {
        return List.of("mysqld");
    }

    @Override
    public List<String> installBinaryNames() {
        // MySQL 8 creates its data directory with the server binary itself.
        return List.of("mysqld");
    }

    @Override
    public String packagesHint() {
        return "install MySQL 8.0.26+ from Oracle's packages (mysql-community-server); "
                + "Debian 12 does not package MySQL 8";
    }

    @Override
    public List<String> initDatadirCommand(Path installBinary, Path datadir, Path tmpdir, boolean runAsRoot) {
        List<String> cmd = new ArrayList<>(List.of(
                installBinary.toString(),
                "--no-defaults",
                // root@localhost with an empty password.
                "--initialize-insecure",
                "--datadir=" + datadir,
                "--tmpdir=" + tmpdir,
                // MySQL 8 logs binlogs by default; keep initialization out of the GTID history.
                "--skip-log-bin"));
        if (runAsRoot) {
            cmd.add("--user=root");
        }
        return cmd;
    }

    @Override
    public Map<String, String> myCnfOptions() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("gtid_mode", "ON");
        m.put("enforce_gtid_consistency", "ON");
        m.put("log_replica_updates", "ON");
        m.put("skip_replica_start", "");
        // Semi-sync is a plugin in MySQL; load both sides so they can be switched on at run time.
        m.put("plugin-load-add", "semisync_source.so;semisync_replica.so");
        m.put("rpl_semi_sync_source_wait_point", "AFTER_SYNC");
        // The X Protocol listens on 33060 by default: every instance on one host would collide.
        m.put("mysqlx", "OFF");
        return m;
    }

    @Override
    public String primaryPositionQuery() {
        return "SELECT @@GLOBAL.gtid_executed";
    }

    @Override
    public String waitForPositionQuery(GtidSet position, Duration timeout) {
        // The timeout is in seconds; round up so a sub-second wait does not become "wait forever" (0).
        long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
        return "SELECT WAIT_FOR_EXECUTED_GTID_SET(" + quote(position.toString()) + ", " + seconds + ")";
    }

    @Override
    public boolean waitForPositionReached(String result) {
        // 0: reached; 1: timed out.
        return "0".equals(result == null ? null : result.strip());
    }

    @Override
    public String replicationStatusQuery() {
        return "SHOW REPLICA STATUS";
    }

    @Override
    public Optional<ReplicationStatus> parseReplicationStatus(List<Map<String, String>> rows) {
        return ReplicaStatusColumns.MYSQL8.parse(rows, this::parseGtidSet);
    }

    @Override
    public List<String> startReplicationCommands() {
        return List.of("START REPLICA");
    }

    @Override
    public List<String> stopReplicationCommands() {
        return List.of("STOP REPLICA");
    }

    @Override
    public List<String> restartReplicationIoCommands() {
        return List.of("STOP REPLICA IO_THREAD", "START REPLICA IO_THREAD");
    }

    @Override
    public List<String> setReplicationSourceCommands(ReplicationSource source) {
        List<String> args = new ArrayList<>(List.of(
                "SOURCE_HOST = " + quote(source.host()),
                "SOURCE_PORT = " + source.port(),
                "SOURCE_USER = " + quote(source.user()),
                "SOURCE_PASSWORD = " + quote(source.password()),
                "SOURCE_CONNECT_RETRY = " + source.connectRetry().toSeconds()));
        if (!source.heartbeatPeriod().isZero()) {
            args.add("SOURCE_HEARTBEAT_PERIOD = " + SqlText.seconds(source.heartbeatPeriod()));
        }
        // MySQL 8 defaults to caching_sha2_password; without TLS the replica needs the key.
        args.add("GET_SOURCE_PUBLIC_KEY = 1");
        args.add("SOURCE_AUTO_POSITION = 1");
        return List.of("CHANGE REPLICATION SOURCE TO\n  " + String.join(",\n  ", args));
    }

    @Override
    public List<String> resetReplicationCommands() {
        return List.of("STOP REPLICA", "RESET REPLICA ALL");
    }

    @Override
    public List<String> resetReplicationAndGtidCommands() {
        boolean renamed = major > 8 || minor >= 4;
        return List.of("STOP REPLICA", "RESET REPLICA ALL", renamed ? "RESET BINARY LOGS AND GTIDS" : "RESET MASTER");
    }

    @Override
    public String readOnlyQuery() {
        return "SELECT @@GLOBAL.read_only";
    }

    @Override
    public List<String> setReadOnlyCommands(boolean readOnly) {
        // super_read_only=ON implies read_only=ON; turning it off leaves read_only on, so clear both.
        return readOnly
                ? List.of("SET GLOBAL super_read_only = ON")
                : List.of("SET GLOBAL super_read_only = OFF", "SET GLOBAL read_only = OFF");
    }

    @Override
    public List<String> setSemiSyncCommands(boolean source, boolean replica) {
        return List.of(
                "SET GLOBAL rpl_semi_sync_source_enabled = " + (source ? "ON" : "OFF"),
                "SET GLOBAL rpl_semi_sync_replica_enabled = " + (replica ? "ON" : "OFF"));
    }

    @Override
    public List<String> setSemiSyncTimeoutCommands(Duration timeout) {
        return List.of("SET GLOBAL rpl_semi_sync_source_timeout = " + timeout.toMillis());
    }

    /** MySQL 8 waits for {@code rpl_semi_sync_source_wait_for_replica_count} acks (at least 1). */
    @Override
    public List<String> setSemiSyncAckCountCommands(int acks) {
        if (acks < 0) {
            throw new IllegalArgumentException("negative semi-sync ack count " + acks);
        }
        return List.of("SET GLOBAL rpl_semi_sync_source_wait_for_replica_count = " + Math.max(1, acks));
    }

    @Override
    public List<String> semiSyncStatusQueries() {
        return List.of("SHOW GLOBAL VARIABLES LIKE 'rpl_semi_sync_%'", "SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_%'");
    }

    @Override
    public SemiSyncStatus parseSemiSyncStatus(Map<String, String> values) {
        Map<String, String> v = lowerKeys(values);
        return new SemiSyncStatus(
                on(v.get("rpl_semi_sync_source_enabled")),
                on(v.get("rpl_semi_sync_replica_enabled")),
                on(v.get("rpl_semi_sync_source_status")),
                on(v.get("rpl_semi_sync_replica_status")),
                number(v.get("rpl_semi_sync_source_clients")),
                number(v.get("rpl_semi_sync_source_timeout")),
                number(v.get("rpl_semi_sync_source_yes_tx")),
                number(v.get("rpl_semi_sync_source_no_tx")));
    }

    @Override
    public String toString() {
        return "MySql8Flavor[" + version + "]";
    }
}
