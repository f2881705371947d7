package dev.mosaic.spi.topo;

/**
 * The path rules of {@link TopoStore}, in one place for every plugin: paths are relative,
 * {@code /}-separated, with no leading or trailing {@code /} and no empty, {@code .} or
 * {@code ..} segment. Each check returns its argument or throws {@link IllegalArgumentException}
 * naming the path, before any backend call.
 */
public final class TopoPaths {
    private TopoPaths() {
    }

    /**
     * A file path: non-empty and well-formed.
     *
     * @return {@code path}
     * @throws IllegalArgumentException if null, empty or malformed
     */
    public static String checkFile(String path) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("topology path must not be empty");
        }
        return checkDir(path);
    }

    /**
     * A directory path: like {@link #checkFile}, but {@code ""} (the root) is allowed.
     *
     * @return {@code path}
     * @throws IllegalArgumentException if null or malformed
     */
    public static String checkDir(String path) {
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

    /**
     * A prefix for {@link TopoStore#listByPrefix}: any non-null string.
     *
     * @return {@code prefix}
     * @throws IllegalArgumentException if null
     */
    public static String checkPrefix(String prefix) {
        if (prefix == null) {
            throw new IllegalArgumentException("topology path prefix must not be null");
        }
        return prefix;
    }

    /** The prefix of a directory's children: {@code dir + "/"}, or {@code ""} for the root. */
    public static String childPrefix(String dir) {
        return dir.isEmpty() ? "" : dir + "/";
    }
}
