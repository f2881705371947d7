package dev.mosaic.server.mysql.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Stamps sequence ids on outbound frames and splits large payloads.
 *
 * <p>Accepts three messages: a {@link ByteBuf} holding one or more complete frames whose length
 * fields are set (built with {@link PacketOutput}; the sequence byte is filled here, in place, so
 * a batch of rows goes out without copying); a {@link LargePayload}, split into 0xFFFFFF-byte
 * frames; and a {@link ResponseStart}, which renumbers the frames that follow. Anything else
 * passes through.
 */
public final class PacketEncoder extends ChannelOutboundHandlerAdapter {
    private final PacketSequence sequence;

    /** An encoder sharing {@code sequence} with the connection's decoder. */
    public PacketEncoder(PacketSequence sequence) {
        this.sequence = sequence;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ResponseStart start) {
            sequence.restartOutbound(start.sequenceId());
            promise.trySuccess();
        } else if (msg instanceof LargePayload large) {
            ctx.write(split(ctx, large), promise);
        } else if (msg instanceof ByteBuf frames) {
            stamp(frames);
            ctx.write(frames, promise);
        } else {
            ctx.write(msg, promise);
        }
    }

    private void stamp(ByteBuf frames) {
        int i = frames.readerIndex();
        int end = frames.writerIndex();
        while (i + 4 <= end) {
            int len = frames.getUnsignedMediumLE(i);
            frames.setByte(i + 3, sequence.takeOutbound());
            i += 4 + len;
        }
        if (i != end) {
            throw new IllegalStateException("outbound buffer does not end on a frame boundary");
        }
    }

    private ByteBuf split(ChannelHandlerContext ctx, LargePayload large) {
        ByteBuf payload = large.content();
        try {
            int remaining = payload.readableBytes();
            CompositeByteBuf out = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
            while (true) {
                int n = Math.min(remaining, PacketDecoder.MAX_FRAME);
                ByteBuf header = ctx.alloc().buffer(4);
                header.writeMediumLE(n);
                header.writeByte(sequence.takeOutbound());
                out.addComponent(true, header);
                if (n > 0) {
                    out.addComponent(true, payload.readRetainedSlice(n));
                }
                remaining -= n;
                if (n < PacketDecoder.MAX_FRAME) {
                    return out;
                }
            }
        } finally {
            large.release();
        }
    }
}
