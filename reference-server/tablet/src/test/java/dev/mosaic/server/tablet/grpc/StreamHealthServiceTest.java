package dev.mosaic.server.tablet.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.proto.query.QueryGrpc;
import dev.mosaic.proto.query.StreamHealthRequest;
import dev.mosaic.proto.query.StreamHealthResponse;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.mysqlctl.ConnectionParams;
import dev.mosaic.server.tablet.TabletExtensions;
import dev.mosaic.server.tablet.TabletQueryServer;
import dev.mosaic.server.tablet.config.TabletConfig;
import dev.mosaic.server.tablet.health.TabletHealth;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** StreamHealth over the in-process transport with a primary (no MySQL needed): changes, and close ends the stream. */
class StreamHealthServiceTest {
    private TabletQueryServer engines;
    private TabletHealth health;
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        engines = TabletQueryServer.open(TabletConfig.defaults().toBuilder().dbName("none").build(),
                new ConnectionParams("127.0.0.1", 1, "nobody", ""), new SimpleMeterRegistry(), TabletExtensions.NONE);
        health = new TabletHealth(TabletAlias.parse("zone2-5"), "ks", "-80", TabletType.PRIMARY, Optional::empty,
                TabletHealth.Settings.defaults().withInterval(Duration.ofMillis(20)).withHeartbeat(Duration.ofHours(1)))
                .start();
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name)
                .addService(new QueryService(engines.queries(), engines.transactions(), health)).build().start();
        channel = InProcessChannelBuilder.forName(name).build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        health.close();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        engines.close();
    }

    @Test
    void changesThenCloseCompletesTheStream() {
        Iterator<StreamHealthResponse> it = QueryGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .streamHealth(StreamHealthRequest.getDefaultInstance());
        StreamHealthResponse first = it.next();
        assertTrue(first.getServing());
        assertEquals(TabletType.PRIMARY, first.getTarget().getTabletType());
        assertEquals("-80", first.getTarget().getShard());
        assertEquals("zone2", first.getTarget().getCell());
        assertEquals(5, first.getTabletAlias().getUid());
        assertTrue(first.getPrimaryTermStartTimestamp() > 0);

        health.setType(TabletType.DRAINED);
        StreamHealthResponse r;
        do {
            r = it.next();
        } while (r.getTarget().getTabletType() != TabletType.DRAINED);
        assertFalse(r.getServing());
        assertEquals(0, r.getPrimaryTermStartTimestamp());

        health.close();
        while (it.hasNext()) {
            it.next();
        }
        assertEquals(0, health.subscriberCount());
    }
}
