package dev.mosaic.server.local;

import java.util.Locale;

/** Which topology store the local cluster runs. */
public enum TopoKind {
    /** In the supervisor's JVM: nothing to install, nothing persisted. */
    MEMORY("memory"),
    /** An etcd child process with its data under the data directory. */
    ETCD("etcd"),
    /** A ZooKeeper child process with its data under the data directory. */
    ZK("zk");

    private final String flag;

    TopoKind(String flag) {
        this.flag = flag;
    }

    /** The name on the command line and in the state file. */
    public String flag() {
        return flag;
    }

    /**
     * Parses {@code memory}, {@code etcd} or {@code zk}.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static TopoKind parse(String s) {
        for (TopoKind k : values()) {
            if (k.flag.equals(s.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("--topo must be memory, etcd or zk, got '" + s + "'");
    }
}
