package dev.mosaic.server.local;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@code mosaic local up} was asked for, validated.
 *
 * @param shards how many equal shards keyspace {@code customer} has
 * @param replicas replicas per shard, besides the primary
 * @param topo the topology store
 * @param dataDir where every process keeps its files
 * @param keepData whether the data directory survives {@code down} (true when {@code --data} was
 *     given; the default directory is removed)
 */
public record LocalOptions(int shards, int replicas, TopoKind topo, Path dataDir, boolean keepData) {
    /**
     * Most shards: tablet uids are {@code 300 + 100 * i}, and a uid of 1000 or more would give a
     * tablet a gRPC port (16000 + uid) equal to another tablet's mysqld port (17000 + uid).
     */
    public static final int MAX_SHARDS = 7;
    /**
     * Most replicas per shard: replica uids are the primary's uid + 1..R; uid 306 would put a
     * tablet's status page (15000 + uid) on the gate's MySQL port 15306.
     */
    public static final int MAX_REPLICAS = 5;

    public LocalOptions {
        Objects.requireNonNull(topo, "topo");
        Objects.requireNonNull(dataDir, "dataDir");
        if (shards < 1 || shards > MAX_SHARDS) {
            throw new IllegalArgumentException("--shards must be between 1 and " + MAX_SHARDS
                    + " (the local port layout gives tablet uid 300+100*i to shard i), got " + shards);
        }
        if (replicas < 0 || replicas > MAX_REPLICAS) {
            throw new IllegalArgumentException("--replicas must be between 0 and " + MAX_REPLICAS + ", got " + replicas);
        }
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    /** The arguments that give the supervisor these options. */
    public java.util.List<String> toArgs() {
        return java.util.List.of("--shards", Integer.toString(shards), "--replicas", Integer.toString(replicas),
                "--topo", topo.flag(), "--data", dataDir.toString(), "--keep-data", Boolean.toString(keepData));
    }

    /**
     * Parses {@link #toArgs()}' form.
     *
     * @throws IllegalArgumentException naming the bad or missing argument
     */
    public static LocalOptions fromArgs(String[] args) {
        java.util.Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length || !args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value pairs, got " + java.util.Arrays.toString(args));
            }
            m.put(args[i], args[i + 1]);
        }
        for (String k : java.util.List.of("--shards", "--replicas", "--topo", "--data", "--keep-data")) {
            if (!m.containsKey(k)) {
                throw new IllegalArgumentException("missing " + k);
            }
        }
        return new LocalOptions(Integer.parseInt(m.get("--shards")), Integer.parseInt(m.get("--replicas")),
                TopoKind.parse(m.get("--topo")), Path.of(m.get("--data")), Boolean.parseBoolean(m.get("--keep-data")));
    }
}
