package dev.mosaic.spi.topo;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A connection to a hierarchical, versioned key/value store holding Mosaic's cluster state,
 * modeled on Vitess's topo {@code Conn}.
 *
 * <p><b>Paths</b> are relative to the store's configured root, use {@code /} as separator, have
 * no leading or trailing slash and no empty or {@code .}/{@code ..} segments
 * ({@code keyspaces/commerce/Keyspace}). A <i>file</i> holds bytes; a <i>directory</i> exists
 * while it has at least one file below it, and disappears with its last file. A malformed path
 * (null, empty where a file is meant, a leading or trailing slash, an empty, {@code .} or
 * {@code ..} segment) is a programming error: every method throws
 * {@link IllegalArgumentException} for it, without contacting the backend. Only
 * {@link #listDir} accepts {@code ""} (the root); {@link #listByPrefix} takes any string.
 *
 * <p><b>Versions</b> are opaque: each successful write produces a version different from every
 * earlier version of that path; callers only compare them for equality.
 *
 * <p><b>Errors</b>: every method throws {@link TopoException} with a {@link TopoError} kind;
 * method documentation lists the kinds a caller must handle. Any method may throw
 * {@link TopoError#UNAVAILABLE}, {@link TopoError#TIMEOUT} or {@link TopoError#INTERRUPTED}.
 *
 * <p><b>Sessions</b>: each instance is one session with the backend (two instances created from
 * the same configuration are two independent sessions, as two processes would be).
 * Implementations are thread-safe. {@link #close()} ends the session: locks it holds are
 * released (for other sessions to take), ephemeral nodes disappear, elections it takes part in
 * lose this participant, and its watches end with {@link WatchEvent.Cancelled}. After
 * {@code close()}, every method except {@code close()} and {@link #capabilities()} throws
 * {@link TopoError#UNAVAILABLE}, and {@link TopoLock#check()}/{@link TopoLock#unlock()} of its
 * locks throw {@link TopoError#NO_NODE}.
 *
 * <p>The TCK's {@code TopoStoreContract} checks every statement of this documentation.
 */
public interface TopoStore extends AutoCloseable {

    /** The optional features this store offers; features not listed throw {@link TopoError#NO_IMPLEMENTATION}. */
    Set<TopoCapability> capabilities();

    /**
     * Creates a file.
     *
     * @return the new version
     * @throws TopoException {@link TopoError#NODE_EXISTS} if a file or directory exists at {@code path}
     */
    Version create(String path, byte[] contents);

    /**
     * Writes a file. With {@code expected} present, writes only if the current version equals it
     * (compare-and-set); with {@code expected} empty, creates or overwrites unconditionally.
     *
     * @return the new version
     * @throws TopoException {@link TopoError#BAD_VERSION} if the version differs;
     *         {@link TopoError#NO_NODE} if {@code expected} is present and the file does not exist
     */
    Version update(String path, byte[] contents, Optional<Version> expected);

    /**
     * Reads a file.
     *
     * @throws TopoException {@link TopoError#NO_NODE} if there is no file at {@code path} (also
     *         when {@code path} is only a directory)
     */
    Versioned get(String path);

    /**
     * Reads a file as it was at {@code version}, a version this path had earlier (capability
     * {@link TopoCapability#HISTORICAL_VERSIONS}; Vitess's {@code GetVersion}).
     *
     * @throws TopoException {@link TopoError#NO_NODE} if the path never had that version or the
     *         backend no longer keeps it; {@link TopoError#NO_IMPLEMENTATION} without the
     *         capability (the default)
     */
    default Versioned getVersion(String path, Version version) {
        throw new TopoException(TopoError.NO_IMPLEMENTATION, path, "this store does not keep historical versions");
    }

    /**
     * Deletes a file; with {@code expected} present, only if its version equals it. Parent
     * directories left empty disappear.
     *
     * @throws TopoException {@link TopoError#NO_NODE}, {@link TopoError#BAD_VERSION},
     *         {@link TopoError#NOT_EMPTY} if {@code path} is a non-empty directory
     */
    void delete(String path, Optional<Version> expected);

    /**
     * Lists a directory's direct children, sorted by name. {@code ""} lists the root.
     *
     * @throws TopoException {@link TopoError#NO_NODE} if the directory does not exist
     */
    List<DirEntry> listDir(String dirPath);

    /**
     * Every file whose path starts with {@code pathPrefix} (a plain string prefix, not only whole
     * segments), with its value and version, sorted by path.
     *
     * @throws TopoException {@link TopoError#NO_NODE} if no file matches
     */
    List<KeyValue> listByPrefix(String pathPrefix);

    /**
     * Watches one file. The current value is returned synchronously in {@link Watch#initial()};
     * afterwards {@code listener} receives changes in order on a store-owned thread, one call at
     * a time. Intermediate versions may be skipped and a value may repeat, but the last event
     * before a quiet period reflects the current value. The watch ends with exactly one final
     * event: {@link WatchEvent.Deleted}, {@link WatchEvent.Cancelled} (after
     * {@link Watch#cancel()} or {@link #close()}), or {@link WatchEvent.Failed}.
     *
     * @throws TopoException {@link TopoError#NO_NODE} if the file does not exist
     */
    Watch watch(String path, WatchListener listener);

    /**
     * Watches every file under a directory (capability {@link TopoCapability#RECURSIVE_WATCH}).
     * The directory need not exist yet. Initial values are returned synchronously; then every
     * create and change below {@code dirPath} is delivered as {@link WatchEvent.Changed} and every
     * delete as a non-final {@link WatchEvent.Deleted}, each with the file's path, in order per
     * file (the same skipping/repeating latitude as {@link #watch}). Ends only with
     * {@code Cancelled} or {@code Failed}.
     *
     * @throws TopoException {@link TopoError#NO_IMPLEMENTATION} without the capability
     */
    RecursiveWatch watchRecursive(String dirPath, WatchListener listener);

    /**
     * Takes the exclusive lock on a directory, waiting up to {@code timeout}. The directory need
     * not contain anything but must be a valid path. The lock is held until
     * {@link TopoLock#unlock()} or until this store's session ends (process death, network
     * partition beyond the session timeout, {@link #close()}); it never expires silently while
     * the holder's session is alive. {@code contents} describes the holder and purpose (shown to
     * operators). Locks are exclusive between sessions; taking a lock the same session already
     * holds waits like any other locker.
     *
     * @throws TopoException {@link TopoError#TIMEOUT} if not acquired in time;
     *         {@link TopoError#INTERRUPTED} if the waiting thread is interrupted (its interrupt
     *         flag is set again)
     */
    TopoLock lock(String dirPath, String contents, Duration timeout);

    /**
     * Takes the lock if it is free right now.
     *
     * @return the lock, or empty if another holder has it
     */
    Optional<TopoLock> tryLock(String dirPath, String contents);

    /**
     * Takes a lock that is also released {@code ttl} after it was taken, even if the holder's
     * session is still alive (capability {@link TopoCapability#LOCK_TTL}). Once it expires, another
     * session may take it, and {@link TopoLock#check()} and {@link TopoLock#unlock()} throw
     * {@link TopoError#NO_NODE} to the holder. A TTL lock excludes plain locks of the same path and
     * vice versa.
     *
     * @throws TopoException {@link TopoError#TIMEOUT}; {@link TopoError#NO_IMPLEMENTATION}
     */
    TopoLock lockWithTtl(String dirPath, String contents, Duration ttl, Duration timeout);

    /**
     * Takes a named lock that does not require a directory, for cross-cutting operations (for
     * example a workflow name). Same semantics as {@link #lock}. Named locks are a namespace of
     * their own: {@code lockName("x", ...)} and {@code lock("x", ...)} do not exclude each other.
     */
    TopoLock lockName(String name, String contents, Duration timeout);

    /**
     * Joins the leader election {@code electionName} as participant {@code id} (e.g. a host:port).
     * Nothing happens until {@link LeaderParticipation#waitForLeadership(Duration)} is called.
     * Participants are usually in different sessions; the election's state is not a file visible
     * to {@link #get} or {@link #listDir} at {@code electionName}.
     */
    LeaderParticipation newLeaderParticipation(String electionName, String id);

    /** Ends the session; see the type's documentation. Idempotent. */
    @Override
    void close();
}
