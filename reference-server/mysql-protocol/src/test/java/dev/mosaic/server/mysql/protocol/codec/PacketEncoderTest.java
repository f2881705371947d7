package dev.mosaic.server.mysql.protocol.codec;

import static dev.mosaic.server.mysql.protocol.testing.Bytes.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacketEncoderTest {
    private final PacketSequence sequence = new PacketSequence();
    private final EmbeddedChannel ch = new EmbeddedChannel(new PacketEncoder(sequence));

    private byte[] out() {
        ByteBuf all = Unpooled.buffer();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            all.writeBytes(b);
            b.release();
        }
        byte[] bytes = new byte[all.readableBytes()];
        all.readBytes(bytes);
        return bytes;
    }

    private PacketOutput output(int batch) {
        return new PacketOutput(ByteBufAllocator.DEFAULT, ch::write, batch);
    }

    @Test
    void stampsConsecutiveIdsOnBatchedFrames() {
        PacketOutput o = output(1 << 16);
        o.begin().writeByte(0x01);
        o.end();
        o.begin().writeBytes(new byte[] {0x0a, 0x0b});
        o.end();
        o.begin();
        o.end();
        o.emit();
        ch.flush();
        assertEquals("0100000001" + "020000010a0b" + "00000002", hex(out()));
        assertEquals(3, sequence.nextOutbound());
    }

    @Test
    void responseStartRenumbersWhatFollows() {
        ch.write(new ResponseStart(1));
        PacketOutput o = output(1 << 16);
        o.begin().writeByte(0);
        o.end();
        o.emit();
        ch.write(new ResponseStart(7));
        o.begin().writeByte(0);
        o.end();
        o.emit();
        ch.flush();
        assertEquals("0100000100" + "0100000700", hex(out()));
    }

    @Test
    void sequenceIdsWrapAfter255() {
        ch.write(new ResponseStart(255));
        PacketOutput o = output(1 << 16);
        for (int i = 0; i < 2; i++) {
            o.begin().writeByte(i);
            o.end();
        }
        o.emit();
        ch.flush();
        assertEquals("010000ff00" + "0100000001", hex(out()));
    }

    @Test
    void batchesAreHandedOnAtTheThreshold() {
        List<Object> handed = new ArrayList<>();
        PacketOutput o = new PacketOutput(ByteBufAllocator.DEFAULT, handed::add, 10);
        o.begin().writeZero(3);
        o.end();
        assertEquals(0, handed.size());
        o.begin().writeZero(3);
        o.end();
        assertEquals(1, handed.size(), "14 bytes >= 10: handed on");
        o.emit();
        assertEquals(1, handed.size(), "nothing pending, nothing handed on");
        handed.forEach(io.netty.util.ReferenceCountUtil::release);
    }

    @Test
    void splitsPayloadsOf16MiBAndMore() {
        for (int size : new int[] {PacketDecoder.MAX_FRAME - 1, PacketDecoder.MAX_FRAME, PacketDecoder.MAX_FRAME + 5,
                2 * PacketDecoder.MAX_FRAME}) {
            ch.write(new ResponseStart(3));
            PacketOutput o = output(1 << 16);
            o.begin().writeByte(0x77); // a small packet before it in the same batch
            o.end();
            ByteBuf b = o.begin();
            for (int i = 0; i < size; i++) {
                b.writeByte(i & 0x7F);
            }
            o.end();
            o.emit();
            ch.flush();
            byte[] bytes = out();
            ByteBuf wire = Unpooled.wrappedBuffer(bytes);
            assertEquals("0100000377", hex(wire.readSlice(5)));
            int expectedSeq = 4;
            int total = 0;
            while (true) {
                int len = wire.readUnsignedMediumLE();
                assertEquals(expectedSeq++, wire.readUnsignedByte(), "size " + size);
                for (int i = 0; i < len; i++) {
                    assertEquals((total + i) & 0x7F, wire.readUnsignedByte());
                }
                total += len;
                if (len < PacketDecoder.MAX_FRAME) {
                    break;
                }
            }
            assertEquals(size, total);
            assertTrue(!wire.isReadable(), "size " + size + ": nothing after the last frame");
        }
    }
}
