package dev.mosaic.topo.etcd;

import io.etcd.jetcd.ByteSequence;
import java.nio.charset.StandardCharsets;

/**
 * Maps topology paths to etcd keys: file {@code a/b} is key {@code <root>/a/b}; a directory is
 * every key below {@code <root>/<dir>/}. Also checks paths as the SPI defines them.
 */
final class Keys {
    /** Directory (below a locked directory) holding its lock queue, as Vitess's etcd2topo. */
    static final String LOCKS_DIR = "locks";
    /** Directory holding named locks ({@link dev.mosaic.spi.topo.TopoStore#lockName}). */
    static final String NAMED_LOCKS_DIR = "internal/named_locks";
    /** Directory holding elections. */
    static final String ELECTIONS_DIR = "elections";

    private final String root;

    Keys(String root) {
        this.root = root;
    }

    String root() {
        return root;
    }

    /** The key of a file. */
    String file(String path) {
        return root + "/" + path;
    }

    /** The key prefix of everything below a directory ({@code ""} is the root). */
    String dirPrefix(String dir) {
        return dir.isEmpty() ? root + "/" : root + "/" + dir + "/";
    }

    /** The topology path of a key below the root. */
    String path(String key) {
        return key.substring(root.length() + 1);
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    static String string(ByteSequence b) {
        return b.toString(StandardCharsets.UTF_8);
    }

    /** Checks a file path: not empty, no leading/trailing '/', no empty, '.' or '..' segments. */
    static String checkFile(String path) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("topology path must not be empty");
        }
        return checkDir(path);
    }

    /** Like {@link #checkFile} but {@code ""} (the root) is allowed. */
    static String checkDir(String path) {
        if (path == null) {
            throw new IllegalArgumentException("topology path must not be null");
        }
        if (path.isEmpty()) {
            return path;
        }
        if (path.startsWith("/") || path.endsWith("/")) {
            throw new IllegalArgumentException("topology path '" + path + "' must not start or end with '/'");
        }
        for (String seg : path.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
                throw new IllegalArgumentException("topology path '" + path + "' has an empty, '.' or '..' segment");
            }
        }
        return path;
    }

    /** Checks a prefix for {@code listByPrefix}: any non-null string. */
    static String checkPrefix(String prefix) {
        if (prefix == null) {
            throw new IllegalArgumentException("topology path prefix must not be null");
        }
        return prefix;
    }
}
