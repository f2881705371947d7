package dev.mosaic.server.ctld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.proto.tabletmanager.GetSchemaRequest;
import dev.mosaic.proto.tabletmanager.PingRequest;
import dev.mosaic.proto.tabletmanager.PingResponse;
import dev.mosaic.proto.tabletmanager.TabletManagerGrpc;
import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.proto.topo.TabletAlias;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Channel caching, address checks, error prefixes and closing of {@link TabletManagerClients}. */
class TabletManagerClientsTest {
    private final String name = "tm-" + UUID.randomUUID();
    private final List<String> opened = new ArrayList<>();
    private Server server;
    private TabletManagerClients clients;

    @BeforeEach
    void start() throws Exception {
        // a tablet manager that answers Ping only; every other call is UNIMPLEMENTED
        server = InProcessServerBuilder.forName(name).directExecutor().addService(new TabletManagerGrpc.TabletManagerImplBase() {
            @Override
            public void ping(PingRequest request, StreamObserver<PingResponse> observer) {
                observer.onNext(PingResponse.newBuilder().setPayload(request.getPayload()).build());
                observer.onCompleted();
            }
        }).build().start();
        clients = new TabletManagerClients(Duration.ofSeconds(5), (host, port) -> {
            opened.add(host + ":" + port);
            return InProcessChannelBuilder.forName(name).directExecutor().build();
        });
    }

    @AfterEach
    void stop() {
        clients.close();
        server.shutdownNow();
    }

    private static Tablet tablet(int uid, String host, Integer grpcPort) {
        Tablet.Builder b = Tablet.newBuilder().setAlias(TabletAlias.newBuilder().setCell("zone1").setUid(uid))
                .setHostname(host);
        if (grpcPort != null) {
            b.putPortMap("grpc", grpcPort);
        }
        return b.build();
    }

    @Test
    void oneChannelPerAddress() {
        ManagedChannel a = clients.channel(tablet(1, "h1", 100));
        assertSame(a, clients.channel(tablet(2, "h1", 100)));
        assertNotSame(a, clients.channel(tablet(3, "h1", 101)));
        assertEquals(List.of("h1:100", "h1:101"), opened);
        assertEquals("hi", clients.call(tablet(1, "h1", 100), "Ping",
                s -> s.ping(PingRequest.newBuilder().setPayload("hi").build())).getPayload());
    }

    @Test
    void aRecordWithoutAddressIsAFailedPrecondition() {
        StatusRuntimeException noPort = assertThrows(StatusRuntimeException.class,
                () -> clients.channel(tablet(7, "h1", null)));
        assertEquals(Status.Code.FAILED_PRECONDITION, noPort.getStatus().getCode());
        assertTrue(noPort.getStatus().getDescription().contains("tablet zone1-0000000007 has no \"grpc\" port"));
        StatusRuntimeException noHost = assertThrows(StatusRuntimeException.class,
                () -> clients.channel(tablet(7, "", 100)));
        assertTrue(noHost.getStatus().getDescription().contains("tablet zone1-0000000007 has no hostname"));
        assertEquals(List.of(), opened);
    }

    @Test
    void aTabletErrorKeepsItsCodeAndNamesTheTabletAndCall() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> clients.call(tablet(9, "h", 1),
                "GetSchema", s -> s.getSchema(GetSchemaRequest.getDefaultInstance())));
        assertEquals(Status.Code.UNIMPLEMENTED, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().startsWith("tablet zone1-0000000009 GetSchema: "),
                e.getStatus().getDescription());
    }

    @Test
    void closeShutsChannelsDownAndRefusesNewOnes() {
        ManagedChannel a = clients.channel(tablet(1, "h1", 100));
        clients.close();
        assertTrue(a.isShutdown());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> clients.channel(tablet(1, "h1", 100)));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        clients.close(); // idempotent
    }

    @Test
    void theTimeoutMustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TabletManagerClients(Duration.ZERO));
        assertTrue(e.getMessage().contains("callTimeout must be positive"));
    }
}
