package dev.mosaic.server.tablet.server.testing;

import static org.junit.jupiter.api.Assertions.fail;

import dev.mosaic.proto.topo.CellInfo;
import dev.mosaic.server.topo.TopoConnector;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.spi.Plugins;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Helpers shared by the tablet process's integration tests (and the launcher's). */
public final class TabletTesting {
    /** The global root the tests use in etcd. */
    public static final String GLOBAL_ROOT = "/mosaic/global";

    private TabletTesting() {
    }

    /** A topology server on {@code etcd}'s global root. */
    public static TopoServer topo(EtcdProcess etcd) {
        TopoConnector c = new TopoConnector(Plugins.load(TabletTesting.class.getClassLoader()));
        return c.openServer(new TopoConnector.Target("etcd", Map.of("endpoints", etcd.endpoint(), "root", GLOBAL_ROOT)),
                TopoServer.Options.defaults());
    }

    /** Registers {@code cell} (stored in the same etcd under its own root), as {@code AddCellInfo} does. */
    public static void addCell(TopoServer topo, EtcdProcess etcd, String cell) {
        topo.createCellInfo(cell, CellInfo.newBuilder().setServerAddress(etcd.endpoint())
                .setRoot("/mosaic/" + cell).build());
    }

    /** A GET: status code and body. */
    public record Http(int code, String body) {
    }

    /** GETs {@code http://127.0.0.1:port/path}. */
    public static Http get(int port, String path) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Http(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits for {@code condition} until {@code deadline} passes, then fails with {@code what}. */
    public static void await(String what, Duration deadline, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out after " + deadline.toMillis() + "ms waiting for: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for: " + what);
            }
        }
    }

    /** A config file for an attached mysqld on {@code mysqlPort}, registering in {@code etcd}. */
    public static String attachedConfig(String alias, int mysqlPort, EtcdProcess etcd, int grpcPort, int statusPort) {
        return String.join("\n",
                "tablet:",
                "  alias: " + alias,
                "  keyspace: commerce",
                "  shard: \"0\"",
                "  type: replica",
                "  hostname: localhost",
                "ports:",
                "  grpc: " + grpcPort,
                "  status: " + statusPort,
                "  mysql: " + mysqlPort,
                "mysqld:",
                "  mode: attached",
                "  host: 127.0.0.1",
                "  user: root",
                "  password: \"\"",
                "topo:",
                "  type: etcd",
                "  global-server-address: " + etcd.endpoint(),
                "  global-root: " + GLOBAL_ROOT,
                "query:",
                "  db:",
                "    name: vt_commerce",
                "  pool:",
                "    query:",
                "      size: 4",
                "    stream.size: 4",
                "    tx.size: 4",
                "health:",
                "  interval: 200ms",
                "");
    }
}
