package dev.mosaic.server.launcher.ctl;

import com.google.protobuf.Timestamp;
import dev.mosaic.proto.tabletmanager.BackupEvent;
import dev.mosaic.proto.topo.TabletAlias;
import dev.mosaic.proto.vtctldata.BackupInfo;
import dev.mosaic.proto.vtctldata.BackupRequest;
import dev.mosaic.proto.vtctldata.BackupResponse;
import dev.mosaic.proto.vtctldata.BackupShardRequest;
import dev.mosaic.proto.vtctldata.GetBackupsRequest;
import dev.mosaic.proto.vtctldata.GetBackupsResponse;
import dev.mosaic.proto.vtctldata.RemoveBackupRequest;
import dev.mosaic.proto.vtctldata.RestoreFromBackupRequest;
import dev.mosaic.proto.vtctldata.RestoreFromBackupResponse;
import dev.mosaic.proto.vtctldata.VtctldGrpc.VtctldBlockingStub;
import dev.mosaic.server.launcher.ctl.Converters.KeyspaceShard;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/** Backup, BackupShard, GetBackups, RemoveBackup, RestoreFromBackup (vtctldclient's verbs). */
final class BackupVerbs {
    /** vtctldclient's {@code --backup-timestamp} layout ({@code 2006-01-02.150405}), in UTC. */
    static final DateTimeFormatter BACKUP_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd.HHmmss")
            .withZone(ZoneOffset.UTC);

    private BackupVerbs() {
    }

