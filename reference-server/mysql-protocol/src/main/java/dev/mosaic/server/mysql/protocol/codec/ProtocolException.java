package dev.mosaic.server.mysql.protocol.codec;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;

/**
 * A violation of the wire protocol by the client. {@link #fatal()} says whether the byte stream
 * can still be trusted: a malformed payload inside a well-framed packet is answered with an error
 * and the connection continues (as MySQL does); a broken frame sequence or an oversized packet
 * closes the connection after the error.
 */
public final class ProtocolException extends MosaicException {
    private static final long serialVersionUID = 1L;
    /** ER_NET_PACKETS_OUT_OF_ORDER. */
    public static final int ER_NET_PACKETS_OUT_OF_ORDER = 1156;

    private final int errno;
    private final String sqlState;
    private final boolean fatal;

    private ProtocolException(ErrorCode code, int errno, String sqlState, String message, boolean fatal) {
        super(code, message);
        this.errno = errno;
        this.sqlState = sqlState;
        this.fatal = fatal;
    }

    /** A payload that does not parse (ER_MALFORMED_PACKET); the connection may continue. */
    public static ProtocolException malformed(String what) {
        SqlError e = SqlError.MALFORMED_PACKET;
        return new ProtocolException(e.code(), e.errno(), e.sqlState(), "Malformed communication packet: " + what, false);
    }

    /** A frame with an unexpected sequence id; fatal. */
    public static ProtocolException outOfOrder(int expected, int got) {
        return new ProtocolException(ErrorCode.INVALID_ARGUMENT, ER_NET_PACKETS_OUT_OF_ORDER, "08S01",
                "Got packets out of order (expected sequence id " + expected + ", got " + got + ")", true);
    }

    /** A packet larger than max_allowed_packet; fatal. */
    public static ProtocolException tooLarge(long size, int max) {
        SqlError e = SqlError.NET_PACKET_TOO_LARGE;
        return new ProtocolException(e.code(), e.errno(), e.sqlState(),
                "Got a packet bigger than 'max_allowed_packet' bytes (" + size + " > " + max + ")", true);
    }

    /** True if the connection must close after reporting this error. */
    public boolean fatal() {
        return fatal;
    }

    @Override
    public int mysqlErrno() {
        return errno;
    }

    @Override
    public String sqlState() {
        return sqlState;
    }
}
