package dev.mosaic.server.mysql.protocol.testing;

import dev.mosaic.server.mysql.protocol.MysqlChannelInitializer;
import dev.mosaic.server.mysql.protocol.auth.Authentication;
import dev.mosaic.server.mysql.protocol.auth.HandshakeConfig;
import dev.mosaic.server.mysql.protocol.codec.Capabilities;
import dev.mosaic.server.mysql.protocol.command.CommandConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The whole server pipeline in an {@link EmbeddedChannel}, driven from the client's side with raw
 * packets: bytes in, frames out. The command executor runs inline.
 */
public final class EmbeddedClient {
    /** The client capabilities of a modern MySQL client. */
    public static final int CLIENT_CAPS = Capabilities.LONG_PASSWORD | Capabilities.FOUND_ROWS | Capabilities.LONG_FLAG
            | Capabilities.PROTOCOL_41 | Capabilities.TRANSACTIONS | Capabilities.SECURE_CONNECTION
            | Capabilities.MULTI_STATEMENTS | Capabilities.MULTI_RESULTS | Capabilities.PS_MULTI_RESULTS
            | Capabilities.PLUGIN_AUTH | Capabilities.CONNECT_ATTRS | Capabilities.PLUGIN_AUTH_LENENC_CLIENT_DATA
            | Capabilities.DEPRECATE_EOF;

    /** One frame the server sent. */
    public record Frame(int seq, byte[] payload) {
        /** The payload in hex. */
        public String hex() {
            return Bytes.hex(payload);
        }

        /** The first byte of the payload. */
        public int header() {
            return payload.length == 0 ? -1 : payload[0] & 0xFF;
        }

        /** For an ERR packet: the error number. */
        public int errno() {
            return (payload[1] & 0xFF) | (payload[2] & 0xFF) << 8;
        }

        /** For an ERR packet: SQLSTATE and message. */
        public String errText() {
            return new String(payload, 3, payload.length - 3, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return seq + ":" + (payload.length > 64 ? hex().substring(0, 128) + "...(" + payload.length + ")" : hex());
        }
    }

    public final EmbeddedChannel channel;
    public final FixtureHandler handler;
    private final ByteBuf pending = Unpooled.buffer();
    /** The nonce from the greeting. */
    public byte[] nonce;
    /** The greeting's payload. */
    public byte[] greeting;

    public EmbeddedClient(Authentication auth, HandshakeConfig handshake, CommandConfig commands) {
        this.handler = new FixtureHandler();
        this.channel = new EmbeddedChannel(new MysqlChannelInitializer(handshake, commands, auth, handler, Runnable::run));
        Frame g = frames().get(0);
        greeting = g.payload();
        ByteBuf b = Unpooled.wrappedBuffer(greeting);
        b.readByte();
        while (b.readByte() != 0) {
            // server version
        }
        b.skipBytes(4);
        nonce = new byte[20];
        b.readBytes(nonce, 0, 8);
        b.skipBytes(1 + 2 + 1 + 2 + 2 + 1 + 10);
        b.readBytes(nonce, 8, 12);
    }

    /** Sends one frame. */
    public void send(int seq, byte[] payload) {
        channel.writeInbound(Bytes.frame(seq, payload));
        channel.runPendingTasks();
    }

    /** Sends raw bytes. */
    public void sendRaw(byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        channel.runPendingTasks();
    }

    /** A command with a text body at sequence id 0. */
    public List<Frame> command(int command, String body) {
        channel.writeInbound(Bytes.command(command, body));
        channel.runPendingTasks();
        return frames();
    }

    /** A command with a binary body at sequence id 0. */
    public List<Frame> command(int command, byte[] body) {
        channel.writeInbound(Bytes.command(command, body));
        channel.runPendingTasks();
        return frames();
    }

    /** HandshakeResponse41. */
    public static byte[] handshakeResponse(int caps, String user, byte[] auth, String db, String plugin) {
        ByteBuf b = Unpooled.buffer();
        b.writeIntLE(caps | (db != null ? Capabilities.CONNECT_WITH_DB : 0));
        b.writeIntLE(16 << 20);
        b.writeByte(45);
        b.writeZero(23);
        b.writeBytes(user.getBytes(StandardCharsets.UTF_8)).writeByte(0);
        b.writeByte(auth.length).writeBytes(auth);
        if (db != null) {
            b.writeBytes(db.getBytes(StandardCharsets.UTF_8)).writeByte(0);
        }
        b.writeBytes(plugin.getBytes(StandardCharsets.US_ASCII)).writeByte(0);
        ByteBuf attrs = Unpooled.buffer();
        attrs.writeByte(4).writeBytes("_pid".getBytes(StandardCharsets.US_ASCII)).writeByte(2).writeBytes("42".getBytes(StandardCharsets.US_ASCII));
        b.writeByte(attrs.readableBytes()).writeBytes(attrs);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    /** Logs in through {@code none} authentication and returns the OK frame. */
    public Frame login(int caps) {
        send(1, handshakeResponse(caps, "root", new byte[0], null, "mysql_native_password"));
        return frames().get(0);
    }

    /** Everything the server wrote since the last call, split into frames. */
    public List<Frame> frames() {
        channel.runPendingTasks();
        Object o;
        while ((o = channel.readOutbound()) != null) {
            ByteBuf b = (ByteBuf) o;
            pending.writeBytes(b);
            b.release();
        }
        List<Frame> out = new ArrayList<>();
        while (pending.readableBytes() >= 4) {
            int len = pending.getUnsignedMediumLE(pending.readerIndex());
            if (pending.readableBytes() < 4 + len) {
                break;
            }
            pending.skipBytes(3);
            int seq = pending.readUnsignedByte();
            byte[] p = new byte[len];
            pending.readBytes(p);
            out.add(new Frame(seq, p));
        }
        pending.discardReadBytes();
        return out;
    }

    /** The sequence ids of frames. */
    public static List<Integer> seqs(List<Frame> frames) {
        return frames.stream().map(Frame::seq).toList();
    }

    /** Shorthand for payload comparisons. */
    public static boolean startsWith(byte[] payload, byte[] prefix) {
        return payload.length >= prefix.length && Arrays.equals(Arrays.copyOf(payload, prefix.length), prefix);
    }
}
