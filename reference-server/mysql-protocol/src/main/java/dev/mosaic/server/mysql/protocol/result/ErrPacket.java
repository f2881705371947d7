package dev.mosaic.server.mysql.protocol.result;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The ERR packet: a MySQL error number, a five-character SQLSTATE and a message.
 *
 * @param errno the MySQL error number
 * @param sqlState the SQLSTATE (exactly five ASCII characters)
 * @param message the message shown to the user
 */
public record ErrPacket(int errno, String sqlState, String message) {
    /** Checks the SQLSTATE's length. */
    public ErrPacket {
        if (sqlState.length() != 5) {
            throw new IllegalArgumentException("SQLSTATE must have 5 characters: " + sqlState);
        }
    }

    /** A specific MySQL error. */
    public static ErrPacket of(SqlError error, String message) {
        return new ErrPacket(error.errno(), error.sqlState(), message);
    }

    /**
     * The packet for any failure: a {@link MosaicException} keeps its number and SQLSTATE;
     * anything else is a Mosaic bug, reported as ER_INTERNAL_ERROR with the exception's text.
     */
    public static ErrPacket from(Throwable t) {
        if (t instanceof MosaicException m) {
            return new ErrPacket(m.mysqlErrno(), m.sqlState(), m.getMessage());
        }
        String msg = t.getMessage() == null ? t.getClass().getName() : t.getClass().getSimpleName() + ": " + t.getMessage();
        return new ErrPacket(ErrorCode.INTERNAL.mysqlErrno(), ErrorCode.INTERNAL.sqlState(), msg);
    }

    /** Writes the payload (0xFF, errno, '#', SQLSTATE, message). */
    public void encode(ByteBuf out) {
        out.writeByte(0xFF);
        out.writeShortLE(errno);
        out.writeByte('#');
        out.writeBytes(sqlState.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(message.getBytes(StandardCharsets.UTF_8));
    }
}
