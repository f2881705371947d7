package dev.mosaic.server.topo;

import dev.mosaic.api.vschema.KeyspaceVSchema;
import dev.mosaic.proto.topo.Keyspace;
import dev.mosaic.proto.topo.LockDescriptor;
import dev.mosaic.proto.topo.Shard;
import dev.mosaic.proto.topo.SrvKeyspace;
import dev.mosaic.spi.topo.TopoException;
import dev.mosaic.spi.topo.TopoLock;
import dev.mosaic.spi.topo.Version;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A held keyspace or shard lock (Vitess's {@code LockKeyspace}/{@code LockShard}), and the
 * writes that require it. Every write made through the lock checks with the store that the lock
 * is still held ({@code CheckShardLocked}) before it reads and again right before it writes, so a holder whose lock was lost (session expired,
 * TTL passed) fails instead of writing unprotected. The check and the write are two store
 * operations: a lock lost between them is reported by {@link #close()}, which fails when the lock
 * was already gone.
 *
 * <p>A keyspace lock covers the keyspace record, its vschema, any of its shards and its serving
 * graph in any cell; a shard lock covers that shard's record only.
 */
public final class ActionLock implements AutoCloseable {
    private final TopoServer server;
    private final TopoLock lock;
    private final LockDescriptor descriptor;
    private final String keyspace;
    private final Optional<String> shard;

    ActionLock(TopoServer server, TopoLock lock, LockDescriptor descriptor, String keyspace, Optional<String> shard) {
        this.server = server;
        this.lock = lock;
        this.descriptor = descriptor;
        this.keyspace = keyspace;
        this.shard = shard;
    }

    /** Who holds the lock and why, as written into the lock. */
    public LockDescriptor descriptor() {
        return descriptor;
    }

    /** The locked keyspace. */
    public String keyspace() {
        return keyspace;
    }

    /** The locked shard, for a shard lock. */
    public Optional<String> shard() {
        return shard;
    }

    /**
     * Verifies the lock is still held.
     *
     * @throws TopoException {@code NO_NODE} if it was lost, {@code UNAVAILABLE} if the store
     *         cannot tell
     */
    public void check() {
        try {
            lock.check();
        } catch (TopoException e) {
            throw new TopoException(e.error(), e.path(), what() + " for action '" + descriptor.getAction()
                    + "' is no longer held; refusing to write under it", e);
        }
    }

    /** Updates the keyspace record (keyspace lock only). */
    public Stored<Keyspace> updateKeyspace(UnaryOperator<Keyspace> update) {
        requireKeyspaceLock("update the keyspace record");
        check();
        return server.updateKeyspace(keyspace, update, this::check);
    }

    /** Writes the keyspace's vschema (keyspace lock only). */
    public Version saveVSchema(KeyspaceVSchema vschema) {
        requireKeyspaceLock("save the vschema");
        check();
        return server.saveVSchema(keyspace, vschema);
    }

    /** Updates one shard of the keyspace: any shard under a keyspace lock, the locked one under a shard lock. */
    public Stored<Shard> updateShardFields(String shardName, UnaryOperator<Shard> update) {
        Objects.requireNonNull(shardName, "shardName");
        if (shard.isPresent() && !shard.get().equals(shardName)) {
            throw new IllegalStateException(what() + " does not cover shard " + keyspace + "/" + shardName);
        }
        check();
        return server.updateShardFields(keyspace, shardName, update, this::check);
    }

    /** Updates the locked shard (shard lock only). */
    public Stored<Shard> updateShardFields(UnaryOperator<Shard> update) {
        String s = shard.orElseThrow(() -> new IllegalStateException(
                what() + " is not a shard lock; name the shard to update"));
        return updateShardFields(s, update);
    }

    /** Writes the keyspace's serving graph in a cell (keyspace lock only). */
    public Version updateSrvKeyspace(String cell, SrvKeyspace value) {
        requireKeyspaceLock("update the serving graph");
        check();
        return server.updateSrvKeyspace(cell, keyspace, value, this::check);
    }

    private void requireKeyspaceLock(String what) {
        if (shard.isPresent()) {
            throw new IllegalStateException("a shard lock cannot " + what + " of keyspace " + keyspace
                    + "; take the keyspace lock");
        }
    }

    private String what() {
        return shard.map(s -> "lock on shard " + keyspace + "/" + s).orElse("lock on keyspace " + keyspace);
    }

    /**
     * Releases the lock.
     *
     * @throws TopoException {@code NO_NODE} if it had already been lost, so the holder learns
     *         that its critical section was not protected throughout
     */
    @Override
    public void close() {
        try {
            lock.unlock();
        } catch (TopoException e) {
            throw new TopoException(e.error(), e.path(), what() + " for action '" + descriptor.getAction()
                    + "' was lost before it was released", e);
        }
    }
}
