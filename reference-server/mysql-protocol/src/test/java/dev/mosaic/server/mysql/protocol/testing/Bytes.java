package dev.mosaic.server.mysql.protocol.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/** Hex and frame helpers for bytes-in, bytes-out tests. */
public final class Bytes {
    private Bytes() {
    }

    /** Bytes from hex; spaces are ignored. */
    public static byte[] hex(String hex) {
        return ByteBufUtil.decodeHexDump(hex.replace(" ", ""));
    }

    /** Lower-case hex of the readable bytes (not consumed). */
    public static String hex(ByteBuf b) {
        return ByteBufUtil.hexDump(b);
    }

    /** Lower-case hex of an array. */
    public static String hex(byte[] b) {
        return ByteBufUtil.hexDump(b);
    }

    /** One frame: 3-byte length, sequence id, payload. */
    public static ByteBuf frame(int seq, byte[] payload) {
        ByteBuf b = Unpooled.buffer(payload.length + 4);
        b.writeMediumLE(payload.length);
        b.writeByte(seq);
        b.writeBytes(payload);
        return b;
    }

    /** A command packet: command byte then {@code body} as UTF-8, sequence id 0. */
    public static ByteBuf command(int command, String body) {
        byte[] s = body.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[s.length + 1];
        p[0] = (byte) command;
        System.arraycopy(s, 0, p, 1, s.length);
        return frame(0, p);
    }

    /** A command packet with a binary body. */
    public static ByteBuf command(int command, byte[] body) {
        byte[] p = new byte[body.length + 1];
        p[0] = (byte) command;
        System.arraycopy(body, 0, p, 1, body.length);
        return frame(0, p);
    }

    /** Concatenates the readable bytes of buffers (releasing them). */
    public static byte[] concat(Iterable<ByteBuf> bufs) {
        ByteBuf all = Unpooled.buffer();
        for (ByteBuf b : bufs) {
            all.writeBytes(b);
            b.release();
        }
        byte[] out = new byte[all.readableBytes()];
        all.readBytes(out);
        return out;
    }
}
