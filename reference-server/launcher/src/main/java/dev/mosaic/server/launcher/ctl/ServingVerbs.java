package dev.mosaic.server.launcher.ctl;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.mosaic.proto.topo.RoutingRules;
import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.proto.vtctldata.ApplyRoutingRulesRequest;
import dev.mosaic.proto.vtctldata.GetClusterStatusRequest;
import dev.mosaic.proto.vtctldata.GetClusterStatusResponse;
import dev.mosaic.proto.vtctldata.GetRoutingRulesRequest;
import dev.mosaic.proto.vtctldata.GetRoutingRulesResponse;
import dev.mosaic.proto.vtctldata.KeyspaceStatus;
import dev.mosaic.proto.vtctldata.RebuildKeyspaceGraphRequest;
import dev.mosaic.proto.vtctldata.RebuildVSchemaGraphRequest;
import dev.mosaic.proto.vtctldata.ShardStatus;
import dev.mosaic.proto.vtctldata.TabletStatus;
import dev.mosaic.proto.vtctldata.VtctldGrpc.VtctldBlockingStub;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Routing rules, the serving graph, and the cluster's status. */
final class ServingVerbs {
    private ServingVerbs() {
    }

    @Command(name = "ApplyRoutingRules", description = {"Replace the table routing rules (Vitess's JSON:"
            + " {\"rules\": [{\"from_table\": \"t\", \"to_tables\": [\"ks.t\"]}]}) and rebuild the serving vschema.",
        "Prints the rules applied."})
    static final class ApplyRoutingRules extends Verb {
        @Option(names = {"-r", "--rules"}, paramLabel = "JSON", description = "The routing rules.")
        String rules;

        @Option(names = {"-f", "--rules-file"}, paramLabel = "FILE", description = "A file holding the routing rules.")
        Path rulesFile;

        @Option(names = "--skip-rebuild", description = "Store the rules without rebuilding the serving vschema.")
        boolean skipRebuild;

        @Option(names = {"-c", "--cells"}, paramLabel = "CELL", split = ",",
                description = "Rebuild the serving vschema in these cells only (default: all).")
        List<String> cells = new ArrayList<>();

        @Option(names = {"-d", "--dry-run"}, description = "Check and print the rules without applying them.")
        boolean dryRun;

        private RoutingRules parsed;

        @Override
        void validate() {
            if ((rules == null) == (rulesFile == null)) {
                throw usage("give the rules with --rules or --rules-file (exactly one of them)");
            }
            String text = rules != null ? rules : SchemaVerbs.read(this, "--rules-file", rulesFile);
            RoutingRules.Builder b = RoutingRules.newBuilder();
            try {
                JsonFormat.parser().merge(text, b);
            } catch (InvalidProtocolBufferException | RuntimeException e) {
                throw usage((rules != null ? "--rules" : "--rules-file " + rulesFile) + " is not routing rules JSON: "
                        + e.getMessage());
            }
            parsed = b.build();
        }

        @Override
        int run(VtctldBlockingStub ctld, PrintWriter out) {
            if (dryRun) {
                // As vtctldclient: a dry run only checks the rules here; ctld is not called.
                out.println(json() ? Output.json(parsed) : "[DRY RUN] Would apply routing rules:\n" + Output.json(parsed));
                return 0;
            }
            var r = ctld.applyRoutingRules(ApplyRoutingRulesRequest.newBuilder().setRoutingRules(parsed)
                    .setSkipRebuild(skipRebuild).addAllRebuildCells(cells).build());
            out.println(json() ? Output.json(r) : "New RoutingRules object:\n" + Output.json(parsed)
                    + "\nIf this is not what you expected, check the input data.");
            return 0;
        }
    }

    @Command(name = "GetRoutingRules", description = "Print the table routing rules as JSON.")
    static final class GetRoutingRules extends Verb {
        @Override
        int run(VtctldBlockingStub ctld, PrintWriter out) {
            GetRoutingRulesResponse r = ctld.getRoutingRules(GetRoutingRulesRequest.getDefaultInstance());
            out.println(json() ? Output.json(r) : Output.json(r.getRoutingRules()));
            return 0;
        }
    }

    @Command(name = "RebuildKeyspaceGraph", description = "Rebuild the serving graph (SrvKeyspace) of keyspaces"
            + " in each cell from their shard records.")
    static final class RebuildKeyspaceGraph extends Verb {
        @Option(names = {"-c", "--cells"}, paramLabel = "CELL", split = ",",
                description = "Only these cells (default: all).")
        List<String> cells = new ArrayList<>();

