package dev.mosaic.server.tablet.server;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.mysqlctl.MysqldConfig;
import dev.mosaic.server.process.config.BackupStorageSettings;
import dev.mosaic.server.process.config.Listen;
import dev.mosaic.server.process.config.TopoSettings;
import dev.mosaic.server.tablet.config.TabletConfig;
import dev.mosaic.server.tablet.consolidator.ConsolidatorConfig;
import dev.mosaic.server.tablet.health.TabletHealth;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import dev.mosaic.server.tablet.throttle.ThrottlerSettings;
import java.util.Objects;
import java.util.Optional;

/**
 * The validated configuration of one tablet process, as {@link TabletServerConfigLoader} builds it
 * from a config file. Every value is typed; nothing downstream reads raw strings. See
 * {@code docs/tablet.md} for the file format, every key, its default and the Vitess flag it mirrors.
 *
 * @param tablet who the tablet is
 * @param grpc the gRPC server (query + tablet manager services)
 * @param status the status/metrics HTTP server
 * @param mysqld the mysqld the tablet serves
 * @param topo the topology store it registers in
 * @param query the query-serving configuration (pools, timeouts, limits)
 * @param health the health checker's timing
 * @param consolidator query consolidation: on or off, and its limits
 * @param backup backup storage, engine and restore-at-startup
 * @param throttler the tablet throttler's polling ({@code throttler.*})
 */
public record TabletServerConfig(Identity tablet, Listen grpc, Listen status, MysqldSettings mysqld,
        TopoSettings topo, TabletConfig query, TabletHealth.Settings health, ConsolidatorSettings consolidator,
        BackupSettings backup, ThrottlerSettings throttler) {

    public TabletServerConfig {
        Objects.requireNonNull(tablet, "tablet");
        Objects.requireNonNull(grpc, "grpc");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(mysqld, "mysqld");
        Objects.requireNonNull(topo, "topo");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(consolidator, "consolidator");
        Objects.requireNonNull(backup, "backup");
        Objects.requireNonNull(throttler, "throttler");
    }

    /**
     * The tablet's identity (Vitess {@code --tablet-path}, {@code --init_keyspace},
     * {@code --init_shard}, {@code --init_tablet_type}, {@code --tablet_hostname}).
     *
     * @param alias the tablet alias ({@code zone1-0000000100})
     * @param keyspace the keyspace it serves
     * @param shard the shard it serves ({@code 0}, {@code -80}, {@code 80-})
     * @param initType the type it starts as (REPLICA, RDONLY or SPARE; it starts as PRIMARY when
     *     the shard record names it primary)
     * @param hostname the host name published in its topology record
     */
    public record Identity(TabletAlias alias, String keyspace, String shard, TabletType initType, String hostname) {
        public Identity {
            Objects.requireNonNull(alias, "alias");
            Objects.requireNonNull(keyspace, "keyspace");
            Objects.requireNonNull(shard, "shard");
            Objects.requireNonNull(initType, "initType");
            Objects.requireNonNull(hostname, "hostname");
        }
    }

    /** Whether Mosaic runs the mysqld or attaches to one run by someone else. */
    public enum MysqldMode {
        /** Mosaic creates the data directory (first start), writes my.cnf, starts and stops mysqld. */
        MANAGED,
        /** mysqld runs already; the tablet connects to it and never stops it. */
        ATTACHED
    }

    /**
     * The mysqld.
     *
     * @param mode managed or attached
     * @param root the data root of a managed mysqld (its files go to {@code root/vt_<uid>}); null when attached
     * @param flavor which server a managed mysqld runs
     * @param host where an attached mysqld is (a managed one listens on 127.0.0.1)
     * @param port its TCP port
     * @param user the administrative user the tablet logs in as ({@code root} for a managed mysqld)
     * @param password its password
     * @param startTimeout how long to wait for mysqld to answer at startup
     * @param shutdownTimeout how long a managed mysqld may take to stop
     */
    public record MysqldSettings(MysqldMode mode, Path root, MysqldConfig.FlavorChoice flavor, String host, int port,
            String user, String password, Duration startTimeout, Duration shutdownTimeout) {
        public MysqldSettings {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(flavor, "flavor");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(user, "user");
            password = password == null ? "" : password;
            Objects.requireNonNull(startTimeout, "startTimeout");
            Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        }

        /** Never prints the password. */
        @Override
        public String toString() {
            return "MysqldSettings[" + mode + (root == null ? "" : " root=" + root) + " " + user + "@" + host + ":"
                    + port + "]";
        }
    }

    /**
     * Query consolidation (Vitess {@code --enable-consolidator} and the
     * {@code --consolidator-*} limits).
     *
     * @param enabled whether identical in-flight reads share one execution
     * @param limits the consolidator's bounds
     */
    public record ConsolidatorSettings(boolean enabled, ConsolidatorConfig limits) {
        public ConsolidatorSettings {
            Objects.requireNonNull(limits, "limits");
        }
    }

    /**
     * Backups (Vitess {@code --backup_storage_implementation}, {@code --backup_engine_implementation},
     * {@code --concurrency}, {@code --restore_from_backup}, {@code --restore-from-backup-ts}).
     *
     * @param storage the backup storage; empty when no {@code backup.storage.*} key is given (the
     *     tablet then takes and restores no backups)
     * @param engine the engine new backups are taken with ({@code builtin}, {@code logical})
     * @param concurrency how many files an engine copies at once when a request does not say
     * @param restoreFromBackup whether a brand-new tablet (managed mysqld, empty data directory)
     *     restores the newest backup of its shard before serving
     * @param restoreFromBackupTs restore the newest backup taken at or before this time instead
     */
    public record BackupSettings(Optional<BackupStorageSettings> storage, String engine, int concurrency,
            boolean restoreFromBackup, Optional<Instant> restoreFromBackupTs) {
        public BackupSettings {
            Objects.requireNonNull(storage, "storage");
            Objects.requireNonNull(engine, "engine");
            Objects.requireNonNull(restoreFromBackupTs, "restoreFromBackupTs");
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
            }
        }
    }
}
