package dev.mosaic.server.tablet.manager;

import dev.mosaic.proto.topo.TabletAlias;
import dev.mosaic.server.mysqlctl.replication.ReplicationSource;

/**
 * Finds the MySQL host, port and replication credentials of a tablet, for
 * {@link TabletManagerService#setReplicationSource}. The topology store will answer this once the
 * tablet registers itself there; until then the caller supplies it (tests map aliases to mysqlds).
 */
@FunctionalInterface
public interface ReplicationSourceResolver {
    /**
     * The replication source for {@code alias}.
     *
     * @throws dev.mosaic.api.error.MosaicException NOT_FOUND if the tablet is unknown
     */
    ReplicationSource resolve(TabletAlias alias);
}
