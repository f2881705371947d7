package dev.mosaic.server.backup.storage;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.spi.backup.BackupHandle;
import dev.mosaic.spi.backup.BackupStorage;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Backups as directories on a local (or mounted) file system, Vitess's {@code filebackupstorage}:
 * {@code <root>/<keyspace>/<shard>/<backup-name>/<files>}.
 *
 * <p>A backup is written into the hidden directory {@code .inprogress-<name>} beside where it
 * will live and renamed into place by {@link BackupHandle#endBackup()} (an atomic rename on one
 * file system), so a listing never shows a backup being written, and a crash leaves only a hidden
 * directory behind. Removal renames the backup to a hidden name first, then deletes it. Files are
 * forced to disk when closed. Thread-safe; several processes may share a root as long as they
 * write different backup names.
 */
public final class FileBackupStorage implements BackupStorage {
    static final String IN_PROGRESS = ".inprogress-";
    static final String REMOVING = ".removing-";

    private final Path root;
    private final Object startLock = new Object();

    /**
     * A storage rooted at {@code root}.
     *
     * @throws MosaicException INVALID_ARGUMENT if {@code root} is absent, not a directory or not writable
     */
    public FileBackupStorage(Path root) {
        Objects.requireNonNull(root, "root");
        if (!Files.exists(root)) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "backup storage root '" + root + "' does not exist");
        }
        if (!Files.isDirectory(root)) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "backup storage root '" + root + "' is not a directory");
        }
        if (!Files.isWritable(root)) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "backup storage root '" + root + "' is not writable");
        }
        this.root = root.toAbsolutePath().normalize();
    }

    /** The root directory. */
    public Path root() {
        return root;
    }

    @Override
    public List<BackupHandle> listBackups(String dir) {
        Path d = dirPath(dir);
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.startsWith(".") && Files.isDirectory(p)) {
                    names.add(n);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw io("cannot list " + d, e);
        }
        names.sort(null);
        List<BackupHandle> out = new ArrayList<>();
        for (String n : names) {
            out.add(new Handle(dir, n, d.resolve(n), State.COMPLETE));
        }
        return out;
    }

    @Override
    public BackupHandle startBackup(String dir, String name) {
        checkName(name, "backup name");
        Path d = dirPath(dir);
        synchronized (startLock) {
            Path fin = d.resolve(name);
            Path tmp = d.resolve(IN_PROGRESS + name);
            if (Files.exists(fin)) {
                throw new MosaicException(ErrorCode.ALREADY_EXISTS, "backup " + dir + "/" + name + " already exists");
            }
            try {
                Files.createDirectories(d);
                Files.createDirectory(tmp);
            } catch (FileAlreadyExistsException e) {
                throw new MosaicException(ErrorCode.ALREADY_EXISTS, "backup " + dir + "/" + name + " is already being written");
            } catch (IOException e) {
                throw io("cannot create " + tmp, e);
            }
            return new Handle(dir, name, tmp, State.WRITING);
        }
    }

    @Override
    public void removeBackup(String dir, String name) {
        checkName(name, "backup name");
        Path d = dirPath(dir);
        Path p = d.resolve(name);
        Path gone = d.resolve(REMOVING + name + "-" + UUID.randomUUID());
        try {
            Files.move(p, gone, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            throw new MosaicException(ErrorCode.NOT_FOUND, "no backup " + dir + "/" + name);
        } catch (IOException e) {
            throw io("cannot remove " + p, e);
        }
        deleteTree(gone);
    }

    @Override
    public void close() {
        // Nothing is held open between calls.
    }

    private Path dirPath(String dir) {
        Objects.requireNonNull(dir, "dir");
        if (dir.isEmpty() || dir.startsWith("/") || dir.endsWith("/") || dir.contains("\\")) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "backup directory '" + dir
                    + "' must be a relative path such as keyspace/shard");
        }
        for (String part : dir.split("/", -1)) {
            checkName(part, "backup directory '" + dir + "' component");
        }
        Path p = root.resolve(dir).normalize();
        if (!p.startsWith(root)) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "backup directory '" + dir + "' escapes the root");
        }
        return p;
    }

    static void checkName(String name, String what) {
        Objects.requireNonNull(name, what);
        if (name.isEmpty() || name.equals(".") || name.contains("..") || name.startsWith(".")
                || name.contains("/") || name.contains("\\") || name.indexOf('\0') >= 0) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, what + " '" + name
                    + "' must be non-empty, not start with '.', and contain no '..' or path separators");
        }
    }

    private static MosaicException io(String what, IOException e) {
        return new MosaicException(ErrorCode.UNAVAILABLE, what + ": " + e, e);
    }

    static void deleteTree(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    if (exc != null) {
                        throw exc;
                    }
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            throw io("cannot delete " + dir, e);
        }
    }

    private enum State { WRITING, COMPLETE, ABORTED }

    private final class Handle implements BackupHandle {
        private final String dir;
        private final String name;
        private final AtomicInteger open = new AtomicInteger();
        private Path path;
        private State state;

        Handle(String dir, String name, Path path, State state) {
            this.dir = dir;
            this.name = name;
            this.path = path;
            this.state = state;
        }

        @Override
        public String directory() {
            return dir;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public OutputStream addFile(String fileName, long sizeHint) {
            checkName(fileName, "file name");
            Path f;
            synchronized (this) {
                requireWriting("addFile");
                f = path.resolve(fileName);
                open.incrementAndGet();
            }
            FileChannel ch;
            try {
                ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                open.decrementAndGet();
                throw new MosaicException(ErrorCode.ALREADY_EXISTS, "file " + fileName + " already added to backup " + name);
            } catch (IOException e) {
                open.decrementAndGet();
                throw io("cannot create " + f, e);
            }
            return new FilterOutputStream(Channels.newOutputStream(ch)) {
                private boolean closed;

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    if (closed) {
                        return;
                    }
                    closed = true;
                    try {
                        ch.force(true);
                    } finally {
                        try {
                            super.close();
                        } finally {
                            open.decrementAndGet();
                        }
                    }
                }
            };
        }

        @Override
        public synchronized void endBackup() {
            requireWriting("endBackup");
            if (open.get() != 0) {
                throw new MosaicException(ErrorCode.FAILED_PRECONDITION, open.get() + " file(s) of backup " + name
                        + " are still open; close them before endBackup");
            }
            Path fin = path.resolveSibling(name);
            try {
                Files.move(path, fin, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                throw new MosaicException(ErrorCode.ALREADY_EXISTS, "backup " + dir + "/" + name + " already exists");
            } catch (IOException e) {
                throw io("cannot move " + path + " into place", e);
            }
            path = fin;
            state = State.COMPLETE;
        }

        @Override
        public synchronized void abortBackup() {
            if (state == State.ABORTED) {
                return;
            }
            requireWriting("abortBackup");
            state = State.ABORTED;
            deleteTree(path);
        }

        @Override
        public InputStream readFile(String fileName) {
            checkName(fileName, "file name");
            Path f;
            synchronized (this) {
                if (state != State.COMPLETE) {
                    throw new MosaicException(ErrorCode.FAILED_PRECONDITION, "backup " + name + " is " + state
                            + "; only a complete backup can be read");
                }
                f = path.resolve(fileName);
            }
            try {
                return Files.newInputStream(f);
            } catch (NoSuchFileException e) {
                throw new MosaicException(ErrorCode.NOT_FOUND, "backup " + dir + "/" + name + " has no file " + fileName);
            } catch (IOException e) {
                throw io("cannot read " + f, e);
            }
        }

        @Override
        public List<String> files() {
            Path p;
            synchronized (this) {
                p = path;
            }
            List<String> out = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                for (Path f : ds) {
                    if (Files.isRegularFile(f)) {
                        out.add(f.getFileName().toString());
                    }
                }
            } catch (NoSuchFileException e) {
                return List.of();
            } catch (IOException e) {
                throw io("cannot list " + p, e);
            }
            out.sort(null);
            return out;
        }

        private void requireWriting(String op) {
            if (state != State.WRITING) {
                throw new MosaicException(ErrorCode.FAILED_PRECONDITION, op + " on backup " + dir + "/" + name
                        + " which is " + state.name().toLowerCase() + " (read-only)");
            }
        }

        @Override
        public String toString() {
            return "backup " + dir + "/" + name + " (" + state + ")";
        }
    }
}
