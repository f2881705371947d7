package dev.mosaic.server.launcher;

import dev.mosaic.server.ctld.process.CtldProcess;
import dev.mosaic.server.ctld.process.CtldServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;

/**
 * {@code mosaic ctld --config FILE}: runs the control daemon (Vitess's {@code vtctld}) until
 * SIGTERM or SIGINT, as {@link ProcessCommand} describes.
 */
@Command(name = "ctld",
        description = {"Run the control daemon: the Vtctld gRPC API that 'mosaic ctl' talks to (keyspaces, shards,"
                + " tablets, schema, vschema, routing rules, serving graph); serves /debug/status, /metrics and"
                + " /healthz.",
            "Stops cleanly on SIGTERM or SIGINT. See docs/ctld.md for the config file."})
final class CtldCommand extends ProcessCommand<CtldServerConfig, CtldProcess> {
    CtldCommand() {
        super("ctld", Duration.ofSeconds(30));
    }

    @Override
    CtldServerConfig loadConfig(Path file) {
        return CtldProcess.loadConfig(file);
    }

    @Override
    CtldProcess start(CtldServerConfig config) {
        return CtldProcess.start(config);
    }

    @Override
    boolean awaitClosed(CtldProcess process, Duration timeout) throws InterruptedException {
        return process.awaitClosed(timeout);
    }
}
