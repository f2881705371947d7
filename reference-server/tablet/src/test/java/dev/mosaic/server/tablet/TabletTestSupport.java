package dev.mosaic.server.tablet;

import static org.junit.jupiter.api.Assertions.fail;

import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.tablet.config.TabletConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Helpers shared by the integration tests. */
public final class TabletTestSupport {
    /** The database the tests use. */
    public static final String DB = "vt_test";

    private TabletTestSupport() {
    }

    /** Makes a fresh fixture mysqld writable and creates {@link #DB}. */
    public static void prepare(Mysqld mysqld) {
        mysqld.executeAll(java.util.List.of("SET GLOBAL read_only = 0", "CREATE DATABASE IF NOT EXISTS " + DB));
    }

    /** A server on {@code mysqld} with {@code config} (its db name set to {@link #DB}). */
    public static TabletQueryServer open(Mysqld mysqld, TabletConfig config, MeterRegistry registry) {
        return TabletQueryServer.open(config.toBuilder().dbName(DB).build(), mysqld.connectionParams(), registry,
                TabletExtensions.NONE);
    }

    /** A fresh registry. */
    public static SimpleMeterRegistry registry() {
        return new SimpleMeterRegistry();
    }

    /** Waits for {@code condition} until {@code deadline} passes, then fails with {@code what}. */
    public static void await(String what, Duration deadline, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out after " + deadline.toMillis() + "ms waiting for: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for: " + what);
            }
        }
    }

    /** Rows in the processlist running a statement containing {@code marker}, except the asking one. */
    public static int processesRunning(Mysqld mysqld, String marker) {
        return Integer.parseInt(mysqld.fetchValue("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE '%"
                + marker + "%' AND ID <> CONNECTION_ID()").orElse("0"));
    }
}
