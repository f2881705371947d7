package dev.mosaic.server.mysql.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.function.Consumer;

/**
 * Builds outbound packets into batched buffers for {@link PacketEncoder}: {@link #begin()} opens
 * a packet and returns the buffer to write its payload into, {@link #end()} closes it. Packets
 * accumulate in one buffer, handed downstream when it reaches {@code batchBytes} or on
 * {@link #emit()}; a payload of 16 MiB - 1 bytes or more is handed on as a {@link LargePayload}.
 *
 * <p>Not thread-safe: one writer at a time (a command's reply is written by one thread).
 */
public final class PacketOutput {
    private final ByteBufAllocator alloc;
    private final Consumer<Object> downstream;
    private final int batchBytes;
    private ByteBuf buf;
    private int start = -1;

    /**
     * @param alloc where buffers come from
     * @param downstream receives each finished batch ({@link ByteBuf} or {@link LargePayload}),
     *     typically {@code channel::write}; it takes ownership
     * @param batchBytes hand a batch on once it holds this many bytes
     */
    public PacketOutput(ByteBufAllocator alloc, Consumer<Object> downstream, int batchBytes) {
        this.alloc = alloc;
        this.downstream = downstream;
        this.batchBytes = batchBytes;
    }

    /** Opens a packet; write its payload into the returned buffer, then call {@link #end()}. */
    public ByteBuf begin() {
        if (start >= 0) {
            throw new IllegalStateException("packet already open");
        }
        if (buf == null) {
            buf = alloc.buffer(Math.min(batchBytes, 4096));
        }
        start = buf.writerIndex();
        buf.writeInt(0);
        return buf;
    }

    /** Closes the open packet. */
    public void end() {
        if (start < 0) {
            throw new IllegalStateException("no packet open");
        }
        int len = buf.writerIndex() - start - 4;
        if (len < PacketDecoder.MAX_FRAME) {
            buf.setMediumLE(start, len);
            start = -1;
            if (buf.readableBytes() >= batchBytes) {
                emit();
            }
        } else {
            ByteBuf payload = buf.retainedSlice(start + 4, len);
            buf.writerIndex(start);
            start = -1;
            emit();
            downstream.accept(new LargePayload(payload));
        }
    }

    /** Hands the packets closed so far downstream. */
    public void emit() {
        if (start >= 0) {
            throw new IllegalStateException("packet still open");
        }
        if (buf == null) {
            return;
        }
        ByteBuf b = buf;
        buf = null;
        if (b.isReadable()) {
            downstream.accept(b);
        } else {
            b.release();
        }
    }

    /** Drops the open packet, if any, keeping the packets closed before it. */
    public void cancelPacket() {
        if (start >= 0) {
            buf.writerIndex(start);
            start = -1;
        }
    }

    /** Bytes closed but not yet handed on. */
    public int pendingBytes() {
        return buf == null ? 0 : buf.readableBytes();
    }

    /** Drops anything not yet handed on (after a failure). */
    public void discard() {
        start = -1;
        if (buf != null) {
            buf.release();
            buf = null;
        }
    }
}
