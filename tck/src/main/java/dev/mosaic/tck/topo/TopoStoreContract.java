package dev.mosaic.tck.topo;

import static dev.mosaic.tck.Clauses.require;

import dev.mosaic.spi.topo.DirEntry;
import dev.mosaic.spi.topo.KeyValue;
import dev.mosaic.spi.topo.LeaderParticipation;
import dev.mosaic.spi.topo.LeaderParticipation.LeadershipTerm;
import dev.mosaic.spi.topo.RecursiveWatch;
import dev.mosaic.spi.topo.TopoCapability;
import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import dev.mosaic.spi.topo.TopoLock;
import dev.mosaic.spi.topo.TopoStore;
import dev.mosaic.spi.topo.TopoStoreFactory;
import dev.mosaic.spi.topo.Version;
import dev.mosaic.spi.topo.Versioned;
import dev.mosaic.spi.topo.Watch;
import dev.mosaic.spi.topo.WatchEvent;
import dev.mosaic.tck.Clause;
import dev.mosaic.tck.PluginContract;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The topology-store contract: what every {@link TopoStoreFactory} and the {@link TopoStore}s it
 * creates must do. Clause ids start with {@code topo.}. Modeled on Vitess's
 * {@code go/vt/topo/test} suite, and stricter: errors are checked by kind, watches by their exact
 * termination, locks between independent sessions, and optional capabilities both ways (a
 * declared capability must work; an undeclared one must throw
 * {@link TopoError#NO_IMPLEMENTATION}).
 *
 * <p>Extend it in the plugin's tests with the factory and a configuration pointing at a real,
 * running backend:
 * <pre>{@code
 * class EtcdTopoStoreTest extends TopoStoreContract {
 *     protected TopoStoreFactory factory() { return new EtcdTopoFactory(); }
 *     protected Map<String, String> sampleConfig() { return Map.of("endpoints", etcd.endpoint()); }
 *     protected void killSession(TopoStore s) { ((EtcdTopoStore) s).revokeLeaseForTest(); }
 *     protected boolean restartBackend() { etcd.restart(); return true; }
 * }
 * }</pre>
 *
 * <p><b>Sessions.</b> Every {@link #createInstance()} is one independent session (connection);
 * clauses about exclusion and session death use two or more. <b>Isolation.</b> Every test works
 * under its own random directory {@code tck/<random>} (see {@link #path}), so several runs may
 * share a backend; the files a test leaves there are deleted after it, best effort.
 * <b>Timing.</b> Waits for something expected use a deadline ({@link #eventDeadline()},
 * {@link #sessionDeathDeadline()}), never a bare sleep; checks that nothing (more) happens watch
 * for {@link #quietPeriod()}. Defaults suit the in-memory store and a backend on loopback; a slow
 * backend may override them. The hooks {@link #killSession} and {@link #restartBackend} let a
 * plugin's test kill sessions and restart the backend the way they die in production.
 */
public abstract class TopoStoreContract extends PluginContract<TopoStoreFactory> {
    private final String root = "tck/" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    private final List<ExecutorService> executors = new ArrayList<>();

    /** For subclasses. */
    protected TopoStoreContract() {
    }

    // ---- hooks --------------------------------------------------------------------------------

    /**
     * Ends {@code store}'s session the way a crash would, so that its locks, ephemeral nodes and
     * election participations must be released by the backend. The default calls
     * {@link TopoStore#close()}, the graceful end; a plugin's test should override it to make the
     * backend lose the session without the client's help (kill the client's process, revoke its
     * etcd lease, expire its ZooKeeper session, destroy its Consul session), and may also close
     * the store afterwards.
     *
     * @param store a store created by this test with {@link #newStore()}
     * @throws Exception if the session cannot be killed (fails the clause)
     */
    protected void killSession(TopoStore store) throws Exception {
        store.close();
    }

    /**
     * Restarts the backend server(s) (stop, then start on the same address and data) and returns
     * once it serves again, or returns false if this test cannot restart it. The default returns
     * false, and the {@code topo.watch-backend-restart} clause is then skipped with that reason.
     *
     * @return true if the backend was restarted
     * @throws Exception if the restart failed (fails the clause)
     */
    protected boolean restartBackend() throws Exception {
        return false;
    }

    /**
     * How long to wait for something that must happen: a watch event, a lock handed over, a new
     * leader. Default 5 s.
     *
     * @return a positive duration
     */
    protected Duration eventDeadline() {
        return Duration.ofSeconds(5);
    }

    /**
     * How long a killed session ({@link #killSession}) may take to release its locks and
     * elections: the backend's session timeout plus a margin. Default 10 s.
     *
     * @return a positive duration
     */
    protected Duration sessionDeathDeadline() {
        return Duration.ofSeconds(10);
    }

    /**
     * How long to watch for events that must not come, and the timeout of lock and election
     * attempts that must time out. Default 200 ms.
     *
     * @return a positive duration
     */
    protected Duration quietPeriod() {
        return Duration.ofMillis(200);
    }

    /**
     * How long {@code topo.lock-held} keeps a lock and checks it is still held. A plugin whose
     * sessions are kept alive by renewals (leases, session TTLs) should return several renewal
     * periods (e.g. 3 × the session TTL configured in {@link #sampleConfig()}), so that a
     * renewal that silently fails is caught. Default 1 s.
     *
     * @return a positive duration
     */
    protected Duration lockHoldDuration() {
        return Duration.ofSeconds(1);
    }

    /**
     * The TTL used by {@code topo.lock-ttl}. Default 500 ms; a backend with a coarse TTL (etcd
     * leases are whole seconds) overrides it.
     *
     * @return a positive duration
     */
    protected Duration lockTtl() {
        return Duration.ofMillis(500);
    }

    /**
     * How long {@code topo.watch-backend-restart} waits for the watch to converge or fail after
     * the restart. Default 30 s.
     *
     * @return a positive duration
     */
    protected Duration restartDeadline() {
        return Duration.ofSeconds(30);
    }

    /**
     * Threads in {@code topo.cas-race}; they share two sessions. Default 4.
     *
     * @return at least 2
     */
    protected int casRaceThreads() {
        return 4;
    }

    /**
     * Increments each thread of {@code topo.cas-race} makes. Default 25.
     *
     * @return at least 1
     */
    protected int casRaceIncrements() {
        return 25;
    }

    // ---- helpers ------------------------------------------------------------------------------

    /**
     * A new, independent session with the sample configuration (aborting the test when a required
     * key has no sample value). Closed after the test.
     *
     * @return the store
     */
    protected final TopoStore newStore() {
        Object o = createInstance();
        require(o instanceof TopoStore, () -> "create() returned a " + o.getClass().getName() + ", not a TopoStore");
        return (TopoStore) o;
    }

    /**
     * A path under this test's private directory.
     *
     * @param relative a relative path, or "" for the directory itself
     * @return {@code tck/<random>/relative}
     */
    protected final String path(String relative) {
        return relative.isEmpty() ? root : root + "/" + relative;
    }

    /**
     * UTF-8 bytes.
     *
     * @param s text
     * @return its bytes
     */
    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /**
     * Runs {@code action} and requires a {@link TopoException} of kind {@code kind}.
     *
     * @param kind   the expected kind
     * @param what   what the action is, for the failure message
     * @param action the operation
     * @return the exception
     */
    protected static TopoException expectError(TopoError kind, String what, Runnable action) {
        try {
            action.run();
        } catch (TopoException e) {
            require(e.error() == kind, () -> what + " threw " + e.error() + " (" + e.getMessage() + "); expected " + kind);
            return e;
        } catch (RuntimeException e) {
            throw new AssertionError(what + " threw " + e + "; expected a TopoException " + kind, e);
        }
        throw new AssertionError(what + " succeeded; expected a TopoException " + kind);
    }

    /**
     * Polls {@code condition} every few milliseconds until it holds or {@code deadline} passes.
     *
     * @param deadline how long to wait
     * @param what     what is awaited, for the failure message (computed on failure)
     * @param condition the condition
     */
    protected static void await(Duration deadline, Supplier<String> what, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("after " + deadline.toMillis() + " ms, still not: " + what.get());
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + what.get(), e);
            }
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private ExecutorService executor() {
        ExecutorService ex = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "tck-topo-" + executors.size());
            t.setDaemon(true);
            return t;
        });
        executors.add(ex);
        return ex;
    }

    private static <T> T result(Future<T> f, Duration deadline, String what) {
        try {
            return f.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(what + " did not finish within " + deadline.toMillis() + " ms");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof AssertionError ae) {
                throw ae;
            }
            throw new AssertionError(what + " threw " + c, c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static <T> T declaredButMissing(TopoCapability capability, String method, Supplier<T> call) {
        try {
            return call.get();
        } catch (TopoException e) {
            if (e.error() == TopoError.NO_IMPLEMENTATION) {
                throw new AssertionError(capability + " is declared but " + method + " threw NO_IMPLEMENTATION: "
                        + e.getMessage(), e);
            }
            throw e;
        }
    }

    private static void noViolations(TopoEvents events, String watch) {
        List<String> v = events.violations();
        require(v.isEmpty(), () -> watch + ": " + String.join("; ", v));
    }

    private void assertQuietAfterFinal(TopoEvents events, String watch) {
        int n = events.events().size();
        pause(quietPeriod());
        noViolations(events, watch);
        require(events.events().size() == n, () -> watch + " delivered events after its final event: " + events);
    }

    private static void assertValue(Versioned v, String contents, String what) {
        require(v != null, () -> what + " returned null");
        require(v.version() != null, () -> what + " returned a null version");
        require(Arrays.equals(v.contents(), bytes(contents)),
                () -> what + " returned \"" + text(v.contents()) + "\"; expected \"" + contents + "\"");
    }

    /** Deletes the files the test left under its directory, best effort, then stops its threads. */
    @AfterEach
    protected final void removeTestTree() {
        executors.forEach(ExecutorService::shutdownNow);
        executors.clear();
        if (createdInstances().isEmpty() || !missingRequiredKeys().isEmpty()) {
            return;
        }
        try {
            TopoStore s = newStore();
            for (KeyValue kv : s.listByPrefix(root + "/")) {
                try {
                    s.delete(kv.path(), Optional.empty());
                } catch (TopoException e) {
                    // ephemeral or already gone: the tree is private to this test, leftovers are harmless
                }
            }
        } catch (TopoException | AssertionError e) {
            // nothing left (NO_NODE) or the backend is gone (a clause already reported why)
        }
    }

    // ---- files ----------------------------------------------------------------------------------

    /**
     * <b>topo.capabilities</b>: {@link TopoStore#capabilities()} is non-null and the same on
     * repeated calls and for every session of one configuration. (What each capability promises
     * is checked, both ways, by {@code topo.watch-recursive}, {@code topo.lock-ttl} and
     * {@code topo.historical-versions}.)
     */
    @Test
    @Tag("topo.capabilities")
    @Clause(value = "topo.capabilities", text = "capabilities() is non-null and stable across calls and sessions")
    public final void capabilities() {
        TopoStore a = newStore();
        Set<TopoCapability> caps = a.capabilities();
        require(caps != null, () -> "capabilities() returned null");
        require(caps.equals(a.capabilities()), () -> "capabilities() changed between two calls");
        Set<TopoCapability> other = newStore().capabilities();
        require(caps.equals(other), () -> "two sessions declare different capabilities: " + caps + " and " + other);
    }

    /**
     * <b>topo.create</b>: {@code create} stores a new file and returns its version; {@code get}
     * (from this and from another session) returns the same bytes and that version. Creating it
     * again throws {@link TopoError#NODE_EXISTS} and leaves it unchanged. Empty contents are a
     * valid file.
     */
    @Test
    @Tag("topo.create")
    @Clause(value = "topo.create", text = "create stores a file; creating it again throws NODE_EXISTS")
    public final void create() {
        TopoStore s = newStore();
        String p = path("dir/file");
        Version v = s.create(p, bytes("one"));
        require(v != null, () -> "create returned a null version");
        Versioned got = s.get(p);
        assertValue(got, "one", "get after create");
        require(got.version().equals(v), () -> "get returned version " + got.version() + ", create returned " + v);
        assertValue(newStore().get(p), "one", "get from another session");
        expectError(TopoError.NODE_EXISTS, "create of an existing file", () -> s.create(p, bytes("two")));
        Versioned after = s.get(p);
        assertValue(after, "one", "get after the failed second create");
        require(after.version().equals(v), () -> "the failed create changed the version");
        String empty = path("dir/empty");
        s.create(empty, new byte[0]);
        assertValue(s.get(empty), "", "get of an empty file");
    }

    /**
     * <b>topo.get</b>: {@code get} of a path that never existed, and of a path that is only a
     * directory (it has files below it but is not a file), throws {@link TopoError#NO_NODE}.
     */
    @Test
    @Tag("topo.get")
    @Clause(value = "topo.get", text = "get of a missing file or of a directory throws NO_NODE")
    public final void getMissing() {
        TopoStore s = newStore();
        expectError(TopoError.NO_NODE, "get of a missing file", () -> s.get(path("missing")));
        s.create(path("d/f"), bytes("x"));
        expectError(TopoError.NO_NODE, "get of a directory", () -> s.get(path("d")));
    }

    /**
     * <b>topo.update</b>: {@code update} without an expected version creates a missing file and
     * overwrites an existing one; each write returns a new version that {@code get} reports with
     * the new bytes.
     */
    @Test
    @Tag("topo.update")
    @Clause(value = "topo.update", text = "unconditional update creates or overwrites and returns the new version")
    public final void updateUnconditional() {
        TopoStore s = newStore();
        String p = path("u/file");
        Version v1 = s.update(p, bytes("1"), Optional.empty());
        Versioned g1 = s.get(p);
        assertValue(g1, "1", "get after an unconditional update of a missing file");
        require(g1.version().equals(v1), () -> "get returned version " + g1.version() + ", update returned " + v1);
        Version v2 = s.update(p, bytes("2"), Optional.empty());
        require(!v2.equals(v1), () -> "overwriting returned the old version " + v1);
        Versioned g2 = s.get(p);
        assertValue(g2, "2", "get after an unconditional overwrite");
        require(g2.version().equals(v2), () -> "get returned version " + g2.version() + ", update returned " + v2);
    }

    /**
     * <b>topo.update-cas</b>: {@code update} with the current version writes and returns a new
     * version; with a stale version it throws {@link TopoError#BAD_VERSION} and changes nothing;
     * with an expected version on a missing file it throws {@link TopoError#NO_NODE} and creates
     * nothing. A version from before a delete and re-create is stale (no ABA).
     */
    @Test
    @Tag("topo.update-cas")
    @Clause(value = "topo.update-cas", text = "update with a version is compare-and-set: BAD_VERSION, NO_NODE")
    public final void updateCas() {
        TopoStore s = newStore();
        String p = path("cas/file");
        Version v1 = s.create(p, bytes("1"));
        Version v2 = s.update(p, bytes("2"), Optional.of(v1));
        require(!v2.equals(v1), () -> "a compare-and-set returned the expected version as the new one");
        assertValue(s.get(p), "2", "get after a compare-and-set");
        expectError(TopoError.BAD_VERSION, "update with a stale version", () -> s.update(p, bytes("3"), Optional.of(v1)));
        Versioned after = s.get(p);
        assertValue(after, "2", "get after a failed compare-and-set");
        require(after.version().equals(v2), () -> "a failed compare-and-set changed the version");
        String missing = path("cas/missing");
        expectError(TopoError.NO_NODE, "update with a version of a missing file",
                () -> s.update(missing, bytes("x"), Optional.of(v2)));
        expectError(TopoError.NO_NODE, "get after a failed update of a missing file", () -> s.get(missing));
        s.delete(p, Optional.empty());
        s.create(p, bytes("again"));
        expectError(TopoError.BAD_VERSION, "update with a version from before a delete and re-create",
                () -> s.update(p, bytes("4"), Optional.of(v2)));
        assertValue(s.get(p), "again", "get after a refused compare-and-set on a re-created file");
    }

    /**
     * <b>topo.version-unique</b>: every write of a path (create, update, re-create after delete)
     * yields a version different from every earlier version of that path.
     */
    @Test
    @Tag("topo.version-unique")
    @Clause(value = "topo.version-unique", text = "every write of a path yields a version never seen before for it")
    public final void versionUnique() {
        TopoStore s = newStore();
        String p = path("v/file");
        List<Version> seen = new ArrayList<>();
        seen.add(s.create(p, bytes("0")));
        for (int i = 1; i <= 3; i++) {
            seen.add(s.update(p, bytes(Integer.toString(i)), Optional.empty()));
        }
        s.delete(p, Optional.empty());
        seen.add(s.create(p, bytes("recreated")));
        seen.add(s.update(p, bytes("recreated"), Optional.empty()));
        require(new HashSet<>(seen).size() == seen.size(), () -> "versions repeat across writes: " + seen);
    }

    /**
     * <b>topo.delete</b>: {@code delete} without a version removes a file; with a wrong version
     * it throws {@link TopoError#BAD_VERSION} and keeps it; with the right version it removes
     * it. Afterwards {@code get} throws {@link TopoError#NO_NODE}, and deleting a missing file
     * throws {@link TopoError#NO_NODE}.
     */
    @Test
    @Tag("topo.delete")
    @Clause(value = "topo.delete", text = "delete (optionally versioned) removes a file; BAD_VERSION, NO_NODE")
    public final void delete() {
        TopoStore s = newStore();
        String a = path("del/a");
        String b = path("del/b");
        s.create(a, bytes("a"));
        Version vb1 = s.create(b, bytes("b"));
        s.delete(a, Optional.empty());
        expectError(TopoError.NO_NODE, "get after delete", () -> s.get(a));
        expectError(TopoError.NO_NODE, "delete of a missing file", () -> s.delete(a, Optional.empty()));
        Version vb2 = s.update(b, bytes("b2"), Optional.empty());
        expectError(TopoError.BAD_VERSION, "delete with a stale version", () -> s.delete(b, Optional.of(vb1)));
        assertValue(s.get(b), "b2", "get after a refused versioned delete");
        s.delete(b, Optional.of(vb2));
        expectError(TopoError.NO_NODE, "get after a versioned delete", () -> s.get(b));
        expectError(TopoError.NO_NODE, "versioned delete of a missing file", () -> s.delete(b, Optional.of(vb2)));
    }

    /**
     * <b>topo.delete-not-empty</b>: deleting a path that is a directory with files below it
     * throws {@link TopoError#NOT_EMPTY} and removes nothing.
     */
    @Test
    @Tag("topo.delete-not-empty")
    @Clause(value = "topo.delete-not-empty", text = "delete of a non-empty directory throws NOT_EMPTY")
    public final void deleteNotEmpty() {
        TopoStore s = newStore();
        s.create(path("ne/dir/file"), bytes("x"));
        expectError(TopoError.NOT_EMPTY, "delete of a non-empty directory", () -> s.delete(path("ne/dir"), Optional.empty()));
        assertValue(s.get(path("ne/dir/file")), "x", "get of the file below the directory");
    }

    /**
     * <b>topo.directories</b>: creating {@code a/b/c/f} makes {@code a}, {@code a/b} and
     * {@code a/b/c} directories, listed as such by their parents; a directory stays while any
     * file is below it and disappears with its last file ({@code listDir} then throws
     * {@link TopoError#NO_NODE}, as for a directory that never existed). {@code listDir("")}
     * lists the root, where this test's directory appears.
     */
    @Test
    @Tag("topo.directories")
    @Clause(value = "topo.directories", text = "directories appear with their first file and disappear with their last")
    public final void directories() {
        TopoStore s = newStore();
        expectError(TopoError.NO_NODE, "listDir of a missing directory", () -> s.listDir(path("dirs")));
        s.create(path("dirs/a/b/c/f1"), bytes("1"));
        s.create(path("dirs/a/b/f2"), bytes("2"));
        requireEntry(s, path("dirs"), "a", true);
        requireEntry(s, path("dirs/a"), "b", true);
        requireEntry(s, path("dirs/a/b"), "c", true);
        requireEntry(s, path("dirs/a/b"), "f2", false);
        requireEntry(s, path("dirs/a/b/c"), "f1", false);
        String top = root.substring(0, root.indexOf('/'));
        requireEntry(s, "", top, true);
        s.delete(path("dirs/a/b/c/f1"), Optional.empty());
        expectError(TopoError.NO_NODE, "listDir of a directory whose last file was deleted", () -> s.listDir(path("dirs/a/b/c")));
        List<DirEntry> ab = s.listDir(path("dirs/a/b"));
        require(ab.stream().noneMatch(e -> e.name().equals("c")), () -> "listDir still shows the emptied directory 'c': " + ab);
        s.delete(path("dirs/a/b/f2"), Optional.empty());
        for (String d : List.of("dirs/a/b", "dirs/a", "dirs")) {
            expectError(TopoError.NO_NODE, "listDir of '" + d + "' after its last file was deleted", () -> s.listDir(path(d)));
        }
    }

    private static void requireEntry(TopoStore s, String dir, String name, boolean directory) {
        List<DirEntry> entries = s.listDir(dir);
        require(entries != null, () -> "listDir('" + dir + "') returned null");
        Optional<DirEntry> e = entries.stream().filter(x -> x.name().equals(name)).findFirst();
        require(e.isPresent(), () -> "listDir('" + dir + "') does not list '" + name + "': " + entries);
        require(e.get().directory() == directory, () -> "listDir('" + dir + "') lists '" + name + "' as a "
                + (e.get().directory() ? "directory" : "file") + "; expected a " + (directory ? "directory" : "file"));
    }

    /**
     * <b>topo.list-dir</b>: {@code listDir} returns each direct child once, sorted by name
     * ({@link String#compareTo}), files with {@code directory=false}, directories with
     * {@code directory=true}, and files written with {@code create}/{@code update} with
     * {@code ephemeral=false}; never a deeper path.
     */
    @Test
    @Tag("topo.list-dir")
    @Clause(value = "topo.list-dir", text = "listDir lists direct children once, sorted, with file/dir/ephemeral flags")
    public final void listDir() {
        TopoStore s = newStore();
        for (String name : List.of("zeta", "alpha", "mid/x", "mid/y/z", "Beta", "alpha.1", "0")) {
            s.create(path("ls/" + name), bytes(name));
        }
        List<DirEntry> got = s.listDir(path("ls"));
        List<DirEntry> expected = List.of(new DirEntry("0", false, false), new DirEntry("Beta", false, false),
                new DirEntry("alpha", false, false), new DirEntry("alpha.1", false, false),
                new DirEntry("mid", true, false), new DirEntry("zeta", false, false));
        require(expected.equals(got), () -> "listDir returned " + got + "; expected " + expected);
        List<DirEntry> mid = s.listDir(path("ls/mid"));
        List<DirEntry> midExpected = List.of(new DirEntry("x", false, false), new DirEntry("y", true, false));
        require(midExpected.equals(mid), () -> "listDir of a sub-directory returned " + mid + "; expected " + midExpected);
    }

    /**
     * <b>topo.list-by-prefix</b>: {@code listByPrefix} returns every file whose path starts with
     * the prefix as a plain string (not only whole segments), at any depth, sorted by path, each
     * with the contents and version {@code get} returns; {@link TopoError#NO_NODE} when none
     * matches.
     */
    @Test
    @Tag("topo.list-by-prefix")
    @Clause(value = "topo.list-by-prefix", text = "listByPrefix returns matching files sorted, with values; NO_NODE if none")
    public final void listByPrefix() {
        TopoStore s = newStore();
        Map<String, Version> versions = new HashMap<>();
        for (String name : List.of("lp/b", "lp/ac", "lp/ab2/x", "lp/ab1", "lp/ab2/y/z")) {
            versions.put(path(name), s.create(path(name), bytes(name)));
        }
        List<KeyValue> ab = s.listByPrefix(path("lp/ab"));
        List<String> abPaths = ab.stream().map(KeyValue::path).toList();
        List<String> abExpected = List.of(path("lp/ab1"), path("lp/ab2/x"), path("lp/ab2/y/z"));
        require(abExpected.equals(abPaths), () -> "listByPrefix('lp/ab') returned " + abPaths + "; expected " + abExpected);
        for (KeyValue kv : s.listByPrefix(path("lp/"))) {
            String rel = kv.path().substring(root.length() + 1);
            require(Arrays.equals(kv.contents(), bytes(rel)), () -> "listByPrefix returned wrong contents for " + rel);
            require(kv.version().equals(versions.get(kv.path())), () -> "listByPrefix returned version " + kv.version()
                    + " for " + rel + "; create returned " + versions.get(kv.path()));
        }
        List<String> all = s.listByPrefix(path("lp/")).stream().map(KeyValue::path).toList();
        List<String> sorted = versions.keySet().stream().sorted().toList();
        require(sorted.equals(all), () -> "listByPrefix('lp/') returned " + all + "; expected " + sorted);
        expectError(TopoError.NO_NODE, "listByPrefix with no match", () -> s.listByPrefix(path("lp/zz")));
    }

    /**
     * <b>topo.paths</b>: malformed paths (leading or trailing slash, empty, {@code .} or
     * {@code ..} segments; the empty path for a file or lock) make {@code create}, {@code update},
     * {@code get}, {@code delete}, {@code watch}, {@code listDir} and {@code lock} throw
     * {@link IllegalArgumentException}.
     */
    @Test
    @Tag("topo.paths")
    @Clause(value = "topo.paths", text = "malformed paths throw IllegalArgumentException")
    public final void malformedPaths() {
        TopoStore s = newStore();
        List<String> bad = List.of("/" + root + "/a", root + "/a/", root + "//a", root + "/./a", root + "/../a", root + "/a/..");
        for (String p : bad) {
            expectIllegal("create('" + p + "')", () -> s.create(p, bytes("x")));
            expectIllegal("update('" + p + "')", () -> s.update(p, bytes("x"), Optional.empty()));
            expectIllegal("get('" + p + "')", () -> s.get(p));
            expectIllegal("delete('" + p + "')", () -> s.delete(p, Optional.empty()));
            expectIllegal("watch('" + p + "')", () -> s.watch(p, new TopoEvents()));
            expectIllegal("listDir('" + p + "')", () -> s.listDir(p));
            expectIllegal("lock('" + p + "')", () -> s.lock(p, "tck", quietPeriod()));
        }
        expectIllegal("create('')", () -> s.create("", bytes("x")));
        expectIllegal("get('')", () -> s.get(""));
        expectIllegal("lock('')", () -> s.lock("", "tck", quietPeriod()));
    }

    private static void expectIllegal(String what, Runnable action) {
        try {
            action.run();
        } catch (IllegalArgumentException e) {
            return;
        } catch (RuntimeException e) {
            throw new AssertionError(what + " threw " + e + "; expected IllegalArgumentException", e);
        }
        throw new AssertionError(what + " succeeded; expected IllegalArgumentException");
    }

    /**
     * <b>topo.cas-race</b>: {@link #casRaceThreads()} threads on two sessions each increment one
     * counter file {@link #casRaceIncrements()} times with get + compare-and-set, retrying on
     * {@link TopoError#BAD_VERSION}. The threads move in lock-step (every round, all of them read,
     * then all of them write), the worst case for a compare-and-set: the counter must end at
     * exactly threads x increments, and no two successful writes may return the same version.
     */
    @Test
    @Tag("topo.cas-race")
    @Clause(value = "topo.cas-race", text = "N threads incrementing a counter with CAS end at exactly N*K")
    public final void casRace() {
        TopoStore[] stores = {newStore(), newStore()};
        String p = path("race/counter");
        stores[0].create(p, bytes("0"));
        int threads = casRaceThreads();
        int increments = casRaceIncrements();
        ExecutorService ex = executor();
        Set<Version> written = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        java.util.concurrent.Phaser rounds = new java.util.concurrent.Phaser(threads);
        Duration deadline = eventDeadline().multipliedBy(6);
        List<Future<Integer>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            TopoStore s = stores[t % 2];
            futures.add(ex.submit(() -> {
                int conflicts = 0;
                try {
                    for (int i = 0; i < increments; i++) {
                        while (true) {
                            Versioned cur = s.get(p);
                            int n = Integer.parseInt(text(cur.contents()));
                            rounds.awaitAdvanceInterruptibly(rounds.arrive(), deadline.toMillis(), TimeUnit.MILLISECONDS);
                            try {
                                Version v = s.update(p, bytes(Integer.toString(n + 1)), Optional.of(cur.version()));
                                if (!written.add(v)) {
                                    duplicates.incrementAndGet();
                                }
                                break;
                            } catch (TopoException e) {
                                if (e.error() != TopoError.BAD_VERSION) {
                                    throw e;
                                }
                                conflicts++;
                            }
                        }
                    }
                } finally {
                    rounds.arriveAndDeregister();
                }
                return conflicts;
            }));
        }
        for (Future<Integer> f : futures) {
            result(f, deadline, "a racing incrementer");
        }
        int value = Integer.parseInt(text(stores[0].get(p).contents()));
        require(value == threads * increments, () -> threads + " threads x " + increments
                + " compare-and-set increments left the counter at " + value + "; expected " + threads * increments
                + " (a compare-and-set let a stale writer through)");
        require(duplicates.get() == 0, () -> duplicates.get() + " successful compare-and-sets returned an already returned version");
    }

    /**
     * <b>topo.closed</b>: after {@code close()} the session's operations throw
     * {@link TopoError#UNAVAILABLE}; {@code close()} is idempotent; other sessions are not
     * affected. A leader participation made before {@code close()} cannot be elected afterwards:
     * its {@code waitForLeadership} throws {@link TopoError#INTERRUPTED} and it never shows up as
     * {@code currentLeader()}.
     */
    @Test
    @Tag("topo.closed")
    @Clause(value = "topo.closed", text = "after close() operations throw UNAVAILABLE; close is idempotent")
    public final void closed() {
        TopoStore other = newStore();
        TopoStore s = newStore();
        String p = path("closed/file");
        s.create(p, bytes("x"));
        LeaderParticipation zombie = s.newLeaderParticipation(path("closed-election"), "zombie");
        s.close();
        s.close();
        expectError(TopoError.INTERRUPTED, "waitForLeadership of a participation whose store was closed",
                () -> zombie.waitForLeadership(quietPeriod()));
        Optional<String> leader = other.newLeaderParticipation(path("closed-election"), "observer").currentLeader();
        require(leader.isEmpty(), () -> "a participation of a closed store became leader: currentLeader() is " + leader);
        expectError(TopoError.UNAVAILABLE, "get after close()", () -> s.get(p));
        expectError(TopoError.UNAVAILABLE, "create after close()", () -> s.create(path("closed/other"), bytes("y")));
        expectError(TopoError.UNAVAILABLE, "update after close()", () -> s.update(p, bytes("y"), Optional.empty()));
        expectError(TopoError.UNAVAILABLE, "listDir after close()", () -> s.listDir(path("closed")));
        expectError(TopoError.UNAVAILABLE, "watch after close()", () -> s.watch(p, new TopoEvents()));
        expectError(TopoError.UNAVAILABLE, "lock after close()", () -> s.lock(path("closed"), "tck", quietPeriod()));
        assertValue(other.get(p), "x", "get from another session after close()");
    }

    /**
     * <b>topo.historical-versions</b>: with {@link TopoCapability#HISTORICAL_VERSIONS} declared,
     * {@code getVersion} returns the bytes a path had at each of its earlier versions; without it,
     * {@code getVersion} throws {@link TopoError#NO_IMPLEMENTATION}.
     */
    @Test
    @Tag("topo.historical-versions")
    @Clause(value = "topo.historical-versions", text = "getVersion reads old versions iff HISTORICAL_VERSIONS is declared")
    public final void historicalVersions() {
        TopoStore s = newStore();
        String p = path("hist/file");
        Version v1 = s.create(p, bytes("1"));
        Version v2 = s.update(p, bytes("2"), Optional.empty());
        if (!s.capabilities().contains(TopoCapability.HISTORICAL_VERSIONS)) {
            expectError(TopoError.NO_IMPLEMENTATION, "getVersion without the HISTORICAL_VERSIONS capability",
                    () -> s.getVersion(p, v1));
            return;
        }
        s.update(p, bytes("3"), Optional.empty());
        declaredButMissing(TopoCapability.HISTORICAL_VERSIONS, "getVersion", () -> s.getVersion(p, v1));
        assertValue(s.getVersion(p, v1), "1", "getVersion of the first version");
        assertValue(s.getVersion(p, v2), "2", "getVersion of the second version");
    }

    // ---- watches --------------------------------------------------------------------------------

    /**
     * <b>topo.watch-initial</b>: {@code watch} returns the file's current contents and version
     * synchronously in {@link Watch#initial()}; watching a missing file throws
     * {@link TopoError#NO_NODE}.
     */
    @Test
    @Tag("topo.watch-initial")
    @Clause(value = "topo.watch-initial", text = "watch returns the current value synchronously; NO_NODE if missing")
    public final void watchInitial() {
        TopoStore s = newStore();
        String p = path("w/file");
        expectError(TopoError.NO_NODE, "watch of a missing file", () -> s.watch(p, new TopoEvents()));
        Version v = s.create(p, bytes("init"));
        TopoEvents events = new TopoEvents();
        Watch w = s.watch(p, events);
        require(w != null, () -> "watch returned null");
        assertValue(w.initial(), "init", "Watch.initial()");
        require(w.initial().version().equals(v), () -> "Watch.initial() has version " + w.initial().version()
                + "; the file is at " + v);
        w.cancel();
        noViolations(events, "the watch");
    }

    /**
     * <b>topo.watch-changes</b>: after the initial value, writes from another session arrive as
     * {@link WatchEvent.Changed} events for the watched path, in write order (values may repeat
     * and intermediate ones may be skipped), each with the version its write returned, one
     * listener call at a time; the last event converges to the last value written.
     */
    @Test
    @Tag("topo.watch-changes")
    @Clause(value = "topo.watch-changes", text = "changes arrive in order, one call at a time, and converge to the last value")
    public final void watchChanges() {
        TopoStore s = newStore();
        TopoStore writer = newStore();
        String p = path("w/counter");
        s.create(p, bytes("0"));
        TopoEvents events = new TopoEvents();
        s.watch(p, events);
        int last = 20;
        Map<String, Version> versions = new HashMap<>();
        for (int i = 1; i <= last; i++) {
            versions.put(Integer.toString(i), writer.update(p, bytes(Integer.toString(i)), Optional.empty()));
        }
        String lastValue = Integer.toString(last);
        await(eventDeadline(), () -> "the watch converged to \"" + lastValue + "\"; events: " + events, () -> {
            List<WatchEvent.Changed> c = events.changes();
            return !c.isEmpty() && text(c.get(c.size() - 1).value().contents()).equals(lastValue);
        });
        noViolations(events, "the watch");
        int prev = 0;
        for (WatchEvent e : events.events()) {
            require(e instanceof WatchEvent.Changed, () -> "unexpected " + TopoEvents.describe(e) + " while only writing; events: " + events);
            WatchEvent.Changed c = (WatchEvent.Changed) e;
            require(c.path().equals(p), () -> "event for path '" + c.path() + "'; the watch is on '" + p + "'");
            int n = Integer.parseInt(text(c.value().contents()));
            int before = prev;
            require(n >= before, () -> "events out of order: \"" + n + "\" after \"" + before + "\"; events: " + events);
            Version expected = versions.get(Integer.toString(n));
            require(n == 0 || c.value().version().equals(expected), () -> "event for \"" + n + "\" has version "
                    + c.value().version() + "; the write returned " + expected);
            prev = n;
        }
    }

    /**
     * <b>topo.watch-delete</b>: deleting the watched file ends the watch with exactly one final
     * {@link WatchEvent.Deleted} ({@code isFinal()}), after the changes before it; nothing is
     * delivered afterwards, even when the file is re-created and changed, and a later
     * {@code cancel()} adds nothing.
     */
    @Test
    @Tag("topo.watch-delete")
    @Clause(value = "topo.watch-delete", text = "deleting the watched file ends the watch with a final Deleted")
    public final void watchDelete() {
        TopoStore s = newStore();
        TopoStore writer = newStore();
        String p = path("w/doomed");
        s.create(p, bytes("0"));
        TopoEvents events = new TopoEvents();
        Watch w = s.watch(p, events);
        writer.update(p, bytes("1"), Optional.empty());
        writer.delete(p, Optional.empty());
        await(eventDeadline(), () -> "the watch received a final event after the file was deleted; events: " + events,
                () -> events.finalEvent() != null);
        WatchEvent fin = events.finalEvent();
        require(fin instanceof WatchEvent.Deleted d && d.isFinal() && d.path().equals(p),
                () -> "the watch of a deleted file ended with " + TopoEvents.describe(fin) + "; expected a final Deleted("
                        + p + ")");
        writer.create(p, bytes("reborn"));
        writer.update(p, bytes("reborn2"), Optional.empty());
        w.cancel();
        assertQuietAfterFinal(events, "the watch of a deleted file");
    }

    /**
     * <b>topo.watch-cancel</b>: {@link Watch#cancel()} ends the watch with one final
     * {@link WatchEvent.Cancelled}; later writes deliver nothing; a second {@code cancel()} adds
     * nothing.
     */
    @Test
    @Tag("topo.watch-cancel")
    @Clause(value = "topo.watch-cancel", text = "cancel() ends the watch with a final Cancelled and nothing after")
    public final void watchCancel() {
        TopoStore s = newStore();
        String p = path("w/cancelled");
        s.create(p, bytes("0"));
        TopoEvents events = new TopoEvents();
        Watch w = s.watch(p, events);
        w.cancel();
        await(eventDeadline(), () -> "the watch received Cancelled after cancel(); events: " + events,
                () -> events.finalEvent() != null);
        WatchEvent fin = events.finalEvent();
        require(fin instanceof WatchEvent.Cancelled, () -> "cancel() ended the watch with " + TopoEvents.describe(fin)
                + "; expected Cancelled");
        s.update(p, bytes("1"), Optional.empty());
        w.cancel();
        assertQuietAfterFinal(events, "the cancelled watch");
    }

    /**
     * <b>topo.watch-close</b>: {@code close()} of the store ends each of its open watches with a
     * final {@link WatchEvent.Cancelled}; writes from another session afterwards deliver nothing.
     */
    @Test
    @Tag("topo.watch-close")
    @Clause(value = "topo.watch-close", text = "close() of the store ends its watches with Cancelled")
    public final void watchClose() {
        TopoStore s = newStore();
        TopoStore writer = newStore();
        String a = path("w/a");
        String b = path("w/b");
        s.create(a, bytes("a"));
        s.create(b, bytes("b"));
        TopoEvents ea = new TopoEvents();
        TopoEvents eb = new TopoEvents();
        s.watch(a, ea);
        s.watch(b, eb);
        s.close();
        for (TopoEvents e : List.of(ea, eb)) {
            await(eventDeadline(), () -> "a watch received a final event after close(); events: " + e,
                    () -> e.finalEvent() != null);
            require(e.finalEvent() instanceof WatchEvent.Cancelled, () -> "close() ended a watch with "
                    + TopoEvents.describe(e.finalEvent()) + "; expected Cancelled");
        }
        writer.update(a, bytes("a2"), Optional.empty());
        writer.update(b, bytes("b2"), Optional.empty());
        assertQuietAfterFinal(ea, "a watch of the closed store");
        assertQuietAfterFinal(eb, "a watch of the closed store");
    }

    /**
     * <b>topo.watch-recursive</b>: with {@link TopoCapability#RECURSIVE_WATCH} declared,
     * {@code watchRecursive} on a directory returns its files sorted by path in
     * {@link RecursiveWatch#initial()}, then reports creates and changes below it (at any depth)
     * as {@link WatchEvent.Changed} with the file's path, deletes as non-final
     * {@link WatchEvent.Deleted}, nothing from outside it (not even a sibling sharing its name as
     * a prefix), and ends with a final {@link WatchEvent.Cancelled} on {@code cancel()}. Without
     * the capability, {@code watchRecursive} throws {@link TopoError#NO_IMPLEMENTATION}.
     */
    @Test
    @Tag("topo.watch-recursive")
    @Clause(value = "topo.watch-recursive", text = "watchRecursive works iff RECURSIVE_WATCH is declared")
    public final void watchRecursive() {
        TopoStore s = newStore();
        TopoStore writer = newStore();
        String dir = path("rw/dir");
        if (!s.capabilities().contains(TopoCapability.RECURSIVE_WATCH)) {
            expectError(TopoError.NO_IMPLEMENTATION, "watchRecursive without the RECURSIVE_WATCH capability",
                    () -> s.watchRecursive(dir, new TopoEvents()));
            return;
        }
        s.create(dir + "/b", bytes("b"));
        s.create(dir + "/a/x", bytes("ax"));
        TopoEvents events = new TopoEvents();
        RecursiveWatch w = declaredButMissing(TopoCapability.RECURSIVE_WATCH, "watchRecursive",
                () -> s.watchRecursive(dir, events));
        require(w != null, () -> "watchRecursive returned null");
        List<String> initial = w.initial().stream().map(KeyValue::path).toList();
        require(List.of(dir + "/a/x", dir + "/b").equals(initial), () -> "RecursiveWatch.initial() listed " + initial
                + "; expected [" + dir + "/a/x, " + dir + "/b]");
        writer.create(path("rw/dirx"), bytes("outside"));
        writer.create(path("rw/other"), bytes("outside"));
        writer.create(dir + "/c/d/e", bytes("deep"));
        writer.update(dir + "/b", bytes("b2"), Optional.empty());
        writer.delete(dir + "/a/x", Optional.empty());
        writer.create(dir + "/last", bytes("last"));
        await(eventDeadline(), () -> "the recursive watch saw the create of " + dir + "/last; events: " + events,
                () -> events.changes().stream().anyMatch(c -> c.path().equals(dir + "/last")));
        noViolations(events, "the recursive watch");
        List<WatchEvent> got = events.events();
        require(got.stream().allMatch(e -> e.path().startsWith(dir + "/")),
                () -> "the recursive watch reported a file outside " + dir + ": " + events);
        require(got.stream().anyMatch(e -> e instanceof WatchEvent.Changed c && c.path().equals(dir + "/c/d/e")),
                () -> "the create of a deep file was not reported: " + events);
        require(got.stream().anyMatch(e -> e instanceof WatchEvent.Changed c && c.path().equals(dir + "/b")
                && text(c.value().contents()).equals("b2")), () -> "the change of a file was not reported: " + events);
        require(got.stream().anyMatch(e -> e instanceof WatchEvent.Deleted d && d.path().equals(dir + "/a/x") && !d.isFinal()),
                () -> "the delete of a file was not reported as a non-final Deleted: " + events);
        int deleted = indexOf(got, e -> e instanceof WatchEvent.Deleted && e.path().equals(dir + "/a/x"));
        int lastCreated = indexOf(got, e -> e.path().equals(dir + "/last"));
        require(deleted < lastCreated, () -> "events out of write order: " + events);
        w.cancel();
        await(eventDeadline(), () -> "the recursive watch ended after cancel(); events: " + events,
                () -> events.finalEvent() != null);
        require(events.finalEvent() instanceof WatchEvent.Cancelled, () -> "cancel() ended the recursive watch with "
                + TopoEvents.describe(events.finalEvent()) + "; expected Cancelled");
        writer.create(dir + "/after", bytes("after"));
        assertQuietAfterFinal(events, "the cancelled recursive watch");
    }

    private static int indexOf(List<WatchEvent> events, java.util.function.Predicate<WatchEvent> p) {
        for (int i = 0; i < events.size(); i++) {
            if (p.test(events.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * <b>topo.watch-backend-restart</b>: when the backend is restarted ({@link #restartBackend()})
     * under an open watch, the watch never hangs silently: within {@link #restartDeadline()} it
     * either resumes (a write made after the restart arrives as its last event) or ends with a
     * final {@link WatchEvent.Failed}. Skipped when the test cannot restart the backend.
     */
    @Test
    @Tag("topo.watch-backend-restart")
    @Clause(value = "topo.watch-backend-restart", text = "a backend restart under a watch: it resumes and converges, or ends Failed")
    public final void watchBackendRestart() throws Exception {
        TopoStore s = newStore();
        String p = path("w/restart");
        s.create(p, bytes("before"));
        TopoEvents events = new TopoEvents();
        s.watch(p, events);
        if (!restartBackend()) {
            Assumptions.abort("this run cannot restart the backend; a plugin's own test enables this clause by overriding restartBackend()");
        }
        TopoStore writer = newStore();
        long end = System.nanoTime() + restartDeadline().toNanos();
        while (true) {
            try {
                writer.update(p, bytes("after"), Optional.empty());
                break;
            } catch (TopoException e) {
                if (e.error() != TopoError.UNAVAILABLE && e.error() != TopoError.TIMEOUT || System.nanoTime() - end > 0) {
                    throw new AssertionError("the backend did not accept a write after the restart: " + e, e);
                }
                pause(Duration.ofMillis(50));
            }
        }
        await(Duration.ofNanos(Math.max(1, end - System.nanoTime())), () -> "the watch resumed (received \"after\") or ended with Failed; "
                + "events: " + events, () -> {
            WatchEvent fin = events.finalEvent();
            if (fin != null) {
                return true;
            }
            List<WatchEvent.Changed> c = events.changes();
            return !c.isEmpty() && text(c.get(c.size() - 1).value().contents()).equals("after");
        });
        WatchEvent fin = events.finalEvent();
        require(fin == null || fin instanceof WatchEvent.Failed, () -> "the watch ended with " + TopoEvents.describe(fin)
                + " after a restart; expected it to resume or end with Failed");
        noViolations(events, "the watch");
    }

    // ---- locks ----------------------------------------------------------------------------------

    /**
     * <b>topo.lock-exclusion</b>: while one session holds the lock on a directory, {@code lock}
     * from another session blocks: it throws {@link TopoError#TIMEOUT} after its timeout (not
     * much earlier), throws {@link TopoError#INTERRUPTED} when its thread is interrupted, and a
     * waiter with a long timeout acquires the lock only after the holder unlocks. The directory
     * need not exist.
     */
    @Test
    @Tag("topo.lock-exclusion")
    @Clause(value = "topo.lock-exclusion", text = "lock excludes other sessions: waiters block, time out, or get it after unlock")
    public final void lockExclusion() throws Exception {
        TopoStore a = newStore();
        TopoStore b = newStore();
        String dir = path("locks/excl");
        TopoLock held = a.lock(dir, "holder a", eventDeadline());
        require(held != null, () -> "lock returned null");
        held.check();
        long t0 = System.nanoTime();
        expectError(TopoError.TIMEOUT, "lock from another session while held", () -> b.lock(dir, "b", quietPeriod()));
        long waited = System.nanoTime() - t0;
        require(waited >= quietPeriod().toNanos() * 8 / 10, () -> "lock gave up after " + waited / 1_000_000
                + " ms; its timeout was " + quietPeriod().toMillis() + " ms");

        ExecutorService ex = executor();
        AtomicReference<Thread> waiterThread = new AtomicReference<>();
        Future<TopoException> interrupted = ex.submit(() -> {
            waiterThread.set(Thread.currentThread());
            try {
                TopoLock l = b.lock(dir, "interrupted waiter", eventDeadline().multipliedBy(4));
                l.unlock();
                return null;
            } catch (TopoException e) {
                return e;
            }
        });
        await(eventDeadline(), () -> "the waiter thread started", () -> waiterThread.get() != null);
        pause(quietPeriod());
        waiterThread.get().interrupt();
        TopoException ie = result(interrupted, eventDeadline(), "an interrupted lock waiter");
        require(ie != null, () -> "an interrupted lock waiter acquired a lock that another session holds");
        require(ie.error() == TopoError.INTERRUPTED, () -> "an interrupted lock waiter threw " + ie.error() + "; expected INTERRUPTED");

        AtomicBoolean released = new AtomicBoolean();
        Future<Boolean> waiter = ex.submit(() -> {
            TopoLock l = b.lock(dir, "patient waiter", eventDeadline());
            boolean afterRelease = released.get();
            l.unlock();
            return afterRelease;
        });
        pause(quietPeriod());
        require(!waiter.isDone(), () -> "a second session acquired a held lock (" + outcome(waiter) + ")");
        released.set(true);
        held.unlock();
        require(result(waiter, eventDeadline(), "a waiting locker"), () -> "a second session acquired the lock before the holder released it");
    }

    private static String outcome(Future<?> f) {
        try {
            return "returned " + f.get();
        } catch (Exception e) {
            return "threw " + e.getCause();
        }
    }

    /**
     * <b>topo.lock-try</b>: {@code tryLock} returns a lock when the lock is free, and empty at
     * once (without waiting) while another session, or the holder's own session, holds it; after
     * the holder unlocks, it succeeds again.
     */
    @Test
    @Tag("topo.lock-try")
    @Clause(value = "topo.lock-try", text = "tryLock takes a free lock and returns empty at once when held")
    public final void tryLock() {
        TopoStore a = newStore();
        TopoStore b = newStore();
        String dir = path("locks/try");
        Optional<TopoLock> first = a.tryLock(dir, "a");
        require(first != null && first.isPresent(), () -> "tryLock of a free lock returned " + first);
        long t0 = System.nanoTime();
        Optional<TopoLock> second = b.tryLock(dir, "b");
        long took = System.nanoTime() - t0;
        require(second != null && second.isEmpty(), () -> "tryLock from another session got a held lock");
        require(took < eventDeadline().toNanos(), () -> "tryLock waited " + took / 1_000_000 + " ms");
        Optional<TopoLock> own = a.tryLock(dir, "a again");
        require(own != null && own.isEmpty(), () -> "tryLock from the holder's own session got the held lock again");
        first.get().unlock();
        Optional<TopoLock> third = b.tryLock(dir, "b");
        require(third != null && third.isPresent(), () -> "tryLock after the holder unlocked returned " + third);
        third.get().unlock();
    }

    /**
     * <b>topo.lock-held</b>: a lock taken by a session that stays alive is held for as long as
     * the holder keeps it — here {@link #lockHoldDuration()}, which plugins set to several of
     * their session renewal periods: throughout, {@code check()} passes and another session's
     * {@code tryLock} gets nothing; afterwards {@code unlock()} succeeds. A lock must never
     * expire silently while its holder's session is alive (the lock is taken and then left
     * alone by the calling thread, as a long critical section would).
     */
    @Test
    @Tag("topo.lock-held")
    @Clause(value = "topo.lock-held", text = "a live session's lock stays held (check passes, others excluded) until unlocked")
    public final void lockHeld() throws Exception {
        TopoStore a = newStore();
        TopoStore b = newStore();
        String dir = path("locks/held");
        TopoLock l = a.lock(dir, "a", eventDeadline());
        long end = System.nanoTime() + lockHoldDuration().toNanos();
        int rounds = 0;
        while (System.nanoTime() - end < 0) {
            Thread.sleep(Math.max(10, Math.min(500, lockHoldDuration().toMillis() / 10)));
            try {
                l.check();
            } catch (TopoException e) {
                throw new AssertionError("the lock was lost after " + rounds + " checks while its session was alive: " + e, e);
            }
            Optional<TopoLock> other = b.tryLock(dir, "b");
            if (other.isPresent()) {
                other.get().unlock();
                throw new AssertionError("another session took the lock while its holder still held it (after "
                        + rounds + " checks)");
            }
            rounds++;
        }
        l.unlock();
        Optional<TopoLock> after = b.tryLock(dir, "b");
        require(after.isPresent(), () -> "the lock was not free after unlock()");
        after.get().unlock();
    }

    /**
     * <b>topo.lock-name</b>: {@code lockName} locks are exclusive between sessions like
     * directory locks (a second locker times out with {@link TopoError#TIMEOUT} and gets the lock
     * after unlock), need no directory, and are a namespace apart from directory locks of the same
     * string.
     */
    @Test
    @Tag("topo.lock-name")
    @Clause(value = "topo.lock-name", text = "named locks exclude other sessions and are apart from directory locks")
    public final void lockName() {
        TopoStore a = newStore();
        TopoStore b = newStore();
        String name = path("named");
        TopoLock held = a.lockName(name, "a", eventDeadline());
        require(held != null, () -> "lockName returned null");
        held.check();
        expectError(TopoError.TIMEOUT, "lockName from another session while held", () -> b.lockName(name, "b", quietPeriod()));
        TopoLock dirLock = b.lock(name, "b", quietPeriod());
        dirLock.unlock();
        held.unlock();
        TopoLock again = b.lockName(name, "b", eventDeadline());
        again.unlock();
    }

    /**
     * <b>topo.lock-check-loss</b>: {@link TopoLock#check()} passes while the lock is held; after
     * {@code unlock()}, {@code check()} and a second {@code unlock()} throw
     * {@link TopoError#NO_NODE}; after the holder's session is killed ({@link #killSession}),
     * {@code check()} throws {@link TopoError#NO_NODE} within {@link #sessionDeathDeadline()}
     * and {@code unlock()} throws {@link TopoError#NO_NODE}: the holder always learns the lock
     * is gone.
     */
    @Test
    @Tag("topo.lock-check-loss")
    @Clause(value = "topo.lock-check-loss", text = "check() and unlock() report a released or lost lock with NO_NODE")
    public final void lockCheckLoss() throws Exception {
        TopoStore a = newStore();
        String dir = path("locks/check");
        TopoLock l = a.lock(dir, "a", eventDeadline());
        l.check();
        l.unlock();
        expectError(TopoError.NO_NODE, "check() after unlock()", l::check);
        expectError(TopoError.NO_NODE, "a second unlock()", l::unlock);

        TopoStore victim = newStore();
        TopoLock lost = victim.lock(dir, "victim", eventDeadline());
        lost.check();
        killSession(victim);
        AtomicReference<String> last = new AtomicReference<>("check() still passes");
        await(sessionDeathDeadline(), () -> "check() reports the loss of a lock whose session was killed with NO_NODE ("
                + last.get() + ")", () -> {
            try {
                lost.check();
                return false;
            } catch (TopoException e) {
                last.set("check() threw " + e.error() + ": " + e.getMessage());
                return e.error() == TopoError.NO_NODE;
            }
        });
        expectError(TopoError.NO_NODE, "unlock() of a lock whose session was killed", lost::unlock);
    }

    /**
     * <b>topo.lock-session-death</b>: when the holder's session dies ({@link #killSession};
     * by default {@code close()}), its lock is released: another session that could not take it
     * before takes it within {@link #sessionDeathDeadline()}. Directory and named locks alike.
     */
    @Test
    @Tag("topo.lock-session-death")
    @Clause(value = "topo.lock-session-death", text = "a lock is released when its holder's session dies")
    public final void lockSessionDeath() throws Exception {
        TopoStore holder = newStore();
        TopoStore next = newStore();
        String dir = path("locks/death");
        String name = path("locks/death-name");
        holder.lock(dir, "doomed holder", eventDeadline());
        holder.lockName(name, "doomed holder", eventDeadline());
        require(next.tryLock(dir, "next").isEmpty(), () -> "tryLock from another session got a held lock");
        killSession(holder);
        TopoLock got;
        try {
            got = next.lock(dir, "next", sessionDeathDeadline());
        } catch (TopoException e) {
            throw new AssertionError("the lock of a killed session was not released within "
                    + sessionDeathDeadline().toMillis() + " ms: " + e.getMessage(), e);
        }
        got.check();
        got.unlock();
        TopoLock gotName;
        try {
            gotName = next.lockName(name, "next", sessionDeathDeadline());
        } catch (TopoException e) {
            throw new AssertionError("the named lock of a killed session was not released within "
                    + sessionDeathDeadline().toMillis() + " ms: " + e.getMessage(), e);
        }
        gotName.unlock();
    }

    /**
     * <b>topo.lock-ttl</b>: with {@link TopoCapability#LOCK_TTL} declared, a lock taken with
     * {@code lockWithTtl} excludes other sessions until its TTL passes, then is released although
     * its holder's session lives: {@code check()} and {@code unlock()} then throw
     * {@link TopoError#NO_NODE} and another session takes it. Without the capability,
     * {@code lockWithTtl} throws {@link TopoError#NO_IMPLEMENTATION}.
     */
    @Test
    @Tag("topo.lock-ttl")
    @Clause(value = "topo.lock-ttl", text = "TTL locks expire (check reports it, others get it) iff LOCK_TTL is declared")
    public final void lockTtlExpires() {
        TopoStore a = newStore();
        TopoStore b = newStore();
        String dir = path("locks/ttl");
        if (!a.capabilities().contains(TopoCapability.LOCK_TTL)) {
            expectError(TopoError.NO_IMPLEMENTATION, "lockWithTtl without the LOCK_TTL capability",
                    () -> a.lockWithTtl(dir, "a", lockTtl(), eventDeadline()));
            return;
        }
        long t0 = System.nanoTime();
        TopoLock l = declaredButMissing(TopoCapability.LOCK_TTL, "lockWithTtl",
                () -> a.lockWithTtl(dir, "a", lockTtl(), eventDeadline()));
        l.check();
        AtomicReference<TopoLock> next = new AtomicReference<>();
        Duration deadline = lockTtl().plus(eventDeadline());
        await(deadline, () -> "another session took the TTL lock after its TTL of " + lockTtl().toMillis() + " ms",
                () -> {
                    b.tryLock(dir, "b").ifPresent(next::set);
                    return next.get() != null;
                });
        long held = System.nanoTime() - t0;
        require(held >= lockTtl().toNanos() * 9 / 10, () -> "another session took a TTL lock after " + held / 1_000_000
                + " ms; its TTL is " + lockTtl().toMillis() + " ms");
        expectError(TopoError.NO_NODE, "check() of an expired TTL lock", l::check);
        expectError(TopoError.NO_NODE, "unlock() of an expired TTL lock", l::unlock);
        next.get().check();
        next.get().unlock();
    }

    // ---- elections ------------------------------------------------------------------------------

    private record Participant(TopoStore store, LeaderParticipation participation, String id,
                               Future<LeadershipTerm> term) {
    }

    private List<Participant> startElection(String election, int n) {
        ExecutorService ex = executor();
        List<Participant> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TopoStore s = newStore();
            String id = "p" + i;
            LeaderParticipation lp = s.newLeaderParticipation(election, id);
            require(lp != null, () -> "newLeaderParticipation returned null");
            Duration wait = sessionDeathDeadline().plus(eventDeadline()).multipliedBy(2);
            out.add(new Participant(s, lp, id, ex.submit(() -> lp.waitForLeadership(wait))));
        }
        return out;
    }

    private Participant awaitSingleLeader(List<Participant> ps, Duration deadline, String when) {
        await(deadline, () -> "a leader was elected " + when, () -> ps.stream().anyMatch(p -> p.term().isDone()));
        pause(quietPeriod());
        List<Participant> leaders = ps.stream().filter(p -> p.term().isDone()).toList();
        require(leaders.size() == 1, () -> leaders.size() + " participants were elected at once " + when + ": "
                + leaders.stream().map(Participant::id).toList());
        Participant leader = leaders.get(0);
        LeadershipTerm term = result(leader.term(), eventDeadline(), "waitForLeadership");
        require(term != null, () -> "waitForLeadership returned null");
        require(term.isLeader(), () -> "the elected participant's term says isLeader() == false");
        return leader;
    }

    private static LeadershipTerm termOf(Participant p) {
        return result(p.term(), Duration.ofSeconds(1), "waitForLeadership");
    }

    private void awaitCurrentLeader(List<Participant> observers, String id, Duration deadline) {
        for (Participant o : observers) {
            await(deadline, () -> "currentLeader() of " + o.id() + " is " + id + " (it is " + o.participation().currentLeader() + ")",
                    () -> o.participation().currentLeader().equals(Optional.of(id)));
        }
    }

    /**
     * <b>topo.election-single-leader</b>: of three participants in separate sessions waiting for
     * leadership, exactly one is elected while the others keep waiting; every participant's
     * {@code currentLeader()} names it; a fresh participant's {@code waitForLeadership} with a
     * short timeout throws {@link TopoError#TIMEOUT}.
     */
    @Test
    @Tag("topo.election-single-leader")
    @Clause(value = "topo.election-single-leader", text = "exactly one of N participants leads; currentLeader names it; others time out")
    public final void electionSingleLeader() {
        String election = path("election");
        List<Participant> ps = startElection(election, 3);
        Participant leader = awaitSingleLeader(ps, eventDeadline(), "among 3 waiting participants");
        awaitCurrentLeader(ps, leader.id(), eventDeadline());
        LeaderParticipation late = newStore().newLeaderParticipation(election, "late");
        expectError(TopoError.TIMEOUT, "waitForLeadership while another participant leads",
                () -> late.waitForLeadership(quietPeriod()));
        require(ps.stream().filter(p -> p.term().isDone()).count() == 1, () -> "a second participant was elected");
    }

    /**
     * <b>topo.election-resign</b>: when the leader resigns, its term ends ({@code isLeader()}
     * false, {@code awaitLoss} true) and another waiting participant is elected within
     * {@link #eventDeadline()}.
     */
    @Test
    @Tag("topo.election-resign")
    @Clause(value = "topo.election-resign", text = "when the leader resigns, its term ends and another participant takes over")
    public final void electionResign() {
        handOver("resigns", p -> termOf(p).resign(), eventDeadline());
    }

    /**
     * <b>topo.election-stop</b>: when the leader's participation is stopped
     * ({@link LeaderParticipation#stop()}), its term ends and another waiting participant is
     * elected within {@link #eventDeadline()}.
     */
    @Test
    @Tag("topo.election-stop")
    @Clause(value = "topo.election-stop", text = "when the leader stops participating, another participant takes over")
    public final void electionStop() {
        handOver("stops", p -> p.participation().stop(), eventDeadline());
    }

    /**
     * <b>topo.election-session-death</b>: when the leader's session is killed
     * ({@link #killSession}), its term ends ({@code awaitLoss} true) and another participant is
     * elected within {@link #sessionDeathDeadline()}.
     */
    @Test
    @Tag("topo.election-session-death")
    @Clause(value = "topo.election-session-death", text = "when the leader's session dies, another participant takes over")
    public final void electionSessionDeath() {
        handOver("'s session is killed", p -> {
            try {
                killSession(p.store());
            } catch (Exception e) {
                throw new AssertionError("killSession failed: " + e, e);
            }
        }, sessionDeathDeadline());
    }

    private void handOver(String what, java.util.function.Consumer<Participant> end, Duration deadline) {
        List<Participant> ps = startElection(path("election"), 3);
        Participant leader = awaitSingleLeader(ps, eventDeadline(), "among 3 waiting participants");
        LeadershipTerm term = termOf(leader);
        end.accept(leader);
        require(term.awaitLoss(deadline), () -> "the term did not end within " + deadline.toMillis() + " ms after the leader " + what);
        require(!term.isLeader(), () -> "isLeader() is still true after the leader " + what);
        List<Participant> rest = ps.stream().filter(p -> p != leader).toList();
        Participant next = awaitSingleLeader(rest, deadline, "after the leader " + what);
        awaitCurrentLeader(rest, next.id(), eventDeadline());
    }

    /**
     * <b>topo.election-watch-leader</b>: {@code watchLeader} calls its listener first with the
     * current leader (or empty), then with changes in order; after a hand-over it converges to
     * the new leader; after its handle is closed, it is not called again.
     */
    @Test
    @Tag("topo.election-watch-leader")
    @Clause(value = "topo.election-watch-leader", text = "watchLeader streams the current leader, then changes, and converges")
    public final void electionWatchLeader() throws Exception {
        String election = path("election");
        LeaderParticipation observer = newStore().newLeaderParticipation(election, "observer");
        List<Optional<String>> seen = new CopyOnWriteArrayList<>();
        AutoCloseable handle = observer.watchLeader(seen::add);
        require(handle != null, () -> "watchLeader returned null");
        await(eventDeadline(), () -> "watchLeader called its listener with the current leader (empty)", () -> !seen.isEmpty());
        require(seen.get(0).isEmpty(), () -> "watchLeader first reported " + seen.get(0) + " although nobody leads");
        List<Participant> ps = startElection(election, 2);
        Participant leader = awaitSingleLeader(ps, eventDeadline(), "among 2 waiting participants");
        await(eventDeadline(), () -> "watchLeader reported " + leader.id() + "; it reported " + seen,
                () -> seen.get(seen.size() - 1).equals(Optional.of(leader.id())));
        termOf(leader).resign();
        Participant other = ps.stream().filter(p -> p != leader).findFirst().orElseThrow();
        await(eventDeadline(), () -> "watchLeader converged to the new leader " + other.id() + "; it reported " + seen,
                () -> seen.get(seen.size() - 1).equals(Optional.of(other.id())));
        int firstNew = seen.indexOf(Optional.of(other.id()));
        require(!seen.subList(firstNew, seen.size()).contains(Optional.of(leader.id())),
                () -> "watchLeader reported the old leader after the new one: " + seen);
        handle.close();
        int n = seen.size();
        termOf(other).resign();
        pause(quietPeriod());
        require(seen.size() == n, () -> "watchLeader kept calling its listener after its handle was closed: " + seen);
    }
}
