package dev.mosaic.server.ctld.process;

import dev.mosaic.server.process.config.BackupStorageSettings;
import dev.mosaic.server.process.config.Listen;
import dev.mosaic.server.process.config.TopoSettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The validated configuration of one control daemon process (Vitess's {@code vtctld}), as
 * {@link CtldServerConfigLoader} builds it from a config file. See "The ctld process" in
 * {@code docs/ctld.md} for every key and its default.
 *
 * @param topo the topology store ctld reads and writes
 * @param cell the cell ctld runs in (shown on the status page)
 * @param grpc the Vtctld gRPC listener ({@code threads}: the bounded executor running the verbs)
 * @param status the status/metrics HTTP listener
 * @param tabletManagerCallTimeout the deadline of each call ctld makes to a tablet's TabletManager
 * @param gateLinks gate status pages linked from ctld's status page
 * @param backupStorage the backup storage GetBackups and RemoveBackup read (the tablets' storage);
 *     empty when no {@code backup.storage.*} key is given
 */
public record CtldServerConfig(TopoSettings topo, String cell, Listen grpc, Listen status,
        Duration tabletManagerCallTimeout, List<URI> gateLinks, Optional<BackupStorageSettings> backupStorage) {

    public CtldServerConfig {
        Objects.requireNonNull(topo, "topo");
        Objects.requireNonNull(cell, "cell");
        Objects.requireNonNull(grpc, "grpc");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(tabletManagerCallTimeout, "tabletManagerCallTimeout");
        gateLinks = List.copyOf(gateLinks);
        Objects.requireNonNull(backupStorage, "backupStorage");
    }
}
