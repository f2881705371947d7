package dev.mosaic.server.launcher;

import dev.mosaic.server.gate.process.GateProcess;
import dev.mosaic.server.gate.process.GateServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;

/**
 * {@code mosaic gate --config FILE}: runs one gate (Vitess's {@code vtgate}) until SIGTERM or
 * SIGINT, as {@link ProcessCommand} describes.
 */
@Command(name = "gate",
        description = {"Run a gate: the MySQL-protocol server that plans each statement against the "
                + "vschema and sends it to the tablets of the shards it reaches; serves /debug/status, "
                + "/debug/query_stats and /metrics.",
            "Stops cleanly on SIGTERM or SIGINT. See docs/gate.md for the config file."})
final class GateCommand extends ProcessCommand<GateServerConfig, GateProcess> {
    GateCommand() {
        super("gate", Duration.ofSeconds(60));
    }

    @Override
    GateServerConfig loadConfig(Path file) {
        return GateProcess.loadConfig(file);
    }

    @Override
    GateProcess start(GateServerConfig config) {
        return GateProcess.start(config);
    }

    @Override
    boolean awaitClosed(GateProcess process, Duration timeout) throws InterruptedException {
        return process.awaitClosed(timeout);
    }
}
