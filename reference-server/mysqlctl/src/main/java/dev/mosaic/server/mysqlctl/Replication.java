package dev.mosaic.server.mysqlctl;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.mysqlctl.flavor.Flavor;
import dev.mosaic.server.mysqlctl.replication.GtidSet;
import dev.mosaic.server.mysqlctl.replication.Position;
import dev.mosaic.server.mysqlctl.replication.ReplicationSource;
import dev.mosaic.server.mysqlctl.replication.ReplicationStatus;
import dev.mosaic.server.mysqlctl.replication.ReplicationStatus.ThreadState;
import dev.mosaic.server.mysqlctl.replication.SemiSyncStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Replication control of one mysqld, on top of its {@link Flavor}: what a tablet manager needs to
 * make its server a primary or a replica, report positions and lag, wait for a position, and
 * switch semi-sync and read-only. Stateless (every call reads the server), so safe from any thread;
 * concurrent reconfiguration of the same server is the caller's to serialize.
 */
public final class Replication {
    private static final Duration WAIT_QUERY_GRACE = Duration.ofSeconds(5);

    private final Mysqld mysqld;

    Replication(Mysqld mysqld) {
        this.mysqld = mysqld;
    }

    private Flavor flavor() {
        return mysqld.flavor();
    }

    /** Every transaction this server has executed and logged (its position as a primary). */
    public Position primaryPosition() {
        return new Position(flavor().parseGtidSet(mysqld.fetchValue(flavor().primaryPositionQuery()).orElse("")));
    }

    /** The server id. */
    public long serverId() {
        return Long.parseLong(mysqld.fetchValue("SELECT @@GLOBAL.server_id").orElseThrow());
    }

    /**
     * Makes the server a standalone, writable primary: stops replication and forgets its source,
     * turns read-only off, and returns the position it starts from. Semi-sync is left as is (the
     * durability policy sets it with {@link #setSemiSync}).
     */
    public Position makePrimary() {
        mysqld.executeAll(flavor().resetReplicationCommands());
        setReadOnly(false);
        return primaryPosition();
    }

    /**
     * Makes the server a read-only replica of {@code host:port}, replicating with GTID
     * auto-positioning from what it has executed, acking as a semi-sync replica when
     * {@code semiSync}, and starts replication. Uses Vitess's default reconnect interval (10 s).
     */
    public void setReplicationSource(String host, int port, String user, String password, boolean semiSync) {
        setReplicationSource(ReplicationSource.of(host, port, user, password), semiSync);
    }

    /** Like {@link #setReplicationSource(String, int, String, String, boolean)} with full connection settings. */
    public void setReplicationSource(ReplicationSource source, boolean semiSync) {
        Flavor f = flavor();
        List<String> sql = new ArrayList<>();
        sql.addAll(f.setReadOnlyCommands(true));
        sql.addAll(f.stopReplicationCommands());
        // A replica never acts as a semi-sync source; whether it acks is the caller's choice.
        sql.addAll(f.setSemiSyncCommands(false, semiSync));
        sql.addAll(f.setReplicationSourceCommands(source));
        sql.addAll(f.startReplicationCommands());
        mysqld.executeAll(sql);
    }

    /** Replication from the default source, or empty if this server is not a replica. */
    public Optional<ReplicationStatus> replicationStatus() {
        return flavor().parseReplicationStatus(mysqld.fetch(flavor().replicationStatusQuery()));
    }

    /** Starts replication from the configured source. */
    public void startReplication() {
        mysqld.executeAll(flavor().startReplicationCommands());
    }

    /** Stops replication, keeping the source configuration. */
    public void stopReplication() {
        mysqld.executeAll(flavor().stopReplicationCommands());
    }

    /** Stops replication and forgets the source. */
    public void resetReplication() {
        mysqld.executeAll(flavor().resetReplicationCommands());
    }

    /**
     * Returns when the server has executed every transaction of {@code position}: at once if it
     * already has, otherwise by waiting on the server for replication to apply it.
     *
     * @throws MosaicException INVALID_ARGUMENT for a position of another flavor; DEADLINE_EXCEEDED
     *     if the position is not reached within {@code timeout}
     */
    public void waitForPosition(Position position, Duration timeout) {
        GtidSet wanted = position.gtidSet();
        Flavor f = flavor();
        if (!wanted.flavorTag().equals(f.parseGtidSet("").flavorTag())) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT,
                    "position " + position + " is not a " + f.name() + " position");
        }
        if (primaryPosition().atLeast(position)) {
            return;
        }
        String result = mysqld.fetch(f.waitForPositionQuery(wanted, timeout), timeout.plus(WAIT_QUERY_GRACE))
                .stream().findFirst().map(r -> r.values().iterator().next()).orElse(null);
        if (!f.waitForPositionReached(result)) {
            throw new MosaicException(ErrorCode.DEADLINE_EXCEEDED, "mysqld at " + mysqld.connectionParams()
                    + " did not reach " + position + " within " + timeout + " (it is at " + primaryPosition() + ")");
        }
    }

    /**
     * Enables or disables the source and replica sides of semi-sync replication. A running
     * replica's receiver is reconnected when the replica side changes, since the server only
     * applies that setting on connect.
     */
    public void setSemiSync(boolean source, boolean replica) {
        Flavor f = flavor();
        boolean replicaWas = semiSyncStatus().replicaEnabled();
        mysqld.executeAll(f.setSemiSyncCommands(source, replica));
        if (replicaWas != replica) {
            Optional<ReplicationStatus> status = replicationStatus();
            if (status.isPresent() && status.get().ioThread() != ThreadState.STOPPED) {
                mysqld.executeAll(f.restartReplicationIoCommands());
            }
        }
    }

    /** How long a semi-sync source waits for an ack before falling back to asynchronous replication. */
    public void setSemiSyncTimeout(Duration timeout) {
        mysqld.executeAll(flavor().setSemiSyncTimeoutCommands(timeout));
    }

    /**
     * Makes this server, as a semi-sync source, wait for {@code acks} acks per commit.
     *
     * @throws dev.mosaic.api.error.MosaicException UNIMPLEMENTED if the flavor cannot (MariaDB: more than one)
     */
    public void setSemiSyncAckCount(int acks) {
        mysqld.executeAll(flavor().setSemiSyncAckCountCommands(acks));
    }

    /** Semi-sync settings and live state. */
    public SemiSyncStatus semiSyncStatus() {
        Map<String, String> values = new HashMap<>();
        for (String q : flavor().semiSyncStatusQueries()) {
            for (Map<String, String> row : mysqld.fetch(q)) {
                var it = row.values().iterator();
                values.put(it.next(), it.next());
            }
        }
        return flavor().parseSemiSyncStatus(values);
    }

    /** Makes the server refuse (or accept) writes from ordinary users. */
    public void setReadOnly(boolean readOnly) {
        mysqld.executeAll(flavor().setReadOnlyCommands(readOnly));
    }

    /** True if the server refuses writes from ordinary users. */
    public boolean isReadOnly() {
        return "1".equals(mysqld.fetchValue(flavor().readOnlyQuery()).orElse("0").strip());
    }
}
