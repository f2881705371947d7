package dev.mosaic.tck.backup;

import static dev.mosaic.tck.Clauses.require;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.spi.backup.BackupEngine;
import dev.mosaic.spi.backup.BackupEngine.BackupParams;
import dev.mosaic.spi.backup.BackupEngine.BackupResult;
import dev.mosaic.spi.backup.BackupEngineFactory;
import dev.mosaic.spi.backup.MysqldControl;
import dev.mosaic.tck.Clause;
import dev.mosaic.tck.PluginContract;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The contract of a backup engine (Vitess's {@code BackupEngine}): a backup of a running mysqld
 * restores, into another mysqld, exactly the rows it had and the replication position it was at.
 * Clause ids start with {@code backup_engine.}.
 *
 * <p>It needs real servers, which the implementer supplies: {@link #source()}, a running mysqld with
 * binary logs and GTIDs in which the contract creates (and recreates for every clause) the database
 * {@value #DATABASE} with {@link #fixtureRows()} rows in each of its tables; and
 * {@link #newTarget()}, a running mysqld of the same flavor and version with no user databases and an
 * empty position. Nothing else may write to the source while a clause runs. Backups go into
 * {@link MemoryBackup}s, so the contract depends on no storage plugin; the framework's part (the
 * MANIFEST, aborting a failed backup, choosing the newest) is not the engine's and is not checked
 * here.
 *
 * <pre>{@code
 * class LogicalEngineContractIT extends BackupEngineContract {
 *     protected BackupEngineFactory factory() { return new LogicalBackupEngineFactory(); }
 *     protected MysqldControl source() { return fixture.source(); }
 *     protected MysqldControl newTarget() { return fixture.resetTarget(); }
 * }
 * }</pre>
 *
 * <p>When no fixture can be supplied (the {@code mosaic-tck} runner has none), {@link #source()}
 * and {@link #newTarget()} should call {@link #noFixture()}, which skips the clause saying so.
 */
public abstract class BackupEngineContract extends PluginContract<BackupEngineFactory> {
    /** The database the contract creates in the source. */
    public static final String DATABASE = "tck_backup";
    /** The fixture's tables, each with an {@code id} primary key. */
    public static final List<String> TABLES = List.of("accounts", "events", "empty_table");
    private static final String KEYSPACE = "tck";
    private static final String SHARD = "0";

    /** For subclasses. */
    protected BackupEngineContract() {
    }

    /**
     * The source mysqld: running, with binary logs and GTIDs, flavor and tools as the engine needs.
     * May return the same server every time.
     *
     * @return the source's control
     */
    protected abstract MysqldControl source();

    /**
     * A target mysqld to restore into: running, same flavor and version as the source, no user
     * databases, empty position. It may be a server handed out before and reset, but two calls in a
     * row must return different servers ({@code backup_engine.concurrent} restores into two).
     *
     * @return the target's control
     */
    protected abstract MysqldControl newTarget();

    /**
     * Rows per non-empty fixture table. Default 2000.
     *
     * @return at least 1
     */
    protected int fixtureRows() {
        return 2000;
    }

    /**
     * The {@code concurrency} passed in {@link BackupParams}. Default 2.
     *
     * @return at least 1
     */
    protected int concurrency() {
        return 2;
    }

    /**
     * How many bytes {@code backup_engine.storage-failure} lets the engine write before the storage
     * fails. Default 4 KiB.
     *
     * @return at least 0
     */
    protected long failAfterBytes() {
        return 4 * 1024;
    }

    /**
     * Skips the current clause because no mysqld fixture is available; for {@link #source()} and
     * {@link #newTarget()} of bindings that cannot supply one.
     *
     * @return never returns
     */
    protected static MysqldControl noFixture() {
        Assumptions.abort("needs a mysqld fixture (a running source mysqld and empty target mysqlds); "
                + "run this contract from a test that extends BackupEngineContract and supplies them");
        throw new AssertionError("unreachable");
    }

    /**
     * A new engine from the factory under test, created through the registry with the sample
     * configuration; skips the clause when the registry refuses the provider.
     *
     * @return the engine
     */
    protected final BackupEngine newEngine() {
        return serviceInstance(BackupEngine.class);
    }

    /**
     * Parameters for one backup or restore against {@code mysqld}.
     *
     * @param mysqld the server
     * @param uid    the tablet uid to name it by
     * @return the parameters
     */
    protected final BackupParams params(MysqldControl mysqld, long uid) {
        return new BackupParams(mysqld, KEYSPACE, SHARD, new TabletAlias("zone1", uid), concurrency(), Instant.now());
    }

    // ---- fixture ------------------------------------------------------------------------------

    /**
     * (Re)creates {@value #DATABASE} in the source with {@link #fixtureRows()} rows in
     * {@code accounts} and {@code events} and none in {@code empty_table}.
     *
     * @param mysqld the source
     * @throws SQLException if the source refuses
     */
    protected final void createFixture(MysqldControl mysqld) throws SQLException {
        try (Connection c = mysqld.connect(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE);
            s.execute("CREATE DATABASE " + DATABASE + " CHARACTER SET utf8mb4");
            s.execute("CREATE TABLE " + DATABASE + ".accounts (id BIGINT PRIMARY KEY, name VARCHAR(64) NOT NULL, "
                    + "balance DECIMAL(14,2), note TEXT, payload VARBINARY(255), updated DATETIME(6)) ENGINE=InnoDB");
            s.execute("CREATE TABLE " + DATABASE + ".events (id BIGINT PRIMARY KEY, account_id BIGINT NOT NULL, "
                    + "kind ENUM('open','close','move') NOT NULL, amount DOUBLE, KEY (account_id)) ENGINE=InnoDB");
            s.execute("CREATE TABLE " + DATABASE + ".empty_table (id INT PRIMARY KEY, v VARCHAR(8)) ENGINE=InnoDB");
            c.setAutoCommit(false);
            int rows = Math.max(1, fixtureRows());
            try (PreparedStatement a = c.prepareStatement("INSERT INTO " + DATABASE
                    + ".accounts VALUES (?, ?, ?, ?, ?, ?)");
                 PreparedStatement e = c.prepareStatement("INSERT INTO " + DATABASE + ".events VALUES (?, ?, ?, ?)")) {
                for (int i = 1; i <= rows; i++) {
                    a.setLong(1, i);
                    a.setString(2, "name-" + i + (i % 7 == 0 ? " ünïcødé ✓" : ""));
                    if (i % 11 == 0) {
                        a.setNull(3, java.sql.Types.DECIMAL);
                    } else {
                        a.setBigDecimal(3, java.math.BigDecimal.valueOf(i * 137L % 100_000, 2));
                    }
                    a.setString(4, i % 5 == 0 ? null : "note " + "x".repeat(i % 97));
                    a.setBytes(5, new byte[] {(byte) i, 0, (byte) (i >> 8), (byte) 0xff, '\'', '\\'});
                    a.setString(6, "2024-01-02 03:04:05." + String.format("%06d", i % 1_000_000));
                    a.addBatch();
                    e.setLong(1, i);
                    e.setLong(2, (i * 31L) % rows + 1);
                    e.setString(3, List.of("open", "close", "move").get(i % 3));
                    e.setDouble(4, i / 3.0);
                    e.addBatch();
                    if (i % 500 == 0 || i == rows) {
                        a.executeBatch();
                        e.executeBatch();
                        c.commit();
                    }
                }
            }
        }
    }

    /**
     * A fingerprint of every fixture table: row count and SHA-256 of all values in primary-key
     * order, per table. Two servers with the same fingerprint hold the same rows.
     *
     * @param mysqld a server
     * @return table name to {@code <rows> rows, sha256 <hex>}, or {@code missing} for an absent table
     * @throws SQLException if the server cannot be read
     */
    protected static Map<String, String> fingerprint(MysqldControl mysqld) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (Connection c = mysqld.connect(); Statement s = c.createStatement()) {
            for (String t : TABLES) {
                try (ResultSet exists = s.executeQuery("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '"
                        + DATABASE + "' AND table_name = '" + t + "'")) {
                    exists.next();
                    if (exists.getInt(1) == 0) {
                        out.put(t, "missing");
                        continue;
                    }
                }
                MessageDigest sha = sha256();
                long rows = 0;
                try (ResultSet rs = s.executeQuery("SELECT * FROM " + DATABASE + "." + t + " ORDER BY id")) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        rows++;
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            byte[] v = rs.getBytes(i);
                            sha.update(v == null ? new byte[] {0} : v);
                            sha.update((byte) 0x1f);
                        }
                        sha.update((byte) 0x1e);
                    }
                }
                out.put(t, rows + " rows, sha256 " + HexFormat.of().formatHex(sha.digest()).substring(0, 16));
            }
        }
        return out;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void execute(MysqldControl mysqld, String... statements) throws SQLException {
        try (Connection c = mysqld.connect(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static boolean answers(MysqldControl mysqld) {
        try (Connection c = mysqld.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            return rs.next();
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    private MemoryBackup backupInto(BackupEngine engine, MysqldControl src, String name, List<BackupResult> results) {
        MemoryBackup b = new MemoryBackup(KEYSPACE + "/" + SHARD, name);
        BackupResult r = engine.backup(params(src, 100), b);
        require(r != null && r.position() != null, () -> "backup() returned no position");
        b.endBackup();
        results.add(r);
        return b;
    }

    private MysqldControl restoreInto(BackupEngine engine, MemoryBackup b, BackupResult r) {
        MysqldControl target = newTarget();
        engine.restore(params(target, 200), b, r.details());
        require(answers(target), () -> "the target mysqld does not answer after restore(); restore must leave it running");
        return target;
    }

    // ---- clauses ------------------------------------------------------------------------------

    /**
     * <b>backup_engine.round-trip</b>: a backup of the source restored into an empty target gives
     * the target exactly the source's rows in every fixture table (same count, same values), and
     * leaves the target running.
     */
    @Test
    @Tag("backup_engine.round-trip")
    @Clause(value = "backup_engine.round-trip", text = "a restored backup holds exactly the source's rows, and the target runs")
    public final void roundTrip() throws Exception {
        BackupEngine engine = newEngine();
        MysqldControl src = source();
        createFixture(src);
        Map<String, String> want = fingerprint(src);
        List<BackupResult> results = new ArrayList<>();
        MemoryBackup b = backupInto(engine, src, "round-trip", results);
        MysqldControl target = restoreInto(engine, b, results.get(0));
        Map<String, String> got = fingerprint(target);
        require(got.equals(want), () -> "the restored rows differ from the source's: restored " + got + ", source " + want);
    }

    /**
     * <b>backup_engine.position</b>: the position a backup reports equals the source's
     * {@link MysqldControl#currentPosition()} when the backup ran (nothing wrote in between), and
     * after restore the target's {@code currentPosition()} is that position.
     */
    @Test
    @Tag("backup_engine.position")
    @Clause(value = "backup_engine.position",
            text = "the recorded position is the source's at backup time, and restore sets it on the target")
    public final void position() throws Exception {
        BackupEngine engine = newEngine();
        MysqldControl src = source();
        createFixture(src);
        String before = src.currentPosition();
        List<BackupResult> results = new ArrayList<>();
        MemoryBackup b = backupInto(engine, src, "position", results);
        String recorded = results.get(0).position();
        require(recorded.equals(before), () -> "backup() recorded position '" + recorded + "' but the source was at '"
                + before + "' (nothing wrote during the backup)");
        MysqldControl target = restoreInto(engine, b, results.get(0));
        String restored = target.currentPosition();
        require(restored.equals(recorded), () -> "after restore the target is at position '" + restored
                + "'; the backup recorded '" + recorded + "'");
    }

    /**
     * <b>backup_engine.restores-given-backup</b>: of two backups taken with different data in
     * between, restoring each gives that backup's rows, not the other's.
     */
    @Test
    @Tag("backup_engine.restores-given-backup")
    @Clause(value = "backup_engine.restores-given-backup", text = "each of two backups restores its own rows, not the other's")
    public final void restoresGivenBackup() throws Exception {
        BackupEngine engine = newEngine();
        MysqldControl src = source();
        createFixture(src);
        Map<String, String> first = fingerprint(src);
        List<BackupResult> results = new ArrayList<>();
        MemoryBackup b1 = backupInto(engine, src, "first", results);
        execute(src, "DELETE FROM " + DATABASE + ".events WHERE id % 3 = 0",
                "UPDATE " + DATABASE + ".accounts SET balance = balance + 1 WHERE id % 2 = 0",
                "INSERT INTO " + DATABASE + ".empty_table VALUES (1, 'one'), (2, 'two')");
        Map<String, String> second = fingerprint(src);
        MemoryBackup b2 = backupInto(engine, src, "second", results);
        Map<String, String> got1 = fingerprint(restoreInto(engine, b1, results.get(0)));
        require(got1.equals(first), () -> "restoring the first backup gave " + got1 + "; it held " + first);
        Map<String, String> got2 = fingerprint(restoreInto(engine, b2, results.get(1)));
        require(got2.equals(second), () -> "restoring the second backup gave " + got2 + "; it held " + second);
    }

    /**
     * <b>backup_engine.storage-failure</b>: when the storage fails part-way (writes throw an
     * {@code IOException} after {@link #failAfterBytes()} bytes), {@code backup()} throws (so the
     * framework aborts the backup) instead of reporting success, and the source is left running
     * with its rows and position unchanged.
     */
    @Test
    @Tag("backup_engine.storage-failure")
    @Clause(value = "backup_engine.storage-failure",
            text = "a storage failure makes backup() throw, and leaves the source running with its rows and position")
    public final void storageFailure() throws Exception {
        BackupEngine engine = newEngine();
        MysqldControl src = source();
        createFixture(src);
        Map<String, String> want = fingerprint(src);
        String position = src.currentPosition();
        MemoryBackup failing = new MemoryBackup(KEYSPACE + "/" + SHARD, "failing", failAfterBytes());
        Optional<BackupResult> result;
        try {
            result = Optional.ofNullable(engine.backup(params(src, 100), failing));
        } catch (RuntimeException e) {
            result = Optional.empty();
        }
        Optional<BackupResult> r = result;
        require(r.isEmpty(), () -> "backup() returned " + r.get() + " although the storage failed after "
                + failAfterBytes() + " bytes (" + failing.bytesWritten() + " attempted)");
        require(answers(src), () -> "the source does not answer after the failed backup");
        Map<String, String> got = fingerprint(src);
        require(got.equals(want), () -> "the source's rows changed after the failed backup: " + got + ", before " + want);
        String after = src.currentPosition();
        require(after.equals(position), () -> "the source's position moved from '" + position + "' to '" + after
                + "' during the failed backup");
    }

    /**
     * <b>backup_engine.source-kept</b>: after a successful backup the source is running and
     * writable, with its rows and position unchanged (an engine that stops mysqld or replication
     * starts them again).
     */
    @Test
    @Tag("backup_engine.source-kept")
    @Clause(value = "backup_engine.source-kept",
            text = "after a backup the source runs and takes writes, rows and position unchanged")
    public final void sourceKept() throws Exception {
        BackupEngine engine = newEngine();
        MysqldControl src = source();
        createFixture(src);
        Map<String, String> want = fingerprint(src);
        String position = src.currentPosition();
        backupInto(engine, src, "source-kept", new ArrayList<>());
        require(answers(src), () -> "the source does not answer after backup()");
        Map<String, String> got = fingerprint(src);
        require(got.equals(want), () -> "the source's rows changed during backup(): " + got + ", before " + want);
        String after = src.currentPosition();
        require(after.equals(position), () -> "the source's position moved from '" + position + "' to '" + after + "' during backup()");
        execute(src, "INSERT INTO " + DATABASE + ".empty_table VALUES (42, 'after')");
    }

    /**
     * <b>backup_engine.concurrent</b>: two backups of the source run at the same time into two
     * handles; both succeed (or one is refused with an exception, never a silent half), and each
     * successful one restores exactly the source's rows.
     */
    @Test
    @Tag("backup_engine.concurrent")
    @Clause(value = "backup_engine.concurrent",
            text = "two concurrent backups do not corrupt each other: each one that succeeds restores the source's rows")
    public final void concurrent() throws Exception {
        BackupEngine engine = newEngine();
        MysqldControl src = source();
        createFixture(src);
        Map<String, String> want = fingerprint(src);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<MemoryBackup> backups = List.of(new MemoryBackup(KEYSPACE + "/" + SHARD, "c1"),
                new MemoryBackup(KEYSPACE + "/" + SHARD, "c2"));
        List<Future<BackupResult>> futures = new ArrayList<>();
        try {
            for (MemoryBackup b : backups) {
                futures.add(pool.submit(() -> engine.backup(params(src, 100), b)));
            }
            int succeeded = 0;
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                BackupResult r;
                try {
                    r = futures.get(i).get(30, TimeUnit.MINUTES);
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.add(String.valueOf(e.getCause()));
                    continue;
                }
                succeeded++;
                backups.get(i).endBackup();
                Map<String, String> got = fingerprint(restoreInto(engine, backups.get(i), r));
                int n = i + 1;
                require(got.equals(want), () -> "concurrent backup #" + n + " restored " + got + "; the source held " + want);
            }
            int ok = succeeded;
            require(ok >= 1, () -> "both concurrent backups failed: " + failures);
        } finally {
            pool.shutdownNow();
        }
        require(answers(src), () -> "the source does not answer after two concurrent backups");
    }

}
