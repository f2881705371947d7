package dev.mosaic.server.mysql.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Frames to {@link Packet}s: reads the 4-byte headers, checks each frame's sequence id against
 * {@link PacketSequence}, and joins a payload split into 0xFFFFFF-byte frames (the last frame is
 * shorter, possibly empty) into one packet without copying.
 *
 * <p>Fails with a fatal {@link ProtocolException} (fired as the cause of a
 * {@link io.netty.handler.codec.DecoderException}) on a sequence id out of order or a payload
 * above {@code maxAllowedPacket}; after that it discards all input, since the stream can no
 * longer be framed. The size check uses the header, so an oversized packet is refused before it
 * is buffered.
 */
public final class PacketDecoder extends ByteToMessageDecoder {
    /** The largest frame payload; a frame of exactly this size continues in the next frame. */
    public static final int MAX_FRAME = 0xFF_FFFF;

    private final PacketSequence sequence;
    private final int maxAllowedPacket;
    private CompositeByteBuf pending;
    private long pendingSize;
    private int lastSeq;
    private boolean failed;

    /** A decoder sharing {@code sequence} with the connection's encoder. */
    public PacketDecoder(PacketSequence sequence, int maxAllowedPacket) {
        this.sequence = sequence;
        this.maxAllowedPacket = maxAllowedPacket;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.readableBytes() >= 4) {
            int start = in.readerIndex();
            int len = in.getUnsignedMediumLE(start);
            int seq = in.getUnsignedByte(start + 3);
            int expected = pending == null ? sequence.expectedInbound() : (lastSeq + 1) & 0xFF;
            if (seq != expected) {
                fail(in);
                throw ProtocolException.outOfOrder(expected, seq);
            }
            if (pendingSize + len > maxAllowedPacket) {
                long size = pendingSize + len;
                fail(in);
                throw ProtocolException.tooLarge(size, maxAllowedPacket);
            }
            if (in.readableBytes() < 4 + len) {
                return;
            }
            in.skipBytes(4);
            ByteBuf frame = in.readRetainedSlice(len);
            lastSeq = seq;
            if (len == MAX_FRAME || pending != null) {
                if (pending == null) {
                    pending = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
                }
                pending.addComponent(true, frame);
                pendingSize += len;
                if (len == MAX_FRAME) {
                    continue;
                }
                frame = pending;
                pending = null;
                pendingSize = 0;
            }
            sequence.inboundCompleted(seq);
            out.add(new Packet(seq, frame));
        }
    }

    private void fail(ByteBuf in) {
        failed = true;
        in.skipBytes(in.readableBytes());
        releasePending();
    }

    private void releasePending() {
        if (pending != null) {
            pending.release();
            pending = null;
            pendingSize = 0;
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        releasePending();
    }
}
