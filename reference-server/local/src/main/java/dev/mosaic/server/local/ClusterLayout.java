package dev.mosaic.server.local;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.api.key.KeyRange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who runs where in the local cluster, as in Vitess's local example: keyspace {@code commerce}
 * (shard {@code 0}) has tablet uids 100, 101, ..; shard {@code i} of {@code customer} has
 * {@code 300 + 100 * i}, +1, ..; the first uid of each shard is its primary. A tablet with uid U
 * serves gRPC on 16000+U, status on 15000+U and runs mysqld on 17000+U.
 *
 * @param options what was asked for
 * @param tablets every tablet, commerce first, then customer's shards in key order
 */
public record ClusterLayout(LocalOptions options, List<TabletSpec> tablets) {
    /** The one cell. */
    public static final String CELL = "zone1";
    public static final String COMMERCE = "commerce";
    public static final String CUSTOMER = "customer";
    public static final int GATE_MYSQL_PORT = 15306;
    public static final int GATE_STATUS_PORT = 15001;
    public static final int CTLD_GRPC_PORT = 15999;
    public static final int CTLD_STATUS_PORT = 15000;
    public static final int ETCD_CLIENT_PORT = 2379;
    public static final int ETCD_PEER_PORT = 2380;
    public static final int ZK_CLIENT_PORT = 21811;

    /** One tablet. */
    public record TabletSpec(String keyspace, String shard, long uid, boolean primary) {
        public TabletAlias alias() {
            return new TabletAlias(CELL, uid);
        }

        public int grpcPort() {
            return (int) (16000 + uid);
        }

        public int statusPort() {
            return (int) (15000 + uid);
        }

        public int mysqlPort() {
            return (int) (17000 + uid);
        }

        /** {@code commerce/0} */
        public String target() {
            return keyspace + "/" + shard;
        }
    }

    public ClusterLayout {
        tablets = List.copyOf(tablets);
    }

    /** The layout of {@code options}. */
    public static ClusterLayout of(LocalOptions options) {
        List<TabletSpec> t = new ArrayList<>();
        addShard(t, COMMERCE, "0", 100, options.replicas());
        List<String> shards = customerShards(options.shards());
        for (int i = 0; i < shards.size(); i++) {
            addShard(t, CUSTOMER, shards.get(i), 300 + 100L * i, options.replicas());
        }
        return new ClusterLayout(options, t);
    }

    private static void addShard(List<TabletSpec> out, String keyspace, String shard, long base, int replicas) {
        for (int r = 0; r <= replicas; r++) {
            out.add(new TabletSpec(keyspace, shard, base + r, r == 0));
        }
    }

    /** Keyspace customer's shard names: N equal key ranges as Vitess names them ({@code -80}, {@code 80-}). */
    public static List<String> customerShards(int n) {
        // One shard is still a sharded keyspace: it owns the full range "-", not "0".
        return KeyRange.splitNames(n);
    }

    /** Every shard as {@code keyspace/shard}, in the order of {@link #tablets}. */
    public List<String> targets() {
        return tablets.stream().map(TabletSpec::target).distinct().toList();
    }

    /** The tablets of one shard, primary first. */
    public List<TabletSpec> shard(String keyspace, String shard) {
        return tablets.stream().filter(s -> s.keyspace().equals(keyspace) && s.shard().equals(shard)).toList();
    }

    /**
     * Every port the cluster listens on, each with what listens there, in start order.
     *
     * @throws IllegalStateException if two listeners would share a port (a layout bug)
     */
    public Map<Integer, String> ports() {
        Map<Integer, String> ports = new LinkedHashMap<>();
        switch (options.topo()) {
            case ETCD -> {
                claim(ports, ETCD_CLIENT_PORT, "etcd client");
                claim(ports, ETCD_PEER_PORT, "etcd peer");
            }
            case ZK -> claim(ports, ZK_CLIENT_PORT, "ZooKeeper client");
            case MEMORY -> {
                // in the supervisor's JVM: no port
            }
        }
        for (TabletSpec s : tablets) {
            String who = "tablet " + s.alias() + " (" + s.target() + ")";
            claim(ports, s.grpcPort(), who + " gRPC");
            claim(ports, s.statusPort(), who + " status");
            claim(ports, s.mysqlPort(), who + " mysqld");
        }
        claim(ports, CTLD_GRPC_PORT, "ctld gRPC");
        claim(ports, CTLD_STATUS_PORT, "ctld status");
        claim(ports, GATE_MYSQL_PORT, "gate MySQL");
        claim(ports, GATE_STATUS_PORT, "gate status");
        return ports;
    }

    private static void claim(Map<Integer, String> ports, int port, String who) {
        String before = ports.putIfAbsent(port, who);
        if (before != null) {
            throw new IllegalStateException("port " + port + " given to both " + before + " and " + who);
        }
    }
}
