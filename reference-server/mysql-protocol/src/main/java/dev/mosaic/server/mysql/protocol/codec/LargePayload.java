package dev.mosaic.server.mysql.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * An outbound payload of 16 MiB - 1 bytes or more, without header: {@link PacketEncoder} splits
 * it into 0xFFFFFF-byte frames (plus an empty last frame when the length is an exact multiple).
 * Produced by {@link PacketOutput} when a packet outgrows one frame.
 */
public final class LargePayload extends DefaultByteBufHolder {
    /** Takes ownership of {@code payload}. */
    public LargePayload(ByteBuf payload) {
        super(payload);
    }
}
