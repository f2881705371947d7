package dev.mosaic.server.backup.engine;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.spi.backup.BackupEngine;
import dev.mosaic.spi.backup.BackupHandle;
import dev.mosaic.spi.backup.MysqldControl;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The logical engine ({@code logical}): an SQL dump of every user database (all but {@code mysql},
 * {@code information_schema}, {@code performance_schema}, {@code sys}), gzip-compressed, with the
 * SHA-256 of the uncompressed dump in the MANIFEST details.
 *
 * <p><b>Consistency.</b> {@code mariadb-dump --single-transaction --master-data=2 --gtid} takes
 * {@code FLUSH TABLES WITH READ LOCK} for an instant, starts a
 * consistent-snapshot transaction, reads the GTID position and releases the lock; the dump is
 * therefore consistent at that position, which it writes as a comment
 * ({@code -- SET GLOBAL gtid_slave_pos='...'}) that the engine reads back while streaming. mysqld
 * keeps serving throughout (no drain); replication is not stopped.
 *
 * <p><b>Restore</b> loads the dump with the {@code mariadb} client into the running mysqld with
 * binary logging off for the session (so the load creates no GTIDs of the target), checks the
 * SHA-256 ({@code DATA_LOSS} on a mismatch, after the load), then sets the position
 * ({@link Positions}). MariaDB only (MySQL is refused with {@code UNIMPLEMENTED}). Tables of the
 * dumped databases that exist on the target are replaced
 * (the dump drops and recreates each table); other databases are left alone.
 */
public final class LogicalBackupEngine implements BackupEngine {
    static final String DUMP_FILE = "dump.sql.gz";
    // mariadb-dump writes it near the end of the dump; a line of data never starts with "--".
    private static final Pattern GTID_LINE = Pattern.compile("(?m)^-- SET GLOBAL gtid_slave_pos='([^'\\n]*)';");
    private static final int CARRY = 256;

    /**
     * The engine's settings.
     *
     * @param compressionLevel gzip level 0..9
     * @param toolTimeout      how long one dump or load may take
     */
    public record Settings(int compressionLevel, Duration toolTimeout) {
    }

    private final Settings settings;

    /** An engine with these settings. */
    public LogicalBackupEngine(Settings settings) {
        this.settings = settings;
        DataFiles.checkLevel(settings.compressionLevel());
    }

    @Override
    public boolean shouldDrainForBackup() {
        return false;
    }

    @Override
    public BackupResult backup(BackupParams params, BackupHandle handle) {
        MysqldControl m = params.mysqld();
        requireMariaDb(m);
        Path dumpTool = dumpTool(m);
        List<String> databases = Sql.userDatabases(m);
        String like = m.currentPosition();
        long estimate = estimateBytes(m);
        MessageDigest sha = sha256();
        String gtids;
        long rawBytes = 0;
        if (databases.isEmpty()) {
            // Nothing to dump: the position under a global read lock is the backup's position.
            gtids = Positions.gtids(positionUnderReadLock(m));
            try (OutputStream out = DataFiles.gzip(handle.addFile(DUMP_FILE, 0), settings.compressionLevel())) {
                // an empty dump
            } catch (IOException e) {
                throw new MosaicException(ErrorCode.UNAVAILABLE, "cannot write " + DUMP_FILE + ": " + e, e);
            }
        } else {
            List<String> cmd = new ArrayList<>(List.of(dumpTool.toString(), "--no-defaults"));
            cmd.addAll(ToolProcess.connectionOptions(m));
            cmd.addAll(List.of("--single-transaction", "--master-data=2", "--gtid", "--routines", "--events",
                    "--triggers", "--hex-blob", "--default-character-set=utf8mb4", "--skip-dump-date", "--databases"));
            cmd.addAll(databases);
            String found = null;
            String carry = "";
            try (ToolProcess p = ToolProcess.start(cmd, null)) {
                closeStdin(p);
                byte[] buf = new byte[256 * 1024];
                try (InputStream in = p.stdout();
                     OutputStream out = DataFiles.gzip(handle.addFile(DUMP_FILE, estimate), settings.compressionLevel())) {
                    int r;
                    while ((r = in.read(buf)) > 0) {
                        sha.update(buf, 0, r);
                        out.write(buf, 0, r);
                        rawBytes += r;
                        // ISO-8859-1 maps bytes 1:1, so the ASCII comment is found whatever the data's encoding.
                        String window = carry + new String(buf, 0, r, StandardCharsets.ISO_8859_1);
                        Matcher mt = GTID_LINE.matcher(window);
                        while (mt.find()) {
                            found = mt.group(1);
                        }
                        carry = window.substring(Math.max(0, window.length() - CARRY));
                    }
                } catch (IOException e) {
                    throw new MosaicException(ErrorCode.UNAVAILABLE, "dumping into backup " + handle.name() + " failed: " + e, e);
                }
                p.waitFor(settings.toolTimeout());
            }
            if (found == null) {
                throw new MosaicException(ErrorCode.INTERNAL, dumpTool.getFileName() + " wrote no gtid_slave_pos comment; "
                        + "cannot tell which position the dump is consistent at");
            }
            gtids = found;
        }
        String position = Positions.like(like, gtids);
        Map<String, String> d = new LinkedHashMap<>();
        d.put("position", position);
        d.put("format", "sql");
        d.put("compression", "gzip");
        d.put("sha256", HexFormat.of().formatHex(sha.digest()));
        d.put("raw_bytes", Long.toString(rawBytes));
        d.put("databases", String.join(",", databases));
        return new BackupResult(position, d);
    }

