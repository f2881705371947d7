package dev.mosaic.server.launcher;

import dev.mosaic.api.error.MosaicException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code mosaic} command line: one entry point whose subcommands run and manage every
 * Mosaic component. Exit codes: 0 success, 1 failure (the message is printed to stderr),
 * 2 usage error.
 */
@Command(name = "mosaic",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Mosaic: a MySQL-protocol gate over sharded MySQL.",
        subcommands = {
            VersionCommand.class,
            PluginsCommand.class,
            KeyRangeCommand.class,
            VindexCommand.class,
            TopoCommand.class,
            TabletCommand.class,
            GateCommand.class,
            CtldCommand.class,
            dev.mosaic.server.launcher.ctl.CtlCommand.class,
            LocalCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class MosaicCli implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Runs the CLI and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams and returns the exit code (for tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new MosaicCli());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof MosaicException || ex instanceof IllegalArgumentException) {
                commandLine.getErr().println("error: " + ex.getMessage());
            } else {
                ex.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return 1;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand; see 'mosaic --help'");
    }
}
