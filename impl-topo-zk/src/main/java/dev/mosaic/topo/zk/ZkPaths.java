package dev.mosaic.topo.zk;

import dev.mosaic.spi.topo.TopoPaths;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps topology paths (relative, {@code /}-separated) to znode paths under the store's root, and
 * checks them. A path that breaks the SPI's rules is a caller bug: {@link IllegalArgumentException}.
 */
final class ZkPaths {
    private final String root;

    ZkPaths(String root) {
        this.root = root;
    }

    /** The root znode ({@code /mosaic/global}). */
    String root() {
        return root;
    }

    /** The znode of a file or lock path: must not be empty. */
    String file(String path) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("topology path must not be empty");
        }
        return dir(path);
    }

    /** The znode of a directory path; {@code ""} is the root. */
    String dir(String path) {
        check(path);
        return path.isEmpty() ? root : root + "/" + path;
    }

    /** The topology path of a znode below the root ({@code ""} for the root itself). */
    String relative(String znode) {
        if (znode.equals(root)) {
            return "";
        }
        if (!znode.startsWith(root + "/")) {
            throw new IllegalArgumentException("znode '" + znode + "' is outside the root '" + root + "'");
        }
        return znode.substring(root.length() + 1);
    }

    static void check(String path) {
        TopoPaths.checkDir(path);
    }

    /** Validates a configured root: absolute, below {@code /}, no trailing slash or empty segment. */
    static String checkRoot(String root) {
        if (!root.startsWith("/") || root.length() < 2 || root.endsWith("/")) {
            return "must be an absolute znode path below '/' without a trailing '/', e.g. /mosaic/global";
        }
        for (String seg : root.substring(1).split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..") || seg.equals("zookeeper")) {
                return "has an empty, '.', '..' or reserved 'zookeeper' segment";
            }
        }
        return null;
    }

    /** The parent znode of {@code znode} (which must have one). */
    static String parent(String znode) {
        int slash = znode.lastIndexOf('/');
        return slash <= 0 ? "/" : znode.substring(0, slash);
    }

    /** The last segment of {@code znode}. */
    static String name(String znode) {
        return znode.substring(znode.lastIndexOf('/') + 1);
    }

    /** {@code znode}'s ancestors strictly below {@code top}, nearest first. */
    static List<String> ancestorsBelow(String znode, String top) {
        List<String> out = new ArrayList<>();
        for (String p = parent(znode); p.length() > top.length() && p.startsWith(top + "/"); p = parent(p)) {
            out.add(p);
        }
        return out;
    }
}
