package dev.mosaic.server.tablet.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The engine's swap / diff / notify logic with a scripted loader (the loading itself is proven in SchemaEngineIT). */
class SchemaEngineTest {
    private static final Table T = new Table("t", Table.Kind.BASE, List.of(new Column("id", "int(11)")), List.of("id"), 1);

    @Test
    void reloadSwapsAndNotifiesOnlyOnChange() {
        AtomicReference<SchemaSnapshot> next = new AtomicReference<>(SchemaSnapshot.of("db", Map.of(), Instant.EPOCH));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SchemaEngine engine = new SchemaEngine("db", next::get, Duration.ZERO, registry)) {
            List<SchemaChange> heard = new ArrayList<>();
            engine.addListener((c, s) -> heard.add(c));
            engine.addListener((c, s) -> {
                throw new IllegalStateException("a broken listener");
            });
            assertTrue(engine.reload().isEmpty());
            assertEquals(List.of(), heard, "no change, no notification");

            SchemaSnapshot withT = SchemaSnapshot.of("db", Map.of("t", T), Instant.EPOCH);
            next.set(withT);
            SchemaChange c = engine.reload();
            assertEquals(List.of("t"), c.created());
            assertSame(withT, engine.current());
            assertEquals(List.of(c), heard);

            next.set(SchemaSnapshot.of("db", Map.of(), Instant.EPOCH));
            assertEquals(List.of("t"), engine.reload().dropped());
            assertEquals(2, heard.size());
            assertEquals(3.0, registry.get("mosaic.tablet.schema.reloads").tag("result", "ok").counter().count());
        }
    }

    @Test
    void failedReloadKeepsTheSnapshotAndIsRecorded() {
        SchemaSnapshot first = SchemaSnapshot.of("db", Map.of("t", T), Instant.EPOCH);
        AtomicReference<RuntimeException> fail = new AtomicReference<>();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SchemaEngine engine = new SchemaEngine("db", () -> {
            if (fail.get() != null) {
                throw fail.get();
            }
            return first;
        }, Duration.ZERO, registry)) {
            fail.set(new MosaicException(ErrorCode.UNAVAILABLE, "mysqld is down"));
            assertThrows(MosaicException.class, engine::reload);
            assertSame(first, engine.current());
            assertEquals("mysqld is down", engine.lastReloadError());
            engine.ddlListener().ddlExecuted("create table x (id int)"); // quiet: never throws at the DDL's caller
            assertEquals(2.0, registry.get("mosaic.tablet.schema.reloads").tag("result", "error").counter().count());
            fail.set(null);
            engine.reload();
            assertEquals("", engine.lastReloadError());
        }
    }

    @Test
    void reloadsPeriodically() {
        java.util.concurrent.atomic.AtomicInteger loads = new java.util.concurrent.atomic.AtomicInteger();
        try (SchemaEngine engine = new SchemaEngine("db", () -> {
            loads.incrementAndGet();
            return SchemaSnapshot.of("db", Map.of(), Instant.EPOCH);
        }, Duration.ofMillis(20), new SimpleMeterRegistry())) {
            dev.mosaic.server.tablet.testing.Conditions.await("three periodic reloads", () -> loads.get() >= 4);
            assertEquals("db", engine.database());
        }
    }

    @Test
    void negativeIntervalNamesTheKey() {
        MosaicException e = assertThrows(MosaicException.class, () -> new SchemaEngine("db",
                () -> SchemaSnapshot.of("db", Map.of(), Instant.EPOCH), Duration.ofSeconds(-1), new SimpleMeterRegistry()));
        assertTrue(e.getMessage().contains("schema.reload-interval"), e.getMessage());
    }
}
