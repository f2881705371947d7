package dev.mosaic.topo.consul;

import dev.mosaic.spi.topo.TopoStore;
import dev.mosaic.spi.topo.TopoStoreFactory;
import dev.mosaic.tck.topo.TopoStoreContract;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The TCK topology contract against a real Consul agent, run only when {@code CONSUL_HTTP_ADDR}
 * is set (none can run on the build machines; see {@code docs/topology-consul.md}). Uses
 * Consul's minimum session TTL (10s), so a killed session may take up to 20s to free its locks.
 */
@EnabledIfEnvironmentVariable(named = "CONSUL_HTTP_ADDR", matches = ".+")
class RealConsulTopoStoreContractIT extends TopoStoreContract {
    private static String address() {
        return ConsulBackend.realAddress().orElseThrow();
    }

    @Override
    protected TopoStoreFactory factory() {
        return new ConsulTopoFactory();
    }

    @Override
    protected Map<String, String> sampleConfig() {
        return ConsulBackend.config(address(), true, "mosaic/tck");
    }

    @Override
    protected void killSession(TopoStore store) throws Exception {
        ConsulBackend.destroySessions(address(), store);
    }

    @Override
    protected Duration sessionDeathDeadline() {
        return Duration.ofSeconds(25);
    }

    @Override
    protected Duration lockHoldDuration() {
        return Duration.ofSeconds(30); // 3 session TTLs at Consul's 10s minimum
    }
}
