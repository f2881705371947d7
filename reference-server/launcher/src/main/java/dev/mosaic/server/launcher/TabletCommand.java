package dev.mosaic.server.launcher;

import dev.mosaic.server.tablet.server.TabletProcess;
import dev.mosaic.server.tablet.server.TabletServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;

/**
 * {@code mosaic tablet --config FILE}: runs one tablet (Vitess's {@code vttablet}) until SIGTERM or
 * SIGINT, as {@link ProcessCommand} describes.
 */
@Command(name = "tablet",
        description = {"Run a tablet: the agent beside one mysqld that serves its queries over gRPC, "
                + "registers it in the topology and serves /debug/status and /metrics.",
            "Stops cleanly on SIGTERM or SIGINT. See docs/tablet.md for the config file."})
final class TabletCommand extends ProcessCommand<TabletServerConfig, TabletProcess> {
    TabletCommand() {
        super("tablet", Duration.ofSeconds(90));
    }

    @Override
    TabletServerConfig loadConfig(Path file) {
        return TabletProcess.loadConfig(file);
    }

    @Override
    TabletProcess start(TabletServerConfig config) {
        return TabletProcess.start(config);
    }

    @Override
    boolean awaitClosed(TabletProcess process, Duration timeout) throws InterruptedException {
        return process.awaitClosed(timeout);
    }
}
