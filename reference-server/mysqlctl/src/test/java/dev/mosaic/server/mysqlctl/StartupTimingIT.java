package dev.mosaic.server.mysqlctl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Measures parallel init and start of 1 and 3 instances; writes target/mysqld-startup-timing.txt. */
class StartupTimingIT {

    @ParameterizedTest(name = "{0} instance(s)")
    @ValueSource(ints = {1, 3})
    void initAndStart(int n) throws IOException {
        try (MysqldCluster cluster = MysqldCluster.start(n)) {
            for (Mysqld m : cluster.instances()) {
                assertTrue(m.isRunning());
            }
            String line = String.format("%d instance(s): init %d ms, start %d ms (parallel, wall clock)%n",
                    n, cluster.initTime().toMillis(), cluster.startTime().toMillis());
            System.out.print(line);
            Files.writeString(Path.of("target", "mysqld-startup-timing.txt"), line,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }
}
