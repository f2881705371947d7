package dev.mosaic.topo.etcd;

import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.topo.TopoLock;
import dev.mosaic.spi.topo.TopoStore;
import java.time.Duration;
import java.util.Map;

/**
 * Run in a separate JVM by {@link EtcdProcessDeathIT}: takes a lock through the plugin, prints
 * {@code LOCKED <path>}, then holds it until the process is killed.
 *
 * <p>Arguments: endpoint, root, lease_ttl, lock path.
 */
public final class LockHolderMain {
    private LockHolderMain() {
    }

    /** Entry point. */
    public static void main(String[] args) throws Exception {
        EtcdTopoFactory factory = new EtcdTopoFactory();
        TopoStore store = factory.create(factory.configSpec().validate(
                Map.of("endpoints", args[0], "root", args[1], "lease_ttl", args[2]), "etcd (child process)"),
                PluginContext.named("lock-holder"));
        TopoLock lock = store.lock(args[3], "held by pid " + ProcessHandle.current().pid(), Duration.ofSeconds(30));
        System.out.println("LOCKED " + lock.path());
        System.out.flush();
        while (true) {
            Thread.sleep(60_000);
        }
    }
}
