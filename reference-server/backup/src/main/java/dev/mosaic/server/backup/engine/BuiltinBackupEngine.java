package dev.mosaic.server.backup.engine;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.spi.backup.BackupEngine;
import dev.mosaic.spi.backup.BackupHandle;
import dev.mosaic.spi.backup.MysqldControl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * The physical engine ({@code builtin}): a copy of the data directory, each file gzip-compressed
 * with a CRC-32C recorded in a {@link FileList}.
 *
 * <p><b>mariabackup</b> (MariaDB with {@code mariabackup} installed): the copy is taken while
 * mysqld runs; replication is stopped around it on a replica; the position is the GTID mariabackup
 * records under its commit lock ({@code xtrabackup_binlog_info}), or the stopped replica's position.
 * Restore unpacks into a staging directory beside the datadir, runs {@code mariabackup --prepare},
 * and moves the result into the emptied datadir. No drain.
 *
 * <p><b>datadir</b> (Vitess's builtin method, used when mariabackup is unavailable or for MySQL):
 * stop replication, record the position, shut mysqld down, copy the datadir without pid files,
 * sockets, binary and relay logs and replication info, start mysqld, start replication. Drains.
 *
 * <p>Restore (both): shuts mysqld down through {@link MysqldControl}, empties the datadir, unpacks
 * and checks every file ({@code DATA_LOSS} on a mismatch), starts mysqld and sets its position
 * ({@link Positions}). Backups and restores that stop a mysqld are serialized per datadir.
 */
public final class BuiltinBackupEngine implements BackupEngine {
    /** How the copy is taken. */
    public enum Method {
        /** mariabackup when the server is MariaDB and the tool is installed, else datadir. */
        AUTO,
        /** Always mariabackup; fails on MySQL or when it is missing. */
        MARIABACKUP,
        /** Always stop mysqld and copy its datadir. */
        DATADIR
    }

    /**
     * The engine's settings.
     *
     * @param method           how the copy is taken
     * @param compressionLevel gzip level 0..9
     * @param shutdownTimeout  how long mysqld may take to stop
     * @param startTimeout     how long mysqld may take to start
     * @param toolTimeout      how long one mariabackup run may take
     * @param drainOnAuto      what {@link #shouldDrainForBackup()} answers for {@link Method#AUTO}
     *                         (whether mariabackup was found when the engine was created)
     */
    public record Settings(Method method, int compressionLevel, Duration shutdownTimeout, Duration startTimeout,
                           Duration toolTimeout, boolean drainOnAuto) {
    }

    static final String METHOD_MARIABACKUP = "mariabackup";
    static final String METHOD_DATADIR = "datadir";
    private static final Pattern EXCLUDED = Pattern.compile(
            "(.*/)?([^/]*\\.pid|[^/]*\\.sock|[^/]*\\.sock\\.lock|master\\.info|relay-log\\.info|multi-master\\.info"
                    + "|auto\\.cnf|[^/]*relay-bin\\.[^/]*|[^/]*-bin\\.(\\d+|index)|[^/]*-bin\\.state|[^/]*\\.err)");
    private static final Map<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    private final Settings settings;

    /** An engine with these settings. */
    public BuiltinBackupEngine(Settings settings) {
        this.settings = settings;
        DataFiles.checkLevel(settings.compressionLevel());
    }

    @Override
    public boolean shouldDrainForBackup() {
        return switch (settings.method()) {
            case DATADIR -> true;
            case MARIABACKUP -> false;
            case AUTO -> settings.drainOnAuto();
        };
    }

    /** Whether a relative datadir path is left out of a datadir copy. */
    static boolean excluded(String relativePath) {
        return EXCLUDED.matcher(relativePath).matches();
    }

    @Override
    public BackupResult backup(BackupParams params, BackupHandle handle) {
        MysqldControl m = params.mysqld();
        boolean mariadb = m.flavor().equals("mariadb");
        boolean useMariabackup = switch (settings.method()) {
            case DATADIR -> false;
            case MARIABACKUP -> {
                if (!mariadb) {
                    throw new MosaicException(ErrorCode.FAILED_PRECONDITION, "method 'mariabackup' needs MariaDB; this mysqld is "
                            + m.flavor() + " (use method 'datadir' or 'auto')");
                }
                ToolProcess.require(m, "mariabackup", "mariadb-backup");
                yield true;
            }
            case AUTO -> mariadb && m.tool("mariabackup").isPresent();
        };
        return useMariabackup ? backupWithMariabackup(params, handle) : backupDatadir(params, handle);
    }

    private BackupResult backupWithMariabackup(BackupParams params, BackupHandle handle) {
        MysqldControl m = params.mysqld();
        Path mariabackup = ToolProcess.require(m, "mariabackup", "mariadb-backup");
        Path datadir = m.dataDirectory();
        Path staging = datadir.resolveSibling(".mosaic-backup-" + UUID.randomUUID());
        try {
            String stoppedAt;
            m.stopReplication();
            try {
                stoppedAt = m.currentPosition();
                List<String> cmd = new ArrayList<>(List.of(mariabackup.toString(), "--no-defaults", "--backup",
                        "--target-dir=" + staging, "--datadir=" + datadir,
                        "--parallel=" + Math.max(1, params.concurrency())));
                cmd.addAll(ToolProcess.connectionOptions(m));
                try (ToolProcess p = ToolProcess.start(cmd, null)) {
                    p.stdin().close();
                    p.stdout().transferTo(java.io.OutputStream.nullOutputStream());
                    p.waitFor(settings.toolTimeout());
                }
            } finally {
                m.startReplication();
            }
            String position = binlogInfoGtid(staging).map(g -> Positions.like(stoppedAt, g)).orElse(stoppedAt);
            FileList list = DataFiles.store(handle, staging, DataFiles.walk(staging, rel -> true),
                    params.concurrency(), settings.compressionLevel());
            DataFiles.write(handle, FileList.NAME, list.encode());
            return new BackupResult(position, details(METHOD_MARIABACKUP, position, list));
        } catch (IOException e) {
            throw new MosaicException(ErrorCode.UNAVAILABLE, "mariabackup failed: " + e, e);
        } finally {
            DataFiles.deleteTree(staging);
        }
    }

    // "mysql-bin.000002\t385\t0-1-2": file, offset, GTID position (absent when GTIDs are not in use)
    private static java.util.Optional<String> binlogInfoGtid(Path staging) throws IOException {
        Path f = staging.resolve("xtrabackup_binlog_info");
        if (!Files.exists(f)) {
            return java.util.Optional.empty();
        }
        String[] fields = Files.readString(f, StandardCharsets.UTF_8).strip().split("\\s+");
        return fields.length >= 3 ? java.util.Optional.of(fields[2]) : java.util.Optional.empty();
    }

    private BackupResult backupDatadir(BackupParams params, BackupHandle handle) {
        MysqldControl m = params.mysqld();
        Path datadir = m.dataDirectory();
        ReentrantLock lock = LOCKS.computeIfAbsent(datadir.toAbsolutePath().normalize(), k -> new ReentrantLock());
        lock.lock();
        try {
            m.stopReplication();
            RuntimeException failure = null;
            try {
                String position = m.currentPosition();
                m.shutdown(settings.shutdownTimeout());
                FileList list = DataFiles.store(handle, datadir, DataFiles.walk(datadir, rel -> !excluded(rel)),
                        params.concurrency(), settings.compressionLevel());
                DataFiles.write(handle, FileList.NAME, list.encode());
                return new BackupResult(position, details(METHOD_DATADIR, position, list));
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            } finally {
                try {
                    m.start(settings.startTimeout());
                    m.startReplication();
                } catch (RuntimeException e) {
                    if (failure == null) {
                        throw e;
                    }
                    failure.addSuppressed(e);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private Map<String, String> details(String method, String position, FileList list) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("method", method);
        d.put("position", position);
        d.put("compression", "gzip");
        d.put("checksum", "crc32c");
        d.put("files", Integer.toString(list.entries().size()));
        d.put("raw_bytes", Long.toString(list.entries().stream().mapToLong(FileList.Entry::size).sum()));
        return d;
    }

    @Override
    public void restore(BackupParams params, BackupHandle handle, Map<String, String> details) {
        MysqldControl m = params.mysqld();
        String method = details.get("method");
        String position = details.get("position");
        if (method == null || position == null) {
            throw new MosaicException(ErrorCode.DATA_LOSS, "backup " + handle.name() + " lacks the builtin engine's details "
                    + "'method' and 'position': " + details);
        }
        if (!method.equals(METHOD_MARIABACKUP) && !method.equals(METHOD_DATADIR)) {
            throw new MosaicException(ErrorCode.UNIMPLEMENTED, "backup " + handle.name() + " was taken with unknown method '" + method + "'");
        }
        Path mariabackup = method.equals(METHOD_MARIABACKUP) ? ToolProcess.require(m, "mariabackup", "mariadb-backup") : null;
        FileList list = FileList.decode(DataFiles.readAll(handle, FileList.NAME));
        Path datadir = m.dataDirectory().toAbsolutePath().normalize();
        ReentrantLock lock = LOCKS.computeIfAbsent(datadir, k -> new ReentrantLock());
        lock.lock();
        try {
            m.shutdown(settings.shutdownTimeout());
            if (mariabackup != null) {
                Path staging = datadir.resolveSibling(".mosaic-restore-" + UUID.randomUUID());
                try {
                    Files.createDirectories(staging);
                    DataFiles.restore(handle, list, staging, params.concurrency());
                    List<String> cmd = List.of(mariabackup.toString(), "--no-defaults", "--prepare", "--target-dir=" + staging);
                    try (ToolProcess p = ToolProcess.start(cmd, null)) {
                        p.stdin().close();
                        p.stdout().transferTo(java.io.OutputStream.nullOutputStream());
                        p.waitFor(settings.toolTimeout());
                    }
                    DataFiles.empty(datadir);
                    DataFiles.moveContents(staging, datadir);
                } catch (IOException e) {
                    throw new MosaicException(ErrorCode.UNAVAILABLE, "restore into " + datadir + " failed: " + e, e);
                } finally {
                    DataFiles.deleteTree(staging);
                }
            } else {
                DataFiles.empty(datadir);
                DataFiles.restore(handle, list, datadir, params.concurrency());
            }
            m.start(settings.startTimeout());
            Sql.execute(m, Positions.restoreStatements(m.flavor(), position));
        } finally {
            lock.unlock();
        }
    }
}
