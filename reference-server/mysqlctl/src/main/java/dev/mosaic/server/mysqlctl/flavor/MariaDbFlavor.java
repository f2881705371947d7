package dev.mosaic.server.mysqlctl.flavor;

import static dev.mosaic.server.mysqlctl.flavor.SqlText.lowerKeys;
import static dev.mosaic.server.mysqlctl.flavor.SqlText.number;
import static dev.mosaic.server.mysqlctl.flavor.SqlText.on;
import static dev.mosaic.server.mysqlctl.flavor.SqlText.quote;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.mysqlctl.replication.GtidSet;
import dev.mosaic.server.mysqlctl.replication.MariaDbGtidSet;
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
 * MariaDB 10.6+ (tested on 10.11): {@code domain-server-seq} GTIDs, {@code CHANGE MASTER TO ...
 * MASTER_USE_GTID=slave_pos}, built-in semi-sync with {@code rpl_semi_sync_master_*} /
 * {@code rpl_semi_sync_slave_*} variables, {@code MASTER_GTID_WAIT}, and no {@code super_read_only}
 * (only {@code read_only}, which users with READ_ONLY ADMIN, such as root, bypass).
 */
public final class MariaDbFlavor implements Flavor {
    private final String version;

    /** The flavor for a server reporting {@code version}. */
    public MariaDbFlavor(String version) {
        this.version = Objects.requireNonNull(version, "version");
    }

    @Override
    public String name() {
        return "mariadb";
    }

    @Override
    public String serverVersion() {
        return version;
    }

    @Override
    public GtidSet parseGtidSet(String text) {
        return MariaDbGtidSet.parse(text == null ? "" : text);
    }

    @Override
    public List<String> serverBinaryNames() {
        return List.of("mariadbd", "mysqld");
    }

    @Override
    public List<String> installBinaryNames() {
        return List.of("mariadb-install-db", "mysql_install_db");
    }

    @Override
    public String packagesHint() {
        return "install the MariaDB server packages, e.g. on Debian/Ubuntu: "
                + "apt-get install -y mariadb-server mariadb-client mariadb-backup";
    }

    @Override
    public List<String> initDatadirCommand(Path installBinary, Path datadir, Path tmpdir, boolean runAsRoot) {
        List<String> cmd = new ArrayList<>(List.of(
                installBinary.toString(),
                "--no-defaults",
                "--datadir=" + datadir,
                "--tmpdir=" + tmpdir,
                // root@localhost, root@127.0.0.1, root@::1 with no password and the native
                // password plugin, so JDBC over TCP works (the default is unix_socket auth).
                "--auth-root-authentication-method=normal",
                "--skip-test-db"));
        if (runAsRoot) {
            cmd.add("--user=root");
        }
        return cmd;
    }

