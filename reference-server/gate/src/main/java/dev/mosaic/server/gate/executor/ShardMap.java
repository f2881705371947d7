package dev.mosaic.server.gate.executor;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.sql.exec.ShardTarget;
import java.util.List;
import java.util.Map;

/**
 * The shards of each keyspace, in key-range order, as the executor routes to them.
 *
 * @param keyspaces keyspace name to its shards
 */
public record ShardMap(Map<String, List<ShardTarget>> keyspaces) {
    /** Copies the map and lists. */
    public ShardMap {
        keyspaces = keyspaces.entrySet().stream().collect(java.util.stream.Collectors.toUnmodifiableMap(
                Map.Entry::getKey, e -> List.copyOf(e.getValue())));
    }

    /**
     * The shards of {@code keyspace}.
     *
     * @throws MosaicException {@code NOT_FOUND} if the keyspace has no shards
     */
    public List<ShardTarget> shards(String keyspace) {
        List<ShardTarget> s = keyspaces.get(keyspace);
        if (s == null || s.isEmpty()) {
            throw new MosaicException(ErrorCode.NOT_FOUND, "keyspace " + keyspace + " has no shards in the serving graph");
        }
        return s;
    }
}
