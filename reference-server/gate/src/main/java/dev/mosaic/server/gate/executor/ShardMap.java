package dev.mosaic.server.gate.executor;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.sql.exec.ShardTarget;
import dev.mosaic.server.topo.TopoServer;
import java.util.Comparator;
import java.util.LinkedHashMap;
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

    /**
     * The serving shards of {@code keyspaces} as the topology's shard records list them, in
     * key-range order (shards whose primary is not serving, e.g. the targets of a resharding, are
     * left out).
     */
    public static ShardMap fromTopology(TopoServer topo, List<String> keyspaces) {
        Map<String, List<ShardTarget>> out = new LinkedHashMap<>();
        for (String ks : keyspaces) {
            out.put(ks, topo.getShardNames(ks).stream()
                    .filter(s -> topo.getShard(ks, s).value().getIsPrimaryServing())
                    .map(ShardTarget::named)
                    .sorted(Comparator.comparing((ShardTarget t) -> t.range().start()))
                    .toList());
        }
        return new ShardMap(out);
    }
}
