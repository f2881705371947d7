package dev.mosaic.server.backup;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.spi.backup.BackupEngine;
import dev.mosaic.spi.backup.BackupHandle;
import dev.mosaic.spi.backup.BackupStorage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The backup framework (Vitess's {@code mysqlctl.Backup}/{@code Restore}): runs an engine into a
 * storage, writes the MANIFEST last, lists complete backups and picks the one to restore.
 *
 * <p>A backup lives in directory {@code keyspace/shard} under the name
 * {@link BackupNames#name(Instant, dev.mosaic.api.cluster.TabletAlias)} of its start time and tablet.
 * The MANIFEST is the commit mark: a backup without a readable MANIFEST is never listed, picked by
 * {@link #newest} or restored, even if the storage lists it.
 *
 * <p>Thread-safe as far as the storage and the engines are; two backups of one tablet in the same
 * second get the same name, and the second fails with {@code ALREADY_EXISTS}.
 */
public final class Backups {
    private final BackupStorage storage;
    private final Function<String, BackupEngine> engineByName;

    /**
     * A framework over one storage.
     *
     * @param storage      where backups go
     * @param engineByName the engine of a {@code BackupMethod} name (e.g. {@code builtin}); may throw
     *                     {@code NOT_FOUND} for an unknown one
     */
    public Backups(BackupStorage storage, Function<String, BackupEngine> engineByName) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.engineByName = Objects.requireNonNull(engineByName, "engineByName");
    }

    /**
     * Takes a backup: starts it in the storage, runs engine {@code engineName}, then writes the
     * MANIFEST (last), then ends the backup. On any failure the backup is aborted (so nothing of it
     * is ever listed) and the failure rethrown.
     *
     * @return what was backed up
     * @throws MosaicException NOT_FOUND for an unknown engine, ALREADY_EXISTS if the name is taken,
     *                         or what the engine or storage threw
     */
    public BackupInfo backup(String engineName, BackupEngine.BackupParams params, ProgressListener progress) {
        Objects.requireNonNull(params, "params");
        BackupEngine engine = engine(engineName);
        String dir = directory(params.keyspace(), params.shard());
        String name = BackupNames.name(params.startTime(), params.alias());
        Optional<Long> serverId = Optional.empty();
        Optional<String> version = Optional.empty();
        try (Connection c = params.mysqld().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@GLOBAL.server_id, VERSION()")) {
            if (rs.next()) {
                serverId = Optional.of(rs.getLong(1));
                version = Optional.ofNullable(rs.getString(2));
            }
        } catch (SQLException e) {
            throw new MosaicException(ErrorCode.UNAVAILABLE, "cannot read server_id and version of the mysqld to back up: "
                    + e.getMessage(), e);
        }
        BackupHandle handle = storage.startBackup(dir, name);
        Progress counter = new Progress(progress == null ? ProgressListener.NONE : progress, 0);
        try {
            BackupEngine.BackupResult result = engine.backup(params, new WritingHandle(handle, counter));
            if (result == null || result.position() == null) {
                throw new MosaicException(ErrorCode.INTERNAL, "engine '" + engineName + "' returned no position");
            }
            BackupInfo info = new BackupInfo(params.keyspace(), params.shard(), name, engineName, result.position(),
                    params.startTime(), Instant.now(), params.alias(), counter.done(), result.details());
            byte[] manifest = Manifest.encode(info, serverId, version);
            try (OutputStream out = handle.addFile(Manifest.FILE_NAME, manifest.length)) {
                out.write(manifest);
            }
            handle.endBackup();
            counter.finish();
            return info;
        } catch (Throwable t) {
            try {
                handle.abortBackup();
            } catch (RuntimeException e) {
                t.addSuppressed(e);
            }
            if (t instanceof IOException io) {
                throw new MosaicException(ErrorCode.UNAVAILABLE, "writing backup " + dir + "/" + name + " failed: " + io, io);
            }
            throw sneaky(t);
        }
    }

    /**
     * The complete backups of a shard with a readable MANIFEST, oldest first.
     *
     * @return possibly empty
     */
    public List<BackupInfo> list(String keyspace, String shard) {
        List<BackupInfo> out = new ArrayList<>();
        for (BackupHandle h : storage.listBackups(directory(keyspace, shard))) {
            readManifest(h).ifPresent(out::add);
        }
        return out;
    }

    /**
     * The newest complete backup of a shard, started at or before {@code atOrBefore} if given.
     *
     * @return empty if there is none
     */
    public Optional<BackupInfo> newest(String keyspace, String shard, Optional<Instant> atOrBefore) {
        BackupInfo best = null;
        for (BackupInfo b : list(keyspace, shard)) {
            if (atOrBefore.isPresent() && b.startTime().isAfter(atOrBefore.get())) {
                continue;
            }
            if (best == null || !b.startTime().isBefore(best.startTime())) {
                best = b;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Restores a backup into {@code params.mysqld()}: the one named {@code name} if given, else the
     * newest complete one (started at or before {@code atOrBefore} if given). The engine named in
     * its MANIFEST does the work (see each engine for what it needs of the mysqld: the builtin
     * engine stops it and replaces its data directory, the logical engine loads into the running
     * server); mysqld is running afterwards.
     *
     * @return the backup restored; its position is the restored server's replication position
     * @throws MosaicException NOT_FOUND if there is no such backup, or what the engine threw
     */
    public BackupInfo restore(BackupEngine.BackupParams params, Optional<Instant> atOrBefore, Optional<String> name,
                              ProgressListener progress) {
        Objects.requireNonNull(params, "params");
        String dir = directory(params.keyspace(), params.shard());
        BackupHandle handle = null;
        BackupInfo info = null;
        if (name.isPresent()) {
            for (BackupHandle h : storage.listBackups(dir)) {
                if (h.name().equals(name.get())) {
                    handle = h;
                    info = readManifest(h).orElseThrow(() -> new MosaicException(ErrorCode.FAILED_PRECONDITION,
                            "backup " + dir + "/" + name.get() + " has no readable MANIFEST; it is incomplete"));
                }
            }
            if (handle == null) {
                throw new MosaicException(ErrorCode.NOT_FOUND, "no backup " + dir + "/" + name.get());
            }
        } else {
            for (BackupHandle h : storage.listBackups(dir)) {
                Optional<BackupInfo> i = readManifest(h);
                if (i.isPresent() && (atOrBefore.isEmpty() || !i.get().startTime().isAfter(atOrBefore.get()))
                        && (info == null || !i.get().startTime().isBefore(info.startTime()))) {
                    handle = h;
                    info = i.get();
                }
            }
            if (handle == null) {
                throw new MosaicException(ErrorCode.NOT_FOUND, "no complete backup in " + dir
                        + atOrBefore.map(t -> " started at or before " + t).orElse(""));
            }
        }
        BackupEngine engine = engine(info.engine());
        Progress counter = new Progress(progress == null ? ProgressListener.NONE : progress, info.bytes());
        engine.restore(params, new ReadingHandle(handle, counter), info.details());
        counter.finish();
        return info;
    }

    /**
     * Removes a backup, complete or not.
     *
     * @throws MosaicException NOT_FOUND if there is no such backup
     */
    public void remove(String keyspace, String shard, String name) {
        storage.removeBackup(directory(keyspace, shard), name);
    }

    private BackupEngine engine(String engineName) {
        Objects.requireNonNull(engineName, "engineName");
        BackupEngine e = engineByName.apply(engineName);
        if (e == null) {
            throw new MosaicException(ErrorCode.NOT_FOUND, "unknown backup engine '" + engineName + "'");
        }
        return e;
    }

    private static String directory(String keyspace, String shard) {
        Objects.requireNonNull(keyspace, "keyspace");
        Objects.requireNonNull(shard, "shard");
        return keyspace + "/" + shard;
    }

    private static Optional<BackupInfo> readManifest(BackupHandle h) {
        if (!h.files().contains(Manifest.FILE_NAME)) {
            return Optional.empty();
        }
        byte[] bytes;
        try (InputStream in = h.readFile(Manifest.FILE_NAME)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the MANIFEST of " + h.directory() + "/" + h.name(), e);
        }
        try {
            BackupInfo info = Manifest.decode(bytes);
            // A MANIFEST copied from another backup does not make this one complete.
            return info.name().equals(h.name()) ? Optional.of(info) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
    }

    /** What the engine sees while backing up: counts bytes, reserves the MANIFEST name. */
    private static final class WritingHandle implements BackupHandle {
        private final BackupHandle delegate;
        private final Progress progress;

        WritingHandle(BackupHandle delegate, Progress progress) {
            this.delegate = delegate;
            this.progress = progress;
        }

        @Override
        public String directory() {
            return delegate.directory();
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public OutputStream addFile(String fileName, long sizeHint) {
            if (Manifest.FILE_NAME.equals(fileName)) {
                throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "file name " + Manifest.FILE_NAME
                        + " is reserved for the framework");
            }
            OutputStream out = delegate.addFile(fileName, sizeHint);
            progress.addTotal(sizeHint);
            return progress.counting(out);
        }

        @Override
        public void endBackup() {
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION, "the framework ends the backup, not the engine");
        }

        @Override
        public void abortBackup() {
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION,
                    "the framework aborts the backup when the engine throws; throw instead");
        }

        @Override
        public InputStream readFile(String fileName) {
            return delegate.readFile(fileName);
        }

        @Override
        public List<String> files() {
            return delegate.files();
        }
    }

    /** What the engine sees while restoring: counts bytes read. */
    private static final class ReadingHandle implements BackupHandle {
        private final BackupHandle delegate;
        private final Progress progress;

        ReadingHandle(BackupHandle delegate, Progress progress) {
            this.delegate = delegate;
            this.progress = progress;
        }

        @Override
        public String directory() {
            return delegate.directory();
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public OutputStream addFile(String fileName, long sizeHint) {
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION, "backup " + name() + " is read-only while restoring");
        }

        @Override
        public void endBackup() {
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION, "backup " + name() + " is read-only while restoring");
        }

        @Override
        public void abortBackup() {
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION, "backup " + name() + " is read-only while restoring");
        }

        @Override
        public InputStream readFile(String fileName) {
            return progress.counting(delegate.readFile(fileName));
        }

        @Override
        public List<String> files() {
            return delegate.files().stream().filter(f -> !f.equals(Manifest.FILE_NAME)).toList();
        }
    }
}
