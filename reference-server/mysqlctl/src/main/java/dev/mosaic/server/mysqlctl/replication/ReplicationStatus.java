package dev.mosaic.server.mysqlctl.replication;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a replica reports about its replication from a source ({@code SHOW ALL SLAVES STATUS} on
 * MariaDB, {@code SHOW REPLICA STATUS} on MySQL), in flavor-neutral terms.
 *
 * @param ioThread the receiver (IO) thread
 * @param sqlThread the applier (SQL) thread
 * @param lagSeconds seconds behind the source as the server estimates it; empty when the server
 *     cannot tell (applier stopped, or receiver not connected)
 * @param position transactions applied (MariaDB {@code Gtid_Slave_Pos}, MySQL {@code Executed_Gtid_Set})
 * @param relayLogPosition transactions received (MariaDB {@code Gtid_IO_Pos}, MySQL {@code Retrieved_Gtid_Set})
 * @param sourceHost the configured source host
 * @param sourcePort the configured source port
 * @param lastIoErrno the receiver's last error number, 0 if none
 * @param lastIoError the receiver's last error message, empty if none
 * @param lastSqlErrno the applier's last error number, 0 if none
 * @param lastSqlError the applier's last error message, empty if none
 */
public record ReplicationStatus(
        ThreadState ioThread,
        ThreadState sqlThread,
        OptionalLong lagSeconds,
        GtidSet position,
        GtidSet relayLogPosition,
        String sourceHost,
        int sourcePort,
        int lastIoErrno,
        String lastIoError,
        int lastSqlErrno,
        String lastSqlError) {

    /** State of one replication thread. */
    public enum ThreadState {
        /** Not running. */
        STOPPED,
        /** Started but not (yet, or no longer) connected to the source: IO thread only. */
        CONNECTING,
        /** Running. */
        RUNNING;

        /** Parses the server's {@code Yes} / {@code No} / {@code Connecting} / {@code Preparing}. */
        public static ThreadState parse(String value) {
            if (value == null) {
                return STOPPED;
            }
            return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "yes" -> RUNNING;
                case "connecting", "preparing" -> CONNECTING;
                default -> STOPPED;
            };
        }
    }

    public ReplicationStatus {
        Objects.requireNonNull(ioThread, "ioThread");
        Objects.requireNonNull(sqlThread, "sqlThread");
        Objects.requireNonNull(lagSeconds, "lagSeconds");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(relayLogPosition, "relayLogPosition");
        sourceHost = sourceHost == null ? "" : sourceHost;
        lastIoError = lastIoError == null ? "" : lastIoError;
        lastSqlError = lastSqlError == null ? "" : lastSqlError;
    }

    /** True if both threads are running. */
    public boolean isRunning() {
        return ioThread == ThreadState.RUNNING && sqlThread == ThreadState.RUNNING;
    }

    /** The applier's error if any, else the receiver's, as {@code errno: message}. */
    public Optional<String> lastError() {
        if (lastSqlErrno != 0 || !lastSqlError.isEmpty()) {
            return Optional.of(lastSqlErrno + ": " + lastSqlError);
        }
        if (lastIoErrno != 0 || !lastIoError.isEmpty()) {
            return Optional.of(lastIoErrno + ": " + lastIoError);
        }
        return Optional.empty();
    }
}