    @Override
    public void restore(BackupParams params, BackupHandle handle, Map<String, String> details) {
        MysqldControl m = params.mysqld();
        requireMariaDb(m);
        String position = details.get("position");
        String expected = details.get("sha256");
        if (position == null || expected == null) {
            throw new MosaicException(ErrorCode.DATA_LOSS, "backup " + handle.name()
                    + " lacks the logical engine's details 'position' and 'sha256': " + details);
        }
        Path client = ToolProcess.require(m, "mariadb", "mariadb-client");
        List<String> cmd = new ArrayList<>(List.of(client.toString(), "--no-defaults"));
        cmd.addAll(ToolProcess.connectionOptions(m));
        cmd.addAll(List.of("--binary-mode", "--default-character-set=utf8mb4", "--batch"));
        MessageDigest sha = sha256();
        try (ToolProcess p = ToolProcess.start(cmd, null)) {
            try (InputStream in = new GZIPInputStream(new BufferedInputStream(handle.readFile(DUMP_FILE), 256 * 1024), 256 * 1024);
                 OutputStream out = p.stdin()) {
                out.write("SET SESSION sql_log_bin = 0;\n".getBytes(StandardCharsets.UTF_8));
                byte[] buf = new byte[256 * 1024];
                int r;
                while ((r = in.read(buf)) > 0) {
                    sha.update(buf, 0, r);
                    out.write(buf, 0, r);
                }
            } catch (java.util.zip.ZipException | java.io.EOFException e) {
                throw new MosaicException(ErrorCode.DATA_LOSS, DUMP_FILE + " of backup " + handle.name() + " is corrupt: " + e.getMessage(), e);
            } catch (IOException e) {
                throw new MosaicException(ErrorCode.UNAVAILABLE, "loading backup " + handle.name() + " failed: " + e
                        + "; the client said:\n" + p.stderrTail(), e);
            }
            p.stdout().transferTo(OutputStream.nullOutputStream());
            p.waitFor(settings.toolTimeout());
        } catch (IOException e) {
            throw new MosaicException(ErrorCode.UNAVAILABLE, "loading backup " + handle.name() + " failed: " + e, e);
        }
        String actual = HexFormat.of().formatHex(sha.digest());
        if (!actual.equals(expected)) {
            throw new MosaicException(ErrorCode.DATA_LOSS, DUMP_FILE + " of backup " + handle.name() + " has SHA-256 "
                    + actual + ", the MANIFEST says " + expected + "; the restored data cannot be trusted");
        }
        Sql.execute(m, Positions.restoreStatements(m.flavor(), position));
    }

    private static void closeStdin(ToolProcess p) {
        try {
            p.stdin().close();
        } catch (IOException e) {
            throw new MosaicException(ErrorCode.UNAVAILABLE, "cannot close the tool's input: " + e, e);
        }
    }

    private static void requireMariaDb(MysqldControl m) {
        if (!m.flavor().equals("mariadb")) {
            throw new MosaicException(ErrorCode.UNIMPLEMENTED, "the logical engine supports MariaDB only; this mysqld is " + m.flavor());
        }
    }

    private static Path dumpTool(MysqldControl m) {
        Optional<Path> t = m.tool("mariadb-dump").or(() -> m.tool("mysqldump"));
        return t.orElseThrow(() -> new MosaicException(ErrorCode.FAILED_PRECONDITION,
                "neither mariadb-dump nor mysqldump is installed; install mariadb-client"));
    }

    private static String positionUnderReadLock(MysqldControl m) {
        try (Connection c = m.connect(); Statement s = c.createStatement()) {
            s.execute("FLUSH TABLES WITH READ LOCK");
            try {
                return m.currentPosition();
            } finally {
                s.execute("UNLOCK TABLES");
            }
        } catch (SQLException e) {
            throw new MosaicException(ErrorCode.UNAVAILABLE, "cannot read the position under a read lock: " + e.getMessage(), e);
        }
    }

    private static long estimateBytes(MysqldControl m) {
        List<String> v = Sql.column(m, "SELECT COALESCE(SUM(data_length), 0) FROM information_schema.tables WHERE table_schema "
                + "NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys')");
        return v.isEmpty() || v.get(0) == null ? -1 : Long.parseLong(v.get(0));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
