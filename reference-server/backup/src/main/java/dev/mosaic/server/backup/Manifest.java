package dev.mosaic.server.backup;

import dev.mosaic.api.cluster.TabletAlias;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The MANIFEST file the framework writes last into every backup, with Vitess's field names where
 * Vitess has one ({@code BackupMethod}, {@code Position}, {@code BackupTime}, {@code FinishedTime},
 * {@code Keyspace}, {@code Shard}, {@code TabletAlias}, {@code BackupName}, {@code ServerID},
 * {@code MySQLVersion}) plus {@code Bytes} and the engine's {@code Details}.
 */
final class Manifest {
    /** The file's name inside a backup. */
    static final String FILE_NAME = "MANIFEST";

    private Manifest() {
    }

    static byte[] encode(BackupInfo info, Optional<Long> serverId, Optional<String> version) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("BackupMethod", info.engine());
        m.put("BackupName", info.name());
        m.put("Position", info.position());
        m.put("BackupTime", info.startTime().toString());
        m.put("FinishedTime", info.finishTime().toString());
        m.put("Keyspace", info.keyspace());
        m.put("Shard", info.shard());
        m.put("TabletAlias", info.tablet().toString());
        serverId.ifPresent(id -> m.put("ServerID", id));
        version.ifPresent(v -> m.put("MySQLVersion", v));
        m.put("Bytes", info.bytes());
        m.put("Details", new LinkedHashMap<>(new java.util.TreeMap<>(info.details())));
        return Json.write(m).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Decodes a MANIFEST.
     *
     * @throws IllegalArgumentException naming what is missing or malformed
     */
    static BackupInfo decode(byte[] bytes) {
        Map<String, Object> m = Json.parse(new String(bytes, StandardCharsets.UTF_8));
        Map<String, String> details = new LinkedHashMap<>();
        Object d = m.get("Details");
        if (d != null) {
            if (!(d instanceof Map<?, ?> dm)) {
                throw new IllegalArgumentException("Details is not an object");
            }
            dm.forEach((k, v) -> {
                if (!(v instanceof String s)) {
                    throw new IllegalArgumentException("Details." + k + " is not a string");
                }
                details.put((String) k, s);
            });
        }
        Object bytesField = m.get("Bytes");
        if (bytesField != null && !(bytesField instanceof Long)) {
            throw new IllegalArgumentException("Bytes is not an integer");
        }
        try {
            return new BackupInfo(str(m, "Keyspace"), str(m, "Shard"), str(m, "BackupName"), str(m, "BackupMethod"),
                    str(m, "Position"), Instant.parse(str(m, "BackupTime")), Instant.parse(str(m, "FinishedTime")),
                    TabletAlias.parse(str(m, "TabletAlias")), bytesField == null ? 0 : (Long) bytesField, details);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("bad time: " + e.getMessage(), e);
        }
    }

    private static String str(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException(key + (v == null ? " is missing" : " is not a string"));
        }
        return s;
    }
}
