package dev.mosaic.topo.consul;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mosaic.api.json.Json;
import dev.mosaic.api.json.JsonArray;
import dev.mosaic.api.json.JsonNull;
import dev.mosaic.api.json.JsonNumber;
import dev.mosaic.api.json.JsonObject;
import dev.mosaic.api.json.JsonString;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A <b>stand-in</b> for a Consul agent: an in-process HTTP server (the JDK's
 * {@code com.sun.net.httpserver}) implementing exactly the subset of Consul's HTTP API that the
 * {@code consul} topology plugin uses, written from Consul's API documentation (KV store,
 * transactions, sessions, blocking queries) because no real Consul server can run on the build
 * machines. It is <b>not</b> Consul, and a test passing against it does not prove that the plugin
 * works against Consul.
 *
 * <p><b>Implemented, with Consul's documented semantics:</b>
 * <ul>
 *   <li>{@code GET /v1/kv/:key} with {@code ?recurse}, {@code ?keys} and {@code ?separator};
 *       JSON entries with base64 {@code Value}, {@code CreateIndex}, {@code ModifyIndex},
 *       {@code LockIndex}, {@code Flags}, {@code Session}; 404 when nothing matches.</li>
 *   <li>{@code PUT /v1/kv/:key} with {@code ?cas} (0 = create only), {@code ?acquire},
 *       {@code ?release}, {@code ?flags}: acquire by the holder itself succeeds (re-entrant, as in
 *       Consul), acquire with an unknown session is a 500, acquire during a key's lock-delay
 *       returns false; a plain PUT keeps the holder.</li>
 *   <li>{@code DELETE /v1/kv/:key} with {@code ?recurse} and {@code ?cas}; like Consul, a
 *       {@code ?cas} delete of a missing key answers {@code true}.</li>
 *   <li>{@code PUT /v1/txn} with KV verbs {@code set, cas, get, check-index, check-session,
 *       check-not-exists, delete, delete-cas}: all-or-nothing, one index for the whole
 *       transaction, 409 with {@code Errors} when an operation fails.</li>
 *   <li>Blocking queries on every KV read: {@code ?index=&wait=} (default 5m, capped at 10m, plus
 *       up to wait/16 of random jitter as Consul adds), returning when the result's index exceeds
 *       {@code index}; {@code X-Consul-Index} is the entry's ModifyIndex for a single key, the
 *       highest ModifyIndex or tombstone index under a prefix, and the KV table's index
 *       otherwise.</li>
 *   <li>Sessions: {@code PUT /v1/session/create} ({@code Name}, {@code TTL}, {@code LockDelay}
 *       as a duration or a number of seconds below 1000, {@code Behavior} release/delete, default
 *       lock-delay 15s), {@code /destroy/:id}, {@code /renew/:id} (404 for an unknown session),
 *       {@code GET /v1/session/info/:id}. A session is invalidated when not renewed for
 *       <b>twice</b> its TTL (Consul's TTL multiplier); invalidation releases or deletes its keys
 *       per behavior and starts each key's lock-delay. A restart resets TTL timers, as a Consul
 *       leader election does.</li>
 * </ul>
 *
 * <p><b>Not faithful (known differences):</b> a single node with no Raft, no persistence beyond
 * the JVM, no ACLs (the token header is ignored), no datacenters or consistency modes, no
 * tombstone reaping, no request-rate limits, no agent or catalog endpoints, no node health checks
 * bound to sessions. By default it accepts session TTLs shorter than Consul's 10s minimum so that
 * tests run quickly; {@link #enforceConsulTtlBounds()} restores the 10s..24h check. Error texts
 * only resemble Consul's.
 */
public final class ConsulStandIn implements AutoCloseable {
    private static final long TTL_MULTIPLIER = 2;
    private static final long MAX_WAIT_MS = 600_000;

    private record Kv(String key, byte[] value, long createIndex, long modifyIndex, long lockIndex, long flags,
                      String session) {
    }

    private record Sess(String id, String name, long ttlNanos, long lockDelayNanos, String behavior, long createIndex) {
    }

    private final TreeMap<String, Kv> kv = new TreeMap<>();
    private final TreeMap<String, Long> tombstones = new TreeMap<>();
    private final Map<String, Sess> sessions = new LinkedHashMap<>();
    private final Map<String, Long> lastRenew = new HashMap<>();
    private final Map<String, Long> lockDelayUntil = new HashMap<>();
    private long index = 1;
    private long kvIndex = 1;
    private boolean enforceTtlBounds;

    private final int port;
    private final ExecutorService pool;
    private final Thread reaper;
    private HttpServer server;
    private volatile boolean running;
    private volatile boolean closed;

    private ConsulStandIn(int port) throws IOException {
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "consul-stand-in");
            t.setDaemon(true);
            return t;
        });
        this.server = bind(port);
        this.port = server.getAddress().getPort();
        this.running = true;
        this.reaper = new Thread(this::reap, "consul-stand-in-session-reaper");
        this.reaper.setDaemon(true);
        this.reaper.start();
    }

    /** Starts a stand-in on a free loopback port. */
    public static ConsulStandIn start() throws IOException {
        return new ConsulStandIn(0);
    }

    /** The address to configure: {@code 127.0.0.1:port}. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    /** Makes session create refuse TTLs outside Consul's 10s..24h, as a real server does. */
    public synchronized ConsulStandIn enforceConsulTtlBounds() {
        enforceTtlBounds = true;
        return this;
    }

    private HttpServer bind(int p) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", p), 64);
        s.createContext("/v1/kv/", this::handle);
        s.createContext("/v1/txn", this::handle);
        s.createContext("/v1/session/", this::handle);
        s.setExecutor(pool);
        s.start();
        return s;
    }

    /** Stops serving (requests in flight, blocking queries included, are cut off); state is kept until {@link #resume()}. */
    public void stop() {
        synchronized (this) {
            running = false;
            notifyAll();
        }
        server.stop(0);
    }

    /** Serves again on the same port with the same state; session TTL timers restart. */
    public void resume() throws IOException {
        synchronized (this) {
            long now = System.nanoTime();
            lastRenew.replaceAll((k, v) -> now);
            running = true;
        }
        server = bind(port);
    }

    /** {@link #stop()} then {@link #resume()}. */
    public void restart() throws IOException {
        stop();
        resume();
    }

    /** Invalidates a session as Consul does when it expires or is destroyed. */
    public synchronized void destroySession(String id) {
        invalidate(id);
    }

    /** The ids of the live sessions. */
    public synchronized List<String> sessionIds() {
        return List.copyOf(sessions.keySet());
    }

    @Override
    public void close() {
        closed = true;
        stop();
        reaper.interrupt();
        pool.shutdownNow();
    }

    // ---- sessions -----------------------------------------------------------------------

    private void reap() {
        while (!closed) {
            synchronized (this) {
                long now = System.nanoTime();
                for (Sess s : List.copyOf(sessions.values())) {
                    Long last = lastRenew.get(s.id());
                    if (running && s.ttlNanos() > 0 && last != null && now - last > s.ttlNanos() * TTL_MULTIPLIER) {
                        invalidate(s.id());
                    }
                }
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void invalidate(String id) {
        Sess s = sessions.remove(id);
        lastRenew.remove(id);
        if (s == null) {
            return;
        }
        long idx = ++index;
        boolean changed = false;
        for (Kv e : List.copyOf(kv.values())) {
            if (id.equals(e.session())) {
                changed = true;
                if (s.lockDelayNanos() > 0) {
                    lockDelayUntil.put(e.key(), System.nanoTime() + s.lockDelayNanos());
                }
                if (s.behavior().equals("delete")) {
                    kv.remove(e.key());
                    tombstones.put(e.key(), idx);
                } else {
                    kv.put(e.key(), new Kv(e.key(), e.value(), e.createIndex(), idx, e.lockIndex(), e.flags(), ""));
                }
            }
        }
        if (changed) {
            kvIndex = idx;
        }
        notifyAll();
    }

    private static long parseGoDuration(String s) {
        s = s.trim();
        if (s.equals("0")) {
            return 0;
        }
        long total = 0;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            int unitStart = i;
            while (i < s.length() && Character.isLetter(s.charAt(i))) {
                i++;
            }
            if (start == unitStart || unitStart == i) {
                throw new IllegalArgumentException("bad duration " + s);
            }
            double n = Double.parseDouble(s.substring(start, unitStart));
            long unit = switch (s.substring(unitStart, i)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> throw new IllegalArgumentException("bad duration unit in " + s);
            };
            total += Math.round(n * unit);
        }
        return total;
    }

    private Reply session(String method, String rest, byte[] body) {
        if (method.equals("PUT") && rest.equals("create")) {
            JsonObject o = body.length == 0 ? JsonObject.EMPTY : (JsonObject) Json.parse(new String(body, StandardCharsets.UTF_8));
            long ttl = 0;
            if (o.get("TTL").orElse(JsonNull.INSTANCE) instanceof JsonString t && !t.value().isEmpty()) {
                try {
                    ttl = parseGoDuration(t.value());
                } catch (IllegalArgumentException e) {
                    return new Reply(400, "Request decode failed: " + e.getMessage(), kvIndex);
                }
                if (ttl <= 0 || enforceTtlBounds && (ttl < 10_000_000_000L || ttl > 86_400_000_000_000L)) {
                    return new Reply(400, "Invalid Session TTL '" + ttl + "', must be between [10s=24h0m0s]", kvIndex);
                }
            }
            long lockDelay = 15_000_000_000L;
            Json ld = o.get("LockDelay").orElse(JsonNull.INSTANCE);
            if (ld instanceof JsonString s) {
                lockDelay = parseGoDuration(s.value());
            } else if (ld instanceof JsonNumber n) {
                long v = n.value().longValue();
                lockDelay = v < 1000 ? v * 1_000_000_000L : v;
            }
            String behavior = o.get("Behavior").orElse(JsonNull.INSTANCE) instanceof JsonString b ? b.value() : "release";
            if (!behavior.equals("release") && !behavior.equals("delete")) {
                return new Reply(400, "Invalid Behavior setting '" + behavior + "'", kvIndex);
            }
            String name = o.get("Name").orElse(JsonNull.INSTANCE) instanceof JsonString n ? n.value() : "";
            String id = UUID.randomUUID().toString();
            sessions.put(id, new Sess(id, name, ttl, lockDelay, behavior, ++index));
            lastRenew.put(id, System.nanoTime());
            return new Reply(200, JsonObject.builder().put("ID", id).build().toJson(), index);
        }
        if (method.equals("PUT") && rest.startsWith("destroy/")) {
            invalidate(rest.substring("destroy/".length()));
            return new Reply(200, "true", index);
        }
        if (method.equals("PUT") && rest.startsWith("renew/")) {
            String id = rest.substring("renew/".length());
            Sess s = sessions.get(id);
            if (s == null) {
                return new Reply(404, "Session id '" + id + "' not found", index);
            }
            lastRenew.put(id, System.nanoTime());
            return new Reply(200, new JsonArray(List.of(sessionJson(s))).toJson(), index);
        }
        if (method.equals("GET") && rest.startsWith("info/")) {
            Sess s = sessions.get(rest.substring("info/".length()));
            return new Reply(200, s == null ? "[]" : new JsonArray(List.of(sessionJson(s))).toJson(), index);
        }
        return new Reply(405, "method not allowed", index);
    }

    private static Json sessionJson(Sess s) {
        return JsonObject.builder().put("ID", s.id()).put("Name", s.name())
                .put("TTL", s.ttlNanos() == 0 ? "" : (s.ttlNanos() / 1_000_000) + "ms")
                .put("LockDelay", s.lockDelayNanos()).put("Behavior", s.behavior())
                .put("CreateIndex", s.createIndex()).put("ModifyIndex", s.createIndex()).build();
    }

    // ---- HTTP plumbing ------------------------------------------------------------------

    private record Reply(int status, String body, long index) {
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    private static String decodePath(String rawPath) {
        // percent-decoding only ('+' is a literal plus in a path)
        return URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!running) {
                return; // cut off: the client sees the connection close without a response
            }
            String path = decodePath(ex.getRequestURI().getRawPath());
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            byte[] body = ex.getRequestBody().readAllBytes();
            String method = ex.getRequestMethod();
            Reply r;
            try {
                if (path.startsWith("/v1/kv/")) {
                    r = kvRequest(method, path.substring("/v1/kv/".length()), q, body);
                } else if (path.equals("/v1/txn")) {
                    synchronized (this) {
                        r = txn(body);
                    }
                } else if (path.startsWith("/v1/session/")) {
                    synchronized (this) {
                        r = session(method, path.substring("/v1/session/".length()), body);
                    }
                } else {
                    r = new Reply(404, "not found", index);
                }
            } catch (RuntimeException e) {
                r = new Reply(400, "bad request: " + e, index);
            }
            if (r == null || !running) {
                return;
            }
            byte[] out = r.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", r.status() == 200 ? "application/json" : "text/plain");
            ex.getResponseHeaders().set("X-Consul-Index", Long.toString(r.index()));
            ex.getResponseHeaders().set("X-Consul-KnownLeader", "true");
            ex.getResponseHeaders().set("X-Consul-LastContact", "0");
            ex.sendResponseHeaders(r.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(out);
                }
            }
        }
    }

    // ---- KV -----------------------------------------------------------------------------

    private Reply kvRequest(String method, String key, Map<String, String> q, byte[] body) {
        switch (method) {
            case "GET":
                return blockingRead(key, q);
            case "PUT":
                synchronized (this) {
                    return put(key, q, body);
                }
            case "DELETE":
                synchronized (this) {
                    return delete(key, q);
                }
            default:
                return new Reply(405, "method not allowed", index);
        }
    }

    private Reply blockingRead(String key, Map<String, String> q) {
        long min = q.containsKey("index") ? Long.parseLong(q.get("index")) : 0;
        long waitMs = q.containsKey("wait") ? Math.min(MAX_WAIT_MS, parseGoDuration(q.get("wait")) / 1_000_000) : 300_000;
        waitMs += ThreadLocalRandom.current().nextLong(waitMs / 16 + 1);
        long deadline = System.nanoTime() + waitMs * 1_000_000L;
        synchronized (this) {
            while (true) {
                if (!running) {
                    return null;
                }
                Reply r = read(key, q);
                long left = deadline - System.nanoTime();
                if (min == 0 || r.index() > min || left <= 0) {
                    return r;
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
    }

    private long prefixIndex(String prefix) {
        long idx = 0;
        for (Kv e : kv.tailMap(prefix, true).values()) {
            if (!e.key().startsWith(prefix)) {
                break;
            }
            idx = Math.max(idx, e.modifyIndex());
        }
        for (Map.Entry<String, Long> t : tombstones.tailMap(prefix, true).entrySet()) {
            if (!t.getKey().startsWith(prefix)) {
                break;
            }
            idx = Math.max(idx, t.getValue());
        }
        return idx == 0 ? kvIndex : idx;
    }

    private Reply read(String key, Map<String, String> q) {
        if (q.containsKey("keys")) {
            String sep = q.getOrDefault("separator", "");
            List<String> keys = new ArrayList<>();
            for (Kv e : kv.tailMap(key, true).values()) {
                if (!e.key().startsWith(key)) {
                    break;
                }
                String k = e.key();
                if (!sep.isEmpty()) {
                    int i = k.indexOf(sep, key.length());
                    if (i >= 0) {
                        k = k.substring(0, i + sep.length());
                    }
                }
                if (keys.isEmpty() || !keys.get(keys.size() - 1).equals(k)) {
                    keys.add(k);
                }
            }
            long idx = prefixIndex(key);
            return keys.isEmpty() ? new Reply(404, "", idx) : new Reply(200, Json.ofStrings(keys).toJson(), idx);
        }
        if (q.containsKey("recurse")) {
            List<Json> out = new ArrayList<>();
            for (Kv e : kv.tailMap(key, true).values()) {
                if (!e.key().startsWith(key)) {
                    break;
                }
                out.add(json(e, true));
            }
            long idx = prefixIndex(key);
            return out.isEmpty() ? new Reply(404, "", idx) : new Reply(200, new JsonArray(out).toJson(), idx);
        }
        Kv e = kv.get(key);
        if (e == null) {
            return new Reply(404, "", kvIndex);
        }
        return new Reply(200, new JsonArray(List.of(json(e, true))).toJson(), e.modifyIndex());
    }

    private static Json json(Kv e, boolean withValue) {
        JsonObject.Builder b = JsonObject.builder()
                .put("LockIndex", e.lockIndex()).put("Key", e.key()).put("Flags", e.flags())
                .put("Value", withValue ? Json.of(Base64.getEncoder().encodeToString(e.value())) : JsonNull.INSTANCE)
                .put("CreateIndex", e.createIndex()).put("ModifyIndex", e.modifyIndex());
        if (!e.session().isEmpty()) {
            b.put("Session", e.session());
        }
        return b.build();
    }

    private void wrote(long idx) {
        index = idx;
        kvIndex = idx;
        notifyAll();
    }

    private Reply put(String key, Map<String, String> q, byte[] body) {
        long flags = q.containsKey("flags") ? Long.parseLong(q.get("flags")) : 0;
        Kv old = kv.get(key);
        long idx = index + 1;
        if (q.containsKey("acquire")) {
            String sid = q.get("acquire");
            if (!sessions.containsKey(sid)) {
                return new Reply(500, "invalid session \"" + sid + "\"", index);
            }
            Long until = lockDelayUntil.get(key);
            if (until != null && until - System.nanoTime() > 0) {
                return new Reply(200, "false", index);
            }
            long lockIndex;
            if (old == null) {
                lockIndex = 1;
            } else if (old.session().equals(sid)) {
                lockIndex = old.lockIndex();
            } else if (!old.session().isEmpty()) {
                return new Reply(200, "false", index);
            } else {
                lockIndex = old.lockIndex() + 1;
            }
            kv.put(key, new Kv(key, body, old == null ? idx : old.createIndex(), idx, lockIndex, flags, sid));
            wrote(idx);
            return new Reply(200, "true", idx);
        }
        if (q.containsKey("release")) {
            String sid = q.get("release");
            if (old == null || !old.session().equals(sid)) {
                return new Reply(200, "false", index);
            }
            kv.put(key, new Kv(key, body, old.createIndex(), idx, old.lockIndex(), flags, ""));
            wrote(idx);
            return new Reply(200, "true", idx);
        }
        if (q.containsKey("cas")) {
            long cas = Long.parseLong(q.get("cas"));
            if (cas == 0 && old != null || cas != 0 && (old == null || old.modifyIndex() != cas)) {
                return new Reply(200, "false", index);
            }
        }
        set(key, body, flags, idx);
        wrote(idx);
        return new Reply(200, "true", idx);
    }

    private void set(String key, byte[] value, long flags, long idx) {
        Kv old = kv.get(key);
        kv.put(key, old == null ? new Kv(key, value, idx, idx, 0, flags, "")
                : new Kv(key, value, old.createIndex(), idx, old.lockIndex(), flags, old.session()));
        tombstones.remove(key);
    }

    private void remove(String key, long idx) {
        if (kv.remove(key) != null) {
            tombstones.put(key, idx);
        }
    }

    private Reply delete(String key, Map<String, String> q) {
        long idx = index + 1;
        if (q.containsKey("recurse")) {
            for (String k : List.copyOf(kv.tailMap(key, true).keySet())) {
                if (!k.startsWith(key)) {
                    break;
                }
                remove(k, idx);
            }
            wrote(idx);
            return new Reply(200, "true", idx);
        }
        Kv old = kv.get(key);
        if (q.containsKey("cas")) {
            long cas = Long.parseLong(q.get("cas"));
            if (old == null || old.modifyIndex() != cas) {
                return new Reply(200, old == null ? "true" : "false", index); // Consul: missing key counts as deleted
            }
        }
        if (old != null) {
            remove(key, idx);
            wrote(idx);
        }
        return new Reply(200, "true", index);
    }

    // ---- transactions -------------------------------------------------------------------

    private Reply txn(byte[] body) {
        Json parsed = Json.parse(new String(body, StandardCharsets.UTF_8));
        if (!(parsed instanceof JsonArray ops)) {
            return new Reply(400, "Failed to parse body: expected an array", index);
        }
        TreeMap<String, Kv> kvBefore = new TreeMap<>(kv);
        TreeMap<String, Long> tombBefore = new TreeMap<>(tombstones);
        long idx = index + 1;
        boolean wroteAny = false;
        List<Json> results = new ArrayList<>();
        for (int i = 0; i < ops.elements().size(); i++) {
            JsonObject op = (JsonObject) ((JsonObject) ops.elements().get(i)).get("KV").orElseThrow();
            String verb = str(op, "Verb");
            String key = str(op, "Key");
            long opIndex = op.get("Index").orElse(JsonNull.INSTANCE) instanceof JsonNumber n ? n.value().longValue() : 0;
            Kv old = kv.get(key);
            String error = null;
            switch (verb) {
                case "set" -> {
                    set(key, value(op), 0, idx);
                    results.add(json(kv.get(key), false));
                    wroteAny = true;
                }
                case "cas" -> {
                    if (opIndex == 0 && old != null || opIndex != 0 && (old == null || old.modifyIndex() != opIndex)) {
                        error = "failed to set key \"" + key + "\", index is stale";
                    } else {
                        set(key, value(op), 0, idx);
                        results.add(json(kv.get(key), false));
                        wroteAny = true;
                    }
                }
                case "get" -> {
                    if (old == null) {
                        error = "key \"" + key + "\" doesn't exist";
                    } else {
                        results.add(json(old, true));
                    }
                }
                case "check-index" -> {
                    if (old == null) {
                        error = "failed to check index, key \"" + key + "\" doesn't exist";
                    } else if (old.modifyIndex() != opIndex) {
                        error = "failed index check for key \"" + key + "\", current modify index "
                                + old.modifyIndex() + " != " + opIndex;
                    } else {
                        results.add(json(old, false));
                    }
                }
                case "check-session" -> {
                    String sid = str(op, "Session");
                    if (old == null) {
                        error = "failed to check session, key \"" + key + "\" doesn't exist";
                    } else if (!old.session().equals(sid)) {
                        error = "failed session check for key \"" + key + "\", current session \"" + old.session()
                                + "\" != \"" + sid + "\"";
                    } else {
                        results.add(json(old, false));
                    }
                }
                case "check-not-exists" -> {
                    if (old != null) {
                        error = "key \"" + key + "\" exists";
                    }
                }
                case "delete" -> {
                    remove(key, idx);
                    wroteAny = true;
                }
                case "delete-cas" -> {
                    if (old != null && old.modifyIndex() != opIndex) {
                        error = "failed to delete key \"" + key + "\", index is stale";
                    } else {
                        remove(key, idx);
                        wroteAny = true;
                    }
                }
                default -> error = "unknown KV verb \"" + verb + "\"";
            }
            if (error != null) {
                kv.clear();
                kv.putAll(kvBefore);
                tombstones.clear();
                tombstones.putAll(tombBefore);
                JsonObject err = JsonObject.builder().put("OpIndex", (long) i).put("What", error).build();
                String out = JsonObject.builder().put("Results", JsonNull.INSTANCE)
                        .put("Errors", new JsonArray(List.of(err))).build().toJson();
                return new Reply(409, out, index);
            }
        }
        if (wroteAny) {
            wrote(idx);
        }
        List<Json> wrapped = results.stream().<Json>map(r -> JsonObject.builder().put("KV", r).build()).toList();
        String out = JsonObject.builder().put("Results", new JsonArray(wrapped)).put("Errors", JsonNull.INSTANCE)
                .build().toJson();
        return new Reply(200, out, index);
    }

    private static String str(JsonObject o, String name) {
        return o.get(name).orElse(JsonNull.INSTANCE) instanceof JsonString s ? s.value() : "";
    }

    private static byte[] value(JsonObject op) {
        return op.get("Value").orElse(JsonNull.INSTANCE) instanceof JsonString s
                ? Base64.getDecoder().decode(s.value()) : new byte[0];
    }
}
