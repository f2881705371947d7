package dev.mosaic.server.tablet.manager;

import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.mysqlctl.Replication;
import dev.mosaic.server.tablet.health.TabletHealth;
import dev.mosaic.server.tablet.health.TabletRegistration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The tablet's type, kept in step in the three places that hold it: mysqld's {@code read_only},
 * the tablet record in the topology, and the health checker (which decides serving and streams
 * the type to gates). The analogue of Vitess's {@code tmState}: {@link #changeType} for the
 * changes {@code ChangeType} makes, {@link #reparented} for the ones the reparent calls make.
 * {@link #addTypeListener Type listeners} hear every change after it is recorded (the process
 * wiring switches the heartbeat between writing and reading there, and ensures the sidecar on a
 * new primary).
 */
public final class TabletState {
    private final Replication replication;
    private final TabletRegistration registration;
    private final TabletHealth health;
    private final List<Consumer<TabletType>> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param replication the tablet's mysqld (read-only and semi-sync switches)
     * @param registration the tablet's published topology record
     * @param health the tablet's health checker
     */
    public TabletState(Replication replication, TabletRegistration registration, TabletHealth health) {
        this.replication = Objects.requireNonNull(replication, "replication");
        this.registration = Objects.requireNonNull(registration, "registration");
        this.health = Objects.requireNonNull(health, "health");
    }

    /** Adds a listener told the new type after each change (on the changing thread; it may throw: the caller hears). */
    public void addTypeListener(Consumer<TabletType> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** The type as last recorded in the topology. */
    public synchronized TabletType type() {
        return registration.record().getType();
    }

    /**
     * Changes the type as {@link TypeChange} allows: makes mysqld read-only (no non-primary type
     * takes writes), sets whether it acks as a semi-sync replica when it replicates, writes the
     * topology record (compare-and-set), then tells the health checker, which streams the new
     * type and serving state at once. Changing to the current type re-applies each step, so a
     * retry after a partial failure completes the change.
     *
     * @throws dev.mosaic.api.error.MosaicException from {@link TypeChange#check}; the MySQL or
     *     topology error of a step that failed (the steps before it stay done)
     */
    public synchronized void changeType(TabletType to, boolean semiSync) {
        TabletType from = type();
        TypeChange.check(registration.alias(), from, to);
        if (to != TabletType.PRIMARY) {
            replication.setReadOnly(true);
            if (replication.replicationStatus().isPresent()
                    && replication.semiSyncStatus().replicaEnabled() != semiSync) {
                replication.setSemiSync(false, semiSync);
            }
        }
        record(to);
    }

    /**
     * Records a type a reparent call has already made true in mysqld (PRIMARY after InitPrimary or
     * PromoteReplica; REPLICA for a primary pointed at a new one by SetReplicationSource): the
     * topology record (with a new primary term), health and listeners. No transition check and no
     * read-only change: the reparent call did what mysqld needs.
     */
    public synchronized void reparented(TabletType to) {
        Objects.requireNonNull(to, "to");
        record(to);
    }

    /**
     * Records a type the tablet takes for an action of its own: BACKUP while a draining backup
     * runs, RESTORE while a restore runs, and back afterwards (what vttablet's tablet manager does
     * to itself, outside ChangeType's transition rules). mysqld stays read-only throughout: these
     * actions never run on a PRIMARY.
     *
     * @throws dev.mosaic.api.error.MosaicException FAILED_PRECONDITION if the tablet is or would
     *     become PRIMARY
     */
    public synchronized void actionType(TabletType to) {
        Objects.requireNonNull(to, "to");
        if (to == TabletType.PRIMARY || type() == TabletType.PRIMARY) {
            throw new dev.mosaic.api.error.MosaicException(dev.mosaic.api.error.ErrorCode.FAILED_PRECONDITION,
                    "tablet " + registration.alias() + " type change " + type() + " -> " + to
                            + ": backups and restores do not change a primary's type");
        }
        record(to);
    }

    private void record(TabletType to) {
        registration.updateType(to);
        health.setType(to);
        for (Consumer<TabletType> l : listeners) {
            l.accept(to);
        }
    }
}
