package dev.mosaic.topo.consul;

import com.ecwid.consul.UrlParameters;
import com.ecwid.consul.transport.HttpResponse;
import com.ecwid.consul.transport.TransportException;
import com.ecwid.consul.v1.ConsulRawClient;
import com.ecwid.consul.v1.Request;
import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.http.NoHttpResponseException;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.protocol.HttpClientContext;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;

/**
 * One HTTP channel to a Consul agent: consul-api's raw client over an Apache HttpClient this class
 * owns, so that its timeouts are ours and {@link #close()} aborts requests in flight (a blocking
 * query in particular). Maps transport failures and unexpected statuses to {@link TopoException}.
 * Thread-safe.
 */
final class ConsulHttp implements AutoCloseable {
    /** A response: HTTP status, body, and {@code X-Consul-Index} (0 when absent). */
    record Reply(int status, String body, long index) {
        boolean ok() {
            return status == 200;
        }
    }

    private final CloseableHttpClient client;
    private final ConsulRawClient raw;
    private final String token;
    private volatile boolean closed;

    /**
     * @param readTimeout socket read timeout: for a channel used for blocking queries it must exceed
     *                    the longest {@code wait} plus Consul's jitter (wait/16)
     */
    ConsulHttp(ConsulSettings settings, Duration readTimeout, int maxConnections) {
        PoolingHttpClientConnectionManager pool = new PoolingHttpClientConnectionManager();
        pool.setMaxTotal(maxConnections);
        pool.setDefaultMaxPerRoute(maxConnections);
        // A pooled keep-alive connection goes stale when the agent restarts; check one that sat idle
        // before reusing it, so a PUT (never retried: it may have been applied) does not hit it.
        pool.setValidateAfterInactivity(200);
        int connectMs = (int) Math.min(Integer.MAX_VALUE, settings.requestTimeout().toMillis());
        RequestConfig rc = RequestConfig.custom()
                .setConnectTimeout(connectMs)
                .setConnectionRequestTimeout(connectMs)
                .setSocketTimeout((int) Math.min(Integer.MAX_VALUE, readTimeout.toMillis()))
                .build();
        this.client = HttpClients.custom().setConnectionManager(pool).setDefaultRequestConfig(rc)
                // A GET that met a connection the agent had dropped is retried once; PUT/DELETE never
                // are (they may have been applied), nor anything after close() (aborting is intended).
                .setRetryHandler((e, count, ctx) -> !closed && count <= 1 && e instanceof NoHttpResponseException
                        && "GET".equals(HttpClientContext.adapt(ctx).getRequest().getRequestLine().getMethod()))
                .build();
        this.raw = new ConsulRawClient(client, settings.host(), settings.port(), "");
        this.token = settings.token().orElse(null);
    }

    Reply get(String endpoint, String path, List<String> params) {
        return call(endpoint, path, params, null, Method.GET);
    }

    Reply put(String endpoint, String path, List<String> params, byte[] body) {
        return call(endpoint, path, params, body, Method.PUT);
    }

    Reply delete(String endpoint, String path, List<String> params) {
        return call(endpoint, path, params, null, Method.DELETE);
    }

    private enum Method { GET, PUT, DELETE }

    private Reply call(String endpoint, String path, List<String> params, byte[] body, Method method) {
        if (closed) {
            throw new TopoException(TopoError.UNAVAILABLE, path, "consul connection is closed");
        }
        Request.Builder b = Request.Builder.newBuilder().setEndpoint(endpoint);
        if (!params.isEmpty()) {
            List<String> copy = List.copyOf(params);
            UrlParameters p = () -> copy;
            b.addUrlParameter(p);
        }
        if (token != null) {
            b.setToken(token);
        }
        if (method == Method.PUT) {
            // consul-api's transport cannot send a PUT without a body (renew, destroy): send an empty one.
            b.setBinaryContent(body == null ? new byte[0] : body);
        }
        HttpResponse r;
        try {
            r = switch (method) {
                case GET -> raw.makeGetRequest(b.build());
                case PUT -> raw.makePutRequest(b.build());
                case DELETE -> raw.makeDeleteRequest(b.build());
            };
        } catch (TransportException e) {
            throw transportFailure(path, e);
        }
        Long idx = r.getConsulIndex();
        return new Reply(r.getStatusCode(), r.getContent() == null ? "" : r.getContent(), idx == null ? 0 : idx);
    }

    private TopoException transportFailure(String path, TransportException e) {
        Throwable cause = e.getCause();
        if (closed) {
            return new TopoException(TopoError.UNAVAILABLE, path, "consul connection is closed", e);
        }
        if (cause instanceof SocketTimeoutException) {
            return new TopoException(TopoError.TIMEOUT, path, "consul did not answer in time: " + cause.getMessage(), e);
        }
        if (cause instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
            return new TopoException(TopoError.INTERRUPTED, path, "interrupted during a consul request", e);
        }
        String what = cause instanceof IOException ? cause.getClass().getSimpleName() + ": " + cause.getMessage()
                : String.valueOf(cause);
        return new TopoException(TopoError.UNAVAILABLE, path, "cannot reach consul: " + what, e);
    }

    /** The error for a reply whose status the caller did not expect. */
    static TopoException unexpected(Reply reply, String path) {
        String body = reply.body().length() > 300 ? reply.body().substring(0, 300) + "..." : reply.body();
        String what = switch (reply.status()) {
            case 403 -> "permission denied (check the ACL token)";
            case 429 -> "rate limited";
            default -> "status " + reply.status();
        };
        return new TopoException(TopoError.UNAVAILABLE, path, "consul answered " + what + ": " + body.trim());
    }

    /** The path part of a KV endpoint for {@code key}, each segment percent-encoded. */
    static String kvEndpoint(String key) {
        StringBuilder sb = new StringBuilder("/v1/kv/");
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        for (byte x : bytes) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    /** A query parameter with a percent-encoded value. */
    static String param(String name, String value) {
        return name + "=" + kvEndpoint(value).substring("/v1/kv/".length()).replace("/", "%2F");
    }

    /** A Go duration in milliseconds, as Consul's {@code wait} and {@code TTL} accept. */
    static String goDuration(Duration d) {
        return d.toMillis() % 1000 == 0 ? (d.toMillis() / 1000) + "s" : d.toMillis() + "ms";
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                client.close();
            } catch (IOException e) {
                // Closing aborts whatever was in flight; nothing else to release.
            }
        }
    }
}
