package dev.mosaic.spi.topo;

/**
 * A held lock. Closing it unlocks it, so it fits try-with-resources.
 */
public interface TopoLock extends AutoCloseable {
    /** The locked path (directory or lock name). */
    String path();

    /**
     * Verifies the lock is still held: the session is alive and the lock node is ours.
     *
     * @throws TopoException {@link TopoError#NO_NODE} if the lock was lost (unlocked, session
     *         ended or expired, TTL passed, node removed), {@link TopoError#UNAVAILABLE} if it
     *         cannot be checked right now (the lock may still be held)
     */
    void check();

    /**
     * Releases the lock. Releasing a lock that was already lost or already released throws
     * {@link TopoException} ({@link TopoError#NO_NODE}) so the holder learns its critical section
     * was not protected.
     */
    void unlock();

    /** Same as {@link #unlock()}. */
    @Override
    default void close() {
        unlock();
    }
}
