package dev.mosaic.server.local;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.json.Json;
import dev.mosaic.api.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code DATA/cluster.json}: written once the walkthrough is set up, it says the mysqlds under
 * DATA hold a cluster of this shape whose primaries are the layout's. A later {@code up} on the
 * same directory must ask for the same shape, and (the memory topology having forgotten
 * everything) names those primaries in the topology again instead of initializing new ones, which
 * would reset their binlogs under the replicas.
 *
 * @param shards customer's shard count
 * @param replicas replicas per shard
 * @param topo the topology store
 */
record ClusterMarker(int shards, int replicas, TopoKind topo) {
    static final String FILE = "cluster.json";

    static ClusterMarker of(LocalOptions o) {
        return new ClusterMarker(o.shards(), o.replicas(), o.topo());
    }

    /** The marker in {@code dataDir}, if the cluster there was set up before. */
    static Optional<ClusterMarker> read(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonObject o = (JsonObject) Json.parse(Files.readString(file, StandardCharsets.UTF_8));
            return Optional.of(new ClusterMarker(Integer.parseInt(o.get("shards").orElseThrow().toJson()),
                    Integer.parseInt(o.get("replicas").orElseThrow().toJson()),
                    TopoKind.parse(((dev.mosaic.api.json.JsonString) o.get("topo").orElseThrow()).value())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (RuntimeException e) {
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION, file + " is damaged (" + e
                    + "); move the data directory away to start afresh");
        }
    }

    void write(Path dataDir) {
        try {
            Files.writeString(dataDir.resolve(FILE), JsonObject.builder().put("shards", shards).put("replicas", replicas)
                    .put("topo", topo.flag()).build().toPrettyJson() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dataDir.resolve(FILE), e);
        }
    }

    /**
     * Fails unless {@code options} ask for the cluster this marker describes.
     *
     * @throws MosaicException FAILED_PRECONDITION naming both shapes
     */
    void requireSameShape(LocalOptions options) {
        ClusterMarker asked = of(options);
        if (!asked.equals(this)) {
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION, options.dataDir() + " holds a cluster started with "
                    + this.flags() + "; run up with those flags, or give another --data for " + asked.flags());
        }
    }

    String flags() {
        return "--shards " + shards + " --replicas " + replicas + " --topo " + topo.flag();
    }
}
