package dev.mosaic.server.tablet.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The tablet load test's done-when: 2,000 concurrent gRPC clients against one tablet whose query
 * pool has 16 connections complete 100,000 point selects with no error and every row right; the
 * same selects straight over JDBC in the same run, for comparison. It asserts behaviour, never
 * speed; the numbers are printed and appended to {@code target/tablet-load.md}.
 *
 * <p>Bigger runs: {@code -Dmosaic.load.clients=… -Dmosaic.load.queries=…} (see {@link LoadSettings}).
 */
class TabletLoadIT {
    @Test
    void twoThousandClientsOnSixteenConnectionsCompleteEveryPointSelect() throws Exception {
        LoadSettings settings = LoadSettings.fromProperties(System.getProperties());
        TabletLoad.Report report;
        long t0 = System.nanoTime();
        try (MysqldCluster cluster = MysqldCluster.start(1)) {
            report = new TabletLoad(cluster.get(0), settings, System.out).run();
        }
        String text = report.format();
        System.out.println(text);
        System.out.printf("tablet load: whole run (mysqld start, load, three cases) %.1f s%n", (System.nanoTime() - t0) / 1e9);
        record(text);

        for (LoadResult r : report.all()) {
            assertEquals(0, r.errors().total(), () -> r.name() + " had errors:\n" + r.errors());
        }
        assertEquals(settings.warmupQueries(), report.tabletWarmup().succeeded(), "every warm-up select answered");
        for (LoadResult r : report.measured()) {
            assertEquals(settings.queries(), r.succeeded(), r.name() + ": every select answered with its row");
            assertEquals(settings.queries(), r.latencies().getTotalCount(), r.name() + ": one latency per select");
        }
        // All clients had a query outstanding at once, and the tablet served them on exactly its pool.
        assertEquals(settings.clients(), report.tablet().peakInFlight(), "peak gRPC calls in flight");
        assertEquals(settings.poolSize(), report.poolPeakInUse(), "the query pool ran full, and never past its size");
    }

    private static void record(String text) throws IOException {
        Path file = Path.of("target", "tablet-load.md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "## " + Instant.now() + "\n\n" + text + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
