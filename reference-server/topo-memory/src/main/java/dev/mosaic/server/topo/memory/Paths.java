package dev.mosaic.server.topo.memory;

/** Checks of topology paths: relative, '/'-separated, no empty, '.' or '..' segments. */
final class Paths {
    private Paths() {
    }

    static String file(String path) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("topology path must not be empty");
        }
        return dir(path);
    }

    /** Like {@link #file} but "" (the root) is allowed. */
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

    static String childPrefix(String dir) {
        return dir.isEmpty() ? "" : dir + "/";
    }
}
