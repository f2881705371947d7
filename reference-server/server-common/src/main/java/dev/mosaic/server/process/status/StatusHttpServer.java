package dev.mosaic.server.process.status;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A process's HTTP endpoints on the JDK's {@link HttpServer}. Only GET and HEAD are answered
 * (else 405); a page that throws answers 500 with the error. Requests run on a bounded executor
 * of named daemon threads ({@code <process>-status-N}) with a bounded queue; beyond it the server
 * drops the connection rather than queueing without limit.
 */
public final class StatusHttpServer implements AutoCloseable {
    private static final int QUEUE = 64;
    private static final String TEXT = "text/plain; charset=utf-8";

    private final HttpServer server;
    private final ThreadPoolExecutor executor;

    /**
     * An answer.
     *
     * @param code the HTTP status code
     * @param contentType the Content-Type header
     * @param body the body, sent as UTF-8
     */
    public record Response(int code, String contentType, String body) {
        public Response {
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(body, "body");
        }

        /** A plain-text answer. */
        public static Response text(int code, String body) {
            return new Response(code, TEXT, body);
        }

        /** A 200 HTML page. */
        public static Response html(String body) {
            return new Response(200, "text/html; charset=utf-8", body);
        }

        /** A 200 JSON document. */
        public static Response json(String body) {
            return new Response(200, "application/json; charset=utf-8", body);
        }

        /** The 404 of a path no page serves. */
        public static Response notFound() {
            return text(404, "404 page not found\n");
        }
    }

    /** One endpoint; called on a request thread, possibly concurrently. */
    @FunctionalInterface
    public interface Page {
        /** The answer to {@code exchange} (which the server completes and closes). */
        Response render(HttpExchange exchange);
    }

    private StatusHttpServer(HttpServer server, ThreadPoolExecutor executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts serving {@code pages} (path prefix to page, as {@link HttpServer#createContext}) on
     * {@code address} (port 0 = ephemeral) with {@code threads} request threads.
     *
     * @param process names the threads and the bind error ({@code tablet}, {@code gate})
     * @throws UncheckedIOException if the port cannot be bound
     */
    public static StatusHttpServer start(String process, InetSocketAddress address, int threads,
            Map<String, Page> pages) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), r -> {
                    Thread t = new Thread(r, process + "-status-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
        HttpServer http;
        try {
            http = HttpServer.create(address, 0);
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("cannot start the " + process + " status server on " + address, e);
        }
        http.setExecutor(executor);
        pages.forEach((path, page) -> http.createContext(path, handler(page)));
        http.start();
        return new StatusHttpServer(http, executor);
    }

    /** {@code /metrics}: every meter of {@code registry} in the Prometheus text format. */
    public static Page metrics(PrometheusMeterRegistry registry) {
        return exchange -> new Response(200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    private static HttpHandler handler(Page page) {
        return exchange -> {
            try (exchange) {
                Response r;
                String method = exchange.getRequestMethod();
                if (!method.equals("GET") && !method.equals("HEAD")) {
                    r = Response.text(405, "only GET\n");
                } else {
                    try {
                        r = page.render(exchange);
                    } catch (RuntimeException e) {
                        r = Response.text(500, "error: " + e + "\n");
                    }
                }
                byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", r.contentType());
                boolean head = method.equals("HEAD");
                exchange.sendResponseHeaders(r.code(), head ? -1 : body.length);
                if (!head) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
            } catch (IOException e) {
                // the client went away; nothing to tell it
            }
        };
    }

    /** Stops at once (requests are short reads) and stops the threads. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
