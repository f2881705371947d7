package dev.mosaic.topo.consul;

import dev.mosaic.api.json.JsonObject;
import dev.mosaic.api.json.JsonString;
import dev.mosaic.api.json.JsonNull;
import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * One Consul session (behavior {@code delete}: keys it holds are deleted when it is invalidated, so
 * lock and leader keys vanish with their holder). Consul invalidates a session that is not renewed
 * between {@code ttl} and {@code 2 * ttl} after the last renewal; {@link #aliveForSure()} uses the
 * lower bound, the only one a holder may rely on.
 */
final class ConsulSession {
    final String id;
    final Duration ttl;
    private volatile boolean lost;
    private volatile long lastConfirmedNanos;

    private ConsulSession(String id, Duration ttl, long confirmedAt) {
        this.id = id;
        this.ttl = ttl;
        this.lastConfirmedNanos = confirmedAt;
    }

    /** PUT /v1/session/create. */
    static ConsulSession create(ConsulHttp http, String name, Duration ttl, Duration lockDelay, String path) {
        long before = System.nanoTime();
        String body = JsonObject.builder()
                .put("Name", name)
                .put("TTL", ConsulHttp.goDuration(ttl))
                .put("LockDelay", ConsulHttp.goDuration(lockDelay))
                .put("Behavior", "delete")
                .build().toJson();
        ConsulHttp.Reply r = http.put("/v1/session/create", path, List.of(), body.getBytes(StandardCharsets.UTF_8));
        if (!r.ok()) {
            if (r.status() == 400 || r.status() == 500 && r.body().contains("TTL")) {
                throw new TopoException(TopoError.UNAVAILABLE, path, "consul refused the session (a real Consul server "
                        + "accepts TTLs of 10s..24h only): " + r.body().trim());
            }
            throw ConsulHttp.unexpected(r, path);
        }
        if (ConsulKv.parse(r.body(), path) instanceof JsonObject o
                && o.get("ID").orElse(JsonNull.INSTANCE) instanceof JsonString s) {
            return new ConsulSession(s.value(), ttl, before);
        }
        throw new TopoException(TopoError.UNAVAILABLE, path, "consul session create returned no ID: " + r.body());
    }

    /**
     * PUT /v1/session/renew/:id. A 404 means Consul already invalidated the session: it is marked
     * lost for good.
     *
     * @return false if the session is lost
     * @throws TopoException if Consul cannot be reached (the session may still be alive)
     */
    boolean renew(ConsulHttp http) {
        if (lost) {
            return false;
        }
        long before = System.nanoTime();
        ConsulHttp.Reply r = http.put("/v1/session/renew/" + id, "session " + id, List.of(), null);
        if (r.status() == 404) {
            lost = true;
            return false;
        }
        if (!r.ok()) {
            throw ConsulHttp.unexpected(r, "session " + id);
        }
        lastConfirmedNanos = before;
        return true;
    }

    /** PUT /v1/session/destroy/:id; its locks and leader keys are deleted by Consul. */
    void destroy(ConsulHttp http) {
        lost = true;
        ConsulHttp.Reply r = http.put("/v1/session/destroy/" + id, "session " + id, List.of(), null);
        if (!r.ok()) {
            throw ConsulHttp.unexpected(r, "session " + id);
        }
    }

    void markLost() {
        lost = true;
    }

    boolean isLost() {
        return lost;
    }

    /** True while Consul cannot have invalidated the session yet: renewed less than one TTL ago. */
    boolean aliveForSure() {
        return !lost && System.nanoTime() - lastConfirmedNanos < ttl.toNanos();
    }
}
