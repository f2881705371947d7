package dev.mosaic.server.tablet.server;

/**
 * A part of the tablet process started after the query pools and before the gRPC server opens,
 * and closed in reverse order after the gRPC server has stopped: where the sidecar database, the
 * heartbeat and the schema engine run ({@link TabletServerModule} binds those three first). More
 * are contributed with the Guice multibinder ({@link TabletServerModule#components}) and started
 * in the order they were bound.
 *
 * <p>{@link #start} may block (it runs on the startup thread); a failure aborts the startup, and
 * the components already started are closed. {@link #close} must be quick and must not throw for
 * a component that never started.
 */
public interface TabletComponent extends AutoCloseable {
    /** A short name for logs and the status page. */
    String name();

    /** Starts the component. */
    void start();

    /** Stops it. */
    @Override
    void close();
}
