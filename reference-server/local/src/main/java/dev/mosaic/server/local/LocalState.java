package dev.mosaic.server.local;

import dev.mosaic.api.json.Json;
import dev.mosaic.api.json.JsonException;
import dev.mosaic.api.json.JsonNumber;
import dev.mosaic.api.json.JsonObject;
import dev.mosaic.api.json.JsonString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code down} and {@code status} need to find a running local cluster: the supervisor's PID,
 * the options it runs with, and every child process it started (mysqlds, etcd or ZooKeeper) by PID.
 * Kept as {@code DATA/local.json}; {@code ~/.mosaic/local-cluster} names the data directory of the
 * cluster last started.
 *
 * @param supervisorPid the supervisor JVM
 * @param options what the cluster was started with
 * @param phase {@code starting}, {@code ready} or {@code stopping}
 * @param children every child process by what it is ({@code mysqld zone1-0000000100}, {@code etcd})
 */
public record LocalState(long supervisorPid, LocalOptions options, String phase, Map<String, Long> children) {
    /** The state file inside the data directory. */
    public static final String FILE = "local.json";

    public LocalState {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(phase, "phase");
        children = Map.copyOf(children);
    }

    /** This state with one more child (or a new PID for a known one). */
    public LocalState withChild(String name, long pid) {
        Map<String, Long> m = new LinkedHashMap<>(children);
        m.put(name, pid);
        return new LocalState(supervisorPid, options, phase, m);
    }

    public LocalState withPhase(String newPhase) {
        return new LocalState(supervisorPid, options, newPhase, children);
    }

    /** The JSON form. */
    public String toJson() {
        JsonObject.Builder kids = JsonObject.builder();
        children.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> kids.put(e.getKey(), e.getValue()));
        return JsonObject.builder()
                .put("supervisor_pid", supervisorPid)
                .put("phase", phase)
                .put("data_dir", options.dataDir().toString())
                .put("keep_data", options.keepData())
                .put("topo", options.topo().flag())
                .put("shards", options.shards())
                .put("replicas", options.replicas())
                .put("children", kids.build())
                .build().toPrettyJson() + "\n";
    }

    /**
     * Parses {@link #toJson()}'s form.
     *
     * @throws IllegalArgumentException naming what is missing or malformed, and {@code source}
     */
    public static LocalState fromJson(String text, String source) {
        try {
            JsonObject o = object(Json.parse(text), source);
            Map<String, Long> kids = new LinkedHashMap<>();
            object(field(o, "children", source), source + " children").members()
                    .forEach((k, v) -> kids.put(k, number(v, source + " children." + k)));
            LocalOptions options = new LocalOptions((int) number(field(o, "shards", source), source + " shards"),
                    (int) number(field(o, "replicas", source), source + " replicas"),
                    TopoKind.parse(string(field(o, "topo", source), source + " topo")),
                    Path.of(string(field(o, "data_dir", source), source + " data_dir")),
                    field(o, "keep_data", source).toJson().equals("true"));
            return new LocalState(number(field(o, "supervisor_pid", source), source + " supervisor_pid"), options,
                    string(field(o, "phase", source), source + " phase"), kids);
        } catch (JsonException e) {
            throw new IllegalArgumentException(source + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Writes {@code DATA/local.json} atomically (a reader never sees half a file). */
    public void write() {
        Path file = options.dataDir().resolve(FILE);
        Path tmp = options.dataDir().resolve(FILE + ".tmp");
        try {
            Files.writeString(tmp, toJson(), StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Reads {@code dataDir/local.json}, if there is one. */
    public static Optional<LocalState> read(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(fromJson(Files.readString(file, StandardCharsets.UTF_8), file.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static Json field(JsonObject o, String name, String source) {
        return o.get(name).orElseThrow(() -> new IllegalArgumentException(source + ": missing \"" + name + "\""));
    }

    private static JsonObject object(Json j, String what) {
        if (j instanceof JsonObject o) {
            return o;
        }
        throw new IllegalArgumentException(what + ": expected an object, got " + j.typeName());
    }

    private static long number(Json j, String what) {
        if (j instanceof JsonNumber n && n.isIntegral()) {
            return n.longValueExact();
        }
        throw new IllegalArgumentException(what + ": expected an integer, got " + j.toJson());
    }

    private static String string(Json j, String what) {
        if (j instanceof JsonString s) {
            return s.value();
        }
        throw new IllegalArgumentException(what + ": expected a string, got " + j.toJson());
    }
}
