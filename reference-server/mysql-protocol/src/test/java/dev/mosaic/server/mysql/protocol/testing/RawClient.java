package dev.mosaic.server.mysql.protocol.testing;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A minimal blocking MySQL client over a socket, for tests that need to misbehave on purpose. */
public final class RawClient implements AutoCloseable {
    public final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    /** One frame read. */
    public record Frame(int seq, byte[] payload) {
        public int header() {
            return payload.length == 0 ? -1 : payload[0] & 0xFF;
        }

        public int errno() {
            return (payload[1] & 0xFF) | (payload[2] & 0xFF) << 8;
        }
    }

    public RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
        out = socket.getOutputStream();
    }

    /** Reads the greeting and logs in as {@code root} (empty password), returning the reply. */
    public Frame login() throws IOException {
        read();
        send(1, EmbeddedClient.handshakeResponse(EmbeddedClient.CLIENT_CAPS, "root", new byte[0], null, "mysql_native_password"));
        return read();
    }

    public void send(int seq, byte[] payload) throws IOException {
        byte[] f = new byte[payload.length + 4];
        f[0] = (byte) payload.length;
        f[1] = (byte) (payload.length >> 8);
        f[2] = (byte) (payload.length >> 16);
        f[3] = (byte) seq;
        System.arraycopy(payload, 0, f, 4, payload.length);
        out.write(f);
        out.flush();
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** A COM_QUERY. */
    public void query(String sql) throws IOException {
        byte[] s = sql.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[s.length + 1];
        p[0] = 0x03;
        System.arraycopy(s, 0, p, 1, s.length);
        send(0, p);
    }

    public Frame read() throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            throw new EOFException("connection closed");
        }
        int len = b0 | in.readUnsignedByte() << 8 | in.readUnsignedByte() << 16;
        int seq = in.readUnsignedByte();
        byte[] p = new byte[len];
        in.readFully(p);
        return new Frame(seq, p);
    }

    /** True if the server closed the connection (reads end-of-stream within the socket timeout). */
    public boolean closedByServer() throws IOException {
        InputStream s = in;
        try {
            while (true) {
                if (s.read() < 0) {
                    return true;
                }
            }
        } catch (java.net.SocketException e) {
            return true; // reset
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
