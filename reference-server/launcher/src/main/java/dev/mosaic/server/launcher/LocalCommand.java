package dev.mosaic.server.launcher;

import dev.mosaic.server.local.LocalClusterControl;
import dev.mosaic.server.local.LocalOptions;
import dev.mosaic.server.local.TopoKind;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mosaic local up|down|status}: a whole cluster on this machine (Vitess's local example),
 * run by one background supervisor process; see docs/local.md.
 */
@Command(name = "local", description = "Run a whole cluster on this machine: topology, mysqlds, tablets, ctld and a gate.",
        subcommands = {LocalCommand.Up.class, LocalCommand.Down.class, LocalCommand.Status.class,
            CommandLine.HelpCommand.class})
final class LocalCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand; see 'mosaic local --help'");
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = {"Start a local cluster in the background and return once it serves: keyspace commerce "
                    + "(unsharded) and keyspace customer (sharded on xxhash(customer_id)), as at the end of Vitess's "
                    + "local walkthrough, with a gate on 127.0.0.1:15306 and ctld on 127.0.0.1:15999."},
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:the cluster is ready", "1:it did not start (the log's tail is printed)", "2:bad usage"})
    static final class Up implements Callable<Integer> {
        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @Option(names = "--shards", defaultValue = "2", paramLabel = "N",
                description = "Equal shards of keyspace customer (1.." + LocalOptions.MAX_SHARDS + "; default ${DEFAULT-VALUE}: -80 80-).")
        int shards;

        @Option(names = "--replicas", defaultValue = "1", paramLabel = "R",
                description = "Replicas per shard besides the primary (0.." + LocalOptions.MAX_REPLICAS + "; default ${DEFAULT-VALUE}).")
        int replicas;

        @Option(names = "--topo", defaultValue = "memory", paramLabel = "memory|etcd|zk",
                description = "Topology store (default ${DEFAULT-VALUE}: in the supervisor, nothing persisted).")
        String topo;

        @Option(names = "--data", paramLabel = "DIR",
                description = "Data directory, kept by down so a later up finds the rows again "
                        + "(default: ~/.mosaic/local, removed by down).")
        Path data;

        @Override
        public Integer call() throws InterruptedException {
            LocalClusterControl control = LocalClusterControl.forUser();
            LocalOptions options;
            try {
                options = new LocalOptions(shards, replicas, TopoKind.parse(topo),
                        data != null ? data : control.defaultDataDir(), data != null);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            return control.up(options, spec.commandLine().getOut());
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Stop the local cluster: the supervisor, then any process it started that is still alive "
                    + "(by PID); removes the default data directory (a --data directory is kept).",
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:stopped (or none was running)", "1:something could not be stopped"})
    static final class Down implements Callable<Integer> {
        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @Option(names = "--data", paramLabel = "DIR",
                description = "The cluster's data directory (default: the cluster last started).")
        Path data;

        @Override
        public Integer call() throws InterruptedException {
            return LocalClusterControl.forUser().down(Optional.ofNullable(data), spec.commandLine().getOut());
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show the local cluster: keyspaces, shards, tablets and their health, as ctld sees them.",
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:shown", "1:no local cluster is running, or ctld does not answer"})
    static final class Status implements Callable<Integer> {
        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @Option(names = "--data", paramLabel = "DIR",
                description = "The cluster's data directory (default: the cluster last started).")
        Path data;

        @Override
        public Integer call() {
            return LocalClusterControl.forUser().status(Optional.ofNullable(data), spec.commandLine().getOut());
        }
    }
}
