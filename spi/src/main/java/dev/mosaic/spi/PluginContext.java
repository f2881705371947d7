package dev.mosaic.spi;

import java.time.Clock;
import java.util.Objects;

/**
 * What the host gives a plugin instance when it creates it. Kept deliberately small; new
 * capabilities arrive as default methods so existing plugins keep compiling.
 */
public interface PluginContext {
    /**
     * The name of this instance in the host's configuration: the vindex name in a vschema, the
     * topology store's role ({@code global} or a cell name), a metric's name.
     */
    String instanceName();

    /** The clock to use for timestamps and timeouts (tests may substitute a fixed clock). */
    default Clock clock() {
        return Clock.systemUTC();
    }

    /** A context with the given instance name and the system clock. */
    static PluginContext named(String instanceName) {
        Objects.requireNonNull(instanceName, "instanceName");
        return () -> instanceName;
    }
}
