package dev.mosaic.topo.etcd;

import dev.mosaic.spi.topo.TopoPaths;
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

    static String checkFile(String path) {
        return TopoPaths.checkFile(path);
    }

    static String checkDir(String path) {
        return TopoPaths.checkDir(path);
    }

    static String checkPrefix(String prefix) {
        return TopoPaths.checkPrefix(prefix);
    }
}
