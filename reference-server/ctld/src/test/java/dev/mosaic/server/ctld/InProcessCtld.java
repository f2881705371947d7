package dev.mosaic.server.ctld;

import dev.mosaic.proto.topo.CellInfo;
import dev.mosaic.proto.vtctldata.VtctldGrpc;
import dev.mosaic.server.topo.TopoConnector;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.spi.Plugins;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A VtctldService on a fresh in-memory topology (cells zone1 and zone2), served over an
 * in-process gRPC channel, so tests go through the same status mapping a client sees.
 */
final class InProcessCtld implements AutoCloseable {
    static final Plugins PLUGINS = Plugins.load(InProcessCtld.class.getClassLoader());

    final String cluster = "ctld-test-" + UUID.randomUUID();
    final TopoServer topo;
    final TabletManagerClients tablets;
    final Server server;
    final ManagedChannel channel;
    final VtctldGrpc.VtctldBlockingStub stub;

    InProcessCtld(Duration lockTimeout) {
        this(lockTimeout, java.util.Optional.empty());
    }

    /** A ctld that lists and removes backups in {@code backupStorage} (closed by the caller). */
    InProcessCtld(Duration lockTimeout, java.util.Optional<dev.mosaic.spi.backup.BackupStorage> backupStorage) {
        TopoConnector connector = new TopoConnector(PLUGINS);
        topo = connector.openServer(connector.target("memory:" + cluster, Map.of()),
                TopoServer.Options.defaults().withLockTimeout(lockTimeout));
        topo.createCellInfo("zone1", CellInfo.newBuilder().setServerAddress(cluster + "-zone1").build());
        topo.createCellInfo("zone2", CellInfo.newBuilder().setServerAddress(cluster + "-zone2").build());
        tablets = new TabletManagerClients(Duration.ofSeconds(5));
        try {
            server = InProcessServerBuilder.forName(cluster).directExecutor()
                    .addService(new VtctldService(topo, tablets, PLUGINS, backupStorage)).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        channel = InProcessChannelBuilder.forName(cluster).directExecutor().build();
        stub = VtctldGrpc.newBlockingStub(channel);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tablets.close();
        topo.close();
    }
}
