package dev.mosaic.server.mysql.protocol.codec;

/**
 * The sequence-id state of one connection, shared by its {@link PacketDecoder} and
 * {@link PacketEncoder}. The protocol is half-duplex: during the handshake the client answers
 * with the id after the server's last one; once authenticated, every client packet starts a new
 * command exchange at id 0 and the server's reply continues from the client's last id.
 *
 * <p>Confined to the channel's event loop.
 */
public final class PacketSequence {
    private int nextOutbound;
    private boolean commandPhase;

    /** The id the encoder stamps on the next frame. */
    public int nextOutbound() {
        return nextOutbound;
    }

    /** Takes the next outbound id and advances. */
    int takeOutbound() {
        int id = nextOutbound;
        nextOutbound = (nextOutbound + 1) & 0xFF;
        return id;
    }

    void restartOutbound(int id) {
        nextOutbound = id & 0xFF;
    }

    /** True once the connection is authenticated: each client packet then starts at id 0. */
    public boolean commandPhase() {
        return commandPhase;
    }

    /** Switches to the command phase (after a successful handshake). */
    public void enterCommandPhase() {
        commandPhase = true;
    }

    /** The id the first frame of the next client packet must carry. */
    int expectedInbound() {
        return commandPhase ? 0 : nextOutbound;
    }

    /** After the server read a client packet whose last frame had {@code id}, it replies with id + 1. */
    void inboundCompleted(int id) {
        if (!commandPhase) {
            nextOutbound = (id + 1) & 0xFF;
        }
    }
}
