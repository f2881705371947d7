package dev.mosaic.server.ctld;

import com.google.protobuf.Timestamp;
import dev.mosaic.proto.tabletmanager.ReplicationStatus;
import dev.mosaic.proto.tabletmanager.ReplicationStatusRequest;
import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.proto.vtctldata.BackupInfo;
import dev.mosaic.proto.vtctldata.BackupRequest;
import dev.mosaic.proto.vtctldata.BackupResponse;
import dev.mosaic.proto.vtctldata.BackupShardRequest;
import dev.mosaic.proto.vtctldata.GetBackupsRequest;
import dev.mosaic.proto.vtctldata.GetBackupsResponse;
import dev.mosaic.proto.vtctldata.RemoveBackupRequest;
import dev.mosaic.proto.vtctldata.RestoreFromBackupRequest;
import dev.mosaic.proto.vtctldata.RestoreFromBackupResponse;
import dev.mosaic.server.backup.BackupNames;
import dev.mosaic.server.backup.Backups;
import dev.mosaic.server.topo.ProtoConversions;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Backup, BackupShard, GetBackups, RemoveBackup and RestoreFromBackup, as vtctld has them. Backup
 * and restore are the tablets' own work (the tablet manager's streaming calls, whose events are
 * passed on with the tablet's alias, keyspace and shard); listing and removing read ctld's own
 * backup storage ({@code backup.storage.*} in ctld's config), which must be the one the tablets
 * write to.
 */
final class BackupVerbs {
    /**
     * The deadline of a tablet's Backup or RestoreFromBackup call. Copying a database takes as
     * long as it takes; the bound only keeps a tablet that stopped answering from holding the
     * verb forever. The caller's own deadline, when shorter, still applies.
     */
    static final Duration TABLET_BACKUP_DEADLINE = Duration.ofHours(24);

    private final TopologyReads reads;
    private final TabletManagerClients tablets;
    private final Optional<Backups> backups;

    BackupVerbs(TopologyReads reads, TabletManagerClients tablets, Optional<Backups> backups) {
        this.reads = reads;
        this.tablets = tablets;
        this.backups = backups;
    }

    void backup(BackupRequest req, Consumer<BackupResponse> out) {
        Tablet tablet = reads.tablet(req.getTabletAlias());
        backupTablet(tablet, req.getAllowPrimary(), req.getConcurrency(), out);
    }

    /**
     * As vtctld's BackupShard: among the shard's REPLICA, RDONLY and SPARE tablets whose
     * replication runs, the one with the least lag; the PRIMARY only with allow_primary and when
     * no other tablet qualifies.
     */
    void backupShard(BackupShardRequest req, Consumer<BackupResponse> out) {
        TopologyReads.requireName("keyspace", req.getKeyspace());
        TopologyReads.requireName("shard", req.getShard());
        reads.shard(req.getKeyspace(), req.getShard());
        List<Tablet> all = reads.shardTablets(req.getKeyspace(), req.getShard());
        Tablet chosen = null;
        long chosenLag = Long.MAX_VALUE;
        List<String> skipped = new ArrayList<>();
        for (Tablet t : all) {
            if (t.getType() != TabletType.REPLICA && t.getType() != TabletType.RDONLY
                    && t.getType() != TabletType.SPARE) {
                continue;
            }
            ReplicationStatus status;
            try {
                status = tablets.call(t, "ReplicationStatus",
                        s -> s.replicationStatus(ReplicationStatusRequest.getDefaultInstance())).getStatus();
            } catch (StatusRuntimeException e) {
                skipped.add(alias(t) + " (" + CtldErrors.text(e) + ")");
                continue;
            }
            if (status.getIoState() != dev.mosaic.proto.tabletmanager.ReplicationState.RUNNING
                    || status.getSqlState() != dev.mosaic.proto.tabletmanager.ReplicationState.RUNNING) {
                skipped.add(alias(t) + " (replication is not running)");
                continue;
            }
            long lag = status.getReplicationLagUnknown() ? Long.MAX_VALUE - 1 : status.getReplicationLagSeconds();
            if (chosen == null || lag < chosenLag) {
                chosen = t;
                chosenLag = lag;
            }
        }
        if (chosen == null && req.getAllowPrimary()) {
            chosen = all.stream().filter(t -> t.getType() == TabletType.PRIMARY).findFirst().orElse(null);
        }
        if (chosen == null) {
            throw CtldErrors.precondition("no tablet available for backup in " + req.getKeyspace()
                    + "/" + req.getShard() + (skipped.isEmpty() ? "" : "; skipped: " + String.join(", ", skipped))
                    + (req.getAllowPrimary() ? "" : " (the primary is used only with allow_primary)"));
        }
        backupTablet(chosen, req.getAllowPrimary(), req.getConcurrency(), out);
    }

    private void backupTablet(Tablet tablet, boolean allowPrimary, int concurrency,
            Consumer<BackupResponse> out) {
        var request = dev.mosaic.proto.tabletmanager.BackupRequest.newBuilder()
                .setAllowPrimary(allowPrimary).setConcurrency(concurrency).build();
        try {
            Iterator<dev.mosaic.proto.tabletmanager.BackupResponse> it =
                    tablets.tabletManager(tablet, TABLET_BACKUP_DEADLINE).backup(request);
            while (it.hasNext()) {
                out.accept(BackupResponse.newBuilder().setTabletAlias(tablet.getAlias())
                        .setKeyspace(tablet.getKeyspace()).setShard(tablet.getShard())
                        .setEvent(it.next().getEvent()).build());
            }
        } catch (StatusRuntimeException e) {
            throw CtldErrors.fromTablet(tablet.getAlias(), "Backup", e);
        }
    }

    void restoreFromBackup(RestoreFromBackupRequest req, Consumer<RestoreFromBackupResponse> out) {
        Tablet tablet = reads.tablet(req.getTabletAlias());
        var request = dev.mosaic.proto.tabletmanager.RestoreFromBackupRequest.newBuilder();
        if (req.hasBackupTime()) {
            request.setBackupTime(req.getBackupTime());
        }
        try {
            var it = tablets.tabletManager(tablet, TABLET_BACKUP_DEADLINE).restoreFromBackup(request.build());
            while (it.hasNext()) {
                out.accept(RestoreFromBackupResponse.newBuilder().setTabletAlias(tablet.getAlias())
                        .setKeyspace(tablet.getKeyspace()).setShard(tablet.getShard())
                        .setEvent(it.next().getEvent()).build());
            }
        } catch (StatusRuntimeException e) {
            throw CtldErrors.fromTablet(tablet.getAlias(), "RestoreFromBackup", e);
        }
    }

    /**
     * The shard's complete backups, oldest first; with a limit, the newest {@code limit}. Without
     * {@code detailed}, as vtctld: what the name tells (time and tablet), status UNKNOWN; with it,
     * what the manifest says and status COMPLETE.
     */
    GetBackupsResponse getBackups(GetBackupsRequest req) {
        TopologyReads.requireName("keyspace", req.getKeyspace());
        TopologyReads.requireName("shard", req.getShard());
        List<dev.mosaic.server.backup.BackupInfo> list = new ArrayList<>(storage().list(req.getKeyspace(),
                req.getShard()));
        list.sort(Comparator.comparing(dev.mosaic.server.backup.BackupInfo::startTime)
                .thenComparing(dev.mosaic.server.backup.BackupInfo::name));
        if (req.getLimit() > 0 && list.size() > req.getLimit()) {
            list = list.subList(list.size() - req.getLimit(), list.size());
        }
        GetBackupsResponse.Builder b = GetBackupsResponse.newBuilder();
        for (var info : list) {
            BackupInfo.Builder m = BackupInfo.newBuilder().setName(info.name())
                    .setDirectory(info.keyspace() + "/" + info.shard()).setKeyspace(info.keyspace())
                    .setShard(info.shard()).setTabletAlias(ProtoConversions.toProto(info.tablet()))
                    .setTime(timestamp(BackupNames.timeOf(info.name()).orElse(info.startTime())));
            if (req.getDetailed()) {
                m.setTime(timestamp(info.startTime())).setEngine(info.engine()).setPosition(info.position())
                        .setFinishTime(timestamp(info.finishTime())).setBytes(info.bytes())
                        .setStatus(BackupInfo.Status.COMPLETE);
            }
            b.addBackups(m);
        }
        return b.build();
    }

    void removeBackup(RemoveBackupRequest req) {
        TopologyReads.requireName("keyspace", req.getKeyspace());
        TopologyReads.requireName("shard", req.getShard());
        TopologyReads.requireName("backup", req.getName());
        storage().remove(req.getKeyspace(), req.getShard(), req.getName());
    }

    private Backups storage() {
        return backups.orElseThrow(() -> CtldErrors.precondition("ctld has no backup storage configured "
                + "(backup.storage.type and its keys in ctld's config; the same storage the tablets use)"));
    }

    private static Timestamp timestamp(Instant t) {
        return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
    }

    private static String alias(Tablet t) {
        return ProtoConversions.fromProto(t.getAlias()).toString();
    }
}
