package dev.mosaic.server.launcher;

import dev.mosaic.api.key.KeyRange;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code mosaic keyrange ...}: key range arithmetic for planning shards. */
@Command(name = "keyrange", description = "Key range tools.",
        subcommands = {KeyRangeCommand.Split.class, CommandLine.HelpCommand.class})
final class KeyRangeCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand; see 'mosaic keyrange --help'");
    }

    /** {@code mosaic keyrange split N}. */
    @Command(name = "split", description = "Print the names of N equal shards covering the keyspace, as Vitess names them.")
    static final class Split implements Runnable {
        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "N", description = "Number of shards (1-65536).")
        private int count;

        @Override
        public void run() {
            if (count < 1 || count > 65536) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "N must be between 1 and 65536, got " + count);
            }
            PrintWriter out = spec.commandLine().getOut();
            for (String name : KeyRange.splitNames(count)) {
                out.println(name);
            }
        }
    }
}
