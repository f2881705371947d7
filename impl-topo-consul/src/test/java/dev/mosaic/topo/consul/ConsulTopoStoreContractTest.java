package dev.mosaic.topo.consul;

import dev.mosaic.spi.topo.TopoStore;
import dev.mosaic.spi.topo.TopoStoreFactory;
import dev.mosaic.tck.topo.TopoStoreContract;
import java.time.Duration;
import java.util.Map;

/**
 * The TCK topology contract against the {@link ConsulStandIn} (not a real Consul server: see
 * {@code docs/topology-consul.md}). Sessions are killed by destroying them through the HTTP API,
 * and the stand-in is restarted in place for the backend-restart clause.
 */
class ConsulTopoStoreContractTest extends TopoStoreContract {
    @Override
    protected TopoStoreFactory factory() {
        return new ConsulTopoFactory();
    }

    @Override
    protected Map<String, String> sampleConfig() {
        return ConsulBackend.config(ConsulBackend.standIn().address(), false, "mosaic/tck");
    }

    @Override
    protected void killSession(TopoStore store) throws Exception {
        ConsulBackend.destroySessions(ConsulBackend.standIn().address(), store);
    }

    @Override
    protected boolean restartBackend() throws Exception {
        ConsulBackend.standIn().restart();
        return true;
    }

    @Override
    protected Duration sessionDeathDeadline() {
        return Duration.ofSeconds(5); // session_ttl 1s: Consul may take up to 2x TTL, plus margin
    }

    @Override
    protected Duration lockHoldDuration() {
        return Duration.ofSeconds(3); // 3 session TTLs (session_ttl 1s): a renewal that silently fails is caught
    }
}
