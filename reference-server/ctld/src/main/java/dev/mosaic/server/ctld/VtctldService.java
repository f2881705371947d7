package dev.mosaic.server.ctld;

import dev.mosaic.proto.vtctldata.VtctldGrpc;
import dev.mosaic.server.topo.TopoServer;
import java.util.Objects;

/**
 * The control daemon's management API (Vitess's {@code vtctlservice.Vtctld}) over the topology
 * and the tablets.
 */
public class VtctldService extends VtctldGrpc.VtctldImplBase {
    private final TopoServer topo;
    private final TabletManagerClients tablets;

    /** A service writing to {@code topo} and reaching tablets through {@code tablets}; owns neither. */
    public VtctldService(TopoServer topo, TabletManagerClients tablets) {
        this.topo = Objects.requireNonNull(topo, "topo");
        this.tablets = Objects.requireNonNull(tablets, "tablets");
    }
}