        @Option(names = "--allow-partial", description = "Build it even when some key ranges have no serving shard.")
        boolean allowPartial;

        @Parameters(arity = "1..*", paramLabel = "KEYSPACE", description = "The keyspaces.")
        List<String> keyspaces = new ArrayList<>();

        @Override
        int run(VtctldBlockingStub ctld, PrintWriter out) {
            for (String ks : keyspaces) {
                var r = ctld.rebuildKeyspaceGraph(RebuildKeyspaceGraphRequest.newBuilder().setKeyspace(ks)
                        .addAllCells(cells).setAllowPartial(allowPartial).build());
                out.println(json() ? Output.json(r) : "Rebuilt the serving graph of keyspace " + ks + ".");
            }
            return 0;
        }
    }

    @Command(name = "RebuildVSchemaGraph", description = "Rebuild the serving vschema (SrvVSchema) of each cell"
            + " from the keyspaces' vschemas and the routing rules.")
    static final class RebuildVSchemaGraph extends Verb {
        @Option(names = {"-c", "--cells"}, paramLabel = "CELL", split = ",",
                description = "Only these cells (default: all).")
        List<String> cells = new ArrayList<>();

        @Override
        int run(VtctldBlockingStub ctld, PrintWriter out) {
            var r = ctld.rebuildVSchemaGraph(RebuildVSchemaGraphRequest.newBuilder().addAllCells(cells).build());
            out.println(json() ? Output.json(r) : "Rebuilt the serving vschema"
                    + (cells.isEmpty() ? "." : " of cells " + String.join(", ", cells) + "."));
            return 0;
        }
    }

    @Command(name = "GetClusterStatus", description = {"(Mosaic) Print every keyspace with its shards and their"
            + " tablets, each with its health as the tablet reports it."})
    static final class GetClusterStatus extends Verb {
        @Override
        int run(VtctldBlockingStub ctld, PrintWriter out) {
            GetClusterStatusResponse r = ctld.getClusterStatus(GetClusterStatusRequest.getDefaultInstance());
            if (json()) {
                out.println(Output.json(r));
                return 0;
            }
            if (r.getKeyspacesCount() == 0) {
                out.println("No keyspaces.");
            }
            for (KeyspaceStatus ks : r.getKeyspacesList()) {
                String policy = ks.getKeyspace().getKeyspace().getDurabilityPolicy();
                out.println("keyspace " + ks.getKeyspace().getName() + " (" + (ks.getSharded() ? "sharded" : "unsharded")
                        + ", vschema " + (ks.getHasVSchema() ? "yes" : "none")
                        + ", durability " + (policy.isEmpty() ? "none" : policy) + ")");
                for (ShardStatus sh : ks.getShardsList()) {
                    var shard = sh.getShard().getShard();
                    out.println("  shard " + sh.getShard().getName() + " (primary "
                            + (shard.hasPrimaryAlias() ? Converters.alias(shard.getPrimaryAlias()) : "none") + ")");
                    if (sh.getTabletsCount() == 0) {
                        out.println("    no tablets");
                    }
                    for (TabletStatus t : sh.getTabletsList()) {
                        out.println("    " + line(t));
                    }
                }
            }
            return 0;
        }

        private static String line(TabletStatus s) {
            Tablet t = s.getTablet();
            String health = !s.getReachable() ? "UNREACHABLE" : s.getServing() ? "SERVING" : "NOT_SERVING";
            StringBuilder sb = new StringBuilder(Converters.alias(t.getAlias())).append(' ')
                    .append(t.getType().name().toLowerCase(Locale.ROOT)).append(' ')
                    .append(t.getHostname()).append(':').append(t.getPortMapOrDefault("grpc", 0)).append(" mysql ")
                    .append(t.getMysqlHostname()).append(':').append(t.getMysqlPort()).append(' ').append(health);
            if (s.getReachable() && t.getType() != dev.mosaic.proto.topo.TabletType.PRIMARY) {
                sb.append(" lag ").append(Integer.toUnsignedLong(s.getReplicationLagSeconds())).append('s');
            }
            if (!s.getHealthError().isEmpty()) {
                sb.append(": ").append(s.getHealthError());
            }
            return sb.toString();
        }
    }
}
