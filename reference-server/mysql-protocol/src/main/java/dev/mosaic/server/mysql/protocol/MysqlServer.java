package dev.mosaic.server.mysql.protocol;

import dev.mosaic.server.mysql.protocol.auth.Authentication;
import dev.mosaic.server.mysql.protocol.command.SessionHandler;
import dev.mosaic.server.mysql.protocol.result.ErrPacket;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A MySQL-protocol server: binds, accepts connections, authenticates them and hands their
 * commands to a {@link SessionHandler}. Uses Netty's epoll transport where it is available, NIO
 * elsewhere. Owns its event loops ({@code mysql-io-N}) and its bounded
 * command executor ({@code mysql-command-N}, queue of {@link MysqlServerConfig#commandQueue()}).
 * {@link #start} once, {@link #close} to stop accepting, close every connection and stop the
 * threads.
 */
public final class MysqlServer implements AutoCloseable {
    private final MysqlServerConfig config;
    private final Authentication authentication;
    private final SessionHandler handler;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private ThreadPoolExecutor executor;
    private Channel serverChannel;
    /** ER_CON_COUNT_ERROR. */
    private static final int ER_CON_COUNT_ERROR = 1040;
    private final ChannelGroup connections = new DefaultChannelGroup("mysql-connections", GlobalEventExecutor.INSTANCE);

    /**
     * A snapshot of the server's load, for metrics.
     *
     * @param connections open client connections
     * @param runningCommands commands executing on the command executor
     * @param queuedCommands commands waiting for a command thread
     */
    public record Stats(int connections, int runningCommands, int queuedCommands) {
    }

    /** A server that has not started yet. */
    public MysqlServer(MysqlServerConfig config, Authentication authentication, SessionHandler handler) {
        this.config = config;
        this.authentication = authentication;
        this.handler = handler;
    }

    /** Binds and starts accepting; returns when the port is bound. */
    public synchronized MysqlServer start() throws InterruptedException {
        if (serverChannel != null) {
            throw new IllegalStateException("already started");
        }
        executor = new ThreadPoolExecutor(config.commandThreads(), config.commandThreads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.commandQueue()), new DefaultThreadFactory("mysql-command", true));
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("mysql-accept", true), io);
        workers = new MultiThreadIoEventLoopGroup(config.ioThreads(), new DefaultThreadFactory("mysql-io", true), io);
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // Result writers block above 1 MiB queued per connection and resume below 256 KiB.
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 << 10, 1 << 20))
                .childHandler(new io.netty.channel.ChannelInitializer<Channel>() {
                    private final MysqlChannelInitializer mysql = new MysqlChannelInitializer(config.handshake(),
                            config.commands(), authentication, handler, executor);

                    @Override
                    protected void initChannel(Channel ch) {
                        if (connections.size() >= config.maxConnections()) {
                            refuse(ch);
                            return;
                        }
                        connections.add(ch);
                        ch.pipeline().addLast(mysql);
                    }
                });
        try {
            serverChannel = b.bind(config.host(), config.port()).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    /** Sends ER_CON_COUNT_ERROR in place of the greeting, as MySQL does, and closes. */
    private static void refuse(Channel ch) {
        ByteBuf b = ch.alloc().buffer();
        b.writeInt(0);
        new ErrPacket(ER_CON_COUNT_ERROR, "08004", "Too many connections").encode(b);
        b.setMediumLE(0, b.readableBytes() - 4);
        b.setByte(3, 0);
        ch.writeAndFlush(b).addListener(ChannelFutureListener.CLOSE);
    }

    /** The bound address (with the actual port when 0 was asked for). */
    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** The bound port. */
    public int port() {
        return address().getPort();
    }

    /** Open connections and command executor load, now. */
    public Stats stats() {
        ThreadPoolExecutor e = executor;
        return new Stats(connections.size(), e == null ? 0 : e.getActiveCount(), e == null ? 0 : e.getQueue().size());
    }

    @Override
    public synchronized void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
            serverChannel = null;
        }
        connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        if (boss != null) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            boss = null;
            workers = null;
        }
        if (executor != null) {
            executor.shutdown();
            try {
                if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                    executor.shutdownNow();
                }
            } catch (InterruptedException e) {
                executor.shutdownNow();
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }
}
