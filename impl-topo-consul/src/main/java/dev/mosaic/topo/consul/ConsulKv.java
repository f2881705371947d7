package dev.mosaic.topo.consul;

import dev.mosaic.api.json.Json;
import dev.mosaic.api.json.JsonArray;
import dev.mosaic.api.json.JsonException;
import dev.mosaic.api.json.JsonNull;
import dev.mosaic.api.json.JsonNumber;
import dev.mosaic.api.json.JsonObject;
import dev.mosaic.api.json.JsonString;
import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Consul's KV and transaction endpoints over one {@link ConsulHttp} channel: typed entries, the
 * statuses each endpoint documents, and nothing about topology paths.
 */
final class ConsulKv {
    /** One KV entry as Consul returns it; {@code session} is empty when unlocked. */
    record Entry(String key, byte[] value, long createIndex, long modifyIndex, long lockIndex, String session) {
        boolean locked() {
            return !session.isEmpty();
        }
    }

    /** The result of a read, blocking or not, with the {@code X-Consul-Index} to block on next. */
    record Read<T>(T value, long index) {
    }

    /** A transaction's outcome: the per-operation entries if committed, else Consul's error text. */
    record TxnResult(boolean committed, List<Entry> results, String errors) {
    }

    /** Thrown when Consul refuses an acquire because the session no longer exists. */
    static final class InvalidSessionException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidSessionException(String message) {
            super(message);
        }
    }

    private final ConsulHttp http;

    ConsulKv(ConsulHttp http) {
        this.http = http;
    }

    ConsulHttp http() {
        return http;
    }

    private static List<String> blocking(long index, Duration wait) {
        if (index <= 0) {
            return List.of();
        }
        return List.of("index=" + index, "wait=" + ConsulHttp.goDuration(wait));
    }

    /** GET one key; empty on 404. With {@code index > 0} this is a blocking query. */
    Read<Optional<Entry>> get(String key, String path, long index, Duration wait) {
        ConsulHttp.Reply r = http.get(ConsulHttp.kvEndpoint(key), path, blocking(index, wait));
        if (r.status() == 404) {
            return new Read<>(Optional.empty(), r.index());
        }
        if (!r.ok()) {
            throw ConsulHttp.unexpected(r, path);
        }
        List<Entry> entries = parseEntries(r.body(), path);
        Optional<Entry> e = entries.stream().filter(x -> x.key().equals(key)).findFirst();
        return new Read<>(e, r.index());
    }

    Optional<Entry> get(String key, String path) {
        return get(key, path, 0, Duration.ZERO).value();
    }

    /** GET ?recurse: every entry whose key starts with {@code prefix}, sorted by key; empty on 404. */
    Read<List<Entry>> recurse(String prefix, String path, long index, Duration wait) {
        List<String> params = new ArrayList<>();
        params.add("recurse");
        params.addAll(blocking(index, wait));
        ConsulHttp.Reply r = http.get(ConsulHttp.kvEndpoint(prefix), path, params);
        if (r.status() == 404) {
            return new Read<>(List.of(), r.index());
        }
        if (!r.ok()) {
            throw ConsulHttp.unexpected(r, path);
        }
        List<Entry> entries = new ArrayList<>(parseEntries(r.body(), path));
        entries.sort((a, b) -> a.key().compareTo(b.key()));
        return new Read<>(entries, r.index());
    }

    /**
     * GET ?keys&separator=/: the keys directly below {@code prefix}; a key ending in {@code /} stands
     * for a "directory" (a common prefix). Empty on 404.
     */
    List<String> keys(String prefix, String path) {
        ConsulHttp.Reply r = http.get(ConsulHttp.kvEndpoint(prefix), path, List.of("keys", "separator=%2F"));
        if (r.status() == 404) {
            return List.of();
        }
        if (!r.ok()) {
            throw ConsulHttp.unexpected(r, path);
        }
        List<String> out = new ArrayList<>();
        for (Json j : array(parse(r.body(), path), path).elements()) {
            if (j instanceof JsonString s) {
                out.add(s.value());
            }
        }
        return out;
    }

    /**
     * PUT ?acquire=session: takes the lock on {@code key} with {@code value} as contents.
     *
     * @return false if another session holds it (or Consul's lock-delay for the key is running)
     * @throws InvalidSessionException if the session does not exist (any more)
     */
    boolean acquire(String key, String session, byte[] value, String path) {
        ConsulHttp.Reply r = http.put(ConsulHttp.kvEndpoint(key), path, List.of(ConsulHttp.param("acquire", session)), value);
        if (r.ok()) {
            return r.body().trim().equals("true");
        }
        if (r.status() == 500 && r.body().toLowerCase().contains("session")) {
            throw new InvalidSessionException(r.body().trim());
        }
        throw ConsulHttp.unexpected(r, path);
    }

    /** PUT /v1/txn with KV operations; committed or refused as a whole. */
    TxnResult txn(List<JsonObject> kvOps, String path) {
        List<Json> ops = new ArrayList<>();
        for (JsonObject op : kvOps) {
            ops.add(JsonObject.builder().put("KV", op).build());
        }
        String body = new JsonArray(ops).toJson();
        ConsulHttp.Reply r = http.put("/v1/txn", path, List.of(), body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (r.status() == 200) {
            List<Entry> results = new ArrayList<>();
            Json root = parse(r.body(), path);
            if (root instanceof JsonObject o && o.get("Results").orElse(JsonNull.INSTANCE) instanceof JsonArray arr) {
                for (Json res : arr.elements()) {
                    if (res instanceof JsonObject ro && ro.get("KV").orElse(JsonNull.INSTANCE) instanceof JsonObject kv) {
                        results.add(entry(kv, path));
                    }
                }
            }
            return new TxnResult(true, results, "");
        }
        if (r.status() == 409) {
            return new TxnResult(false, List.of(), r.body().trim());
        }
        throw ConsulHttp.unexpected(r, path);
    }

    static JsonObject op(String verb, String key) {
        return JsonObject.builder().put("Verb", verb).put("Key", key).build();
    }

    static JsonObject op(String verb, String key, long index) {
        return JsonObject.builder().put("Verb", verb).put("Key", key).put("Index", index).build();
    }

    static JsonObject opValue(String verb, String key, byte[] value, long index) {
        JsonObject.Builder b = JsonObject.builder().put("Verb", verb).put("Key", key)
                .put("Value", Base64.getEncoder().encodeToString(value));
        if (index >= 0) {
            b.put("Index", index);
        }
        return b.build();
    }

    static JsonObject opSession(String verb, String key, String session) {
        return JsonObject.builder().put("Verb", verb).put("Key", key).put("Session", session).build();
    }

    // ---- JSON ---------------------------------------------------------------------------

    static Json parse(String body, String path) {
        try {
            return Json.parse(body);
        } catch (JsonException e) {
            throw new TopoException(TopoError.UNAVAILABLE, path, "consul sent malformed JSON: " + e.getMessage(), e);
        }
    }

    private static JsonArray array(Json j, String path) {
        if (j instanceof JsonArray a) {
            return a;
        }
        if (j instanceof JsonNull) {
            return JsonArray.EMPTY;
        }
        throw new TopoException(TopoError.UNAVAILABLE, path, "consul sent " + j.typeName() + ", expected an array");
    }

    static List<Entry> parseEntries(String body, String path) {
        List<Entry> out = new ArrayList<>();
        for (Json j : array(parse(body, path), path).elements()) {
            if (j instanceof JsonObject o) {
                out.add(entry(o, path));
            }
        }
        return out;
    }

    private static Entry entry(JsonObject o, String path) {
        String key = o.get("Key").orElse(JsonNull.INSTANCE) instanceof JsonString s ? s.value() : "";
        byte[] value = o.get("Value").orElse(JsonNull.INSTANCE) instanceof JsonString v
                ? Base64.getDecoder().decode(v.value()) : new byte[0];
        String session = o.get("Session").orElse(JsonNull.INSTANCE) instanceof JsonString s2 ? s2.value() : "";
        return new Entry(key, value, num(o, "CreateIndex"), num(o, "ModifyIndex"), num(o, "LockIndex"), session);
    }

    static long num(JsonObject o, String name) {
        return o.get(name).orElse(JsonNull.INSTANCE) instanceof JsonNumber n ? n.value().longValue() : 0;
    }
}
