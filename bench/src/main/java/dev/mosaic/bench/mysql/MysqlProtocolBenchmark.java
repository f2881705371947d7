package dev.mosaic.bench.mysql;

import dev.mosaic.api.sql.SqlType;
import dev.mosaic.server.mysql.protocol.codec.Packet;
import dev.mosaic.server.mysql.protocol.codec.PacketDecoder;
import dev.mosaic.server.mysql.protocol.codec.PacketOutput;
import dev.mosaic.server.mysql.protocol.codec.PacketSequence;
import dev.mosaic.server.mysql.protocol.codec.ServerStatus;
import dev.mosaic.server.mysql.protocol.codec.Wire;
import dev.mosaic.server.mysql.protocol.result.BinaryRow;
import dev.mosaic.server.mysql.protocol.result.Column;
import dev.mosaic.server.mysql.protocol.result.OkPacket;
import dev.mosaic.server.mysql.protocol.result.TextRow;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The MySQL protocol codec's hot paths, single-threaded:
 * <ul>
 * <li>{@code decodeComQuery}: a sysbench-style point select arrives as bytes, goes through the
 * frame decoder in a pipeline, and comes out as command byte + SQL string (what the command
 * handler hands the session handler);
 * <li>{@code encodeTextResult}: column count, three column definitions, {@code rows} text rows
 * (an int, a 120-byte CHAR and a 60-byte CHAR, sysbench's {@code sbtest} shape) and the closing
 * OK, batched into pooled buffers as a result sink does;
 * <li>{@code encodeBinaryRow}: one binary-protocol row of eight typed columns converted from text.
 * </ul>
 * Run: {@code java -jar bench/target/benchmarks.jar MysqlProtocol -f 1 -wi 2 -i 3 -w 2s -r 2s}
 * (add {@code -prof 'dev.mosaic.bench.vindex.VindexMapBenchmark$CpuTime'} on a shared machine).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class MysqlProtocolBenchmark {
    private static final List<Column> SBTEST = List.of(Column.of("id", SqlType.INT32), Column.of("c", SqlType.CHAR),
            Column.of("pad", SqlType.CHAR));
    private static final List<Column> TYPED = List.of(Column.of("i", SqlType.INT32), Column.of("b", SqlType.INT64),
            Column.of("u", SqlType.UINT64), Column.of("d", SqlType.FLOAT64), Column.of("dec", SqlType.DECIMAL),
            Column.of("dt", SqlType.DATETIME), Column.of("s", SqlType.VARCHAR), Column.of("n", SqlType.VARCHAR));

    /** The number of rows of {@code encodeTextResult} (a state of its own so the other benchmarks run once). */
    @State(Scope.Thread)
    public static class Result {
        @Param({"1", "100", "1000"})
        public int rows;
    }

    private EmbeddedChannel decoder;
    private ByteBuf comQuery;
    private byte[][] textRow;
    private byte[][] typedRow;
    private ByteBufAllocator alloc;
    private ByteBuf binaryOut;

    @Setup(Level.Trial)
    public void setUp() {
        PacketSequence sequence = new PacketSequence();
        sequence.enterCommandPhase();
        decoder = new EmbeddedChannel(new PacketDecoder(sequence, 64 << 20));
        byte[] sql = "SELECT c FROM sbtest1 WHERE id=4999".getBytes(StandardCharsets.UTF_8);
        comQuery = Unpooled.directBuffer(sql.length + 5);
        comQuery.writeMediumLE(sql.length + 1).writeByte(0).writeByte(0x03).writeBytes(sql);
        textRow = new byte[][] {"4999".getBytes(StandardCharsets.US_ASCII),
            ("83868641912-28773972837-60736120486-75162659906-27563526494-20381887404-41576422241-93426793964-"
                    + "56405065102-33518432330").getBytes(StandardCharsets.US_ASCII),
            "67847967377-48000963322-62604785301-91415491898-96926520291".getBytes(StandardCharsets.US_ASCII)};
        typedRow = new byte[][] {"123456".getBytes(StandardCharsets.US_ASCII), "-9000000000".getBytes(StandardCharsets.US_ASCII),
            "18446744073709551615".getBytes(StandardCharsets.US_ASCII), "2.25".getBytes(StandardCharsets.US_ASCII),
            "12345.6789".getBytes(StandardCharsets.US_ASCII), "2024-02-29 13:14:15.123456".getBytes(StandardCharsets.US_ASCII),
            "hello world".getBytes(StandardCharsets.US_ASCII), null};
        alloc = PooledByteBufAllocator.DEFAULT;
        binaryOut = alloc.directBuffer(256);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        decoder.finishAndReleaseAll();
        comQuery.release();
        binaryOut.release();
    }

    @Benchmark
    public void decodeComQuery(Blackhole bh) {
        decoder.writeInbound(comQuery.retainedDuplicate());
        Packet p = decoder.readInbound();
        ByteBuf in = p.content();
        bh.consume(in.readUnsignedByte());
        bh.consume(in.toString(StandardCharsets.UTF_8));
        p.release();
    }

    @Benchmark
    public void encodeTextResult(Result result, Blackhole bh) {
        int rows = result.rows;
        PacketOutput out = new PacketOutput(alloc, msg -> {
            bh.consume(msg);
            ReferenceCountUtil.release(msg);
        }, 16 << 10);
        Wire.writeLenencInt(out.begin(), SBTEST.size());
        out.end();
        for (Column c : SBTEST) {
            c.encode(out.begin());
            out.end();
        }
        for (int i = 0; i < rows; i++) {
            TextRow.encode(out.begin(), textRow);
            out.end();
        }
        new OkPacket(0, 0, ServerStatus.AUTOCOMMIT, 0, "").encode(out.begin(), OkPacket.EOF_HEADER);
        out.end();
        out.emit();
    }

    @Benchmark
    public ByteBuf encodeBinaryRow() {
        binaryOut.clear();
        BinaryRow.encode(binaryOut, TYPED, typedRow);
        return binaryOut;
    }
}
