package dev.mosaic.server.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.MosaicException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderedShutdownTest {
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logged, true, StandardCharsets.UTF_8);

    @Test
    void closeStopsInReverseOnceAndThrowsTheFirstFailure() throws Exception {
        List<String> stopped = new ArrayList<>();
        OrderedShutdown s = new OrderedShutdown(log);
        RuntimeException second = new IllegalStateException("b broke");
        s.add("a", () -> stopped.add("a"));
        s.add("b", () -> {
            stopped.add("b");
            throw second;
        });
        s.add("c", () -> {
            stopped.add("c");
            throw new InterruptedException("c interrupted");
        });
        List<String> before = new ArrayList<>();
        MosaicException e = assertThrows(MosaicException.class, () -> s.close("demo", () -> before.add("stopping")));
        assertEquals("stopping c failed: java.lang.InterruptedException: c interrupted", e.getMessage());
        assertSame(second, e.getSuppressed()[0]);
        assertTrue(Thread.interrupted(), "an interrupted stop restores the interrupt");
        assertEquals(List.of("stopping"), before);
        assertEquals(List.of("c", "b", "a"), stopped);
        assertTrue(s.awaitClosed(Duration.ZERO));
        String text = logged.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("stopping b failed: java.lang.IllegalStateException: b broke"), text);
        assertTrue(text.contains("demo stopped in "), text);

        s.close("demo", () -> before.add("again"));
        assertEquals(List.of("stopping"), before);
    }

    @Test
    void anAbortedStartupStopsWhatStartedWithTheInterruptClearedMeanwhile() {
        List<String> stopped = new ArrayList<>();
        OrderedShutdown s = new OrderedShutdown(log);
        s.add("a", () -> stopped.add("a interrupted=" + Thread.currentThread().isInterrupted()));
        s.add("b", () -> {
            throw new IllegalStateException("b broke");
        });
        RuntimeException failure = new RuntimeException("startup failed");
        Thread.currentThread().interrupt();
        s.abortStartup(failure);
        assertTrue(Thread.interrupted(), "the interrupt is restored");
        assertEquals(List.of("a interrupted=false"), stopped);
        assertEquals("b broke", failure.getSuppressed()[0].getMessage());
    }
}
