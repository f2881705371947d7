package dev.mosaic.tck.backup;

import static dev.mosaic.tck.Clauses.require;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.spi.backup.BackupHandle;
import dev.mosaic.spi.backup.BackupStorage;
import dev.mosaic.spi.backup.BackupStorageFactory;
import dev.mosaic.tck.Clause;
import dev.mosaic.tck.PluginContract;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The contract of a backup storage (Vitess's {@code BackupStorage}): directories of named backups,
 * each a set of files, where a backup becomes visible only when it is complete. Clause ids start
 * with {@code backup_storage.}. Needs no mysqld.
 *
 * <p>Extend it with the factory and a configuration pointing at a real, empty-enough location
 * (a directory, a bucket):
 * <pre>{@code
 * class FileBackupStorageContractTest extends BackupStorageContract {
 *     @TempDir Path root;
 *     protected BackupStorageFactory factory() { return new FileBackupStorageFactory(); }
 *     protected Map<String, String> sampleConfig() { return Map.of("root", root.toString()); }
 * }
 * }</pre>
 *
 * <p><b>Isolation.</b> Every clause works in its own directory {@code tck/<random>} (see
 * {@link #dir}), so runs may share a location; the backups it leaves there are removed after it,
 * best effort. Backup names are Vitess-style ({@code 2024-01-02.030405.zone1-0000000100}), so
 * they sort by time. JUnit creates one instance per clause.
 */
public abstract class BackupStorageContract extends PluginContract<BackupStorageFactory> {
    private final String dir = "tck/s" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    /** For subclasses. */
    protected BackupStorageContract() {
    }

    /**
     * How many backups {@code backup_storage.concurrent} writes at once. Default 4.
     *
     * @return at least 2
     */
    protected int concurrentBackups() {
        return 4;
    }

    /**
     * The directory this clause works in, {@code tck/<random>} ({@code keyspace/shard} shaped).
     *
     * @return the directory
     */
    protected final String dir() {
        return dir;
    }

    /**
     * A new storage from the factory under test, created through the registry with the sample
     * configuration; skips the clause when the registry refuses the provider (the registry clauses
     * report that) or a required key has no sample value.
     *
     * @return the storage, closed after the clause
     */
    protected final BackupStorage newStorage() {
        return serviceInstance(BackupStorage.class);
    }

    /**
     * A Vitess-style backup name for second {@code second} of a fixed day.
     *
     * @param second seconds after 2024-01-02 00:00:00 UTC, below 86400
     * @return e.g. {@code 2024-01-02.000005.zone1-0000000100}
     */
    public static String backupName(int second) {
        return String.format("2024-01-02.%02d%02d%02d.zone1-0000000100", second / 3600, second / 60 % 60, second % 60);
    }

    /**
     * Writes {@code files} into a new backup and ends it.
     *
     * @param storage the storage
     * @param dir     the directory
     * @param name    the backup name
     * @param files   alternating file names and contents
     */
    protected static void writeBackup(BackupStorage storage, String dir, String name, Object... files) {
        BackupHandle h = storage.startBackup(dir, name);
        for (int i = 0; i < files.length; i += 2) {
            write(h, (String) files[i], (byte[]) files[i + 1]);
        }
        h.endBackup();
    }

    /**
     * Writes one file into a backup being written.
     *
     * @param h       the handle
     * @param file    the file name
     * @param content the bytes
     */
    protected static void write(BackupHandle h, String file, byte[] content) {
        try (OutputStream out = h.addFile(file, content.length)) {
            out.write(content);
        } catch (IOException e) {
            throw new AssertionError("writing " + file + " of " + h.name() + " failed: " + e, e);
        }
    }

    /**
     * Reads one file of a complete backup.
     *
     * @param h    the handle
     * @param file the file name
     * @return its bytes
     */
    protected static byte[] read(BackupHandle h, String file) {
        try (InputStream in = h.readFile(file)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new AssertionError("reading " + file + " of " + h.name() + " failed: " + e, e);
        }
    }

    private static List<String> names(List<BackupHandle> handles) {
        return handles.stream().map(BackupHandle::name).toList();
    }

    // Clauses other than list-order do not judge the order.
    private static List<String> sortedNames(List<BackupHandle> handles) {
        return handles.stream().map(BackupHandle::name).sorted().toList();
    }

    private static MosaicException expectError(ErrorCode code, Runnable action, Supplier<String> what) {
        try {
            action.run();
        } catch (MosaicException e) {
            require(e.code() == code, () -> what.get() + " failed with " + e.code() + " (" + e.getMessage() + "), expected " + code);
            return e;
        }
        throw new org.opentest4j.AssertionFailedError(what.get() + " succeeded; expected " + code);
    }

    private static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /**
     * <b>backup_storage.list-order</b>: {@code listBackups} returns the complete backups of a
     * directory oldest first (by name, which sorts by time) whatever order they were written in,
     * only those of that directory, and an empty list for a directory never written.
     */
    @Test
    @Tag("backup_storage.list-order")
    @Clause(value = "backup_storage.list-order",
            text = "complete backups are listed oldest first (names sort by time), per directory; an unknown directory lists empty")
    public final void listOrder() {
        BackupStorage s = newStorage();
        require(s.listBackups(dir + "x").isEmpty(), () -> "listBackups of a directory never written is not empty");
        for (int sec : new int[] {7, 3, 11, 5}) {
            writeBackup(s, dir, backupName(sec), "f", new byte[] {(byte) sec});
        }
        writeBackup(s, dir + "x", backupName(1), "f", new byte[] {1});
        List<String> want = List.of(backupName(3), backupName(5), backupName(7), backupName(11));
        List<String> got = names(s.listBackups(dir));
        require(got.equals(want), () -> "listBackups(" + dir + ") is " + got + "; expected oldest first " + want);
        List<String> other = names(s.listBackups(dir + "x"));
        require(other.equals(List.of(backupName(1))), () -> "listBackups(" + dir + "x) is " + other
                + "; expected only the backup written there");
    }

    /**
     * <b>backup_storage.in-progress-hidden</b>: a backup is not listed between
     * {@code startBackup} and {@code endBackup} (even with files written), and is listed after.
     */
    @Test
    @Tag("backup_storage.in-progress-hidden")
    @Clause(value = "backup_storage.in-progress-hidden",
            text = "a backup being written is never listed; it is listed once endBackup returns")
    public final void inProgressHidden() {
        BackupStorage s = newStorage();
        writeBackup(s, dir, backupName(1), "a", new byte[] {1});
        BackupHandle h = s.startBackup(dir, backupName(2));
        require(names(s.listBackups(dir)).equals(List.of(backupName(1))), () -> "right after startBackup, listBackups is "
                + names(s.listBackups(dir)) + "; the backup being written must not be listed");
        write(h, "a", bytes(1000, 1));
        require(names(s.listBackups(dir)).equals(List.of(backupName(1))), () -> "with a file written, listBackups is "
                + names(s.listBackups(dir)) + "; the backup being written must not be listed");
        h.endBackup();
        require(sortedNames(s.listBackups(dir)).equals(List.of(backupName(1), backupName(2))), () -> "after endBackup, listBackups is "
                + names(s.listBackups(dir)) + "; expected both backups");
    }

    /**
     * <b>backup_storage.abort</b>: an aborted backup is never listed, and its name can be used
     * again.
     */
    @Test
    @Tag("backup_storage.abort")
    @Clause(value = "backup_storage.abort", text = "an aborted backup leaves nothing listed and its name may be reused")
    public final void abort() {
        BackupStorage s = newStorage();
        BackupHandle h = s.startBackup(dir, backupName(1));
        write(h, "a", bytes(5000, 2));
        h.abortBackup();
        require(s.listBackups(dir).isEmpty(), () -> "after abortBackup, listBackups is " + names(s.listBackups(dir)));
        writeBackup(s, dir, backupName(1), "b", new byte[] {2});
        List<BackupHandle> l = s.listBackups(dir);
        require(names(l).equals(List.of(backupName(1))), () -> "rewriting an aborted name: listBackups is " + names(l));
        require(l.get(0).files().equals(List.of("b")), () -> "the rewritten backup has files " + l.get(0).files()
                + "; expected only [b] (nothing of the aborted one)");
    }

    /** <b>backup_storage.duplicate</b>: {@code startBackup} of a name that exists fails with ALREADY_EXISTS. */
    @Test
    @Tag("backup_storage.duplicate")
    @Clause(value = "backup_storage.duplicate", text = "startBackup of an existing name fails with ALREADY_EXISTS and changes nothing")
    public final void duplicate() {
        BackupStorage s = newStorage();
        byte[] content = bytes(100, 3);
        writeBackup(s, dir, backupName(1), "a", content);
        expectError(ErrorCode.ALREADY_EXISTS, () -> s.startBackup(dir, backupName(1)),
                () -> "startBackup of existing " + backupName(1));
        List<BackupHandle> l = s.listBackups(dir);
        require(names(l).equals(List.of(backupName(1))) && Arrays.equals(read(l.get(0), "a"), content),
                () -> "the existing backup changed after the refused startBackup");
    }

    /** <b>backup_storage.remove</b>: a removed backup is no longer listed; removing an absent one fails with NOT_FOUND. */
    @Test
    @Tag("backup_storage.remove")
    @Clause(value = "backup_storage.remove", text = "removeBackup hides the backup at once; removing an absent backup fails with NOT_FOUND")
    public final void remove() {
        BackupStorage s = newStorage();
        writeBackup(s, dir, backupName(1), "a", new byte[] {1});
        writeBackup(s, dir, backupName(2), "a", new byte[] {2});
        s.removeBackup(dir, backupName(1));
        require(names(s.listBackups(dir)).equals(List.of(backupName(2))), () -> "after removeBackup, listBackups is "
                + names(s.listBackups(dir)));
        expectError(ErrorCode.NOT_FOUND, () -> s.removeBackup(dir, backupName(1)), () -> "removeBackup of a removed backup");
        expectError(ErrorCode.NOT_FOUND, () -> s.removeBackup(dir, backupName(9)), () -> "removeBackup of a backup never written");
    }

    /**
     * <b>backup_storage.read-back</b>: every file of a complete backup reads back byte for byte
     * (an empty file, a small one, one of several MiB), and {@code files()} names exactly them.
     */
    @Test
    @Tag("backup_storage.read-back")
    @Clause(value = "backup_storage.read-back", text = "files read back byte-identical and files() lists exactly the files written")
    public final void readBack() {
        BackupStorage s = newStorage();
        byte[] big = bytes(3 * 1024 * 1024 + 17, 4);
        byte[] small = bytes(33, 5);
        BackupHandle h = s.startBackup(dir, backupName(1));
        write(h, "empty", new byte[0]);
        write(h, "small", small);
        try (OutputStream out = h.addFile("big", big.length)) {
            for (int off = 0; off < big.length; off += 8191) {
                out.write(big, off, Math.min(8191, big.length - off));
            }
        } catch (IOException e) {
            throw new AssertionError("writing big failed: " + e, e);
        }
        h.endBackup();
        List<BackupHandle> l = s.listBackups(dir);
        require(l.size() == 1, () -> "listBackups is " + names(l));
        BackupHandle r = l.get(0);
        List<String> files = new ArrayList<>(r.files());
        files.sort(null);
        require(files.equals(List.of("big", "empty", "small")), () -> "files() is " + r.files() + "; expected big, empty, small");
        require(read(r, "empty").length == 0, () -> "empty read back " + read(r, "empty").length + " bytes");
        require(Arrays.equals(read(r, "small"), small), () -> "small did not read back byte-identical");
        byte[] got = read(r, "big");
        require(Arrays.equals(got, big), () -> "big (" + big.length + " bytes) read back " + got.length
                + " bytes, first difference at " + Arrays.mismatch(got, big));
    }

    /**
     * <b>backup_storage.read-only</b>: once {@code endBackup} returned, the handle and every listed
     * handle refuse {@code addFile}, {@code endBackup} and {@code abortBackup} with
     * FAILED_PRECONDITION, and the backup is unchanged.
     */
    @Test
    @Tag("backup_storage.read-only")
    @Clause(value = "backup_storage.read-only",
            text = "after endBackup, the handle and listed handles refuse addFile/endBackup/abortBackup with FAILED_PRECONDITION")
    public final void readOnly() {
        BackupStorage s = newStorage();
        BackupHandle h = s.startBackup(dir, backupName(1));
        write(h, "a", new byte[] {1, 2, 3});
        h.endBackup();
        BackupHandle listed = s.listBackups(dir).get(0);
        for (BackupHandle x : List.of(h, listed)) {
            String which = x == h ? "the ended handle" : "a listed handle";
            expectError(ErrorCode.FAILED_PRECONDITION, () -> {
                try (OutputStream out = x.addFile("b", 1)) {
                    out.write(1);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }, () -> "addFile on " + which);
            expectError(ErrorCode.FAILED_PRECONDITION, x::endBackup, () -> "endBackup on " + which);
            expectError(ErrorCode.FAILED_PRECONDITION, x::abortBackup, () -> "abortBackup on " + which);
        }
        List<BackupHandle> l = s.listBackups(dir);
        require(names(l).equals(List.of(backupName(1))) && l.get(0).files().equals(List.of("a"))
                && Arrays.equals(read(l.get(0), "a"), new byte[] {1, 2, 3}), () -> "the backup changed: "
                + names(l) + (l.isEmpty() ? "" : " files " + l.get(0).files()));
    }

    /**
     * <b>backup_storage.concurrent</b>: {@link #concurrentBackups()} backups written at the same
     * time into one directory, each with several files written from several threads, all end up
     * listed with exactly their own files and bytes.
     */
    @Test
    @Tag("backup_storage.concurrent")
    @Clause(value = "backup_storage.concurrent",
            text = "concurrent backups to one directory (several files each, written in parallel) do not corrupt each other")
    public final void concurrent() throws Exception {
        BackupStorage s = newStorage();
        int n = Math.max(2, concurrentBackups());
        int filesEach = 3;
        ExecutorService pool = Executors.newFixedThreadPool(n * filesEach);
        try {
            List<BackupHandle> handles = new ArrayList<>();
            for (int b = 0; b < n; b++) {
                handles.add(s.startBackup(dir, backupName(b + 1)));
            }
            List<Future<?>> writes = new ArrayList<>();
            for (int b = 0; b < n; b++) {
                for (int f = 0; f < filesEach; f++) {
                    BackupHandle h = handles.get(b);
                    int bf = b * 10 + f;
                    writes.add(pool.submit(() -> write(h, "f" + bf % 10, bytes(200_000 + bf, bf))));
                }
            }
            for (Future<?> w : writes) {
                w.get(60, TimeUnit.SECONDS);
            }
            List<Future<?>> ends = new ArrayList<>();
            for (BackupHandle h : handles) {
                ends.add(pool.submit(h::endBackup));
            }
            for (Future<?> e : ends) {
                e.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<BackupHandle> l = s.listBackups(dir);
        List<String> want = new ArrayList<>();
        for (int b = 0; b < n; b++) {
            want.add(backupName(b + 1));
        }
        require(sortedNames(l).equals(want), () -> "listBackups is " + names(l) + "; expected " + want);
        for (int b = 0; b < n; b++) {
            String wanted = backupName(b + 1);
            BackupHandle h = l.stream().filter(x -> x.name().equals(wanted)).findFirst().orElseThrow();
            List<String> files = new ArrayList<>(h.files());
            files.sort(null);
            require(files.equals(List.of("f0", "f1", "f2")), () -> h.name() + " has files " + h.files());
            for (int f = 0; f < filesEach; f++) {
                int bf = b * 10 + f;
                require(Arrays.equals(read(h, "f" + f), bytes(200_000 + bf, bf)), () -> h.name() + "/f" + bf % 10
                        + " does not hold what was written to it");
            }
        }
    }

    /** Removes the backups this clause left, best effort (the clause's outcome is already decided). */
    @org.junit.jupiter.api.AfterEach
    protected final void removeLeftovers() {
        for (Object o : createdInstances()) {
            if (o instanceof BackupStorage s) {
                for (String d : List.of(dir, dir + "x")) {
                    try {
                        for (BackupHandle h : s.listBackups(d)) {
                            s.removeBackup(d, h.name());
                        }
                    } catch (RuntimeException e) {
                        // best effort: a broken storage is reported by its clause, not here
                    }
                }
            }
        }
    }
}
