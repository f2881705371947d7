package dev.mosaic.server.gate.executor;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.sql.exec.ShardTarget;
import dev.mosaic.server.topo.TopoServer;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The shards of each keyspace, in key-range order, as the executor routes to them.
 *
 * <p>Either a fixed snapshot ({@link #ShardMap(Map)}, {@link #fromTopology}) or a {@linkplain #view
 * view} that reads the current snapshot from a supplier on every call, so a gate process can swap
 * in a new snapshot (a new shard, a keyspace added) while the executor holding the view keeps
 * running. Immutable snapshots; a view is as thread-safe as its supplier.
 */
public final class ShardMap {
    private final Supplier<Map<String, List<ShardTarget>>> keyspaces;

    /**
     * A fixed snapshot.
     *
     * @param keyspaces keyspace name to its shards (copied)
     */
    public ShardMap(Map<String, List<ShardTarget>> keyspaces) {
        Map<String, List<ShardTarget>> copy = keyspaces.entrySet().stream().collect(
                java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> List.copyOf(e.getValue())));
        this.keyspaces = () -> copy;
    }

    private ShardMap(Supplier<Map<String, List<ShardTarget>>> keyspaces) {
        this.keyspaces = keyspaces;
    }

    /** A view reading {@code current} on every call (each call sees one whole snapshot). */
    public static ShardMap view(Supplier<ShardMap> current) {
        Objects.requireNonNull(current, "current");
        Supplier<Map<String, List<ShardTarget>>> read = () -> current.get().keyspaces();
        return new ShardMap(read);
    }

    /** Keyspace name to its shards, now. */
    public Map<String, List<ShardTarget>> keyspaces() {
        return keyspaces.get();
    }

    /**
     * The shards of {@code keyspace}.
     *
     * @throws MosaicException {@code NOT_FOUND} if the keyspace has no shards
     */
    public List<ShardTarget> shards(String keyspace) {
        List<ShardTarget> s = keyspaces.get().get(keyspace);
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

    @Override
    public boolean equals(Object o) {
        return o instanceof ShardMap m && keyspaces().equals(m.keyspaces());
    }

    @Override
    public int hashCode() {
        return keyspaces().hashCode();
    }

    @Override
    public String toString() {
        return "ShardMap" + keyspaces();
    }
}