    @Override
    public Map<String, String> myCnfOptions() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("log_slave_updates", "ON");
        m.put("gtid_strict_mode", "ON");
        // The tablet decides when replication runs; a restarted mysqld must not resume on its own.
        m.put("skip_slave_start", "");
        // Lossless semi-sync: the commit is acked by a replica before it becomes visible.
        m.put("rpl_semi_sync_master_wait_point", "AFTER_SYNC");
        return m;
    }

    @Override
    public String primaryPositionQuery() {
        return "SELECT @@GLOBAL.gtid_binlog_pos";
    }

    @Override
    public String waitForPositionQuery(GtidSet position, Duration timeout) {
        return "SELECT MASTER_GTID_WAIT(" + quote(position.toString()) + ", " + SqlText.seconds(timeout) + ")";
    }

    @Override
    public boolean waitForPositionReached(String result) {
        // 0: reached; -1: timed out; NULL: bad arguments.
        return "0".equals(result == null ? null : result.strip());
    }

    @Override
    public String replicationStatusQuery() {
        // SHOW SLAVE STATUS lacks Gtid_Slave_Pos; the ALL form has it, one row per named source.
        return "SHOW ALL SLAVES STATUS";
    }

    @Override
    public Optional<ReplicationStatus> parseReplicationStatus(List<Map<String, String>> rows) {
        return ReplicaStatusColumns.MARIADB.parse(rows, this::parseGtidSet);
    }

    @Override
    public List<String> startReplicationCommands() {
        return List.of("START SLAVE");
    }

    @Override
    public List<String> stopReplicationCommands() {
        return List.of("STOP SLAVE");
    }

    @Override
    public List<String> restartReplicationIoCommands() {
        return List.of("STOP SLAVE IO_THREAD", "START SLAVE IO_THREAD");
    }

    @Override
    public List<String> setReplicationSourceCommands(ReplicationSource source) {
        List<String> args = new ArrayList<>(List.of(
                "MASTER_HOST = " + quote(source.host()),
                "MASTER_PORT = " + source.port(),
                "MASTER_USER = " + quote(source.user()),
                "MASTER_PASSWORD = " + quote(source.password()),
                "MASTER_CONNECT_RETRY = " + source.connectRetry().toSeconds()));
        if (!source.heartbeatPeriod().isZero()) {
            args.add("MASTER_HEARTBEAT_PERIOD = " + SqlText.seconds(source.heartbeatPeriod()));
        }
        args.add("MASTER_USE_GTID = slave_pos");
        return List.of(
                // slave_pos alone would forget what this server wrote while it was a primary (those
                // transactions are in its binlog, not in gtid_slave_pos) and ask for them again.
                // gtid_current_pos is, per domain, the newer of the two; start from it.
                "SET GLOBAL gtid_slave_pos = @@GLOBAL.gtid_current_pos",
                "CHANGE MASTER TO\n  " + String.join(",\n  ", args));
    }

    @Override
    public List<String> resetReplicationCommands() {
        return List.of("STOP SLAVE", "RESET SLAVE ALL");
    }

    @Override
    public List<String> resetReplicationAndGtidCommands() {
        return List.of("STOP SLAVE", "RESET SLAVE ALL", "RESET MASTER", "SET GLOBAL gtid_slave_pos = ''");
    }

    @Override
    public String readOnlyQuery() {
        return "SELECT @@GLOBAL.read_only";
    }

    @Override
    public List<String> setReadOnlyCommands(boolean readOnly) {
        return List.of("SET GLOBAL read_only = " + (readOnly ? "ON" : "OFF"));
    }

    @Override
    public List<String> setSemiSyncCommands(boolean source, boolean replica) {
        return List.of(
                "SET GLOBAL rpl_semi_sync_master_enabled = " + (source ? "ON" : "OFF"),
                "SET GLOBAL rpl_semi_sync_slave_enabled = " + (replica ? "ON" : "OFF"));
    }

    @Override
    public List<String> setSemiSyncTimeoutCommands(Duration timeout) {
        return List.of("SET GLOBAL rpl_semi_sync_master_timeout = " + timeout.toMillis());
    }

    /**
     * MariaDB has no ack-count variable: a semi-sync primary waits for one ack, from any semi-sync
     * replica. One ack (every built-in policy) is what it does; more cannot be enforced, so asking
     * for more is refused rather than silently weakened.
     */
    @Override
    public List<String> setSemiSyncAckCountCommands(int acks) {
        if (acks < 0) {
            throw new IllegalArgumentException("negative semi-sync ack count " + acks);
        }
        if (acks > 1) {
            throw new MosaicException(ErrorCode.UNIMPLEMENTED, "the durability policy needs " + acks
                    + " semi-sync acks but MariaDB waits for exactly one (no rpl_semi_sync_master_wait_for_slave_count);"
                    + " use a policy needing at most one ack, or MySQL 8");
        }
        return List.of();
    }

    @Override
    public List<String> semiSyncStatusQueries() {
        return List.of("SHOW GLOBAL VARIABLES LIKE 'rpl_semi_sync_%'", "SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_%'");
    }

    @Override
    public SemiSyncStatus parseSemiSyncStatus(Map<String, String> values) {
        Map<String, String> v = lowerKeys(values);
        return new SemiSyncStatus(
                on(v.get("rpl_semi_sync_master_enabled")),
                on(v.get("rpl_semi_sync_slave_enabled")),
                on(v.get("rpl_semi_sync_master_status")),
                on(v.get("rpl_semi_sync_slave_status")),
                number(v.get("rpl_semi_sync_master_clients")),
                number(v.get("rpl_semi_sync_master_timeout")),
                number(v.get("rpl_semi_sync_master_yes_tx")),
                number(v.get("rpl_semi_sync_master_no_tx")));
    }

    @Override
    public String toString() {
        return "MariaDbFlavor[" + version + "]";
    }
}
