package dev.mosaic.topo.zk;

import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.topo.TopoStore;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.ZooKeeper;

/** Helpers shared by the ZooKeeper tests. */
final class ZkTestSupport {
    private ZkTestSupport() {
    }

    /** A store from the factory, as the host would create it. */
    static TopoStore open(Map<String, String> config) {
        ZkTopoFactory f = new ZkTopoFactory();
        return f.create(f.configSpec().validate(config, "test"), PluginContext.named("test"));
    }

    /**
     * Expires {@code store}'s session on the server, as a crashed or partitioned client's session
     * expires: a second connection attaches to the session with its id and password and closes
     * it. The server deletes the session's ephemeral nodes at once; the store learns it on its
     * next contact with the server.
     */
    static void expireSession(TopoStore store, String connectString) throws Exception {
        ZkTopoStore.SessionCredentials c = ((ZkTopoStore) store).sessionCredentials();
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connectString, 5000, e -> {
            if (e.getState() == org.apache.zookeeper.Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        }, c.id(), c.password());
        try {
            if (!connected.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("could not attach to session 0x" + Long.toHexString(c.id()));
            }
        } finally {
            zk.close();
        }
    }
}
