package dev.mosaic.server.tablet.repltracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.server.mysqlctl.replication.MariaDbGtidSet;
import dev.mosaic.server.mysqlctl.replication.ReplicationStatus;
import dev.mosaic.server.mysqlctl.replication.ReplicationStatus.ThreadState;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The pure parts of the heartbeat: lag from a timestamp, and the lag substituted into a replication status. */
class HeartbeatTest {
    private static final Instant NOW = Instant.ofEpochSecond(1_700_000_000L, 500_000_000);
    private static final long NOW_NS = 1_700_000_000_500_000_000L;

    static Stream<Arguments> lags() {
        return Stream.of(
                Arguments.of("just written", NOW_NS, Duration.ZERO),
                Arguments.of("1.5 s old", NOW_NS - 1_500_000_000L, Duration.ofMillis(1500)),
                Arguments.of("an hour old", NOW_NS - 3_600_000_000_000L, Duration.ofHours(1)),
                Arguments.of("from the future (clock skew)", NOW_NS + 2_000_000_000L, Duration.ZERO));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lags")
    void lag(String name, long ts, Duration expected) {
        assertEquals(expected, Heartbeat.lag(NOW, ts));
    }

    @Test
    void withLagReplacesOnlyTheLag() {
        ReplicationStatus s = new ReplicationStatus(ThreadState.RUNNING, ThreadState.STOPPED, OptionalLong.empty(),
                MariaDbGtidSet.parse("0-1-5"), MariaDbGtidSet.parse("0-1-7"), "h", 3306, 0, "", 1062, "dup");
        ReplicationStatus w = Heartbeat.withLag(s, Optional.of(Duration.ofMillis(2900)));
        assertEquals(OptionalLong.of(2), w.lagSeconds(), "whole seconds, rounded down");
        assertEquals(s.sqlThread(), w.sqlThread());
        assertEquals(s.position(), w.position());
        assertEquals(s.lastSqlError(), w.lastSqlError());
        assertTrue(Heartbeat.withLag(s, Optional.empty()).lagSeconds().isEmpty(), "unknown heartbeat lag is unknown");
    }
}
