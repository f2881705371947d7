package dev.mosaic.server.mysql.protocol.auth;

import dev.mosaic.api.error.SqlError;
import dev.mosaic.server.mysql.protocol.codec.Capabilities;
import dev.mosaic.server.mysql.protocol.codec.Packet;
import dev.mosaic.server.mysql.protocol.codec.PacketSequence;
import dev.mosaic.server.mysql.protocol.codec.ProtocolException;
import dev.mosaic.server.mysql.protocol.result.ErrPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The connection phase of one connection: sends the greeting when the channel becomes active,
 * reads the handshake response, runs the plugin exchange, and on success fires
 * {@link Authenticated} and removes itself; on failure sends ERR 1045 (or 1043 for a malformed
 * handshake) and closes. Runs on the event loop; the only costly step is the RSA decryption of a
 * full {@code caching_sha2_password} authentication (about a millisecond).
 */
public final class AuthHandler extends ChannelInboundHandlerAdapter {
    private static final int MORE_DATA = 0x01;
    private static final int REQUEST_PUBLIC_KEY = 0x02;
    private static final int FAST_AUTH_SUCCESS = 0x03;
    private static final int PERFORM_FULL_AUTH = 0x04;
    /** ER_NOT_SUPPORTED_AUTH_MODE. */
    private static final int ER_NOT_SUPPORTED_AUTH_MODE = 1251;

    private enum State { GREETING_SENT, SWITCH_SENT, FULL_AUTH_REQUESTED, DONE }

    private final int connectionId;
    private final HandshakeConfig config;
    private final Authentication auth;
    private final PacketSequence sequence;
    private final byte[] nonce = Scrambles.newNonce();
    private State state = State.GREETING_SENT;
    private HandshakeResponse response;
    private AuthMethod method;
    private Account account;
    private boolean sentPassword;
    private ScheduledFuture<?> timeout;

