package dev.mosaic.server.tablet.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * CPU time used so far by this JVM and by mysqld (from {@code /proc/<pid>/stat}, in clock ticks
 * of 10 ms). On a shared machine CPU per query holds up better than throughput: it does not count
 * the time other processes took.
 */
final class CpuClock {
    /** Linux's USER_HZ, fixed at 100 on every architecture the JVM runs on here. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private final OptionalLong mysqldPid;

    /** A clock for this JVM and, if known, the mysqld with {@code mysqldPid}. */
    CpuClock(OptionalLong mysqldPid) {
        this.mysqldPid = mysqldPid;
    }

    /**
     * CPU times, or their difference between two readings.
     *
     * @param jvmNanos this JVM's CPU time
     * @param mysqldNanos mysqld's CPU time, -1 if unknown
     */
    record Reading(long jvmNanos, long mysqldNanos) {
        Reading minus(Reading earlier) {
            return new Reading(jvmNanos - earlier.jvmNanos,
                    mysqldNanos < 0 || earlier.mysqldNanos < 0 ? -1 : mysqldNanos - earlier.mysqldNanos);
        }
    }

    Reading read() {
        return new Reading(jvmCpuNanos(), mysqldCpuNanos());
    }

    private static long jvmCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private long mysqldCpuNanos() {
        if (mysqldPid.isEmpty()) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(mysqldPid.getAsLong()), "stat"));
            // Fields after the command (which may contain spaces) in parentheses; utime and stime are fields 14 and 15.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
