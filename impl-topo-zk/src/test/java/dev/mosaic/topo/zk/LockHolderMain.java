package dev.mosaic.topo.zk;

import dev.mosaic.spi.PluginKind;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.topo.TopoStore;
import java.time.Duration;
import java.util.Map;

/**
 * A separate process that takes a lock through the plugin (found by its type name, as a host
 * would) and holds it until it is killed. Prints {@code LOCKED <dir>} once it holds the lock.
 * Arguments: servers, root, session timeout, lock directory.
 */
public final class LockHolderMain {
    private LockHolderMain() {
    }

    /**
     * Runs the holder.
     *
     * @param args servers, root, session timeout, lock directory
     * @throws Exception if the lock cannot be taken
     */
    public static void main(String[] args) throws Exception {
        TopoStore store = Plugins.load(LockHolderMain.class.getClassLoader()).create(PluginKind.TOPO, "zk", "lock-holder",
                Map.of("servers", args[0], "root", args[1], "session_timeout", args[2]));
        store.lock(args[3], "LockHolderMain pid " + ProcessHandle.current().pid(), Duration.ofSeconds(30));
        System.out.println("LOCKED " + args[3]);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
