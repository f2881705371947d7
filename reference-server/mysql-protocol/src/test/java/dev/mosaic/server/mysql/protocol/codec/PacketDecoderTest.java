package dev.mosaic.server.mysql.protocol.codec;

import static dev.mosaic.server.mysql.protocol.testing.Bytes.frame;
import static dev.mosaic.server.mysql.protocol.testing.Bytes.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class PacketDecoderTest {
    private static EmbeddedChannel channel(boolean commandPhase, int max) {
        PacketSequence seq = new PacketSequence();
        if (commandPhase) {
            seq.enterCommandPhase();
        }
        return new EmbeddedChannel(new PacketDecoder(seq, max));
    }

    private static List<String> drain(EmbeddedChannel ch) {
        List<String> out = new ArrayList<>();
        Packet p;
        while ((p = ch.readInbound()) != null) {
            out.add(p.sequenceId() + ":" + hex(p.content()));
            p.release();
        }
        return out;
    }

    static Stream<Arguments> wellFramed() {
        return Stream.of(
                Arguments.of("one packet", "0100000003", List.of("0:03")),
                Arguments.of("empty payload", "00000000", List.of("0:")),
                Arguments.of("two packets in one read", "010000000e" + "0200000003aa", List.of("0:0e", "0:03aa")),
                Arguments.of("header only, payload pending", "05000000", List.of()),
                Arguments.of("partial header", "0500", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wellFramed")
    void decodesWellFramedInput(String name, String input, List<String> expected) {
        EmbeddedChannel ch = channel(true, 1 << 20);
        ch.writeInbound(Unpooled.wrappedBuffer(dev.mosaic.server.mysql.protocol.testing.Bytes.hex(input)));
        assertEquals(expected, drain(ch));
        ch.finishAndReleaseAll();
    }

    @Test
    void reassemblesInputArrivingOneByteAtATime() {
        EmbeddedChannel ch = channel(true, 1 << 20);
        byte[] bytes = dev.mosaic.server.mysql.protocol.testing.Bytes.hex("0500000003" + "73656c65" + "0100000001");
        for (byte b : bytes) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertEquals(List.of("0:0373656c65", "0:01"), drain(ch));
        ch.finishAndReleaseAll();
    }

    @Test
    void joinsAPayloadSplitAt16MiB() {
        int size = PacketDecoder.MAX_FRAME + 10;
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) i;
        }
        EmbeddedChannel ch = channel(true, 64 << 20);
        ByteBuf first = Unpooled.buffer();
        first.writeMediumLE(PacketDecoder.MAX_FRAME).writeByte(0).writeBytes(payload, 0, PacketDecoder.MAX_FRAME);
        ByteBuf second = Unpooled.buffer();
        second.writeMediumLE(10).writeByte(1).writeBytes(payload, PacketDecoder.MAX_FRAME, 10);
        ch.writeInbound(first);
        assertNull(ch.readInbound(), "no packet before the last frame");
        ch.writeInbound(second);
        Packet p = ch.readInbound();
        assertEquals(1, p.sequenceId());
        assertEquals(2, p.replySequenceId());
        byte[] got = new byte[p.content().readableBytes()];
        p.content().readBytes(got);
        p.release();
        org.junit.jupiter.api.Assertions.assertArrayEquals(payload, got);
        ch.finishAndReleaseAll();
    }

    @Test
    void anExactMultipleOf16MiBEndsWithAnEmptyFrame() {
        EmbeddedChannel ch = channel(true, 64 << 20);
        ByteBuf first = Unpooled.buffer();
        first.writeMediumLE(PacketDecoder.MAX_FRAME).writeByte(0).writeZero(PacketDecoder.MAX_FRAME);
        ch.writeInbound(first, frame(1, new byte[0]));
        Packet p = ch.readInbound();
        assertEquals(PacketDecoder.MAX_FRAME, p.content().readableBytes());
        assertEquals(1, p.sequenceId());
        p.release();
        ch.finishAndReleaseAll();
    }

    static Stream<Arguments> badSequences() {
        return Stream.of(
                Arguments.of("command not at 0", true, "0100000103", 0, 1),
                Arguments.of("command at 5", true, "0100000503", 0, 5),
                Arguments.of("handshake reply not after greeting", false, "0100000003", 1, 0),
                Arguments.of("continuation frame skips an id", true,
                        "ffffff00" + "00".repeat(PacketDecoder.MAX_FRAME) + "01000002ff", 1, 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSequences")
    void aSequenceIdOutOfOrderIsFatal(String name, boolean commandPhase, String input, int expected, int got) {
        PacketSequence seq = new PacketSequence();
        if (commandPhase) {
            seq.enterCommandPhase();
        } else {
            seq.takeOutbound(); // the greeting went out with id 0
        }
        EmbeddedChannel ch = new EmbeddedChannel(new PacketDecoder(seq, 64 << 20));
        DecoderException e = assertThrows(DecoderException.class,
                () -> ch.writeInbound(Unpooled.wrappedBuffer(dev.mosaic.server.mysql.protocol.testing.Bytes.hex(input))));
        ProtocolException pe = assertInstanceOf(ProtocolException.class, e.getCause());
        assertEquals(1156, pe.mysqlErrno());
        assertEquals("08S01", pe.sqlState());
        assertTrue(pe.fatal());
        assertTrue(pe.getMessage().contains("expected sequence id " + expected + ", got " + got), pe.getMessage());
        // Whatever follows is discarded: the stream can no longer be framed.
        ch.writeInbound(Unpooled.wrappedBuffer(dev.mosaic.server.mysql.protocol.testing.Bytes.hex("0100000003")));
        assertNull(ch.readInbound());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void anOversizedPacketIsRefusedFromItsHeader() {
        EmbeddedChannel ch = channel(true, 1024);
        ByteBuf header = Unpooled.buffer().writeMediumLE(2000).writeByte(0);
        DecoderException e = assertThrows(DecoderException.class, () -> ch.writeInbound(header));
        ProtocolException pe = assertInstanceOf(ProtocolException.class, e.getCause());
        assertEquals(1153, pe.mysqlErrno());
        assertTrue(pe.fatal());
        ch.finishAndReleaseAll();
    }

    @Test
    void handshakePhaseRepliesContinueTheServersSequence() {
        PacketSequence seq = new PacketSequence();
        seq.takeOutbound(); // greeting: 0
        EmbeddedChannel ch = new EmbeddedChannel(new PacketDecoder(seq, 1 << 20));
        ch.writeInbound(frame(1, new byte[] {1}));
        assertEquals(List.of("1:01"), drain(ch));
        assertEquals(2, seq.nextOutbound(), "the server's next packet follows the client's");
        seq.enterCommandPhase();
        ch.writeInbound(frame(0, new byte[] {0x0e}));
        assertEquals(List.of("0:0e"), drain(ch));
        ch.finishAndReleaseAll();
    }
}