    /** The handler for connection {@code connectionId}. */
    public AuthHandler(int connectionId, HandshakeConfig config, Authentication auth, PacketSequence sequence) {
        this.connectionId = connectionId;
        this.config = config;
        this.auth = auth;
        this.sequence = sequence;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        send(ctx, out -> Greeting.encode(out, config, connectionId, nonce, auth.authenticator().defaultMethod().pluginName()));
        ctx.flush();
        timeout = ctx.executor().schedule(() -> {
            if (state != State.DONE) {
                ctx.close();
            }
        }, config.timeout().toMillis(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimeout();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Packet p)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            ByteBuf in = p.content();
            switch (state) {
                case GREETING_SENT -> onResponse(ctx, in);
                case SWITCH_SENT -> onProof(ctx, readAll(in));
                case FULL_AUTH_REQUESTED -> onFullAuth(ctx, readAll(in));
                case DONE -> {
                    // Authentication failed and the connection is closing: ignore what still arrives.
                }
            }
        } catch (ProtocolException e) {
            fail(ctx, new ErrPacket(SqlError.HANDSHAKE_ERROR.errno(), SqlError.HANDSHAKE_ERROR.sqlState(),
                    "Bad handshake: " + e.getMessage()));
        } finally {
            p.release();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        fail(ctx, ErrPacket.from(c));
    }

    private void onResponse(ChannelHandlerContext ctx, ByteBuf in) {
        response = HandshakeResponse.decode(in);
        Authenticator authenticator = auth.authenticator();
        if (authenticator.acceptsAnyone()) {
            succeed(ctx);
            return;
        }
        Optional<AuthMethod> clientMethod = AuthMethod.ofPluginName(response.plugin());
        account = authenticator.account(response.user()).orElse(null);
        // An unknown user goes through the same exchange as a known one (so the exchange does not
        // reveal which users exist) and is denied at the end.
        method = account != null ? account.method() : clientMethod.orElse(authenticator.defaultMethod());
        if (clientMethod.isEmpty() || clientMethod.get() != method) {
            if (!Capabilities.has(response.capabilities(), Capabilities.PLUGIN_AUTH)) {
                // A client without CLIENT_PLUGIN_AUTH cannot read an AuthSwitchRequest.
                fail(ctx, new ErrPacket(ER_NOT_SUPPORTED_AUTH_MODE, "08004",
                        "Client does not support authentication protocol requested by server; consider upgrading MySQL client"));
                return;
            }
            state = State.SWITCH_SENT;
            send(ctx, out -> {
                out.writeByte(0xFE);
                out.writeBytes(method.pluginName().getBytes(StandardCharsets.US_ASCII));
                out.writeByte(0);
                out.writeBytes(nonce);
                out.writeByte(0);
            });
            ctx.flush();
            return;
        }
        onProof(ctx, response.authResponse());
    }

    private void onProof(ChannelHandlerContext ctx, byte[] proof) {
        // Clients end an empty proof with a NUL, or send nothing.
        boolean empty = proof.length == 0 || (proof.length == 1 && proof[0] == 0);
        sentPassword = !empty;
        if (empty) {
            if (account != null && account.emptyPassword()) {
                succeed(ctx);
            } else {
                deny(ctx);
            }
            return;
        }
        if (method == AuthMethod.MYSQL_NATIVE_PASSWORD) {
            if (account != null && !account.emptyPassword() && Scrambles.verifyNative(account.nativeHashRef(), nonce, proof)) {
                succeed(ctx);
            } else {
                deny(ctx);
            }
            return;
        }
        // caching_sha2_password: fast authentication only for accounts in the cache.
        if (account != null && auth.cached(account)) {
            if (Scrambles.verifySha2(account.sha2HashRef(), nonce, proof)) {
                send(ctx, out -> out.writeByte(MORE_DATA).writeByte(FAST_AUTH_SUCCESS));
                succeed(ctx);
            } else {
                deny(ctx);
            }
            return;
        }
        state = State.FULL_AUTH_REQUESTED;
        send(ctx, out -> out.writeByte(MORE_DATA).writeByte(PERFORM_FULL_AUTH));
        ctx.flush();
    }

    private void onFullAuth(ChannelHandlerContext ctx, byte[] data) {
        if (data.length == 1 && data[0] == REQUEST_PUBLIC_KEY) {
            byte[] pem = auth.rsaKey().publicKeyPem();
            send(ctx, out -> out.writeByte(MORE_DATA).writeBytes(pem));
            ctx.flush();
            return;
        }
        sentPassword = true;
        byte[] password = null;
        if (data.length == auth.rsaKey().ciphertextLength()) {
            try {
                password = Scrambles.xor(auth.rsaKey().decrypt(data), nonce);
            } catch (GeneralSecurityException e) {
                password = null; // not a ciphertext: maybe a clear-text password of that length
            }
        }
        if (password == null) {
            // A clear-text password. MySQL takes one only over TLS or a Unix socket; this server has
            // neither, and takes one only from a loopback address, where there is no network to
            // sniff (the mariadb 10.11 CLI was seen sending clear text to 127.0.0.1 rather than asking
            // for the RSA key).
            if (!auth.clearTextOnLoopback() || !fromLoopback(ctx)) {
                deny(ctx);
                return;
            }
            password = data;
        }
        int len = password.length;
        if (len > 0 && password[len - 1] == 0) {
            len--;
        }
        byte[] pw = Arrays.copyOf(password, len);
        if (account != null && !account.emptyPassword()
                && java.security.MessageDigest.isEqual(Scrambles.sha2Hash(pw), account.sha2HashRef())) {
            auth.cache(account);
            succeed(ctx);
        } else {
            deny(ctx);
        }
    }

    private static boolean fromLoopback(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                && a.getAddress().isLoopbackAddress();
    }

    private void succeed(ChannelHandlerContext ctx) {
        state = State.DONE;
        cancelTimeout();
        sequence.enterCommandPhase();
        int caps = response.capabilities() & config.capabilities();
        InetSocketAddress remote = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a : null;
        Authenticated event = new Authenticated(connectionId, response.user(), remote, response.schema(), caps,
                response.charset(), response.attributes(), sequence.nextOutbound());
        ctx.pipeline().remove(this);
        ctx.fireUserEventTriggered(event);
    }

    private void deny(ChannelHandlerContext ctx) {
        String host = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : "localhost";
        fail(ctx, ErrPacket.of(SqlError.ACCESS_DENIED, "Access denied for user '" + response.user() + "'@'" + host
                + "' (using password: " + (sentPassword ? "YES" : "NO") + ")"));
    }

    private void fail(ChannelHandlerContext ctx, ErrPacket err) {
        if (state == State.DONE && !ctx.channel().isActive()) {
            return;
        }
        state = State.DONE;
        cancelTimeout();
        if (ctx.channel().isActive()) {
            send(ctx, err::encode);
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }

    private static byte[] readAll(ByteBuf in) {
        byte[] b = new byte[in.readableBytes()];
        in.readBytes(b);
        return b;
    }

    private static void send(ChannelHandlerContext ctx, Consumer<ByteBuf> payload) {
        ByteBuf buf = ctx.alloc().buffer();
        buf.writeInt(0);
        payload.accept(buf);
        buf.setMediumLE(0, buf.readableBytes() - 4);
        buf.setByte(3, 0);
        ctx.write(buf);
    }

    /** The client's method after any switch, for tests; null before the handshake response. */
    AuthMethod method() {
        return method;
    }
}
