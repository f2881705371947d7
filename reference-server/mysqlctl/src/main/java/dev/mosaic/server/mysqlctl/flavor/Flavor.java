package dev.mosaic.server.mysqlctl.flavor;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.mysqlctl.replication.GtidSet;
import dev.mosaic.server.mysqlctl.replication.ReplicationSource;
import dev.mosaic.server.mysqlctl.replication.ReplicationStatus;
import dev.mosaic.server.mysqlctl.replication.SemiSyncStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What differs between MySQL-compatible servers, in the spirit of Vitess's {@code flavor}: GTID
 * syntax, the statements that control replication, semi-sync variable names, read-only, and how a
 * data directory is created. A flavor only produces SQL text and parses results; it runs nothing,
 * so every method is a pure function and safe from any thread.
 *
 * <p>Statements are returned as lists, to be run in order on one connection. Rows are given as
 * maps from column name to the server's text value ({@code null} for SQL NULL).
 */
public sealed interface Flavor permits MariaDbFlavor, MySql8Flavor {

    /** A short name for messages and config: {@code mariadb} or {@code mysql8}. */
    String name();

    /** The server version this flavor was chosen for (e.g. {@code 10.11.19-MariaDB}). */
    String serverVersion();

    /** Parses a GTID set in this flavor's syntax. @throws MosaicException INVALID_ARGUMENT if malformed */
    GtidSet parseGtidSet(String text);

    // ---- managed mysqld ----

    /** Names of the server binary, preferred first. */
    List<String> serverBinaryNames();

    /** Names of the binary that creates a data directory, preferred first (may be the server itself). */
    List<String> installBinaryNames();

    /** The OS packages that provide the binaries, for error messages. */
    String packagesHint();

    /**
     * The command that creates an empty data directory with a password-less {@code root} that can
     * log in over TCP from 127.0.0.1. It must not read any option file (a shared {@code /etc/mysql}
     * would leak in) and must use {@code tmpdir}, never a shared {@code /tmp}.
     */
    List<String> initDatadirCommand(Path installBinary, Path datadir, Path tmpdir, boolean runAsRoot);

    /** {@code [mysqld]} options this flavor needs beyond the common ones (GTID mode, replica updates, ...). */
    Map<String, String> myCnfOptions();

    // ---- positions ----

    /** One row, one column: the GTID set of every transaction this server has executed and logged. */
    String primaryPositionQuery();

    /** Waits on the server for {@code position}: one row, one column, read by {@link #waitForPositionReached}. */
    String waitForPositionQuery(GtidSet position, Duration timeout);

    /** Whether the result of {@link #waitForPositionQuery} means the position was reached (vs timed out). */
    boolean waitForPositionReached(String result);

    // ---- replication ----

    /** Rows describing replication from the default (unnamed) source. */
    String replicationStatusQuery();

    /**
     * The status of replication from the default source, from the rows of {@link #replicationStatusQuery()};
     * empty if the server is not configured as a replica.
     */
    Optional<ReplicationStatus> parseReplicationStatus(List<Map<String, String>> rows);

    /** Starts both replication threads. */
    List<String> startReplicationCommands();

    /** Stops both replication threads. */
    List<String> stopReplicationCommands();

    /** Restarts the receiver thread only (semi-sync replica settings take effect on reconnect). */
    List<String> restartReplicationIoCommands();

    /**
     * Points the (stopped) replica at {@code source} with GTID auto-positioning, so it asks the
     * source for everything after what it has executed itself. Does not start replication.
     */
    List<String> setReplicationSourceCommands(ReplicationSource source);

    /** Stops replication and forgets the source configuration (the server becomes standalone). */
    List<String> resetReplicationCommands();

    /** Like {@link #resetReplicationCommands()} and also deletes binary logs and GTID history. */
    List<String> resetReplicationAndGtidCommands();

    // ---- read-only, semi-sync ----

    /** One row, one column: 1 if the server refuses writes from ordinary users. */
    String readOnlyQuery();

    /** Makes the server read-only (as strongly as the flavor allows) or writable. */
    List<String> setReadOnlyCommands(boolean readOnly);

    /** Enables or disables the source and replica sides of semi-sync replication. */
    List<String> setSemiSyncCommands(boolean source, boolean replica);

    /** How long a semi-sync source waits for an ack before falling back to asynchronous. */
    List<String> setSemiSyncTimeoutCommands(Duration timeout);

    /**
     * Makes a semi-sync source wait for {@code acks} replica acks per commit (the durability
     * policy's count; 0 means semi-sync is off and the source side is disabled separately).
     *
     * @throws dev.mosaic.api.error.MosaicException UNIMPLEMENTED when the server cannot wait for
     *         that many (MariaDB waits for exactly one)
     */
    List<String> setSemiSyncAckCountCommands(int acks);

    /** Queries whose rows are (name, value) pairs of semi-sync variables and status counters. */
    List<String> semiSyncStatusQueries();

    /** Reads the name/value pairs (names in any case) of {@link #semiSyncStatusQueries()}. */
    SemiSyncStatus parseSemiSyncStatus(Map<String, String> values);

    /**
     * The flavor for a server reporting {@code version} ({@code SELECT VERSION()} or
     * {@code mysqld --version}): MariaDB when the text says so, MySQL 8.0.26 or later otherwise.
     *
     * @throws MosaicException UNIMPLEMENTED for other servers and older MySQL versions
     */
    static Flavor forVersion(String version) {
        if (version == null || version.isBlank()) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "empty server version");
        }
        if (version.toLowerCase(java.util.Locale.ROOT).contains("mariadb")) {
            return new MariaDbFlavor(version.strip());
        }
        Matcher m = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)").matcher(version);
        if (m.find()) {
            int major = Integer.parseInt(m.group(1));
            int minor = Integer.parseInt(m.group(2));
            int patch = Integer.parseInt(m.group(3));
            if (major > 8 || major == 8 && (minor > 0 || patch >= MySql8Flavor.MIN_PATCH_8_0)) {
                return new MySql8Flavor(version.strip(), major, minor, patch);
            }
        }
        throw new MosaicException(ErrorCode.UNIMPLEMENTED, "unsupported server version '" + version.strip()
                + "': Mosaic supports MariaDB 10.6+ and MySQL 8.0." + MySql8Flavor.MIN_PATCH_8_0 + "+");
    }
}
