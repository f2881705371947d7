package dev.mosaic.server.mysql.protocol.command;

import static dev.mosaic.server.mysql.protocol.testing.EmbeddedClient.CLIENT_CAPS;
import static dev.mosaic.server.mysql.protocol.testing.EmbeddedClient.seqs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.sql.SqlType;
import dev.mosaic.server.mysql.protocol.auth.AuthMethod;
import dev.mosaic.server.mysql.protocol.auth.Authentication;
import dev.mosaic.server.mysql.protocol.auth.Authenticator;
import dev.mosaic.server.mysql.protocol.auth.HandshakeConfig;
import dev.mosaic.server.mysql.protocol.auth.RsaKey;
import dev.mosaic.server.mysql.protocol.codec.Capabilities;
import dev.mosaic.server.mysql.protocol.codec.PacketDecoder;
import dev.mosaic.server.mysql.protocol.result.Column;
import dev.mosaic.server.mysql.protocol.testing.Bytes;
import dev.mosaic.server.mysql.protocol.testing.EmbeddedClient;
import dev.mosaic.server.mysql.protocol.testing.EmbeddedClient.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CommandHandlerTest {
    private static final RsaKey KEY = RsaKey.generate();
    /** OK, no rows, status AUTOCOMMIT. */
    private static final String OK = "00" + "00" + "00" + "0200" + "0000";
    /** OK-as-EOF ending a result set, status AUTOCOMMIT. */
    private static final String END = "fe" + "00" + "00" + "0200" + "0000";

    private static EmbeddedClient connect(int caps) {
        EmbeddedClient c = new EmbeddedClient(new Authentication(Authenticator.none(AuthMethod.MYSQL_NATIVE_PASSWORD), KEY),
                HandshakeConfig.DEFAULT, CommandConfig.DEFAULT);
        assertEquals(0, c.login(caps).header());
        return c;
    }

    private static String col(String name, SqlType type) {
        ByteBuf b = Unpooled.buffer();
        Column.of(name, type).encode(b);
        return Bytes.hex(b);
    }

    private static List<String> hexes(List<Frame> frames) {
        return frames.stream().map(Frame::hex).toList();
    }

    private static String text(String s) {
        return Bytes.hex(s.getBytes(StandardCharsets.UTF_8));
    }

    static Stream<Arguments> queries() {
        String idCol = col("id", SqlType.INT64);
        String nameCol = col("name", SqlType.VARCHAR);
        String rows = "0131" + "05" + text("alice") + "," + "0132" + "03" + text("bob") + "," + "0133" + "fb";
        return Stream.of(
                Arguments.of("result set, DEPRECATE_EOF", CLIENT_CAPS, "select * from t",
                        List.of("02", idCol, nameCol, "0131" + "05" + text("alice"), "0132" + "03" + text("bob"), "0133fb", END)),
                Arguments.of("result set, EOF packets", CLIENT_CAPS & ~Capabilities.DEPRECATE_EOF, "select * from t",
                        List.of("02", idCol, nameCol, "fe00000200", "0131" + "05" + text("alice"), "0132" + "03" + text("bob"),
                                "0133fb", "fe00000200")),
                Arguments.of("OK with insert id", CLIENT_CAPS, "insert into t values (1)", List.of("00012a02000000")),
                Arguments.of("transaction status", CLIENT_CAPS, "begin", List.of("00000003000000")),
                Arguments.of("error", CLIENT_CAPS, "fail", List.of("ff7a04" + text("#42S02Table 'test.fail' doesn't exist"))),
                Arguments.of("multi: OK then rows", CLIENT_CAPS, "insert into t values (1); select 1",
                        List.of("00012a0a000000", "01", col("1", SqlType.INT64), "0131", END)),
                Arguments.of("multi: rows then error", CLIENT_CAPS, "select 1; fail",
                        List.of("01", col("1", SqlType.INT64), "0131", "fe00000a000000",
                                "ff7a04" + text("#42S02Table 'test.fail' doesn't exist"))),
                Arguments.of("multi refused without CLIENT_MULTI_STATEMENTS", CLIENT_CAPS & ~Capabilities.MULTI_STATEMENTS,
                        "select 1; select 1", List.of("ff2804" + text("#42000You have an error in your SQL syntax near ';'"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queries")
    void comQuery(String name, int caps, String sql, List<String> expected) {
        EmbeddedClient c = connect(caps);
        List<Frame> f = c.command(CommandHandler.COM_QUERY, sql);
        assertEquals(expected, hexes(f));
        for (int i = 0; i < f.size(); i++) {
            assertEquals(i + 1, f.get(i).seq(), "each reply numbers its frames from 1");
        }
    }

    static Stream<Arguments> simpleCommands() {
        return Stream.of(
                Arguments.of("COM_PING", "0e", List.of(OK)),
                Arguments.of("COM_INIT_DB", "02" + text("db2"), List.of(OK)),
                Arguments.of("COM_INIT_DB unknown", "02" + text("nosuchdb"), List.of("ff1904" + text("#42000Unknown database 'nosuchdb'"))),
                Arguments.of("COM_FIELD_LIST", "04" + text("t") + "00",
                        List.of(col("id", SqlType.INT64) + "fb", col("name", SqlType.VARCHAR) + "fb", END)),
                Arguments.of("COM_SET_OPTION off", "1b0100", List.of(END)),
                Arguments.of("COM_SET_OPTION unknown", "1b0500", List.of("ff1704" + text("#08S01Unknown command"))),
                Arguments.of("COM_RESET_CONNECTION", "1f", List.of(OK)),
                Arguments.of("COM_STATISTICS (unknown)", "09", List.of("ff1704" + text("#08S01Unknown command"))),
                Arguments.of("COM_CHANGE_USER (unknown)", "11", List.of("ff1704" + text("#08S01Unknown command"))),
                Arguments.of("unknown command byte", "fe", List.of("ff1704" + text("#08S01Unknown command"))),
                Arguments.of("empty packet", "", List.of("ff2b07" + text("#HY000Malformed communication packet: empty command packet"))),
                Arguments.of("truncated COM_STMT_EXECUTE", "170100", List.of("ff2b07"
                        + text("#HY000Malformed communication packet: truncated mysqld_stmt_execute (need 4 bytes, have 2)"))),
                Arguments.of("COM_STMT_EXECUTE unknown statement", "17" + "07000000" + "00" + "01000000",
                        List.of("ffdb04" + text("#HY000Unknown prepared statement handler (7) given to mysqld_stmt_execute"))),
                Arguments.of("COM_STMT_RESET unknown statement", "1a" + "07000000",
                        List.of("ffdb04" + text("#HY000Unknown prepared statement handler (7) given to mysqld_stmt_reset"))),
                Arguments.of("COM_STMT_CLOSE unknown statement (no reply)", "19" + "07000000", List.of()),
                Arguments.of("COM_STMT_SEND_LONG_DATA unknown statement (no reply)", "18" + "07000000" + "0000" + "61", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("simpleCommands")
    void commandsAnswerAndTheConnectionContinues(String name, String packet, List<String> expected) {
        EmbeddedClient c = connect(CLIENT_CAPS);
        c.send(0, Bytes.hex(packet));
        List<Frame> f = c.frames();
        assertEquals(expected, hexes(f));
        assertTrue(c.channel.isActive());
        assertEquals(List.of(OK), hexes(c.command(CommandHandler.COM_PING, "")), "the next command is served");
    }

    @Test
    void initDbAndSetOptionChangeTheSession() {
        EmbeddedClient c = connect(CLIENT_CAPS);
        c.command(CommandHandler.COM_INIT_DB, "db2");
        List<Frame> f = c.command(CommandHandler.COM_QUERY, "select database()");
        assertEquals("03" + text("db2"), f.get(2).hex());
        c.command(CommandHandler.COM_SET_OPTION, new byte[] {1, 0});
        assertEquals(1064, c.command(CommandHandler.COM_QUERY, "select 1; select 1").get(0).errno());
        c.command(CommandHandler.COM_SET_OPTION, new byte[] {0, 0});
        assertEquals(8, c.command(CommandHandler.COM_QUERY, "select 1; select 1").size(), "two result sets");
    }

    @Test
    void preparedStatementsPrepareExecuteAndClose() {
        EmbeddedClient c = connect(CLIENT_CAPS);
        List<Frame> prep = c.command(CommandHandler.COM_STMT_PREPARE, "select ?, ?");
        // OK: stmt id 1, 3 columns, 2 params, filler, 0 warnings; then 2 param defs, 3 column defs.
        assertEquals("00" + "01000000" + "0300" + "0200" + "00" + "0000", prep.get(0).hex());
        assertEquals(6, prep.size());
        assertEquals(List.of(1, 2, 3, 4, 5, 6), seqs(prep));
        assertTrue(prep.get(1).hex().contains("013f"), "parameters are named ?");

        // Execute: stmt 1, no cursor, 1 iteration, bitmap 00, new-params-bound, LONGLONG + VAR_STRING.
        List<Frame> ex = c.command(CommandHandler.COM_STMT_EXECUTE, Bytes.hex("01000000" + "00" + "01000000" + "00" + "01"
                + "0800" + "fd00" + "0700000000000000" + "0178"));
        assertEquals(List.of("03", col("p0", SqlType.INT64), col("p1", SqlType.VARCHAR), col("types", SqlType.VARCHAR),
                "00" + "00" + "0700000000000000" + "0178" + "0d" + text("INT64,VARCHAR"), END), hexes(ex));

        // Long data for parameter 1, then an execution that does not resend types.
        c.command(CommandHandler.COM_STMT_SEND_LONG_DATA, Bytes.hex("01000000" + "0100" + text("long ")));
        assertEquals(List.of(), c.frames(), "no reply to SEND_LONG_DATA");
        c.command(CommandHandler.COM_STMT_SEND_LONG_DATA, Bytes.hex("01000000" + "0100" + text("data")));
        ex = c.command(CommandHandler.COM_STMT_EXECUTE, Bytes.hex("01000000" + "00" + "01000000" + "02" + "00"
                + "0800000000000000"));
        assertEquals("00" + "00" + "0800000000000000" + "09" + text("long data") + "0d" + text("INT64,VARCHAR"), ex.get(4).hex());

        // Long data is consumed by one execution; COM_STMT_RESET clears it too.
        c.command(CommandHandler.COM_STMT_SEND_LONG_DATA, Bytes.hex("01000000" + "0100" + text("zzz")));
        assertEquals(List.of(OK), hexes(c.command(CommandHandler.COM_STMT_RESET, Bytes.hex("01000000"))));
        ex = c.command(CommandHandler.COM_STMT_EXECUTE, Bytes.hex("01000000" + "00" + "01000000" + "00" + "00"
                + "0900000000000000" + "0179"));
        assertEquals("00" + "00" + "0900000000000000" + "0179" + "0d" + text("INT64,VARCHAR"), ex.get(4).hex());

        // A cursor cannot be opened on a statement with a result set.
        ex = c.command(CommandHandler.COM_STMT_EXECUTE, Bytes.hex("01000000" + "01" + "01000000" + "00" + "00"
                + "0900000000000000" + "0179"));
        assertEquals(1235, ex.get(0).errno());

        assertEquals(List.of(), c.command(CommandHandler.COM_STMT_CLOSE, Bytes.hex("01000000")));
        assertTrue(c.handler.events.contains("closeStatement 1"));
        assertEquals(1243, c.command(CommandHandler.COM_STMT_EXECUTE, Bytes.hex("01000000" + "00" + "01000000")).get(0).errno());
    }

    @Test
    void preparedStatementWithoutResultSetAndCursorFlagRunsNormally() {
        EmbeddedClient c = connect(CLIENT_CAPS & ~Capabilities.DEPRECATE_EOF);
        List<Frame> prep = c.command(CommandHandler.COM_STMT_PREPARE, "insert into t values (?)");
        // Without DEPRECATE_EOF the parameter definitions end with an EOF.
        assertEquals(List.of("00" + "01000000" + "0000" + "0100" + "00" + "0000"), hexes(prep.subList(0, 1)));
        assertEquals("fe00000200", prep.get(2).hex());
        List<Frame> ex = c.command(CommandHandler.COM_STMT_EXECUTE, Bytes.hex("01000000" + "01" + "01000000" + "01" + "01" + "0600"));
        assertEquals(List.of("00012a02000000"), hexes(ex));
        assertTrue(c.handler.events.contains("execute 1 [Null[]]"), c.handler.events.toString());
    }

    @Test
    void binaryRowsForTypedColumns() {
        EmbeddedClient c = connect(CLIENT_CAPS);
        c.command(CommandHandler.COM_STMT_PREPARE, "select typed");
        List<Frame> ex = c.command(CommandHandler.COM_STMT_EXECUTE, Bytes.hex("01000000" + "00" + "01000000"));
        assertEquals(1 + 15 + 1 + 1, ex.size());
        assertTrue(ex.get(16).hex().startsWith("00" + "008000" + "f9" + "d4fe"), ex.get(16).hex());
        // The same query in the text protocol sends the text values untouched.
        List<Frame> q = c.command(CommandHandler.COM_QUERY, "select typed");
        assertTrue(q.get(16).hex().startsWith("022d37" + "04" + text("-300")), q.get(16).hex());
    }

    @Test
    void packedRowsInBothProtocols() {
        EmbeddedClient c = connect(CLIENT_CAPS);
        List<Frame> f = c.command(CommandHandler.COM_QUERY, "select packed");
        assertEquals(List.of("0131" + "05" + text("alice"), "0132fb", END), hexes(f.subList(3, 6)));
        c.command(CommandHandler.COM_STMT_PREPARE, "select packed");
        f = c.command(CommandHandler.COM_STMT_EXECUTE, Bytes.hex("01000000" + "00" + "01000000"));
        assertEquals(List.of("00" + "00" + "0100000000000000" + "05" + text("alice"), "00" + "08" + "0200000000000000", END),
                hexes(f.subList(3, 6)));
    }

    @Test
    void aBadRowFromTheHandlerEndsTheResultWithAnErrorAfterTheGoodRows() {
        EmbeddedClient c = connect(CLIENT_CAPS);
        List<Frame> f = c.command(CommandHandler.COM_QUERY, "badrow");
        assertEquals(List.of("02", col("id", SqlType.INT64), col("name", SqlType.VARCHAR), "0131" + "02" + text("ok")),
                hexes(f.subList(0, 4)));
        assertEquals(1815, f.get(4).errno());
        assertTrue(f.get(4).errText().contains("row has 1 values for 2 columns"), f.get(4).errText());
        assertEquals(5, f.size());

        c.command(CommandHandler.COM_STMT_PREPARE, "select bad");
        f = c.command(CommandHandler.COM_STMT_EXECUTE, Bytes.hex("01000000" + "00" + "01000000"));
        assertEquals(List.of("01", col("n", SqlType.INT64), "00" + "00" + "0100000000000000"), hexes(f.subList(0, 3)));
        assertEquals(1815, f.get(3).errno());
        assertTrue(f.get(3).errText().contains("'not a number' of column n is not a valid LONGLONG"), f.get(3).errText());
        assertEquals(List.of(OK), hexes(c.command(CommandHandler.COM_PING, "")), "the connection continues");
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder() {
        EmbeddedClient c = connect(CLIENT_CAPS);
        ByteBuf both = Unpooled.buffer();
        both.writeBytes(Bytes.command(CommandHandler.COM_QUERY, "select 1"));
        both.writeBytes(Bytes.command(CommandHandler.COM_PING, ""));
        both.writeBytes(Bytes.command(CommandHandler.COM_QUERY, "insert x"));
        byte[] raw = new byte[both.readableBytes()];
        both.readBytes(raw);
        c.sendRaw(raw);
        List<Frame> f = c.frames();
        assertEquals(List.of(1, 2, 3, 4, 1, 1), seqs(f));
        assertEquals(List.of("01", col("1", SqlType.INT64), "0131", END, OK, "00012a02000000"), hexes(f));
    }

    @Test
    void aResultRowOver16MiBIsSplitIntoFrames() {
        EmbeddedClient c = connect(CLIENT_CAPS);
        int size = PacketDecoder.MAX_FRAME + 100;
        List<Frame> f = c.command(CommandHandler.COM_QUERY, "big " + size);
        assertEquals(List.of(1, 2, 3, 4, 5), seqs(f));
        assertEquals(PacketDecoder.MAX_FRAME, f.get(2).payload().length);
        // Row payload: lenenc prefix (9 bytes: fe + 8) + the value; the rest continues in frame 4.
        assertEquals(size + 9 - PacketDecoder.MAX_FRAME, f.get(3).payload().length);
        assertEquals(END, f.get(4).hex());
    }

    @Test
    void aQueryOver16MiBIsReassembled() {
        EmbeddedClient c = connect(CLIENT_CAPS);
        StringBuilder sql = new StringBuilder("insert into t values ('");
        while (sql.length() < PacketDecoder.MAX_FRAME + 10) {
            sql.append("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
        }
        sql.append("')");
        byte[] payload = ("\u0003" + sql).getBytes(StandardCharsets.UTF_8);
        ByteBuf wire = Unpooled.buffer();
        wire.writeMediumLE(PacketDecoder.MAX_FRAME).writeByte(0).writeBytes(payload, 0, PacketDecoder.MAX_FRAME);
        wire.writeMediumLE(payload.length - PacketDecoder.MAX_FRAME).writeByte(1)
                .writeBytes(payload, PacketDecoder.MAX_FRAME, payload.length - PacketDecoder.MAX_FRAME);
        byte[] raw = new byte[wire.readableBytes()];
        wire.readBytes(raw);
        c.sendRaw(raw);
        List<Frame> f = c.frames();
        assertEquals(1, f.size());
        assertEquals(2, f.get(0).seq(), "the reply follows the client's last frame");
        assertEquals("00012a02000000", f.get(0).hex());
    }

    @Test
    void aBadSequenceIdClosesTheConnectionAfterAnError() {
        EmbeddedClient c = connect(CLIENT_CAPS);
        c.send(3, new byte[] {0x0e});
        List<Frame> f = c.frames();
        assertEquals(1156, f.get(0).errno());
        assertFalse(c.channel.isActive());
        c.channel.runPendingTasks();
        assertTrue(c.handler.events.contains("close 1"), c.handler.events.toString());
    }

    @Test
    void comQuitClosesAndTheHandlerHearsOfIt() {
        EmbeddedClient c = connect(CLIENT_CAPS);
        c.command(CommandHandler.COM_STMT_PREPARE, "select ?");
        assertEquals(List.of(), c.command(CommandHandler.COM_QUIT, ""));
        assertFalse(c.channel.isActive());
        c.channel.runPendingTasks();
        assertEquals(List.of("open 1", "closeStatement 1", "close 1"), c.handler.events);
    }

    @Test
    void preparedStatementsPerConnectionAreBounded() {
        EmbeddedClient c = new EmbeddedClient(new Authentication(Authenticator.none(AuthMethod.MYSQL_NATIVE_PASSWORD), KEY),
                HandshakeConfig.DEFAULT, new CommandConfig(1 << 20, 1 << 10, java.time.Duration.ofSeconds(5), 2));
        c.login(CLIENT_CAPS);
        assertEquals(0, c.command(CommandHandler.COM_STMT_PREPARE, "insert ?").get(0).header());
        assertEquals(0, c.command(CommandHandler.COM_STMT_PREPARE, "insert ?").get(0).header());
        Frame f = c.command(CommandHandler.COM_STMT_PREPARE, "insert ?").get(0);
        assertEquals(1203, f.errno());
        assertTrue(f.errText().contains("max_prepared_stmt_count"), f.errText());
        c.command(CommandHandler.COM_STMT_CLOSE, Bytes.hex("01000000"));
        assertEquals(0, c.command(CommandHandler.COM_STMT_PREPARE, "insert ?").get(0).header(), "room again after a close");
    }

    @Test
    void aHandlerFailingToCloseAStatementDoesNotDisturbTheConnection() {
        EmbeddedClient c = connect(CLIENT_CAPS);
        c.handler.failCloseStatement = true;
        c.command(CommandHandler.COM_STMT_PREPARE, "select ?");
        assertEquals(List.of(), c.command(CommandHandler.COM_STMT_CLOSE, Bytes.hex("01000000")));
        assertEquals(List.of(OK), hexes(c.command(CommandHandler.COM_PING, "")));
        assertTrue(c.handler.events.contains("closeStatement 1"));
    }

    @Test
    void resetConnectionDropsStatements() {
        EmbeddedClient c = connect(CLIENT_CAPS);
        c.command(CommandHandler.COM_STMT_PREPARE, "select ?");
        assertEquals(List.of(OK), hexes(c.command(CommandHandler.COM_RESET_CONNECTION, "")));
        assertEquals(1243, c.command(CommandHandler.COM_STMT_EXECUTE, Bytes.hex("01000000" + "00" + "01000000")).get(0).errno());
        assertTrue(c.handler.events.contains("reset 1"));
    }

    @Test
    void aFullExecutorIsAnsweredWithAnErrorNotAHang() {
        EmbeddedClient c = new EmbeddedClient(new Authentication(Authenticator.none(AuthMethod.MYSQL_NATIVE_PASSWORD), KEY),
                HandshakeConfig.DEFAULT, CommandConfig.DEFAULT);
        c.login(CLIENT_CAPS);
        // Swap in a handler whose executor rejects everything.
        c.channel.pipeline().replace("commands", "commands", new CommandHandler(c.handler, r -> {
            throw new java.util.concurrent.RejectedExecutionException("full");
        }, CommandConfig.DEFAULT));
        // The new handler has no session yet; fire the event it needs.
        c.channel.pipeline().fireUserEventTriggered(new dev.mosaic.server.mysql.protocol.auth.Authenticated(9, "root", null, "",
                CLIENT_CAPS, 45, java.util.Map.of(), 2));
        List<Frame> f = c.frames();
        assertEquals(1203, f.get(0).errno());
        assertFalse(c.channel.isActive(), "a connection that could not be opened is closed");
    }
}
