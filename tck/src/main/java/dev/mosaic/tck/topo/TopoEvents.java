package dev.mosaic.tck.topo;

import dev.mosaic.spi.topo.WatchEvent;
import dev.mosaic.spi.topo.WatchListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link WatchListener} that records what a watch delivers and the ways it breaks the delivery
 * rules of {@link dev.mosaic.spi.topo.TopoStore#watch}: an event after a final event, and two
 * calls at the same time. Thread-safe.
 */
public final class TopoEvents implements WatchListener {
    private final List<WatchEvent> events = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private final AtomicInteger inCall = new AtomicInteger();
    private WatchEvent finalEvent;

    /** An empty record. */
    public TopoEvents() {
    }

    @Override
    public void onEvent(WatchEvent event) {
        if (inCall.incrementAndGet() > 1) {
            synchronized (this) {
                violations.add("the listener was called concurrently (with " + event + ")");
            }
        }
        try {
            synchronized (this) {
                if (event == null) {
                    violations.add("the listener was called with a null event");
                } else if (finalEvent != null) {
                    violations.add("event " + describe(event) + " was delivered after the final event "
                            + describe(finalEvent));
                } else if (event.isFinal()) {
                    finalEvent = event;
                }
                events.add(event);
                notifyAll();
            }
        } finally {
            inCall.decrementAndGet();
        }
    }

    /**
     * Every event received so far, in delivery order.
     *
     * @return a copy
     */
    public synchronized List<WatchEvent> events() {
        return List.copyOf(events);
    }

    /**
     * The {@link WatchEvent.Changed} events received so far.
     *
     * @return a copy, in delivery order
     */
    public synchronized List<WatchEvent.Changed> changes() {
        List<WatchEvent.Changed> out = new ArrayList<>();
        for (WatchEvent e : events) {
            if (e instanceof WatchEvent.Changed c) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * The first final event, if one arrived.
     *
     * @return the final event or null
     */
    public synchronized WatchEvent finalEvent() {
        return finalEvent;
    }

    /**
     * Broken delivery rules seen so far.
     *
     * @return descriptions; empty when the watch behaved
     */
    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    /**
     * A short, readable form of an event: contents are shown as UTF-8 text.
     *
     * @param e an event
     * @return e.g. {@code Changed(a/b="3"@17)}
     */
    public static String describe(WatchEvent e) {
        if (e instanceof WatchEvent.Changed c) {
            return "Changed(" + c.path() + "=\"" + new String(c.value().contents(), java.nio.charset.StandardCharsets.UTF_8)
                    + "\"@" + c.value().version() + ")";
        }
        return String.valueOf(e);
    }

    @Override
    public synchronized String toString() {
        return events.stream().map(TopoEvents::describe).toList().toString();
    }
}
