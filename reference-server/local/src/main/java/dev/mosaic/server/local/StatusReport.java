package dev.mosaic.server.local;

import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.proto.topo.TabletAlias;
import dev.mosaic.proto.vtctldata.GetClusterStatusResponse;
import dev.mosaic.proto.vtctldata.KeyspaceStatus;
import dev.mosaic.proto.vtctldata.ShardStatus;
import dev.mosaic.proto.vtctldata.TabletStatus;

/** {@code mosaic local status}'s text: keyspaces, shards, tablets and their health, as ctld reports them. */
final class StatusReport {
    private StatusReport() {
    }

    static String format(GetClusterStatusResponse status) {
        StringBuilder b = new StringBuilder();
        if (status.getKeyspacesCount() == 0) {
            b.append("no keyspaces\n");
        }
        for (KeyspaceStatus ks : status.getKeyspacesList()) {
            b.append("keyspace ").append(ks.getKeyspace().getName()).append(" (").append(ks.getSharded() ? "sharded" : "unsharded")
                    .append(ks.getHasVSchema() ? "" : ", no vschema").append(")\n");
            for (ShardStatus sh : ks.getShardsList()) {
                TabletAlias primary = sh.getShard().getShard().getPrimaryAlias();
                b.append("  shard ").append(sh.getShard().getName()).append(": primary ")
                        .append(sh.getShard().getShard().hasPrimaryAlias() ? alias(primary) : "none").append('\n');
                for (TabletStatus t : sh.getTabletsList()) {
                    Tablet tab = t.getTablet();
                    b.append(String.format("    %-17s %-8s %-12s grpc %-5d %s%n", alias(tab.getAlias()), tab.getType(),
                            health(t), tab.getPortMapOrDefault("grpc", 0),
                            t.getHealthError().isEmpty() ? "" : t.getHealthError()).stripTrailing() + "\n");
                }
            }
        }
        return b.toString();
    }

    private static String health(TabletStatus t) {
        if (!t.getReachable()) {
            return "unreachable";
        }
        if (!t.getServing()) {
            return "not-serving";
        }
        return t.getReplicationLagSeconds() == 0 ? "serving" : "serving lag " + t.getReplicationLagSeconds() + "s";
    }

    private static String alias(TabletAlias a) {
        return a.getCell() + "-" + String.format("%010d", a.getUid());
    }
}
