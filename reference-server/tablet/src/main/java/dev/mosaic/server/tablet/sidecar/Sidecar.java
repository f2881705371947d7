package dev.mosaic.server.tablet.sidecar;

import dev.mosaic.api.cluster.Keyspace;
import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.tablet.query.MysqlErrors;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The tablet's sidecar database ({@code _vt} by default, as in Vitess): Mosaic's own tables on
 * each mysqld, kept at a schema version by an ordered list of {@link SidecarMigration}s.
 *
 * <p>Only a primary writes it: {@link #ensure} on a PRIMARY creates the database and applies the
 * missing versions with the binary log on, so every replica receives the same tables by
 * replication; on any other type it only looks (a replica is read-only and must stay identical to
 * its primary). The versions applied are recorded in {@code sidecar_version} inside the sidecar
 * itself, so a restart applies nothing twice and, when up to date, writes nothing at all; each
 * statement is idempotent anyway, so a crash between a statement and its record is harmless.
 *
 * <p>Tables (version 1: heartbeat; version 2: two-phase commit):
 * <ul>
 * <li>{@code heartbeat}: one row per {@code keyspace:shard}, the primary's latest timestamp in
 *     nanoseconds; replicas derive their lag from it ({@code repltracker.Heartbeat}).
 * <li>{@code redo_state}, {@code redo_statement}, {@code dt_state}, {@code dt_participant}: the
 *     tables of Vitess's two-phase commit, in Vitess's layout: the redo log of prepared
 *     transactions and the coordinator's records ({@code twopc.TwoPcStore}).
 * </ul>
 */
public final class Sidecar {
    /** The default sidecar database name (Vitess's). */
    public static final String DEFAULT_NAME = Keyspace.DEFAULT_SIDECAR_DB;
    /** The table recording applied versions. */
    public static final String VERSION_TABLE = "sidecar_version";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");

    private static final List<SidecarMigration> MIGRATIONS = List.of(
            new SidecarMigration(1, "heartbeat: the primary's timestamp per keyspace:shard, for replication lag",
                    List.of("""
                            CREATE TABLE IF NOT EXISTS heartbeat (
                              keyspaceShard VARBINARY(256) NOT NULL,
                              tabletUid INT UNSIGNED NOT NULL,
                              ts BIGINT UNSIGNED NOT NULL,
                              PRIMARY KEY (keyspaceShard)
                            ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4""")),
            new SidecarMigration(2, "two-phase commit: redo log and transaction state",
                    List.of("""
                            CREATE TABLE IF NOT EXISTS redo_state (
                              dtid VARBINARY(512) NOT NULL,
                              state BIGINT NOT NULL,
                              time_created BIGINT NOT NULL,
                              message TEXT,
                              PRIMARY KEY (dtid)
                            ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4""", """
                            CREATE TABLE IF NOT EXISTS redo_statement (
                              dtid VARBINARY(512) NOT NULL,
                              id BIGINT NOT NULL,
                              statement MEDIUMBLOB NOT NULL,
                              PRIMARY KEY (dtid, id)
                            ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4""", """
                            CREATE TABLE IF NOT EXISTS dt_state (
                              dtid VARBINARY(512) NOT NULL,
                              state BIGINT NOT NULL,
                              time_created BIGINT NOT NULL,
                              PRIMARY KEY (dtid),
                              KEY time_created_idx (time_created)
                            ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4""", """
                            CREATE TABLE IF NOT EXISTS dt_participant (
                              dtid VARBINARY(512) NOT NULL,
                              id BIGINT NOT NULL,
                              keyspace VARCHAR(256) NOT NULL,
                              shard VARCHAR(256) NOT NULL,
                              PRIMARY KEY (dtid, id)
                            ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4""")));

    private Sidecar() {
    }

    /** The migrations this build knows, in version order. */
    public static List<SidecarMigration> migrations() {
        return MIGRATIONS;
    }

    /** The version this build brings the sidecar to. */
    public static int latestVersion() {
        return MIGRATIONS.get(MIGRATIONS.size() - 1).version();
    }

    /**
     * Checks a sidecar database name.
     *
     * @throws MosaicException INVALID_ARGUMENT naming {@code key} unless the name is 1-64 letters, digits or '_'
     */
    public static String validateName(String key, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "tablet config " + key
                    + ": not a sidecar database name (1-64 letters, digits or '_'): '" + name + "'");
        }
        return name;
    }

    /**
     * The sidecar name for a tablet of {@code keyspace}: the keyspace record's
     * {@code sidecar_db_name} when it sets one, otherwise {@code configured}.
     *
     * @throws TopoException when the topology cannot be read (a missing keyspace record is not an error)
     */
    public static String resolveName(TopoServer topo, String keyspace, String configured) {
        try {
            String fromKeyspace = topo.getKeyspace(keyspace).value().getSidecarDbName();
            if (!fromKeyspace.isEmpty()) {
                return validateName("keyspace " + keyspace + " sidecar_db_name", fromKeyspace);
            }
        } catch (TopoException e) {
            if (e.error() != TopoError.NO_NODE) {
                throw e;
            }
        }
        return configured;
    }

    /**
     * Brings the sidecar up to date if the tablet is a PRIMARY, otherwise only reports what
     * replication has brought so far.
     *
     * @throws MosaicException the MySQL error (mapped) if a statement fails
     */
    public static SidecarStatus ensure(Mysqld mysqld, String name, TabletType type) {
        return ensure(mysqld, name, type == TabletType.PRIMARY, MIGRATIONS);
    }

    static SidecarStatus ensure(Mysqld mysqld, String name, boolean write, List<SidecarMigration> migrations) {
        Objects.requireNonNull(mysqld, "mysqld");
        validateName("sidecar.db-name", name);
        checkOrder(migrations);
        int latest = migrations.isEmpty() ? 0 : migrations.get(migrations.size() - 1).version();
        String db = quoteId(name);
        String current = "";
        try (Connection c = mysqld.connect(); Statement s = c.createStatement()) {
            if (!write) {
                boolean exists = exists(c, name);
                TreeSet<Integer> versions = exists && versionTableExists(c, name) ? versions(s, db) : new TreeSet<>();
                return new SidecarStatus(name, exists, versions.isEmpty() ? 0 : versions.last(), latest, List.of());
            }
            if (exists(c, name) && versionTableExists(c, name)) {
                TreeSet<Integer> have = versions(s, db);
                if (have.containsAll(migrations.stream().map(SidecarMigration::version).toList())) {
                    // Up to date: write nothing, so a restart adds no transaction to the binlog.
                    return new SidecarStatus(name, true, have.isEmpty() ? 0 : have.last(), latest, List.of());
                }
            }
            // Replicas must receive everything below: never create the sidecar with the binlog off.
            current = "SET SESSION sql_log_bin = 1";
            s.execute(current);
            current = "CREATE DATABASE IF NOT EXISTS " + db;
            s.execute(current);
            current = "CREATE TABLE IF NOT EXISTS " + db + "." + VERSION_TABLE + " (version INT UNSIGNED NOT NULL, "
                    + "description VARCHAR(256) NOT NULL, applied_at BIGINT NOT NULL, PRIMARY KEY (version)) "
                    + "ENGINE = InnoDB DEFAULT CHARSET = utf8mb4";
            s.execute(current);
            current = "SELECT version FROM " + db + "." + VERSION_TABLE;
            TreeSet<Integer> versions = versions(s, db);
            current = "USE " + db;
            s.execute(current);
            List<Integer> applied = new ArrayList<>();
            for (SidecarMigration m : migrations) {
                if (versions.contains(m.version())) {
                    continue;
                }
                for (String sql : m.statements()) {
                    current = sql;
                    s.execute(sql);
                }
                current = "INSERT IGNORE INTO " + VERSION_TABLE + " (version, description, applied_at) VALUES (?, ?, ?)";
                try (PreparedStatement p = c.prepareStatement(current)) {
                    p.setInt(1, m.version());
                    p.setString(2, m.description());
                    p.setLong(3, System.currentTimeMillis() / 1000);
                    p.executeUpdate();
                }
                versions.add(m.version());
                applied.add(m.version());
            }
            return new SidecarStatus(name, true, versions.isEmpty() ? 0 : versions.last(), latest, applied);
        } catch (SQLException e) {
            throw MysqlErrors.toMosaic(e, current);
        }
    }

    private static void checkOrder(List<SidecarMigration> migrations) {
        for (int i = 0; i < migrations.size(); i++) {
            if (migrations.get(i).version() != i + 1) {
                throw new IllegalArgumentException("sidecar migrations must be numbered 1, 2, ... without gaps; "
                        + "position " + i + " has version " + migrations.get(i).version());
            }
        }
    }

    private static boolean exists(Connection c, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?")) {
            p.setString(1, name);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static boolean versionTableExists(Connection c, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            p.setString(1, name);
            p.setString(2, VERSION_TABLE);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static TreeSet<Integer> versions(Statement s, String db) throws SQLException {
        TreeSet<Integer> out = new TreeSet<>();
        try (ResultSet rs = s.executeQuery("SELECT version FROM " + db + "." + VERSION_TABLE)) {
            while (rs.next()) {
                out.add(rs.getInt(1));
            }
        }
        return out;
    }

    /** A backquoted identifier. */
    public static String quoteId(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
