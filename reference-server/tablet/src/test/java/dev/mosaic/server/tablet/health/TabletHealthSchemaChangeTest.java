package dev.mosaic.server.tablet.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.proto.topo.TabletType;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Schema changes go out in exactly one snapshot per subscriber, even when that snapshot is replaced unread. */
class TabletHealthSchemaChangeTest {
    private static final Duration LONG = Duration.ofHours(1);

    private static TabletHealth primary() {
        return new TabletHealth(TabletAlias.parse("zone1-9"), "ks", "0", TabletType.PRIMARY, Optional::empty,
                new TabletHealth.Settings(LONG, LONG, LONG));
    }

    @Test
    void namesGoOutOnce() {
        try (TabletHealth h = primary(); TabletHealth.Subscription s = h.subscribe(() -> { })) {
            assertEquals(List.of(), s.poll().tableSchemaChanged());
            h.schemaChanged(List.of("t1", "t2"));
            h.check(); // the checker is not started: run the check by hand (schemaChanged queued one too, rejected or not)
            HealthState withNames = s.poll();
            assertEquals(List.of("t1", "t2"), withNames.tableSchemaChanged());
            h.check();
            HealthState next = s.poll();
            // unchanged state and no names: nothing new is broadcast before the heartbeat
            assertNull(next);
            assertEquals(List.of(), h.current().tableSchemaChanged());
        }
    }

    @Test
    void replacedUndeliveredSnapshotKeepsItsNames() {
        try (TabletHealth h = primary(); TabletHealth.Subscription s = h.subscribe(() -> { })) {
            s.poll();
            h.schemaChanged(List.of("a"));
            h.check();
            h.schemaChanged(List.of("b", "a"));
            h.check();
            h.setType(TabletType.DRAINED);
            h.check(); // a third snapshot replaces the second, still unread
            HealthState got = s.poll();
            assertEquals(TabletType.DRAINED, got.type());
            assertEquals(List.of("a", "b"), got.tableSchemaChanged());
        }
    }

    @Test
    void emptyChangeIsIgnored() {
        try (TabletHealth h = primary(); TabletHealth.Subscription s = h.subscribe(() -> { })) {
            h.check(); // the first check is also the first heartbeat broadcast
            s.poll();
            h.schemaChanged(List.of());
            h.check();
            assertNull(s.poll());
        }
    }
}
