package dev.mosaic.server.mysql.protocol.command;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import io.netty.channel.Channel;
import java.time.Duration;

/**
 * Lets a result writer off the event loop wait until its channel is writable again; the channel's
 * handler signals it on writability changes and when the channel closes.
 */
final class Writability {
    private final Object lock = new Object();

    void signal() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /** Waits until {@code channel} is writable; throws if it closes or {@code timeout} passes first. */
    void await(Channel channel, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!channel.isWritable()) {
                if (!channel.isActive()) {
                    throw new MosaicException(ErrorCode.CANCELED, "connection closed by the client");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    channel.close();
                    throw new MosaicException(ErrorCode.DEADLINE_EXCEEDED,
                            "the client did not read its result within " + timeout.toSeconds() + " s (write timeout)");
                }
                try {
                    // Bounded slices: a missed signal costs at most one slice.
                    lock.wait(Math.max(1, Math.min(left / 1_000_000, 100)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new MosaicException(ErrorCode.CANCELED, "interrupted while waiting for the client to read", e);
                }
            }
        }
    }
}
