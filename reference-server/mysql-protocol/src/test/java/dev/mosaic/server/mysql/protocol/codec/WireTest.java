package dev.mosaic.server.mysql.protocol.codec;

import static dev.mosaic.server.mysql.protocol.testing.Bytes.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WireTest {
    @ParameterizedTest
    @CsvSource({
        "0, 00", "250, fa", "251, fcfb00", "65535, fcffff", "65536, fd000001", "16777215, fdffffff",
        "16777216, fe0000000100000000", "-1, feffffffffffffffff"})
    void lengthEncodedIntegersRoundTrip(long value, String wire) {
        ByteBuf b = Unpooled.buffer();
        Wire.writeLenencInt(b, value);
        assertEquals(wire, hex(b));
        assertEquals(wire.length() / 2, Wire.lenencIntSize(value));
        assertEquals(value, Wire.readLenencInt(b));
        assertFalse(b.isReadable());
    }

    @ParameterizedTest
    @CsvSource({"fc00", "fd0000", "fe00000000000000", "ff", "''", "0361", "61"})
    void truncatedOrInvalidInputIsAMalformedPacket(String wire) {
        ByteBuf b = Unpooled.wrappedBuffer(dev.mosaic.server.mysql.protocol.testing.Bytes.hex(wire));
        ProtocolException e = assertThrows(ProtocolException.class, () -> {
            if (wire.equals("61")) {
                Wire.readNulString(b);
            } else {
                Wire.readLenencBytes(b);
            }
        });
        assertEquals(1835, e.mysqlErrno());
        assertFalse(e.fatal());
    }
}
