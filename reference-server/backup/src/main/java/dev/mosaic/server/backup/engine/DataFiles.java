package dev.mosaic.server.backup.engine;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.spi.backup.BackupHandle;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.zip.CRC32C;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * Copies a directory tree into a backup, one gzip file per data file with a CRC-32C of its raw
 * bytes, and back, checking every file. Work is spread over {@code concurrency} threads; the first
 * failure cancels the rest and is rethrown after every worker has stopped, so nothing writes to
 * the backup once the call returned or threw.
 */
final class DataFiles {
    /** {@link FileList.Entry#stored()} of a directory entry (kept so empty directories come back). */
    static final String DIRECTORY = "-";
    private static final int BUFFER = 256 * 1024;
    private static final AtomicInteger THREADS = new AtomicInteger();

    private DataFiles() {
    }

    /** The regular files and directories under {@code root} that {@code include} accepts (by relative path), sorted. */
    static List<Path> walk(Path root, Predicate<String> include) {
        List<Path> out = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (dir.equals(root)) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (!include.test(relative(root, dir))) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    out.add(dir);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && include.test(relative(root, file))) {
                        out.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new MosaicException(ErrorCode.UNAVAILABLE, "cannot list " + root + ": " + e, e);
        }
        out.sort(null);
        return out;
    }

    static String relative(Path root, Path p) {
        String rel = root.relativize(p).toString().replace('\\', '/');
        if (rel.indexOf('\n') >= 0 || rel.indexOf('\t') >= 0) {
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION, "cannot back up a file whose name has a tab or newline: " + p);
        }
        return rel;
    }

    /** Stores {@code paths} (under {@code root}) into {@code handle}; returns the file list, in {@code paths}' order. */
    static FileList store(BackupHandle handle, Path root, List<Path> paths, int concurrency, int level) {
        List<Callable<FileList.Entry>> tasks = new ArrayList<>();
        int index = 0;
        for (Path p : paths) {
            String rel = relative(root, p);
            if (Files.isDirectory(p)) {
                tasks.add(() -> new FileList.Entry(DIRECTORY, 0, 0, rel));
            } else {
                String stored = (index++) + ".gz";
                tasks.add(() -> storeOne(handle, p, stored, rel, level));
            }
        }
        return new FileList(runAll(tasks, concurrency, "store"));
    }

    private static FileList.Entry storeOne(BackupHandle handle, Path file, String stored, String rel, int level) throws IOException {
        long size = Files.size(file);
        CRC32C crc = new CRC32C();
        long n = 0;
        byte[] buf = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(file);
             OutputStream raw = handle.addFile(stored, size);
             OutputStream gz = gzip(raw, level)) {
            int r;
            while ((r = in.read(buf)) > 0) {
                crc.update(buf, 0, r);
                gz.write(buf, 0, r);
                n += r;
            }
        }
        return new FileList.Entry(stored, n, crc.getValue(), rel);
    }

    /** Writes every entry of {@code list} from {@code handle} under {@code dest}, checking sizes and checksums. */
    static void restore(BackupHandle handle, FileList list, Path dest, int concurrency) {
        Path root = dest.toAbsolutePath().normalize();
        List<Callable<Void>> tasks = new ArrayList<>();
        for (FileList.Entry e : list.entries()) {
            Path target = root.resolve(e.path()).normalize();
            if (!target.startsWith(root) || target.equals(root)) {
                throw new MosaicException(ErrorCode.DATA_LOSS, "file list entry '" + e.path() + "' escapes the data directory");
            }
            try {
                if (e.stored().equals(DIRECTORY)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                }
            } catch (IOException ex) {
                throw new MosaicException(ErrorCode.UNAVAILABLE, "cannot create " + target + ": " + ex, ex);
            }
            if (!e.stored().equals(DIRECTORY)) {
                tasks.add(() -> {
                    restoreOne(handle, e, target);
                    return null;
                });
            }
        }
        runAll(tasks, concurrency, "restore");
    }

    private static void restoreOne(BackupHandle handle, FileList.Entry e, Path target) throws IOException {
        CRC32C crc = new CRC32C();
        long n = 0;
        byte[] buf = new byte[BUFFER];
        try (InputStream in = new GZIPInputStream(handle.readFile(e.stored()), BUFFER);
             OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            int r;
            while ((r = in.read(buf)) > 0) {
                crc.update(buf, 0, r);
                out.write(buf, 0, r);
                n += r;
            }
        } catch (ZipException | java.io.EOFException ex) {
            throw new MosaicException(ErrorCode.DATA_LOSS, "backup file " + e.stored() + " (" + e.path()
                    + ") is corrupt: " + ex.getMessage(), ex);
        }
        if (n != e.size() || crc.getValue() != e.crc32c()) {
            throw new MosaicException(ErrorCode.DATA_LOSS, "backup file " + e.stored() + " (" + e.path() + ") does not match "
                    + FileList.NAME + ": " + n + " bytes with crc32c " + Long.toHexString(crc.getValue()) + ", expected "
                    + e.size() + " bytes with crc32c " + Long.toHexString(e.crc32c()));
        }
    }

    static OutputStream gzip(OutputStream out, int level) throws IOException {
        return new GZIPOutputStream(out, BUFFER) {
            {
                def.setLevel(level);
            }
        };
    }

    private static <T> List<T> runAll(List<Callable<T>> tasks, int concurrency, String what) {
        int threads = Math.max(1, Math.min(concurrency, Math.max(1, tasks.size())));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "backup-" + what + "-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        List<Future<T>> futures = new ArrayList<>();
        try {
            for (Callable<T> t : tasks) {
                futures.add(pool.submit(t));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof MosaicException me) {
                throw me;
            }
            if (c instanceof IOException io) {
                throw new MosaicException(ErrorCode.UNAVAILABLE, what + " failed: " + io, io);
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new MosaicException(ErrorCode.INTERNAL, what + " failed: " + c, c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MosaicException(ErrorCode.CANCELED, what + " interrupted", e);
        } finally {
            pool.shutdownNow();
            try {
                if (!pool.awaitTermination(5, TimeUnit.MINUTES)) {
                    throw new MosaicException(ErrorCode.INTERNAL, what + " workers did not stop within 5 minutes");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Deletes everything inside {@code dir}, keeping {@code dir}. */
    static void empty(Path dir) {
        try (var children = Files.list(dir)) {
            for (Path c : (Iterable<Path>) children::iterator) {
                deleteTree(c);
            }
        } catch (NoSuchFileException e) {
            try {
                Files.createDirectories(dir);
            } catch (IOException ex) {
                throw new MosaicException(ErrorCode.UNAVAILABLE, "cannot create " + dir + ": " + ex, ex);
            }
        } catch (IOException e) {
            throw new MosaicException(ErrorCode.UNAVAILABLE, "cannot empty " + dir + ": " + e, e);
        }
    }

    static void deleteTree(Path p) {
        try {
            if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            Files.walkFileTree(p, new SimpleFileVisitor<>() {
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
        } catch (IOException e) {
            throw new MosaicException(ErrorCode.UNAVAILABLE, "cannot delete " + p + ": " + e, e);
        }
    }

    /** Moves everything inside {@code from} into {@code to} (same file system). */
    static void moveContents(Path from, Path to) {
        try (var children = Files.list(from)) {
            for (Path c : (Iterable<Path>) children::iterator) {
                Files.move(c, to.resolve(c.getFileName().toString()), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new MosaicException(ErrorCode.UNAVAILABLE, "cannot move " + from + " into " + to + ": " + e, e);
        }
    }

    static byte[] readAll(BackupHandle handle, String file) {
        try (InputStream in = handle.readFile(file)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new MosaicException(ErrorCode.UNAVAILABLE, "cannot read " + file + " of backup " + handle.name() + ": " + e, e);
        }
    }

    static void write(BackupHandle handle, String file, byte[] bytes) {
        try (OutputStream out = handle.addFile(file, bytes.length)) {
            out.write(bytes);
        } catch (IOException e) {
            throw new MosaicException(ErrorCode.UNAVAILABLE, "cannot write " + file + " of backup " + handle.name() + ": " + e, e);
        }
    }

    /** Checks a gzip level: 0 (stored) to 9 (smallest). */
    static int checkLevel(int level) {
        if (level < Deflater.NO_COMPRESSION || level > Deflater.BEST_COMPRESSION) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "key 'compression_level': " + level + " is not in 0..9");
        }
        return level;
    }
}
