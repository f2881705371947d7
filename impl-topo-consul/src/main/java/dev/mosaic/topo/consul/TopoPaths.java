package dev.mosaic.topo.consul;

/** Checks of topology paths: relative, '/'-separated, no empty, '.' or '..' segments. */
final class TopoPaths {
    private TopoPaths() {
    }

    /** A file path: non-empty. */
    static String file(String path) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("topology path must not be empty");
        }
        return dir(path);
    }

    /** A directory path: like {@link #file} but {@code ""} (the root) is allowed. */
    static String dir(String path) {
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

    /** A prefix for listByPrefix: any non-null string. */
    static String prefix(String prefix) {
        if (prefix == null) {
            throw new IllegalArgumentException("topology prefix must not be null");
        }
        return prefix;
    }
}
