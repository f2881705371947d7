package dev.mosaic.server.mysqlctl.flavor;

import static dev.mosaic.server.mysqlctl.flavor.SqlText.lowerKeys;
import static dev.mosaic.server.mysqlctl.flavor.SqlText.number;

import dev.mosaic.server.mysqlctl.replication.GtidSet;
import dev.mosaic.server.mysqlctl.replication.ReplicationStatus;
import dev.mosaic.server.mysqlctl.replication.ReplicationStatus.ThreadState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The column names of a flavor's replica-status result (MariaDB says master/slave, MySQL 8
 * source/replica) and the one parser both flavors share.
 */
record ReplicaStatusColumns(String channel, String sourceHost, String sourcePort, String lag, String ioRunning,
                            String sqlRunning, String executed, String retrieved) {
    static final ReplicaStatusColumns MARIADB = new ReplicaStatusColumns("connection_name", "master_host",
            "master_port", "seconds_behind_master", "slave_io_running", "slave_sql_running", "gtid_slave_pos",
            "gtid_io_pos");
    static final ReplicaStatusColumns MYSQL8 = new ReplicaStatusColumns("channel_name", "source_host",
            "source_port", "seconds_behind_source", "replica_io_running", "replica_sql_running", "executed_gtid_set",
            "retrieved_gtid_set");

    /**
     * The status of the default (unnamed) replication channel, or empty when it has no source.
     * Column names are matched case-insensitively.
     */
    Optional<ReplicationStatus> parse(List<Map<String, String>> rows, Function<String, GtidSet> gtids) {
        for (Map<String, String> raw : rows) {
            Map<String, String> row = lowerKeys(raw);
            if (!row.getOrDefault(channel, "").isEmpty()) {
                continue;
            }
            if (row.getOrDefault(sourceHost, "").isEmpty()) {
                return Optional.empty();
            }
            String seconds = row.get(lag);
            return Optional.of(new ReplicationStatus(
                    ThreadState.parse(row.get(ioRunning)),
                    ThreadState.parse(row.get(sqlRunning)),
                    seconds == null || seconds.isBlank() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(seconds.strip())),
                    gtids.apply(row.getOrDefault(executed, "")),
                    gtids.apply(row.getOrDefault(retrieved, "")),
                    row.get(sourceHost),
                    (int) number(row.get(sourcePort)),
                    (int) number(row.get("last_io_errno")),
                    row.get("last_io_error"),
                    (int) number(row.get("last_sql_errno")),
                    row.get("last_sql_error")));
        }
        return Optional.empty();
    }
}
