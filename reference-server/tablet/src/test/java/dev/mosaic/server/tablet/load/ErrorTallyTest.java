package dev.mosaic.server.tablet.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import dev.mosaic.proto.query.Errors;
import io.grpc.Status;
import java.sql.SQLException;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Errors are counted by gRPC status, tablet code and errno; CPU clocks read this machine's counters. */
class ErrorTallyTest {
    @Test
    void countsByStatusTabletCodeAndErrno() {
        ErrorTally t = new ErrorTally();
        assertEquals("none", t.toString());
        for (int i = 0; i < 2; i++) {
            t.grpc(Errors.toStatusException(new MosaicException(SqlError.TOO_MANY_USER_CONNECTIONS, "pool query full " + i)));
        }
        t.grpc(Status.DEADLINE_EXCEEDED.withDescription("deadline").asRuntimeException());
        t.jdbc(new SQLException("gone", "08S01", 0));
        t.add("wrong answer", "wrong c for id 3");

        assertEquals(Map.of(
                "grpc RESOURCE_EXHAUSTED / tablet RESOURCE_EXHAUSTED errno 1203", 2L,
                // A bare status gets the errno the error model derives from its class.
                "grpc DEADLINE_EXCEEDED / tablet " + ErrorCode.DEADLINE_EXCEEDED + " errno 1317", 1L,
                "jdbc errno 0 sqlstate 08S01", 1L,
                "wrong answer", 1L), t.byKind());
        assertEquals(5, t.total());
        assertTrue(t.toString().contains("2 x grpc RESOURCE_EXHAUSTED / tablet RESOURCE_EXHAUSTED errno 1203 (first: "),
                t.toString());
        assertTrue(t.toString().contains("pool query full 0"), "the first message is kept: " + t);
    }

    @Test
    void cpuClockReadsTheJvmAndAProcessFromProc() {
        CpuClock clock = new CpuClock(OptionalLong.of(ProcessHandle.current().pid()));
        CpuClock.Reading before = clock.read();
        long sink = 0;
        long end = System.nanoTime() + 50_000_000L;
        while (System.nanoTime() < end) {
            sink += Long.numberOfTrailingZeros(sink + System.nanoTime());
        }
        CpuClock.Reading used = clock.read().minus(before);
        assertTrue(before.jvmNanos() > 0 && before.mysqldNanos() > 0, before + " " + sink);
        assertTrue(used.jvmNanos() > 0, "the JVM used CPU: " + used);
        assertTrue(used.mysqldNanos() >= 0, "the process's /proc counters do not go back: " + used);
        assertEquals(-1, new CpuClock(OptionalLong.empty()).read().mysqldNanos(), "no pid, no reading");
    }
}
