package dev.mosaic.server.mysqlctl;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Whether a mysqld answers on its Unix socket: it accepts a connection and sends the first packet
 * of the protocol (a handshake, or an error packet such as "too many connections", which still
 * means the server is up). Used instead of logging in so readiness does not depend on
 * credentials, and over the socket so no host-based connection-error counters are touched.
 */
final class Handshake {
    private Handshake() {
    }

    static boolean answers(Path socket, Duration timeout) {
        if (!socket.toFile().exists()) {
            return false;
        }
        return answers(UnixDomainSocketAddress.of(socket), StandardProtocolFamily.UNIX, timeout);
    }

    private static boolean answers(SocketAddress address, StandardProtocolFamily family, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel ch = SocketChannel.open(family); Selector selector = Selector.open()) {
            ch.configureBlocking(false);
            SelectionKey key = ch.register(selector, SelectionKey.OP_CONNECT);
            if (ch.connect(address)) {
                key.interestOps(SelectionKey.OP_READ);
            }
            ByteBuffer buf = ByteBuffer.allocate(5);
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                selector.select(left);
                selector.selectedKeys().clear();
                if (key.isConnectable() && (key.interestOps() & SelectionKey.OP_CONNECT) != 0) {
                    if (!ch.finishConnect()) {
                        continue;
                    }
                    key.interestOps(SelectionKey.OP_READ);
                    continue;
                }
                if (ch.read(buf) < 0) {
                    return false;
                }
                if (!buf.hasRemaining()) {
                    // 3-byte length, sequence id, then protocol version 10 or an error packet.
                    int first = buf.get(4) & 0xff;
                    return first == 0x0a || first == 0xff;
                }
            }
        } catch (IOException e) {
            return false;
        }
    }
}
