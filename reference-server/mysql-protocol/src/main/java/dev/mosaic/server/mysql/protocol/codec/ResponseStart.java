package dev.mosaic.server.mysql.protocol.codec;

/**
 * An outbound marker: the frames written after it are numbered from {@code sequenceId}. A
 * command handler writes it before the first packet of each reply, so replies to commands that
 * were read ahead (pipelined) still carry the ids of their own exchange. Writes nothing.
 *
 * @param sequenceId the id of the reply's first frame (0-255)
 */
public record ResponseStart(int sequenceId) {
    /** Checks the range. */
    public ResponseStart {
        if (sequenceId < 0 || sequenceId > 0xFF) {
            throw new IllegalArgumentException("sequence id out of range: " + sequenceId);
        }
    }
}
