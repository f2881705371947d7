package dev.mosaic.server.mysql.protocol.auth;

import static dev.mosaic.server.mysql.protocol.testing.EmbeddedClient.CLIENT_CAPS;
import static dev.mosaic.server.mysql.protocol.testing.EmbeddedClient.handshakeResponse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.server.mysql.protocol.codec.Capabilities;
import dev.mosaic.server.mysql.protocol.command.CommandConfig;
import dev.mosaic.server.mysql.protocol.testing.Bytes;
import dev.mosaic.server.mysql.protocol.testing.EmbeddedClient;
import dev.mosaic.server.mysql.protocol.testing.EmbeddedClient.Frame;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuthHandlerTest {
    private static final RsaKey KEY = RsaKey.generate();
    private static final String OK_AUTOCOMMIT = "000000" + "0200" + "0000";

    private static Authentication auth(AuthMethod defaultMethod, Account... accounts) {
        return new Authentication(Authenticator.of(defaultMethod, List.of(accounts)), KEY);
    }

    private static EmbeddedClient client(Authentication auth) {
        return new EmbeddedClient(auth, HandshakeConfig.DEFAULT, CommandConfig.DEFAULT);
    }

    private static byte[] pw(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void greetingIsHandshakeV10WithHonestCapabilities() {
        EmbeddedClient c = client(auth(AuthMethod.CACHING_SHA2_PASSWORD));
        String g = Bytes.hex(c.greeting);
        assertTrue(g.startsWith("0a" + Bytes.hex("8.0.31-Mosaic".getBytes(StandardCharsets.US_ASCII)) + "00" + "01000000"), g);
        io.netty.buffer.ByteBuf b = io.netty.buffer.Unpooled.wrappedBuffer(c.greeting);
        b.skipBytes(1 + 14 + 4 + 8 + 1);
        int caps = b.readUnsignedShortLE();
        assertEquals(45, b.readUnsignedByte());
        assertEquals(2, b.readUnsignedShortLE(), "status: autocommit");
        caps |= b.readUnsignedShortLE() << 16;
        assertEquals(Capabilities.SERVER_DEFAULT, caps);
        assertFalse(Capabilities.has(caps, Capabilities.SSL), "no TLS is offered");
        assertEquals(21, b.readUnsignedByte());
        b.skipBytes(10 + 12);
        assertEquals(0, b.readByte());
        assertEquals("caching_sha2_password", Bytes.hex(new byte[0]) + new String(c.greeting, b.readerIndex(),
                b.readableBytes() - 1, StandardCharsets.US_ASCII));
        for (byte x : c.nonce) {
            assertTrue(x != 0, "nonce bytes are never NUL");
        }
    }

    @Test
    void nativePasswordSuccessAndFailure() {
        Authentication auth = auth(AuthMethod.MYSQL_NATIVE_PASSWORD, Account.withPassword("u", "secret", AuthMethod.MYSQL_NATIVE_PASSWORD));
        EmbeddedClient ok = client(auth);
        ok.send(1, handshakeResponse(CLIENT_CAPS, "u", Scrambles.nativeProof(pw("secret"), ok.nonce), null, "mysql_native_password"));
        List<Frame> f = ok.frames();
        assertEquals(1, f.size());
        assertEquals(2, f.get(0).seq());
        assertEquals(OK_AUTOCOMMIT, f.get(0).hex());
        assertEquals(List.of("open 1"), ok.handler.events);

        EmbeddedClient bad = client(auth);
        bad.send(1, handshakeResponse(CLIENT_CAPS, "u", Scrambles.nativeProof(pw("wrong"), bad.nonce), null, "mysql_native_password"));
        f = bad.frames();
        assertEquals(2, f.get(0).seq());
        assertEquals(1045, f.get(0).errno());
        assertEquals("#28000Access denied for user 'u'@'localhost' (using password: YES)", f.get(0).errText());
        assertFalse(bad.channel.isActive(), "closed after a failed login");
    }

    @Test
    void cachingSha2FullAuthenticationWithThePublicKeyThenFastAuthentication() throws Exception {
        Authentication auth = auth(AuthMethod.CACHING_SHA2_PASSWORD, Account.withPassword("u", "s3cret", AuthMethod.CACHING_SHA2_PASSWORD));
        EmbeddedClient c = client(auth);
        c.send(1, handshakeResponse(CLIENT_CAPS, "u", Scrambles.sha2Proof(pw("s3cret"), c.nonce), null, "caching_sha2_password"));
        List<Frame> f = c.frames();
        assertEquals("2:0104", f.get(0).toString(), "not cached yet: perform full authentication");
        c.send(3, new byte[] {2});
        f = c.frames();
        assertEquals(4, f.get(0).seq());
        assertEquals(1, f.get(0).header());
        String pem = new String(f.get(0).payload(), 1, f.get(0).payload().length - 1, StandardCharsets.US_ASCII);
        assertTrue(pem.startsWith("-----BEGIN PUBLIC KEY-----\n"), pem);
        PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getMimeDecoder()
                .decode(pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", ""))));
        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
        rsa.init(Cipher.ENCRYPT_MODE, key);
        c.send(5, rsa.doFinal(Scrambles.xor(pw("s3cret\0"), c.nonce)));
        f = c.frames();
        assertEquals("6:" + OK_AUTOCOMMIT, f.get(0).toString());

        EmbeddedClient fast = client(auth);
        fast.send(1, handshakeResponse(CLIENT_CAPS, "u", Scrambles.sha2Proof(pw("s3cret"), fast.nonce), null, "caching_sha2_password"));
        f = fast.frames();
        assertEquals(List.of("2:0103", "3:" + OK_AUTOCOMMIT), f.stream().map(Frame::toString).toList());

        EmbeddedClient wrongFast = client(auth);
        wrongFast.send(1, handshakeResponse(CLIENT_CAPS, "u", Scrambles.sha2Proof(pw("nope"), wrongFast.nonce), null,
                "caching_sha2_password"));
        f = wrongFast.frames();
        assertEquals(1045, f.get(0).errno());
    }

    @Test
    void cachingSha2FullAuthenticationWithAWrongPasswordOrClearTextIsDenied() throws Exception {
        Authentication auth = auth(AuthMethod.CACHING_SHA2_PASSWORD, Account.withPassword("u", "s3cret", AuthMethod.CACHING_SHA2_PASSWORD));
        EmbeddedClient c = client(auth);
        c.send(1, handshakeResponse(CLIENT_CAPS, "u", Scrambles.sha2Proof(pw("x"), c.nonce), null, "caching_sha2_password"));
        c.frames();
        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
        rsa.init(Cipher.ENCRYPT_MODE, KEY.publicKey());
        c.send(3, rsa.doFinal(Scrambles.xor(pw("x\0"), c.nonce)));
        Frame f = c.frames().get(0);
        assertEquals(4, f.seq());
        assertEquals(1045, f.errno());

        EmbeddedClient clear = client(auth);
        clear.send(1, handshakeResponse(CLIENT_CAPS, "u", Scrambles.sha2Proof(pw("s3cret"), clear.nonce), null, "caching_sha2_password"));
        clear.frames();
        clear.send(3, pw("s3cret\0"));
        assertEquals(1045, clear.frames().get(0).errno(), "no clear-text password over plain TCP");
    }

    @ParameterizedTest
    @CsvSource({
        "caching_sha2_password, mysql_native_password",
        "client_ed25519, mysql_native_password",
        "mysql_native_password, caching_sha2_password"})
    void aClientStartingWithAnotherPluginIsSwitched(String clientPlugin, String accountPlugin) {
        AuthMethod method = AuthMethod.ofPluginName(accountPlugin).orElseThrow();
        Authentication auth = auth(AuthMethod.CACHING_SHA2_PASSWORD, Account.withPassword("u", "pw", method));
        EmbeddedClient c = client(auth);
        c.send(1, handshakeResponse(CLIENT_CAPS, "u", new byte[] {1, 2, 3}, null, clientPlugin));
        Frame sw = c.frames().get(0);
        assertEquals(2, sw.seq());
        assertEquals("fe" + Bytes.hex(pw(accountPlugin)) + "00" + Bytes.hex(c.nonce) + "00", sw.hex());
        byte[] proof = method == AuthMethod.MYSQL_NATIVE_PASSWORD ? Scrambles.nativeProof(pw("pw"), c.nonce)
                : Scrambles.sha2Proof(pw("pw"), c.nonce);
        c.send(3, proof);
        Frame next = c.frames().get(0);
        assertEquals(4, next.seq());
        assertEquals(method == AuthMethod.MYSQL_NATIVE_PASSWORD ? OK_AUTOCOMMIT : "0104", next.hex());
    }

    @Test
    void aClientWithoutPluginAuthIsNotSentASwitchRequest() {
        Authentication auth = auth(AuthMethod.CACHING_SHA2_PASSWORD, Account.withPassword("u", "pw", AuthMethod.CACHING_SHA2_PASSWORD));
        EmbeddedClient c = client(auth);
        c.send(1, handshakeResponse(CLIENT_CAPS & ~Capabilities.PLUGIN_AUTH, "u", Scrambles.nativeProof(pw("pw"), c.nonce), null, ""));
        Frame f = c.frames().get(0);
        assertEquals(1251, f.errno());
        assertTrue(f.errText().startsWith("#08004Client does not support authentication protocol"), f.errText());
    }

    @Test
    void noneModeAcceptsAnyone() {
        EmbeddedClient c = client(new Authentication(Authenticator.none(AuthMethod.MYSQL_NATIVE_PASSWORD), KEY));
        c.send(1, handshakeResponse(CLIENT_CAPS, "whoever", new byte[] {9, 9}, null, "dialog"));
        assertEquals("2:" + OK_AUTOCOMMIT, c.frames().get(0).toString());
    }

    @Test
    void emptyPasswordsAndUnknownUsers() {
        Authentication auth = auth(AuthMethod.MYSQL_NATIVE_PASSWORD, Account.withPassword("empty", "", AuthMethod.MYSQL_NATIVE_PASSWORD),
                Account.withPassword("u", "pw", AuthMethod.MYSQL_NATIVE_PASSWORD));
        EmbeddedClient e = client(auth);
        e.send(1, handshakeResponse(CLIENT_CAPS, "empty", new byte[0], null, "mysql_native_password"));
        assertEquals(0, e.frames().get(0).header());

        EmbeddedClient noPw = client(auth);
        noPw.send(1, handshakeResponse(CLIENT_CAPS, "u", new byte[0], null, "mysql_native_password"));
        assertEquals("#28000Access denied for user 'u'@'localhost' (using password: NO)", noPw.frames().get(0).errText());

        EmbeddedClient unknown = client(auth);
        unknown.send(1, handshakeResponse(CLIENT_CAPS, "ghost", Scrambles.nativeProof(pw("pw"), unknown.nonce), null,
                "mysql_native_password"));
        assertEquals(1045, unknown.frames().get(0).errno());
    }

    @Test
    void theHandshakeDatabaseGoesThroughTheHandler() {
        Authentication auth = new Authentication(Authenticator.none(AuthMethod.MYSQL_NATIVE_PASSWORD), KEY);
        EmbeddedClient c = client(auth);
        c.send(1, handshakeResponse(CLIENT_CAPS, "root", new byte[0], "db1", "mysql_native_password"));
        assertEquals(0, c.frames().get(0).header());
        assertEquals(List.of("open 1", "initDb db1"), c.handler.events);

        EmbeddedClient bad = client(auth);
        bad.send(1, handshakeResponse(CLIENT_CAPS, "root", new byte[0], "nosuchdb", "mysql_native_password"));
        Frame f = bad.frames().get(0);
        assertEquals(2, f.seq());
        assertEquals(1049, f.errno());
        assertEquals("#42000Unknown database 'nosuchdb'", f.errText());
        assertFalse(bad.channel.isActive());
    }

    @ParameterizedTest
    @CsvSource({"'0102'", "'00020000'", "'0000000000000000000000000000000000000000000000000000000000000000'",
        "'0002000000000001'"})
    void aMalformedHandshakeResponseIsABadHandshake(String hex) {
        EmbeddedClient c = client(new Authentication(Authenticator.none(AuthMethod.MYSQL_NATIVE_PASSWORD), KEY));
        c.send(1, Bytes.hex(hex));
        Frame f = c.frames().get(0);
        assertEquals(1043, f.errno());
        assertTrue(f.errText().startsWith("#08S01Bad handshake"), f.errText());
        assertFalse(c.channel.isActive());
    }

    @Test
    void aClientThatNeverAnswersIsDisconnected() {
        HandshakeConfig hc = new HandshakeConfig("8.0.31-Mosaic", 45, Capabilities.SERVER_DEFAULT, Duration.ofSeconds(3));
        EmbeddedClient c = new EmbeddedClient(new Authentication(Authenticator.none(AuthMethod.MYSQL_NATIVE_PASSWORD), KEY),
                hc, CommandConfig.DEFAULT);
        c.channel.advanceTimeBy(2, TimeUnit.SECONDS);
        c.channel.runScheduledPendingTasks();
        assertTrue(c.channel.isActive());
        c.channel.advanceTimeBy(2, TimeUnit.SECONDS);
        c.channel.runScheduledPendingTasks();
        assertFalse(c.channel.isActive());
    }

    @Test
    void aBadSequenceIdDuringTheHandshakeIsFatal() {
        EmbeddedClient c = client(new Authentication(Authenticator.none(AuthMethod.MYSQL_NATIVE_PASSWORD), KEY));
        c.send(5, handshakeResponse(CLIENT_CAPS, "root", new byte[0], null, "mysql_native_password"));
        Frame f = c.frames().get(0);
        assertEquals(1156, f.errno());
        assertFalse(c.channel.isActive());
    }
}
