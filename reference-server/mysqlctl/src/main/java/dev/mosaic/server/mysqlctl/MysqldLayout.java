package dev.mosaic.server.mysqlctl;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a managed mysqld keeps its files, as Vitess lays them out: one directory per tablet uid,
 * {@code <root>/vt_<uid, 10 digits>/}, holding {@code data/} (the datadir, binary and relay logs),
 * {@code tmp/} (its own tmpdir), {@code mysql.sock}, {@code mysql.pid}, {@code error.log} and
 * {@code my.cnf}.
 *
 * @param root the directory that holds every tablet's directory
 * @param uid the tablet uid (also the server id)
 */
public record MysqldLayout(Path root, long uid) {
    /** Unix domain socket paths are limited to 108 bytes including the terminating NUL. */
    static final int MAX_SOCKET_PATH_BYTES = 107;

    public MysqldLayout {
        Objects.requireNonNull(root, "root");
        root = root.toAbsolutePath().normalize();
        if (uid < 0 || uid > 9_999_999_999L) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "tablet uid out of range (0..9999999999): " + uid);
        }
        int socketBytes = root.resolve(dirName(uid)).resolve("mysql.sock").toString().getBytes(StandardCharsets.UTF_8).length;
        if (socketBytes > MAX_SOCKET_PATH_BYTES) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "socket path under " + root + " would be "
                    + socketBytes + " bytes, longer than the " + MAX_SOCKET_PATH_BYTES
                    + " a Unix socket allows; choose a shorter root directory");
        }
    }

    private static String dirName(long uid) {
        return String.format("vt_%010d", uid);
    }

    /** {@code <root>/vt_<uid>}. */
    public Path dir() {
        return root.resolve(dirName(uid));
    }

    /** The datadir. */
    public Path dataDir() {
        return dir().resolve("data");
    }

    /** Where {@code init} builds a datadir before moving it into place, so a half-built one is never taken for real. */
    public Path stagingDataDir() {
        return dir().resolve("data.init");
    }

    /** mysqld's own tmpdir (parallel installs on a shared /tmp fail). */
    public Path tmpDir() {
        return dir().resolve("tmp");
    }

    /** The Unix socket. */
    public Path socket() {
        return dir().resolve("mysql.sock");
    }

    /** The pid file. */
    public Path pidFile() {
        return dir().resolve("mysql.pid");
    }

    /** The error log (mysqld's stdout and stderr are appended to it too). */
    public Path errorLog() {
        return dir().resolve("error.log");
    }

    /** The option file mysqld is started with. */
    public Path myCnf() {
        return dir().resolve("my.cnf");
    }

    /** The base name of binary logs. */
    public Path binlogBase() {
        return dataDir().resolve("mysql-bin");
    }

    /** The base name of relay logs. */
    public Path relayLogBase() {
        return dataDir().resolve("relay-bin");
    }
}
