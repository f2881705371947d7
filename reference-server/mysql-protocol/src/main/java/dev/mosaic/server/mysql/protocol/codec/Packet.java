package dev.mosaic.server.mysql.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * One logical packet received from a client: the payload reassembled from all its frames, and
 * the sequence id of its last frame (a reply starts at that id plus one).
 *
 * <p>Reference-counted like any {@link io.netty.buffer.ByteBufHolder}: whoever consumes it
 * releases it.
 */
public final class Packet extends DefaultByteBufHolder {
    private final int sequenceId;

    /** A packet whose last frame carried {@code sequenceId}; takes ownership of {@code payload}. */
    public Packet(int sequenceId, ByteBuf payload) {
        super(payload);
        this.sequenceId = sequenceId & 0xFF;
    }

    /** The sequence id of the packet's last frame. */
    public int sequenceId() {
        return sequenceId;
    }

    /** The sequence id the server's reply to this packet starts with. */
    public int replySequenceId() {
        return (sequenceId + 1) & 0xFF;
    }

    @Override
    public Packet replace(ByteBuf content) {
        return new Packet(sequenceId, content);
    }

    @Override
    public String toString() {
        return "Packet[seq=" + sequenceId + ", len=" + content().readableBytes() + "]";
    }
}
