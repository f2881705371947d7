package dev.mosaic.server.tablet.throttle;

import dev.mosaic.api.cluster.TabletAlias;
import java.util.List;
import java.util.Map;

/** How a primary's throttler reaches the rest of its shard. */
public interface ShardPeers {
    /**
     * The tablets whose self readings count in shard scope besides the primary's own: the shard's
     * REPLICA tablets (Vitess's default {@code throttle_tablet_types}), found in the topology.
     *
     * @throws dev.mosaic.api.error.MosaicException if the topology cannot be read
     */
    List<TabletAlias> replicas();

    /**
     * One tablet's self readings, by metric name (a CheckThrottler call with scope self).
     *
     * @throws dev.mosaic.api.error.MosaicException if the tablet cannot be reached
     */
    Map<String, Reading> selfReadings(TabletAlias tablet);
}
