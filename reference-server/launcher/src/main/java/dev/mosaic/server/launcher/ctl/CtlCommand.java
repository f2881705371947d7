package dev.mosaic.server.launcher.ctl;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code mosaic ctl [--server HOST:PORT] [--json] [--action-timeout D] VERB ...}: runs one verb
 * on ctld. The global options may also follow the verb. Exit codes: 0 the verb succeeded, 1 it
 * failed (ctld's message on stderr), 2 usage error.
 */
@Command(name = "ctl",
        description = {"Run a cluster-management verb on ctld (Vitess's vtctldclient): keyspaces, shards, tablets,"
                + " schema, vschema, routing rules, serving graph.",
            "Verb names, flags and positionals are vtctldclient's. See docs/ctld.md."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:the verb succeeded", "1:the verb failed (ctld's message is printed on stderr)",
            "2:usage error"},
        subcommands = {
            CellVerbs.AddCellInfo.class,
            CellVerbs.GetCellInfo.class,
            CellVerbs.GetCellInfoNames.class,
            KeyspaceVerbs.CreateKeyspace.class,
            KeyspaceVerbs.DeleteKeyspace.class,
            KeyspaceVerbs.GetKeyspace.class,
            KeyspaceVerbs.GetKeyspaces.class,
            ShardVerbs.CreateShard.class,
            ShardVerbs.DeleteShards.class,
            ShardVerbs.GetShard.class,
            ShardVerbs.InitShardPrimary.class,
            TabletVerbs.GetTablets.class,
            TabletVerbs.GetTablet.class,
            TabletVerbs.ChangeTabletType.class,
            TabletVerbs.ExecuteFetchAsDBA.class,
            SchemaVerbs.ApplySchema.class,
            SchemaVerbs.GetSchema.class,
            SchemaVerbs.ApplyVSchema.class,
            SchemaVerbs.GetVSchema.class,
            SchemaVerbs.InitializeSequences.class,
            ServingVerbs.ApplyRoutingRules.class,
            ServingVerbs.GetRoutingRules.class,
            ServingVerbs.RebuildKeyspaceGraph.class,
            ServingVerbs.RebuildVSchemaGraph.class,
            ServingVerbs.GetClusterStatus.class,
            BackupVerbs.Backup.class,
            BackupVerbs.BackupShard.class,
            BackupVerbs.GetBackups.class,
            BackupVerbs.RemoveBackup.class,
            BackupVerbs.RestoreFromBackup.class,
            ThrottlerVerbs.UpdateThrottlerConfig.class,
            ThrottlerVerbs.CheckThrottler.class,
            ThrottlerVerbs.GetThrottlerStatus.class,
            CommandLine.HelpCommand.class,
        })
public final class CtlCommand implements Runnable {
    /** The environment variable that sets the default of {@code --server}. */
    public static final String SERVER_ENV = "MOSAIC_CTLD_SERVER";

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--server", scope = ScopeType.INHERIT, paramLabel = "HOST:PORT",
            defaultValue = "${env:" + SERVER_ENV + ":-localhost:15999}",
            description = "ctld's gRPC address (default: $" + SERVER_ENV + ", else localhost:15999).")
    String server;

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Print the verb's whole response as protobuf JSON (proto field names), for scripts.")
    boolean json;

    @Option(names = {"--action-timeout", "--action_timeout"}, scope = ScopeType.INHERIT, paramLabel = "DURATION",
            defaultValue = "1h", converter = Converters.GoDuration.class,
            description = "Deadline of the whole verb, e.g. 30s, 5m, 1h0m0s (default: ${DEFAULT-VALUE}).")
    java.time.Duration actionTimeout;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing verb; see 'mosaic ctl --help'");
    }
}
