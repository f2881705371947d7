package dev.mosaic.topo.consul;

import dev.mosaic.spi.topo.TopoStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The Consul agent a test talks to: a real one when {@code CONSUL_HTTP_ADDR} is set (host:port or
 * http://host:port), else one {@link ConsulStandIn} shared by the test JVM.
 */
final class ConsulBackend {
    private static ConsulStandIn standIn;

    private ConsulBackend() {
    }

    /** The real agent's address from {@code CONSUL_HTTP_ADDR}, if set. */
    static Optional<String> realAddress() {
        String a = System.getenv("CONSUL_HTTP_ADDR");
        if (a == null || a.isBlank()) {
            return Optional.empty();
        }
        a = a.trim();
        if (a.startsWith("http://")) {
            a = a.substring("http://".length());
        }
        return Optional.of(a.endsWith("/") ? a.substring(0, a.length() - 1) : a);
    }

    static synchronized ConsulStandIn standIn() {
        if (standIn == null) {
            try {
                standIn = ConsulStandIn.start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the Consul stand-in", e);
            }
        }
        return standIn;
    }

    /**
     * Configuration for a store on {@code address}: short TTLs against the stand-in, Consul's
     * minimum (10s) against a real agent.
     */
    static Map<String, String> config(String address, boolean real, String root) {
        return Map.of("address", address, "root", root,
                "session_ttl", real ? "10s" : "1s",
                "request_timeout", "5s",
                "watch_wait", real ? "10s" : "5s",
                "watch_retry_timeout", "10s");
    }

    /** Destroys every session {@code store} holds, through the HTTP API, as a crash would end them. */
    static void destroySessions(String address, TopoStore store) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (String id : ((ConsulTopoStore) store).liveSessionIds()) {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + address + "/v1/session/destroy/" + id))
                    .PUT(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException("session destroy answered " + r.statusCode() + ": " + r.body());
            }
        }
    }
}