    /** Parses {@code 2006-01-02.150405}. */
    static final class BackupTime implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return BACKUP_TIME.parse(value, Instant::from);
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + value + "' is not a backup time like 2006-01-02.150405 (UTC)");
            }
        }
    }

    /**
     * Sends the events of a streaming backup or restore: progress and log lines to stderr as they
     * come, the final line (or every event as JSON with {@code --json}) to stdout.
     */
    private static int print(Verb verb, Iterator<BackupEvent> events, PrintWriter out) {
        PrintWriter err = verb.spec.commandLine().getErr();
        while (events.hasNext()) {
            BackupEvent e = events.next();
            if (verb.json()) {
                out.println(Output.json(e));
                out.flush();
            } else if (e.getKind() == BackupEvent.Kind.FINISHED) {
                out.println(e.getValue());
            } else {
                err.println(e.getValue());
                err.flush();
            }
        }
        return 0;
    }

    private static <T> Iterator<BackupEvent> events(Iterator<T> it, Function<T, BackupEvent> event) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public BackupEvent next() {
                return event.apply(it.next());
            }
        };
    }

    @Command(name = "Backup", description = {"Back a tablet up to the backup storage with its backup engine,"
            + " showing progress on stderr and the backup made on stdout.",
        "The tablet is BACKUP while a draining engine runs and returns to its type afterwards."})
    static final class Backup extends Verb {
        @Option(names = "--allow-primary", description = "Allow backing up the shard's PRIMARY.")
        boolean allowPrimary;

        @Option(names = "--concurrency", paramLabel = "N", defaultValue = "0",
                description = "Files copied at once (default: the tablet's backup.concurrency).")
        int concurrency;

        @Parameters(index = "0", paramLabel = "TABLET_ALIAS", converter = Converters.Alias.class,
                description = "The tablet, e.g. zone1-101.")
        TabletAlias alias;

        @Override
        void validate() {
            if (concurrency < 0) {
                throw usage("--concurrency must not be negative, got " + concurrency);
            }
        }

        @Override
        int run(VtctldBlockingStub ctld, PrintWriter out) {
            return print(this, events(ctld.backup(BackupRequest.newBuilder().setTabletAlias(alias)
                    .setAllowPrimary(allowPrimary).setConcurrency(concurrency).build()), BackupResponse::getEvent), out);
        }
    }

    @Command(name = "BackupShard", description = {"Back up one tablet of a shard: the most caught-up healthy"
            + " REPLICA or RDONLY (the PRIMARY only with --allow-primary, when no other qualifies).",
        "Progress goes to stderr, the backup made to stdout."})
    static final class BackupShard extends Verb {
        @Option(names = "--allow-primary", description = "Fall back to the PRIMARY when no other tablet qualifies.")
        boolean allowPrimary;

        @Option(names = "--concurrency", paramLabel = "N", defaultValue = "0",
                description = "Files copied at once (default: the tablet's backup.concurrency).")
        int concurrency;

        @Parameters(index = "0", paramLabel = "KEYSPACE/SHARD", converter = Converters.Shard.class,
                description = "The shard, e.g. customer/-80.")
        KeyspaceShard shard;

        @Override
        void validate() {
            if (concurrency < 0) {
                throw usage("--concurrency must not be negative, got " + concurrency);
            }
        }

        @Override
        int run(VtctldBlockingStub ctld, PrintWriter out) {
            return print(this, events(ctld.backupShard(BackupShardRequest.newBuilder()
                    .setKeyspace(shard.keyspace()).setShard(shard.shard()).setAllowPrimary(allowPrimary)
                    .setConcurrency(concurrency).build()), BackupResponse::getEvent), out);
        }
    }

    @Command(name = "GetBackups", description = {"List a shard's complete backups, oldest first, one name a line"
            + " (as vtctldclient prints them).",
        "With --detailed: name, engine, position, bytes, start and finish time; with --json: the response."})
    static final class GetBackups extends Verb {
        @Option(names = {"-l", "--limit"}, paramLabel = "N", defaultValue = "0",
                description = "Only the newest N backups (default: all).")
        int limit;

        @Option(names = "--detailed", description = "Read each backup's manifest (engine, position, size, times).")
        boolean detailed;

        @Parameters(index = "0", paramLabel = "KEYSPACE/SHARD", converter = Converters.Shard.class,
                description = "The shard, e.g. customer/-80.")
        KeyspaceShard shard;

        @Override
        void validate() {
            if (limit < 0) {
                throw usage("--limit must not be negative, got " + limit);
            }
        }

        @Override
        int run(VtctldBlockingStub ctld, PrintWriter out) {
            GetBackupsResponse r = ctld.getBackups(GetBackupsRequest.newBuilder().setKeyspace(shard.keyspace())
                    .setShard(shard.shard()).setLimit(limit).setDetailed(detailed).build());
            if (json()) {
                out.println(Output.json(r));
                return 0;
            }
            for (BackupInfo b : r.getBackupsList()) {
                out.println(detailed ? String.join(" ", b.getName(), b.getEngine(), b.getPosition(),
                        Long.toString(b.getBytes()), time(b.getTime()), time(b.getFinishTime())) : b.getName());
            }
            return 0;
        }

        private static String time(Timestamp t) {
            return Instant.ofEpochSecond(t.getSeconds(), t.getNanos()).toString();
        }
    }

    @Command(name = "RemoveBackup", description = "Remove one backup of a shard from the backup storage.")
    static final class RemoveBackup extends Verb {
        @Parameters(index = "0", paramLabel = "KEYSPACE/SHARD", converter = Converters.Shard.class,
                description = "The shard, e.g. customer/-80.")
        KeyspaceShard shard;

        @Parameters(index = "1", paramLabel = "BACKUP_NAME", description = "As GetBackups lists it.")
        String name;

        @Override
        int run(VtctldBlockingStub ctld, PrintWriter out) {
            var r = ctld.removeBackup(RemoveBackupRequest.newBuilder().setKeyspace(shard.keyspace())
                    .setShard(shard.shard()).setName(name).build());
            out.println(json() ? Output.json(r) : "Removed backup " + name + " of " + shard + ".");
            return 0;
        }
    }

    @Command(name = "RestoreFromBackup", description = {"Empty a (non-primary) tablet's mysqld and restore the"
            + " newest backup of its shard, then replicate from the primary from the backup's position.",
        "Progress goes to stderr, the backup restored to stdout."})
    static final class RestoreFromBackup extends Verb {
        @Option(names = "--backup-timestamp", paramLabel = "TIME", converter = BackupTime.class,
                description = "Restore the newest backup taken at or before TIME (2006-01-02.150405, UTC).")
        Instant backupTime;

        @Parameters(index = "0", paramLabel = "TABLET_ALIAS", converter = Converters.Alias.class,
                description = "The tablet, e.g. zone1-102.")
        TabletAlias alias;

        @Override
        int run(VtctldBlockingStub ctld, PrintWriter out) {
            RestoreFromBackupRequest.Builder req = RestoreFromBackupRequest.newBuilder().setTabletAlias(alias);
            if (backupTime != null) {
                req.setBackupTime(Timestamp.newBuilder().setSeconds(backupTime.getEpochSecond()));
            }
            return print(this, events(ctld.restoreFromBackup(req.build()), RestoreFromBackupResponse::getEvent), out);
        }
    }
}
