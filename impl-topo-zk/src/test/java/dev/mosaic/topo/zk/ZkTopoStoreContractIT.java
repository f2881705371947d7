package dev.mosaic.topo.zk;

import dev.mosaic.spi.topo.TopoStore;
import dev.mosaic.spi.topo.TopoStoreFactory;
import dev.mosaic.tck.topo.TopoStoreContract;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * The TCK's topology contract against a real ZooKeeper (Debian's package, a separate process).
 * Sessions are killed the way a crashed client's session dies (expired on the server), and the
 * backend restart is a real stop and start of the server process.
 */
class ZkTopoStoreContractIT extends TopoStoreContract {
    /** Short, so session death is observed quickly; the server accepts 500 ms to 60 s. */
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(4);
    private final String root = "/mosaic-it/" + UUID.randomUUID();

    @Override
    protected TopoStoreFactory factory() {
        return new ZkTopoFactory();
    }

    @Override
    protected Map<String, String> sampleConfig() {
        return ZkTestServer.shared().config(root, SESSION_TIMEOUT);
    }

    @Override
    protected void killSession(TopoStore store) throws Exception {
        ZkTestSupport.expireSession(store, ZkTestServer.shared().connectString());
    }

    @Override
    protected boolean restartBackend() throws Exception {
        ZkTestServer.shared().restart();
        return true;
    }

    @Override
    protected Duration sessionDeathDeadline() {
        return SESSION_TIMEOUT.plusSeconds(6);
    }

    @Override
    protected Duration lockHoldDuration() {
        return SESSION_TIMEOUT.multipliedBy(3); // 3 session timeouts: the session must be kept alive by the client
    }
}
