package dev.mosaic.server.tablet.consolidator;

/**
 * Handed to an {@link Consolidator.Execution} so that it can report the size of the result it is
 * building (for example after each batch of rows read from MySQL). Reports only decide whether
 * more callers may join the execution; they never fail it.
 */
public interface ResultSize {
    /** Adds {@code bytes} (>= 0) to the size of the result being built. */
    void add(long bytes);

    /** Whether callers may still join this execution. */
    boolean sharable();
}
