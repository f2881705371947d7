package dev.mosaic.server.mysqlctl;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration of a managed mysqld, validated when built.
 *
 * @param layout where its files live (root directory and tablet uid; the uid is the server id)
 * @param port the TCP port; Vitess's local example uses {@code 17000 + uid}
 * @param bindAddress the address to listen on
 * @param flavor which server to run
 * @param binDirs directories searched for the server binaries before {@code PATH} and the usual
 *     system directories
 * @param options {@code [mysqld]} options that override or extend the generated my.cnf (an empty
 *     value writes a bare flag)
 * @param initTimeout how long creating the data directory may take
 */
public record MysqldConfig(MysqldLayout layout, int port, String bindAddress, FlavorChoice flavor,
                           List<Path> binDirs, Map<String, String> options, Duration initTimeout) {

    /** Which server a managed mysqld runs. */
    public enum FlavorChoice {
        /** MariaDB binaries if present, else MySQL's {@code mysqld} (its {@code --version} decides). */
        AUTO,
        /** MariaDB. */
        MARIADB,
        /** MySQL 8.0.26+. */
        MYSQL8
    }

    /** Vitess's local example puts tablet {@code uid}'s mysqld on this port base plus the uid. */
    public static final int DEFAULT_PORT_BASE = 17000;

    public MysqldConfig {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(flavor, "flavor");
        Objects.requireNonNull(initTimeout, "initTimeout");
        binDirs = List.copyOf(binDirs);
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
        if (layout.uid() < 1 || layout.uid() > 0xFFFF_FFFFL) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT,
                    "a managed mysqld needs a tablet uid in 1..4294967295 (it is the server id): " + layout.uid());
        }
        if (port < 1 || port > 65535) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "mysqld port out of range: " + port
                    + (port > 65535 ? " (17000 + uid overflows for large uids; set the port explicitly)" : ""));
        }
    }

    /** Defaults for tablet {@code uid} under {@code root}: port 17000+uid, 127.0.0.1, auto-detected flavor. */
    public static MysqldConfig of(Path root, long uid) {
        long port = DEFAULT_PORT_BASE + uid;
        return new MysqldConfig(new MysqldLayout(root, uid), (int) Math.min(port, Integer.MAX_VALUE), "127.0.0.1",
                FlavorChoice.AUTO, List.of(), Map.of(), Duration.ofMinutes(2));
    }

    /** This config with another port. */
    public MysqldConfig withPort(int newPort) {
        return new MysqldConfig(layout, newPort, bindAddress, flavor, binDirs, options, initTimeout);
    }

    /** This config with another flavor choice. */
    public MysqldConfig withFlavor(FlavorChoice newFlavor) {
        return new MysqldConfig(layout, port, bindAddress, newFlavor, binDirs, options, initTimeout);
    }

    /** This config searching {@code dirs} first for binaries. */
    public MysqldConfig withBinDirs(List<Path> dirs) {
        return new MysqldConfig(layout, port, bindAddress, flavor, dirs, options, initTimeout);
    }

    /** This config with one more (or a replaced) my.cnf option. */
    public MysqldConfig withOption(String name, String value) {
        Map<String, String> m = new LinkedHashMap<>(options);
        m.put(name, value);
        return new MysqldConfig(layout, port, bindAddress, flavor, binDirs, m, initTimeout);
    }

    /** The server id: the tablet uid. */
    public long serverId() {
        return layout.uid();
    }
}
