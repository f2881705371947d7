package dev.mosaic.server.mysql.protocol;

import dev.mosaic.server.mysql.protocol.auth.AuthHandler;
import dev.mosaic.server.mysql.protocol.auth.Authentication;
import dev.mosaic.server.mysql.protocol.auth.HandshakeConfig;
import dev.mosaic.server.mysql.protocol.codec.PacketDecoder;
import dev.mosaic.server.mysql.protocol.codec.PacketEncoder;
import dev.mosaic.server.mysql.protocol.codec.PacketSequence;
import dev.mosaic.server.mysql.protocol.command.CommandConfig;
import dev.mosaic.server.mysql.protocol.command.CommandHandler;
import dev.mosaic.server.mysql.protocol.command.SessionHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds one connection's pipeline: {@code frame-decoder} ({@link PacketDecoder}),
 * {@code frame-encoder} ({@link PacketEncoder}), {@code auth} ({@link AuthHandler}, removed once
 * the client is authenticated) and {@code commands} ({@link CommandHandler}). For embedding in any
 * Netty server bootstrap; thread-safe (connection ids come from a shared counter).
 */
public final class MysqlChannelInitializer extends ChannelInitializer<Channel> {
    private final HandshakeConfig handshake;
    private final CommandConfig commands;
    private final Authentication authentication;
    private final SessionHandler handler;
    private final Executor executor;
    private final AtomicInteger connectionIds = new AtomicInteger();

    /**
     * @param executor where session handler calls run; bounded (a rejected command is answered
     *     with an error), never an event loop
     */
    public MysqlChannelInitializer(HandshakeConfig handshake, CommandConfig commands, Authentication authentication,
            SessionHandler handler, Executor executor) {
        this.handshake = handshake;
        this.commands = commands;
        this.authentication = authentication;
        this.handler = handler;
        this.executor = executor;
    }

    @Override
    protected void initChannel(Channel ch) {
        PacketSequence sequence = new PacketSequence();
        int id = connectionIds.incrementAndGet() & 0x7FFF_FFFF;
        ch.pipeline()
                .addLast("frame-decoder", new PacketDecoder(sequence, commands.maxAllowedPacket()))
                .addLast("frame-encoder", new PacketEncoder(sequence))
                .addLast("auth", new AuthHandler(id, handshake, authentication, sequence))
                .addLast("commands", new CommandHandler(handler, executor, commands));
    }
}
