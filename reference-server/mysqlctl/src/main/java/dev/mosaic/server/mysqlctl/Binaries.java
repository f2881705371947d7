package dev.mosaic.server.mysqlctl;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Finds server binaries: configured directories first, then {@code PATH}, then the usual sbin directories. */
public final class Binaries {
    private static final List<Path> SYSTEM_DIRS = List.of(
            Path.of("/usr/sbin"), Path.of("/usr/local/sbin"), Path.of("/usr/bin"),
            Path.of("/usr/local/mysql/bin"), Path.of("/usr/local/mariadb/bin"));

    private Binaries() {
    }

    static List<Path> searchPath(List<Path> configured) {
        Set<Path> dirs = new LinkedHashSet<>(configured);
        String path = System.getenv("PATH");
        if (path != null) {
            for (String p : path.split(File.pathSeparator)) {
                if (!p.isEmpty()) {
                    dirs.add(Path.of(p));
                }
            }
        }
        dirs.addAll(SYSTEM_DIRS);
        return new ArrayList<>(dirs);
    }

    /**
     * The first of {@code names} that exists: an absolute path as it is, a bare name as an
     * executable on {@code PATH} or in the usual sbin directories.
     */
    public static Optional<Path> find(List<String> names) {
        List<Path> dirs = searchPath(List.of());
        for (String name : names) {
            if (name.startsWith("/")) {
                Path p = Path.of(name);
                if (Files.isRegularFile(p)) {
                    return Optional.of(p);
                }
            } else {
                Optional<Path> found = find(List.of(name), dirs);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    /** The directories {@link #find(List)} searches, in order. */
    public static List<Path> searchPath() {
        return searchPath(List.of());
    }

    static Optional<Path> find(List<String> names, List<Path> dirs) {
        for (String name : names) {
            for (Path dir : dirs) {
                Path candidate = dir.resolve(name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    static Path require(List<String> names, List<Path> dirs, String packagesHint) {
        return find(names, dirs).orElseThrow(() -> new MosaicException(ErrorCode.FAILED_PRECONDITION,
                "none of " + names + " found in " + dirs + "; " + packagesHint));
    }
}
