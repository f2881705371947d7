package dev.mosaic.topo.consul;

import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.topo.TopoLock;
import dev.mosaic.spi.topo.TopoStore;
import java.time.Duration;
import java.util.Map;

/**
 * A separate process for {@link ProcessDeathReleasesLockIT}: takes a lock through the plugin and
 * prints {@code LOCKED <pid>}, then sleeps until it is killed.
 * Arguments: address, root, lock directory, session TTL.
 */
public final class LockHolderMain {
    private LockHolderMain() {
    }

    public static void main(String[] args) throws Exception {
        ConsulTopoFactory f = new ConsulTopoFactory();
        Map<String, String> raw = Map.of("address", args[0], "root", args[1], "session_ttl", args[3]);
        TopoStore store = f.create(f.configSpec().validate(raw, "lock holder"), PluginContext.named("lock-holder"));
        TopoLock lock = store.lock(args[2], "held by pid " + ProcessHandle.current().pid(), Duration.ofSeconds(30));
        lock.check();
        System.out.println("LOCKED " + ProcessHandle.current().pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
