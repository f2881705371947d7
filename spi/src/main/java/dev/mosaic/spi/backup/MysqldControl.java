package dev.mosaic.spi.backup;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Optional;

/**
 * What a backup engine may do to the tablet's mysqld, provided by the tablet. Engines never start
 * processes of their own against a mysqld except the tools this gives them.
 */
public interface MysqldControl {
    /** The flavor: {@code mariadb} or {@code mysql}. */
    String flavor();

    /** The data directory. */
    Path dataDirectory();

    /** A new administrative JDBC connection; the caller closes it. */
    Connection connect() throws java.sql.SQLException;

    /** The host, port and socket a command-line tool connects with ({@code --host/--port/--socket}). */
    ConnectionParams connectionParams();

    /** The path of a server tool such as {@code mariabackup} or {@code mariadb-dump}, if installed. */
    Optional<Path> tool(String name);

    /** Stops mysqld cleanly within {@code timeout}. */
    void shutdown(Duration timeout);

    /** Starts mysqld and waits until it answers, within {@code timeout}. */
    void start(Duration timeout);

    /** The GTID position of everything applied so far, in the flavor's notation. */
    String currentPosition();

    /** Stops replication (no-op on a primary). */
    void stopReplication();

    /** Starts replication (no-op on a primary). */
    void startReplication();

    /**
     * Where a command-line tool connects.
     *
     * @param host   the host
     * @param port   the TCP port
     * @param socket the Unix socket path, empty if none
     * @param user   the administrative user
     */
    record ConnectionParams(String host, int port, String socket, String user) {
    }
}
