package dev.mosaic.server.gate.executor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The gate's state for one client session: the target keyspace, the tablet type reads go to, and
 * session variables the client set. Used by one command at a time (the protocol serializes a
 * session's commands); not thread-safe.
 */
public final class GateSession {
    private String keyspace;
    private String shard;
    private String tabletType = "primary";
    private final int connectionId;
    private final Map<String, String> variables = new LinkedHashMap<>();
    private long lastInsertId;

    /** A session with no keyspace selected, reading from primaries. */
    public GateSession(int connectionId) {
        this.connectionId = connectionId;
    }

    /** The target keyspace, or null if none is selected. */
    public String keyspace() {
        return keyspace;
    }

    /** The tablet type, lower case ({@code primary}, {@code replica}, {@code rdonly}). */
    public String tabletType() {
        return tabletType;
    }

    /** The client connection id at the gate. */
    public int connectionId() {
        return connectionId;
    }

    /** Selects a keyspace (null: none) and tablet type; ends any shard targeting. */
    public void target(String keyspace, String tabletType) {
        this.keyspace = keyspace;
        this.shard = null;
        this.tabletType = tabletType;
    }

    /** Targets one shard ({@code USE keyspace/shard}): statements go to it unplanned until the next {@link #target}. */
    public void targetShard(String keyspace, String shard, String tabletType) {
        this.keyspace = keyspace;
        this.shard = shard;
        this.tabletType = tabletType;
    }

    /** The targeted shard, or null when statements are planned over the keyspace. */
    public String shard() {
        return shard;
    }

    /** The last auto-increment id a statement of this session generated (0 if none). */
    public long lastInsertId() {
        return lastInsertId;
    }

    /** Records a generated auto-increment id. */
    public void setLastInsertId(long id) {
        this.lastInsertId = id;
    }

    /** Session variables accepted by SET (kept, not yet replayed to tablets). */
    public Map<String, String> variables() {
        return variables;
    }

    /** Forgets keyspace and variables (COM_RESET_CONNECTION keeps the keyspace, as MySQL keeps the database). */
    public void resetVariables() {
        variables.clear();
    }
}
