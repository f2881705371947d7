package dev.mosaic.server.mysql.protocol.command;

import dev.mosaic.server.mysql.protocol.codec.Capabilities;
import dev.mosaic.server.mysql.protocol.codec.ServerStatus;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * The protocol-level state of one client connection, handed to every {@link SessionHandler} call.
 * The handler reports transaction state through {@link #setAutocommit} and
 * {@link #setInTransaction}, which the server echoes in the status flags of OK and EOF packets;
 * it may keep its own per-connection state with {@link #attach}.
 *
 * <p>Handler calls for one session never overlap, but successive calls may run on different
 * threads; fields are volatile so each call sees the last one's changes.
 */
public final class Session {
    private final int connectionId;
    private final String user;
    private final InetSocketAddress remote;
    private final int capabilities;
    private final int charset;
    private final Map<String, String> attributes;
    private volatile String schema;
    private volatile boolean autocommit = true;
    private volatile boolean inTransaction;
    private volatile boolean multiStatements;
    private volatile Object attachment;

    /** A session for an authenticated connection. */
    public Session(int connectionId, String user, InetSocketAddress remote, int capabilities, int charset,
            Map<String, String> attributes, String schema) {
        this.connectionId = connectionId;
        this.user = user;
        this.remote = remote;
        this.capabilities = capabilities;
        this.charset = charset;
        this.attributes = Map.copyOf(attributes);
        this.schema = schema;
        this.multiStatements = Capabilities.has(capabilities, Capabilities.MULTI_STATEMENTS);
    }

    /** The connection id announced in the greeting (what {@code CONNECTION_ID()} returns). */
    public int connectionId() {
        return connectionId;
    }

    /** The authenticated user. */
    public String user() {
        return user;
    }

    /** The client's address, or null if the transport has none (tests). */
    public InetSocketAddress remote() {
        return remote;
    }

    /** The capabilities in effect (client's, limited to the server's). */
    public int capabilities() {
        return capabilities;
    }

    /** The client's collation id. */
    public int charset() {
        return charset;
    }

    /** The connection attributes the client sent. */
    public Map<String, String> attributes() {
        return attributes;
    }

    /** The current database, or empty. */
    public String schema() {
        return schema;
    }

    /** Sets the current database (also done by the server after a successful COM_INIT_DB). */
    public void setSchema(String schema) {
        this.schema = schema;
    }

    /** Autocommit mode, reported in SERVER_STATUS_AUTOCOMMIT. */
    public boolean autocommit() {
        return autocommit;
    }

    /** Sets autocommit mode (e.g. after {@code SET autocommit=0}). */
    public void setAutocommit(boolean on) {
        this.autocommit = on;
    }

    /** True inside an explicit transaction, reported in SERVER_STATUS_IN_TRANS. */
    public boolean inTransaction() {
        return inTransaction;
    }

    /** Sets the transaction state (after BEGIN, COMMIT, ROLLBACK...). */
    public void setInTransaction(boolean on) {
        this.inTransaction = on;
    }

    /**
     * True if one COM_QUERY may hold several statements (CLIENT_MULTI_STATEMENTS, toggled by
     * COM_SET_OPTION); a handler must refuse multiple statements otherwise, as MySQL does with a
     * syntax error.
     */
    public boolean multiStatements() {
        return multiStatements;
    }

    void setMultiStatements(boolean on) {
        this.multiStatements = on;
    }

    /** Whatever the handler attached, or null. */
    public Object attachment() {
        return attachment;
    }

    /** Attaches the handler's own per-connection state. */
    public void attach(Object state) {
        this.attachment = state;
    }

    /** The status flags for OK and EOF packets. */
    public int statusFlags() {
        return (autocommit ? ServerStatus.AUTOCOMMIT : 0) | (inTransaction ? ServerStatus.IN_TRANS : 0);
    }

    @Override
    public String toString() {
        return "Session[" + connectionId + ", " + user + "]";
    }
}
