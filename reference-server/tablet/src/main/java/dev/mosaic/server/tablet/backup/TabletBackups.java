package dev.mosaic.server.tablet.backup;

import com.google.protobuf.Timestamp;
import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.proto.tabletmanager.BackupEvent;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.backup.BackupInfo;
import dev.mosaic.server.backup.BackupNames;
import dev.mosaic.server.backup.Backups;
import dev.mosaic.server.backup.ProgressListener;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.mysqlctl.flavor.MariaDbFlavor;
import dev.mosaic.server.mysqlctl.replication.Position;
import dev.mosaic.server.mysqlctl.replication.ReplicationSource;
import dev.mosaic.server.tablet.manager.TabletState;
import dev.mosaic.spi.backup.BackupEngine;
import dev.mosaic.spi.backup.MysqldControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One tablet's backups: what the tablet manager's {@code Backup} and {@code RestoreFromBackup}
 * do, and the restore a brand-new tablet makes at startup ({@code restore-from-backup}).
 *
 * <p>As vttablet: one backup or restore at a time per tablet (a second is refused with
 * FAILED_PRECONDITION); a PRIMARY is backed up only with {@code allowPrimary} and never
 * restored. While an engine that {@link BackupEngine#shouldDrainForBackup() drains} backs the
 * tablet up, the tablet's type is BACKUP (it stops serving) and goes back to what it was
 * afterwards, whether the backup worked or not; an online engine leaves the type alone. A PRIMARY
 * backed up with {@code allowPrimary} keeps its type in any case (taking the shard's primary out
 * of service is never what a backup means). A restore makes the tablet RESTORE (not serving),
 * restores, points replication at the shard's primary from the backup's position and returns
 * the tablet to its type; a restore that fails leaves it RESTORE, since its data is then neither
 * the old nor the backup's.
 *
 * <p>Events go to the caller's consumer on the calling thread or the engine's threads, one at a
 * time (calls to the consumer are serialized here); progress events are sent at most once per
 * {@link #PROGRESS_INTERVAL}, plus the last one.
 */
public final class TabletBackups {
    /** How often a progress event is sent while bytes are being copied. */
    public static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);

    /**
     * Where the shard's primary's mysqld is, for the restored tablet to replicate from.
     */
    @FunctionalInterface
    public interface PrimarySource {
        /** The primary's mysqld, or empty if the shard has no primary. */
        Optional<ReplicationSource> find();

        /**
         * Whether this tablet, replicating from the shard's primary, acknowledges semi-sync (what
         * the keyspace's durability policy says of the pair); false when no policy asks for it.
         */
        default boolean replicaSemiSync() {
            return false;
        }
    }

    /**
     * What the tablet is.
     *
     * @param alias the tablet's alias (it names the backups it takes)
     * @param keyspace its keyspace
     * @param shard its shard
     */
    public record Target(TabletAlias alias, String keyspace, String shard) {
        public Target {
            Objects.requireNonNull(alias, "alias");
            Objects.requireNonNull(keyspace, "keyspace");
            Objects.requireNonNull(shard, "shard");
        }
    }

    private final Backups backups;
    private final Function<String, BackupEngine> engines;
    private final String engineName;
    private final int defaultConcurrency;
    private final Mysqld mysqld;
    private final MysqldControl control;
    private final Target target;
    private final PrimarySource primary;
    private final Supplier<TabletState> state;
    private final Clock clock;
    private final AtomicReference<String> running = new AtomicReference<>();

    /**
     * @param backups the framework over the tablet's backup storage
     * @param engines the engines by name (the same function {@code backups} was built with)
     * @param engineName the engine new backups are taken with ({@code backup.engine})
     * @param defaultConcurrency files copied at once when a request says 0 ({@code backup.concurrency})
     * @param mysqld the tablet's mysqld (replication after a restore)
     * @param control the same mysqld as the engines see it
     * @param target the tablet's alias, keyspace and shard
     * @param primary where the shard's primary is
     * @param state the tablet's type holder; asked for only by {@link #backup} and {@link #restore}
     *     (a startup restore runs before the tablet has one)
     * @param clock the time backups are named after
     */
    public TabletBackups(Backups backups, Function<String, BackupEngine> engines, String engineName,
            int defaultConcurrency, Mysqld mysqld, MysqldControl control, Target target, PrimarySource primary,
            Supplier<TabletState> state, Clock clock) {
        this.backups = Objects.requireNonNull(backups, "backups");
        this.engines = Objects.requireNonNull(engines, "engines");
        this.engineName = Objects.requireNonNull(engineName, "engineName");
        if (defaultConcurrency < 1) {
            throw new IllegalArgumentException("defaultConcurrency must be at least 1: " + defaultConcurrency);
        }
        this.defaultConcurrency = defaultConcurrency;
        this.mysqld = Objects.requireNonNull(mysqld, "mysqld");
        this.control = Objects.requireNonNull(control, "control");
        this.target = Objects.requireNonNull(target, "target");
        this.primary = Objects.requireNonNull(primary, "primary");
        this.state = Objects.requireNonNull(state, "state");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The engine new backups are taken with. */
    public String engineName() {
        return engineName;
    }

    /**
     * Backs the tablet's mysqld up (see the class comment for the type changes).
     *
     * @param concurrency files copied at once; 0 for the configured default
     * @param allowPrimary whether a PRIMARY may be backed up
     * @param events STARTED, PROGRESS and FINISHED events
     * @return the backup made
     * @throws MosaicException FAILED_PRECONDITION for a PRIMARY without {@code allowPrimary} or
     *     while another backup or restore runs; INVALID_ARGUMENT for a negative concurrency; the
     *     engine's or storage's error (the partial backup is aborted by the framework)
     */
    public BackupInfo backup(int concurrency, boolean allowPrimary, Consumer<BackupEvent> events) {
        if (concurrency < 0) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "concurrency must not be negative: " + concurrency);
        }
        begin("backup");
        try {
            TabletState st = state.get();
            TabletType type = st.type();
            if (type == TabletType.PRIMARY && !allowPrimary) {
                throw new MosaicException(ErrorCode.FAILED_PRECONDITION, "tablet " + target.alias()
                        + " is PRIMARY: type PRIMARY cannot take backup; if you really need to do this, rerun "
                        + "the backup with --allow-primary");
            }
            if (type == TabletType.RESTORE) {
                throw new MosaicException(ErrorCode.FAILED_PRECONDITION, "tablet " + target.alias()
                        + " is RESTORE (a restore failed or runs): it has no consistent data to back up");
            }
            BackupEngine engine = engines.apply(engineName);
            boolean drain = engine.shouldDrainForBackup() && type != TabletType.PRIMARY;
            boolean wasReplicating = replicating();
            if (drain) {
                st.actionType(TabletType.BACKUP);
            }
            try {
                return run(concurrency == 0 ? defaultConcurrency : concurrency, events);
            } finally {
                if (drain) {
                    if (wasReplicating && !replicating()) {
                        mysqld.replication().startReplication();
                    }
                    st.actionType(type);
                }
            }
        } finally {
            running.set(null);
        }
    }

    private BackupInfo run(int concurrency, Consumer<BackupEvent> events) {
        Instant start = clock.instant();
        String name = BackupNames.name(start, target.alias());
        Events out = new Events(events);
        out.send(event(BackupEvent.Kind.STARTED).setName(name).setEngine(engineName)
                .setValue("backing up " + target.alias() + " with engine " + engineName + " as " + name));
        BackupEngine.BackupParams params = new BackupEngine.BackupParams(control, target.keyspace(), target.shard(),
                target.alias(), concurrency, start);
        BackupInfo info = backups.backup(engineName, params, out.progress(name));
        out.send(finished(info, "backup " + info.name() + " complete: " + info.bytes() + " bytes at "
                + info.position()));
        return info;
    }

    /**
     * Empties the tablet's mysqld and restores the newest backup of its shard taken at or before
     * {@code atOrBefore}, then replicates from the shard's primary from the backup's position
     * (see the class comment for the type changes).
     *
     * @return the backup restored
     * @throws MosaicException FAILED_PRECONDITION for a PRIMARY or while another backup or restore
     *     runs; NOT_FOUND if the shard has no such backup; the engine's, storage's or MySQL's error
     */
    public BackupInfo restore(Optional<Instant> atOrBefore, Consumer<BackupEvent> events) {
        begin("restore");
        try {
            TabletState st = state.get();
            TabletType type = st.type();
            if (type == TabletType.PRIMARY) {
                throw new MosaicException(ErrorCode.FAILED_PRECONDITION, "tablet " + target.alias()
                        + " is PRIMARY: type PRIMARY cannot restore from backup; reparent the shard first");
            }
            BackupInfo chosen = backups.newest(target.keyspace(), target.shard(), atOrBefore)
                    .orElseThrow(() -> noBackup(atOrBefore));
            // RESTORE is the type the tablet had before a failed restore: return to a serving one.
            TabletType back = type == TabletType.RESTORE || type == TabletType.BACKUP ? TabletType.REPLICA : type;
            st.actionType(TabletType.RESTORE);
            if (replicating()) {
                mysqld.replication().stopReplication();
            }
            BackupInfo info = restoreAndReplicate(chosen, new Events(events));
            st.actionType(back);
            return info;
        } finally {
            running.set(null);
        }
    }

    /**
     * The startup restore of a brand-new tablet ({@code restore-from-backup}): restores the newest
     * backup of its shard (taken at or before {@code atOrBefore}) and replicates from the shard's
     * primary from the backup's position. With no backup it does what vttablet does: logs it and
     * starts with an empty database, replicating from the primary from the start.
     *
     * @param log where progress lines go
     * @return the backup restored, or empty when there was none
     */
    public Optional<BackupInfo> restoreAtStartup(Optional<Instant> atOrBefore, Consumer<String> log) {
        begin("restore");
        try {
            Optional<BackupInfo> chosen = backups.newest(target.keyspace(), target.shard(), atOrBefore);
            if (chosen.isEmpty()) {
                log.accept("restore-from-backup: " + noBackup(atOrBefore).getMessage()
                        + "; starting with an empty database");
                replicateFrom("", log);
                return Optional.empty();
            }
            Consumer<BackupEvent> lines = e -> {
                if (e.getKind() != BackupEvent.Kind.PROGRESS) {
                    log.accept("restore-from-backup: " + e.getValue());
                }
            };
            return Optional.of(restoreAndReplicate(chosen.get(), new Events(lines)));
        } finally {
            running.set(null);
        }
    }

    private BackupInfo restoreAndReplicate(BackupInfo chosen, Events out) {
        out.send(event(BackupEvent.Kind.STARTED).setName(chosen.name()).setEngine(chosen.engine())
                .setPosition(chosen.position()).setBytesTotal(chosen.bytes())
                .setValue("restoring " + target.alias() + " from " + chosen.name() + " (" + chosen.engine() + ", "
                        + chosen.bytes() + " bytes, position " + chosen.position() + ")"));
        BackupEngine.BackupParams params = new BackupEngine.BackupParams(control, target.keyspace(), target.shard(),
                target.alias(), defaultConcurrency, clock.instant());
        BackupInfo info = backups.restore(params, Optional.empty(), Optional.of(chosen.name()),
                out.progress(chosen.name()));
        replicateFrom(info.position(), line -> out.send(event(BackupEvent.Kind.LOG).setValue(line)));
        out.send(finished(info, "restored " + info.name() + " at position " + info.position()));
        return info;
    }

    /**
     * Forgets this mysqld's own binlogs and replication state, records {@code position} as what
     * it has applied, and replicates from the shard's primary from there (GTID auto-position).
     */
    private void replicateFrom(String position, Consumer<String> log) {
        String gtids = position.isEmpty() ? "" : Position.decode(position).gtidSet().toString();
        String q = "'" + gtids.replace("'", "''") + "'";
        if (mysqld.flavor() instanceof MariaDbFlavor) {
            mysqld.executeAll(List.of("STOP SLAVE", "RESET SLAVE ALL", "RESET MASTER",
                    "SET GLOBAL gtid_slave_pos = " + q));
        } else {
            mysqld.executeAll(List.of("STOP REPLICA", "RESET REPLICA ALL", "RESET MASTER",
                    "SET GLOBAL gtid_purged = " + q));
        }
        Optional<ReplicationSource> source = primary.find();
        if (source.isEmpty()) {
            log.accept("shard " + target.keyspace() + "/" + target.shard()
                    + " has no primary: replication is not started");
            return;
        }
        boolean semiSync = primary.replicaSemiSync();
        mysqld.replication().setReplicationSource(source.get(), semiSync);
        log.accept("replicating from " + source.get().host() + ":" + source.get().port() + " from position '"
                + position + "'" + (semiSync ? ", acknowledging semi-sync" : ""));
    }

    private boolean replicating() {
        return mysqld.replication().replicationStatus()
                .map(s -> s.sqlThread() != dev.mosaic.server.mysqlctl.replication.ReplicationStatus.ThreadState.STOPPED)
                .orElse(false);
    }

    private void begin(String what) {
        String other = running.compareAndExchange(null, what);
        if (other != null) {
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION, "a " + other + " is already running on tablet "
                    + target.alias() + "; one backup or restore at a time");
        }
    }

    private MosaicException noBackup(Optional<Instant> atOrBefore) {
        return new MosaicException(ErrorCode.NOT_FOUND, "no complete backup of " + target.keyspace() + "/"
                + target.shard() + atOrBefore.map(t -> " taken at or before " + t).orElse("") + " in the backup storage");
    }

    private BackupEvent.Builder event(BackupEvent.Kind kind) {
        Instant now = clock.instant();
        return BackupEvent.newBuilder().setKind(kind)
                .setTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()));
    }

    private BackupEvent.Builder finished(BackupInfo info, String text) {
        return event(BackupEvent.Kind.FINISHED).setName(info.name()).setEngine(info.engine())
                .setPosition(info.position()).setBytesDone(info.bytes()).setBytesTotal(info.bytes()).setValue(text);
    }

    /** Serializes events to the consumer and thins progress out. */
    private final class Events {
        private final Consumer<BackupEvent> sink;
        private long lastProgressNs = System.nanoTime() - PROGRESS_INTERVAL.toNanos();

        Events(Consumer<BackupEvent> sink) {
            this.sink = Objects.requireNonNull(sink, "events");
        }

        synchronized void send(BackupEvent.Builder e) {
            sink.accept(e.build());
        }

        ProgressListener progress(String name) {
            return (done, total) -> {
                synchronized (this) {
                    long now = System.nanoTime();
                    if (now - lastProgressNs < PROGRESS_INTERVAL.toNanos() && !(total > 0 && done >= total)) {
                        return;
                    }
                    lastProgressNs = now;
                    send(event(BackupEvent.Kind.PROGRESS).setName(name).setBytesDone(done).setBytesTotal(total)
                            .setValue(name + ": " + done + (total > 0 ? " of " + total : "") + " bytes"));
                }
            };
        }
    }
}
