package dev.mosaic.server.backup;

import dev.mosaic.api.cluster.TabletAlias;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The MANIFEST file the framework writes last into every backup, with Vitess's field names where
 * Vitess has one ({@code BackupMethod}, {@code Position}, {@code BackupTime}, {@code FinishedTime},
 * {@code Keyspace}, {@code Shard}, {@code TabletAlias}, {@code BackupName}, {@code ServerID},
 * {@code MySQLVersion}) plus {@code Bytes} and the engine's {@code Details}.
 */
final class Manifest {
    /** The file's name inside a backup. */
    static final String FILE_NAME = "MANIFEST";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private Manifest() {
    }

    static byte[] encode(BackupInfo info, Optional<Long> serverId, Optional<String> version) {
        JsonObject m = new JsonObject();
        m.addProperty("BackupMethod", info.engine());
        m.addProperty("BackupName", info.name());
        m.addProperty("Position", info.position());
        m.addProperty("BackupTime", info.startTime().toString());
        m.addProperty("FinishedTime", info.finishTime().toString());
        m.addProperty("Keyspace", info.keyspace());
        m.addProperty("Shard", info.shard());
        m.addProperty("TabletAlias", info.tablet().toString());
        serverId.ifPresent(id -> m.addProperty("ServerID", id));
        version.ifPresent(v -> m.addProperty("MySQLVersion", v));
        m.addProperty("Bytes", info.bytes());
        JsonObject details = new JsonObject();
        new TreeMap<>(info.details()).forEach(details::addProperty);
        m.add("Details", details);
        return (GSON.toJson(m) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Decodes a MANIFEST.
     *
     * @throws IllegalArgumentException naming what is missing or malformed
     */
    static BackupInfo decode(byte[] bytes) {
        JsonElement root;
        try {
            root = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (!root.isJsonObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonObject m = root.getAsJsonObject();
        Map<String, String> details = new LinkedHashMap<>();
        JsonElement d = m.get("Details");
        if (d != null && !d.isJsonNull()) {
            if (!d.isJsonObject()) {
                throw new IllegalArgumentException("Details is not an object");
            }
            for (Map.Entry<String, JsonElement> e : d.getAsJsonObject().entrySet()) {
                details.put(e.getKey(), string(e.getValue(), "Details." + e.getKey()));
            }
        }
        long size = 0;
        JsonElement b = m.get("Bytes");
        if (b != null) {
            if (!b.isJsonPrimitive() || !b.getAsJsonPrimitive().isNumber()) {
                throw new IllegalArgumentException("Bytes is not an integer");
            }
            try {
                size = b.getAsBigDecimal().longValueExact();
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("Bytes is not an integer", e);
            }
        }
        try {
            return new BackupInfo(str(m, "Keyspace"), str(m, "Shard"), str(m, "BackupName"), str(m, "BackupMethod"),
                    str(m, "Position"), Instant.parse(str(m, "BackupTime")), Instant.parse(str(m, "FinishedTime")),
                    TabletAlias.parse(str(m, "TabletAlias")), size, details);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("bad time: " + e.getMessage(), e);
        }
    }

    private static String str(JsonObject m, String key) {
        JsonElement v = m.get(key);
        if (v == null || v.isJsonNull()) {
            throw new IllegalArgumentException(key + " is missing");
        }
        return string(v, key);
    }

    private static String string(JsonElement v, String key) {
        if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
            throw new IllegalArgumentException(key + " is not a string");
        }
        return v.getAsString();
    }
}
