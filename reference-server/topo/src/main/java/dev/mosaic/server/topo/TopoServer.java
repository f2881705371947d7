package dev.mosaic.server.topo;

import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.Timestamp;
import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.vschema.KeyspaceVSchema;
import dev.mosaic.proto.topo.CellInfo;
import dev.mosaic.proto.topo.Keyspace;
import dev.mosaic.proto.topo.KeyspaceRoutingRules;
import dev.mosaic.proto.topo.LockDescriptor;
import dev.mosaic.proto.topo.RoutingRules;
import dev.mosaic.proto.topo.Shard;
import dev.mosaic.proto.topo.ShardReplication;
import dev.mosaic.proto.topo.ShardRoutingRules;
import dev.mosaic.proto.topo.SrvKeyspace;
import dev.mosaic.proto.topo.SrvVSchema;
import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.proto.topo.VSchema;
import dev.mosaic.spi.topo.DirEntry;
import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import dev.mosaic.spi.topo.TopoLock;
import dev.mosaic.spi.topo.TopoStore;
import dev.mosaic.spi.topo.Version;
import dev.mosaic.spi.topo.Versioned;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Mosaic's cluster records on top of the topology SPI, as Vitess's {@code topo.Server}: one
 * connection to the global topology and one per cell, opened on demand from the cell's
 * {@link CellInfo}; typed, protobuf-encoded records at the paths of {@link TopoPaths};
 * compare-and-set updates with retry; keyspace and shard locks.
 *
 * <p><b>Updates.</b> The {@code update...Fields} methods read the record, apply the caller's
 * function and write the result only if the version is unchanged, retrying from a fresh read when
 * another writer got there first (Vitess's {@code UpdateShardFields}). The function must be free
 * of side effects: it may run several times. Returning {@code null} or an equal record means "no
 * update needed" and writes nothing.
 *
 * <p><b>Errors.</b> Store failures surface as {@link TopoException}s with their
 * {@link TopoError} kind ({@code NO_NODE} for a missing record, {@code NODE_EXISTS} for a
 * duplicate create); a record whose bytes do not decode is a {@code DATA_LOSS}
 * {@link MosaicException}.
 *
 * <p>Thread-safe. Closing the server closes every store it holds.
 */
public final class TopoServer implements AutoCloseable {

    /**
     * Tuning and identity.
     *
     * @param lockTimeout how long {@code lock...} calls wait for a held lock (Vitess's
     *                    {@code --lock-timeout}, 45 s by default)
     * @param lockTtl     if present and the store supports it, keyspace/shard locks also expire
     *                    this long after they were taken; the holder finds out through
     *                    {@link ActionLock#check()} before its next write
     * @param hostname    written into lock descriptors
     * @param userName    written into lock descriptors
     * @param clock       for lock descriptor times
     */
    public record Options(Duration lockTimeout, Optional<Duration> lockTtl, String hostname, String userName,
                          Clock clock) {
        /** Rejects nulls and non-positive durations. */
        public Options {
            Objects.requireNonNull(lockTimeout, "lockTimeout");
            Objects.requireNonNull(lockTtl, "lockTtl");
            Objects.requireNonNull(hostname, "hostname");
            Objects.requireNonNull(userName, "userName");
            Objects.requireNonNull(clock, "clock");
            if (lockTimeout.isNegative()) {
                throw new IllegalArgumentException("lockTimeout must not be negative: " + lockTimeout);
            }
            lockTtl.ifPresent(t -> {
                if (t.isNegative() || t.isZero()) {
                    throw new IllegalArgumentException("lockTtl must be positive: " + t);
                }
            });
        }

        /** 45 s lock timeout, no TTL, this host and the process's user, the system clock. */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(45), Optional.empty(), localHostName(),
                    System.getProperty("user.name", "unknown"), Clock.systemUTC());
        }

        /** The same options with another lock timeout. */
        public Options withLockTimeout(Duration timeout) {
            return new Options(timeout, lockTtl, hostname, userName, clock);
        }

        /** The same options with a lock TTL. */
        public Options withLockTtl(Duration ttl) {
            return new Options(lockTimeout, Optional.of(ttl), hostname, userName, clock);
        }

        private static String localHostName() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown");
            }
        }
    }

    private record CellConn(CellInfo info, TopoStore store) {
    }

    private final TopoStore global;
    private final Function<CellInfo, TopoStore> cellOpener;
    private final Options options;
    private final Map<String, CellConn> cells = new HashMap<>();
    private boolean closed;

    /**
     * A server over {@code global}, opening cell stores with {@code cellOpener}. The server owns
     * {@code global} and every store the opener returns, and closes them on {@link #close()}.
     */
    public TopoServer(TopoStore global, Function<CellInfo, TopoStore> cellOpener, Options options) {
        this.global = Objects.requireNonNull(global, "global");
        this.cellOpener = Objects.requireNonNull(cellOpener, "cellOpener");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** The global topology store. */
    public TopoStore globalStore() {
        return global;
    }

    /** The options this server was built with. */
    public Options options() {
        return options;
    }

    /**
     * The store of {@code cell}, opened from its CellInfo and cached; reopened when the CellInfo's
     * address or root changes (Vitess's {@code ConnForCell}). If the global topology cannot be
     * read but a connection to the cell is already open, that connection is used.
     *
     * @throws TopoException {@code NO_NODE} if the cell is not registered
     */
    public TopoStore cellStore(String cell) {
        if (TopoPaths.GLOBAL_CELL.equals(cell)) {
            return global;
        }
        CellInfo info;
        try {
            info = getCellInfo(cell).value();
        } catch (TopoException e) {
            if (e.error() == TopoError.NO_NODE) {
                throw new TopoException(TopoError.NO_NODE, TopoPaths.cellInfo(cell), "cell '" + cell
                        + "' is not registered in the global topology", e);
            }
            synchronized (this) {
                CellConn cached = cells.get(cell);
                if (cached != null) {
                    return cached.store();
                }
            }
            throw e;
        }
        TopoStore stale = null;
        TopoStore store;
        synchronized (this) {
            if (closed) {
                throw new TopoException(TopoError.UNAVAILABLE, cell, "topology server is closed");
            }
            CellConn cached = cells.get(cell);
            if (cached != null && cached.info().equals(info)) {
                return cached.store();
            }
            if (cached != null) {
                stale = cached.store();
            }
            store = cellOpener.apply(info);
            cells.put(cell, new CellConn(info, store));
        }
        if (stale != null) {
            stale.close();
        }
        return store;
    }

    /** A supplier of the cell's current store, for watchers that reconnect (see {@link #cellStore}). */
    public Supplier<TopoStore> cellStoreSupplier(String cell) {
        return () -> cellStore(cell);
    }

    // ---- cells --------------------------------------------------------------------------------

    /** Registers a cell. @throws TopoException {@code NODE_EXISTS} */
    public Version createCellInfo(String cell, CellInfo info) {
        return global.create(TopoPaths.cellInfo(cell), info.toByteArray());
    }

    /** A cell's CellInfo. @throws TopoException {@code NO_NODE} */
    public Stored<CellInfo> getCellInfo(String cell) {
        return read(global, TopoPaths.cellInfo(cell), CellInfo.parser());
    }

    /** Updates a cell's CellInfo with compare-and-set retries. @throws TopoException {@code NO_NODE} */
    public Stored<CellInfo> updateCellInfoFields(String cell, UnaryOperator<CellInfo> update) {
        return updateFields(global, TopoPaths.cellInfo(cell), CellInfo.parser(), Optional.empty(), update, NO_CHECK);
    }

    /** Unregisters a cell (its own store is untouched). @throws TopoException {@code NO_NODE} */
    public void deleteCellInfo(String cell) {
        global.delete(TopoPaths.cellInfo(cell), Optional.empty());
        TopoStore stale;
        synchronized (this) {
            CellConn c = cells.remove(cell);
            stale = c == null ? null : c.store();
        }
        if (stale != null) {
            stale.close();
        }
    }

    /** The registered cells, sorted. */
    public List<String> getCellInfoNames() {
        return childDirs(global, TopoPaths.CELLS_PATH);
    }

    // ---- keyspaces ----------------------------------------------------------------------------

    /** Creates a keyspace record. @throws TopoException {@code NODE_EXISTS} */
    public Version createKeyspace(String keyspace, Keyspace value) {
        return global.create(TopoPaths.keyspace(keyspace), value.toByteArray());
    }

    /** A keyspace record. @throws TopoException {@code NO_NODE} */
    public Stored<Keyspace> getKeyspace(String keyspace) {
        return read(global, TopoPaths.keyspace(keyspace), Keyspace.parser());
    }

    /** The keyspaces of the global topology, sorted. */
    public List<String> getKeyspaceNames() {
        return childDirs(global, TopoPaths.KEYSPACES_PATH);
    }

    /** Deletes a keyspace record (not its shards or vschema). @throws TopoException {@code NO_NODE} */
    public void deleteKeyspace(String keyspace) {
        global.delete(TopoPaths.keyspace(keyspace), Optional.empty());
    }

    Stored<Keyspace> updateKeyspace(String keyspace, UnaryOperator<Keyspace> update, Runnable beforeWrite) {
        return updateFields(global, TopoPaths.keyspace(keyspace), Keyspace.parser(), Optional.empty(), update,
                beforeWrite);
    }

    // ---- vschema and routing rules ------------------------------------------------------------

    /** Writes a keyspace's vschema (its Vitess JSON text), unconditionally. */
    public Version saveVSchema(String keyspace, KeyspaceVSchema vschema) {
        return global.update(TopoPaths.vschema(keyspace), vschemaRecord(vschema).toByteArray(), Optional.empty());
    }

    /** A keyspace's vschema record. @throws TopoException {@code NO_NODE} */
    public Stored<VSchema> getVSchemaRecord(String keyspace) {
        return read(global, TopoPaths.vschema(keyspace), VSchema.parser());
    }

    /**
     * A keyspace's vschema, parsed.
     *
     * @throws TopoException {@code NO_NODE}
     * @throws dev.mosaic.api.vschema.VSchemaException if the stored text is not a valid vschema
     */
    public KeyspaceVSchema getVSchema(String keyspace) {
        return KeyspaceVSchema.fromJson(getVSchemaRecord(keyspace).value().getJson());
    }

    /** Deletes a keyspace's vschema. @throws TopoException {@code NO_NODE} */
    public void deleteVSchema(String keyspace) {
        global.delete(TopoPaths.vschema(keyspace), Optional.empty());
    }

    /** The record form of a vschema. */
    public static VSchema vschemaRecord(KeyspaceVSchema vschema) {
        return VSchema.newBuilder().setJson(vschema.toJson()).build();
    }

    /** Writes the routing rules; empty rules delete the file, as Vitess does. */
    public void saveRoutingRules(RoutingRules rules) {
        saveOrDelete(TopoPaths.routingRules(), rules);
    }

    /** The routing rules, empty if none were saved. */
    public RoutingRules getRoutingRules() {
        return readOr(global, TopoPaths.routingRules(), RoutingRules.parser(), RoutingRules.getDefaultInstance());
    }

    /** Writes the shard routing rules; empty rules delete the file. */
    public void saveShardRoutingRules(ShardRoutingRules rules) {
        saveOrDelete(TopoPaths.shardRoutingRules(), rules);
    }

    /** The shard routing rules, empty if none were saved. */
    public ShardRoutingRules getShardRoutingRules() {
        return readOr(global, TopoPaths.shardRoutingRules(), ShardRoutingRules.parser(),
                ShardRoutingRules.getDefaultInstance());
    }

    /** Writes the keyspace routing rules; empty rules delete the file. */
    public void saveKeyspaceRoutingRules(KeyspaceRoutingRules rules) {
        saveOrDelete(TopoPaths.keyspaceRoutingRules(), rules);
    }

    /** The keyspace routing rules, empty if none were saved. */
    public KeyspaceRoutingRules getKeyspaceRoutingRules() {
        return readOr(global, TopoPaths.keyspaceRoutingRules(), KeyspaceRoutingRules.parser(),
                KeyspaceRoutingRules.getDefaultInstance());
    }

    private void saveOrDelete(String path, Message rules) {
        if (rules.getSerializedSize() == 0) {
            try {
                global.delete(path, Optional.empty());
            } catch (TopoException e) {
                if (e.error() != TopoError.NO_NODE) {
                    throw e;
                }
            }
            return;
        }
        global.update(path, rules.toByteArray(), Optional.empty());
    }

    // ---- shards -------------------------------------------------------------------------------

    /**
     * Creates a shard record. The key range comes from the name ({@code -80}, {@code 80-}; any
     * name without a dash is the full range). As in Vitess, the new shard's primary is serving
     * only if no existing shard of the keyspace overlaps it (a resharding target starts
     * non-serving).
     *
     * @throws TopoException {@code NODE_EXISTS}
     * @throws IllegalArgumentException if the name is not a valid shard name
     */
    public Stored<Shard> createShard(String keyspace, String shard) {
        var range = dev.mosaic.api.cluster.Shard.keyRangeOf(shard);
        boolean serving = true;
        for (String other : getShardNames(keyspace)) {
            if (!other.equals(shard) && dev.mosaic.api.cluster.Shard.keyRangeOf(other).intersects(range)) {
                serving = false;
                break;
            }
        }
        Shard.Builder b = Shard.newBuilder().setIsPrimaryServing(serving);
        ProtoConversions.shardKeyRange(shard).ifPresent(b::setKeyRange);
        Shard value = b.build();
        Version v = global.create(TopoPaths.shard(keyspace, shard), value.toByteArray());
        return new Stored<>(value, v);
    }

    /** A shard record. @throws TopoException {@code NO_NODE} */
    public Stored<Shard> getShard(String keyspace, String shard) {
        return read(global, TopoPaths.shard(keyspace, shard), Shard.parser());
    }

    /** The shards of a keyspace, sorted by name; empty if it has none. */
    public List<String> getShardNames(String keyspace) {
        return childDirs(global, TopoPaths.shardsDir(keyspace));
    }

    /**
     * Updates a shard with compare-and-set retries, without a lock (Vitess's
     * {@code UpdateShardFields}; use {@link ActionLock#updateShardFields} for changes that must be
     * exclusive).
     *
     * @throws TopoException {@code NO_NODE}
     */
    public Stored<Shard> updateShardFields(String keyspace, String shard, UnaryOperator<Shard> update) {
        return updateShardFields(keyspace, shard, update, NO_CHECK);
    }

    Stored<Shard> updateShardFields(String keyspace, String shard, UnaryOperator<Shard> update, Runnable beforeWrite) {
        return updateFields(global, TopoPaths.shard(keyspace, shard), Shard.parser(), Optional.empty(), update,
                beforeWrite);
    }

    /** Deletes a shard record. @throws TopoException {@code NO_NODE} */
    public void deleteShard(String keyspace, String shard) {
        global.delete(TopoPaths.shard(keyspace, shard), Optional.empty());
    }

    // ---- tablets and replication graph --------------------------------------------------------

    /**
     * Publishes a tablet in its cell and adds it to its shard's replication graph there.
     *
     * @throws TopoException {@code NODE_EXISTS}
     */
    public Version createTablet(Tablet tablet) {
        TabletAlias alias = ProtoConversions.fromProto(tablet.getAlias());
        Version v = cellStore(alias.cell()).create(TopoPaths.tablet(alias), tablet.toByteArray());
        addToShardReplication(alias.cell(), tablet.getKeyspace(), tablet.getShard(), tablet.getAlias());
        return v;
    }

    /** A tablet record. @throws TopoException {@code NO_NODE} */
    public Stored<Tablet> getTablet(TabletAlias alias) {
        return read(cellStore(alias.cell()), TopoPaths.tablet(alias), Tablet.parser());
    }

    /** Updates a tablet with compare-and-set retries. @throws TopoException {@code NO_NODE} */
    public Stored<Tablet> updateTabletFields(TabletAlias alias, UnaryOperator<Tablet> update) {
        return updateFields(cellStore(alias.cell()), TopoPaths.tablet(alias), Tablet.parser(), Optional.empty(),
                update, NO_CHECK);
    }

    /**
     * Removes a tablet from its cell and from its shard's replication graph.
     *
     * @throws TopoException {@code NO_NODE}
     */
    public void deleteTablet(TabletAlias alias) {
        Tablet t = getTablet(alias).value();
        cellStore(alias.cell()).delete(TopoPaths.tablet(alias), Optional.empty());
        try {
            updateShardReplicationFields(alias.cell(), t.getKeyspace(), t.getShard(), sr -> {
                ShardReplication.Builder b = ShardReplication.newBuilder();
                sr.getNodesList().stream().filter(n -> !n.getTabletAlias().equals(t.getAlias())).forEach(b::addNodes);
                return b.build();
            });
        } catch (TopoException e) {
            if (e.error() != TopoError.NO_NODE) {
                throw e;
            }
        }
    }

    /** The tablets published in a cell, sorted. */
    public List<TabletAlias> getTabletAliasesByCell(String cell) {
        List<TabletAlias> out = new ArrayList<>();
        for (String name : childDirs(cellStore(cell), TopoPaths.TABLETS_PATH)) {
            out.add(TabletAlias.parse(name));
        }
        out.sort(null);
        return out;
    }

    /** A shard's replication graph in a cell. @throws TopoException {@code NO_NODE} */
    public Stored<ShardReplication> getShardReplication(String cell, String keyspace, String shard) {
        return read(cellStore(cell), TopoPaths.shardReplication(keyspace, shard), ShardReplication.parser());
    }

    /** Updates (creating if absent) a shard's replication graph in a cell, with retries. */
    public Stored<ShardReplication> updateShardReplicationFields(String cell, String keyspace, String shard,
                                                                 UnaryOperator<ShardReplication> update) {
        return updateFields(cellStore(cell), TopoPaths.shardReplication(keyspace, shard), ShardReplication.parser(),
                Optional.of(ShardReplication.getDefaultInstance()), update, NO_CHECK);
    }

    /** Deletes a shard's replication graph in a cell. @throws TopoException {@code NO_NODE} */
    public void deleteShardReplication(String cell, String keyspace, String shard) {
        cellStore(cell).delete(TopoPaths.shardReplication(keyspace, shard), Optional.empty());
    }

    private void addToShardReplication(String cell, String keyspace, String shard,
                                       dev.mosaic.proto.topo.TabletAlias alias) {
        updateShardReplicationFields(cell, keyspace, shard, sr -> {
            for (ShardReplication.Node n : sr.getNodesList()) {
                if (n.getTabletAlias().equals(alias)) {
                    return null;
                }
            }
            return sr.toBuilder().addNodes(ShardReplication.Node.newBuilder().setTabletAlias(alias)).build();
        });
    }

    // ---- serving graph ------------------------------------------------------------------------

    /** Writes a keyspace's serving graph in a cell, unconditionally. */
    public Version updateSrvKeyspace(String cell, String keyspace, SrvKeyspace value) {
        return updateSrvKeyspace(cell, keyspace, value, NO_CHECK);
    }

    Version updateSrvKeyspace(String cell, String keyspace, SrvKeyspace value, Runnable beforeWrite) {
        TopoStore store = cellStore(cell);
        beforeWrite.run();
        return store.update(TopoPaths.srvKeyspace(keyspace), value.toByteArray(), Optional.empty());
    }

    /** A keyspace's serving graph in a cell. @throws TopoException {@code NO_NODE} */
    public Stored<SrvKeyspace> getSrvKeyspace(String cell, String keyspace) {
        return read(cellStore(cell), TopoPaths.srvKeyspace(keyspace), SrvKeyspace.parser());
    }

    /** The keyspaces that have a serving graph in a cell, sorted. */
    public List<String> getSrvKeyspaceNames(String cell) {
        TopoStore store = cellStore(cell);
        List<String> out = new ArrayList<>();
        for (String ks : childDirs(store, TopoPaths.KEYSPACES_PATH)) {
            try {
                if (store.listDir(TopoPaths.keyspaceDir(ks)).stream()
                        .anyMatch(e -> !e.directory() && e.name().equals(TopoPaths.SRV_KEYSPACE_FILE))) {
                    out.add(ks);
                }
            } catch (TopoException e) {
                if (e.error() != TopoError.NO_NODE) {
                    throw e;
                }
            }
        }
        return out;
    }

    /** Deletes a keyspace's serving graph in a cell. @throws TopoException {@code NO_NODE} */
    public void deleteSrvKeyspace(String cell, String keyspace) {
        cellStore(cell).delete(TopoPaths.srvKeyspace(keyspace), Optional.empty());
    }

    /** Writes a cell's SrvVSchema, unconditionally. */
    public Version updateSrvVSchema(String cell, SrvVSchema value) {
        return cellStore(cell).update(TopoPaths.srvVSchema(), value.toByteArray(), Optional.empty());
    }

    /** A cell's SrvVSchema. @throws TopoException {@code NO_NODE} */
    public Stored<SrvVSchema> getSrvVSchema(String cell) {
        return read(cellStore(cell), TopoPaths.srvVSchema(), SrvVSchema.parser());
    }

    /**
     * Rolls every keyspace's vschema and the routing rules up into one SrvVSchema and writes it to
     * each of {@code cells} (all registered cells if empty): Vitess's {@code RebuildSrvVSchema}.
     *
     * @return the SrvVSchema written
     */
    public SrvVSchema rebuildSrvVSchema(List<String> cells) {
        SrvVSchema.Builder b = SrvVSchema.newBuilder();
        for (String ks : getKeyspaceNames()) {
            try {
                b.putKeyspaces(ks, getVSchemaRecord(ks).value());
            } catch (TopoException e) {
                if (e.error() != TopoError.NO_NODE) {
                    throw e;
                }
            }
        }
        b.setRoutingRules(getRoutingRules())
                .setShardRoutingRules(getShardRoutingRules())
                .setKeyspaceRoutingRules(getKeyspaceRoutingRules());
        SrvVSchema srv = b.build();
        for (String cell : cells.isEmpty() ? getCellInfoNames() : cells) {
            updateSrvVSchema(cell, srv);
        }
        return srv;
    }

    // ---- locks --------------------------------------------------------------------------------

    /**
     * Locks a keyspace for an action (resharding, keyspace-wide schema or serving changes), waiting
     * up to the configured lock timeout. The lock is the store's lock on
     * {@code keyspaces/<ks>} with a {@link LockDescriptor} as contents.
     *
     * @throws TopoException {@code TIMEOUT} naming the current holder if it is not acquired in time
     */
    public ActionLock lockKeyspace(String keyspace, String action, String reason) {
        return lock(TopoPaths.keyspaceDir(keyspace), keyspace, Optional.empty(), action, reason);
    }

    /** {@link #lockKeyspace(String, String, String)} without a reason. */
    public ActionLock lockKeyspace(String keyspace, String action) {
        return lockKeyspace(keyspace, action, "");
    }

    /**
     * Locks a shard for an action (reparents, and what must not race with them), waiting up to the
     * configured lock timeout; the lock is on {@code keyspaces/<ks>/shards/<shard>}.
     *
     * @throws TopoException {@code TIMEOUT} naming the current holder if it is not acquired in time
     */
    public ActionLock lockShard(String keyspace, String shard, String action, String reason) {
        return lock(TopoPaths.shardDir(keyspace, shard), keyspace, Optional.of(shard), action, reason);
    }

    /** {@link #lockShard(String, String, String, String)} without a reason. */
    public ActionLock lockShard(String keyspace, String shard, String action) {
        return lockShard(keyspace, shard, action, "");
    }

    private ActionLock lock(String dir, String keyspace, Optional<String> shard, String action, String reason) {
        Instant now = options.clock().instant();
        LockDescriptor descriptor = LockDescriptor.newBuilder()
                .setAction(action)
                .setReason(reason)
                .setHostname(options.hostname())
                .setPid(ProcessHandle.current().pid())
                .setUserName(options.userName())
                .setTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .setPath(dir)
                .build();
        String contents = RecordJson.lockContents(descriptor);
        TopoLock lock = options.lockTtl().isPresent()
                && global.capabilities().contains(dev.mosaic.spi.topo.TopoCapability.LOCK_TTL)
                ? global.lockWithTtl(dir, contents, options.lockTtl().get(), options.lockTimeout())
                : global.lock(dir, contents, options.lockTimeout());
        return new ActionLock(this, lock, descriptor, keyspace, shard);
    }

    // ---- generic record access ----------------------------------------------------------------

    static final Runnable NO_CHECK = () -> {
    };

    static <T> Stored<T> read(TopoStore store, String path, Parser<T> parser) {
        Versioned v = store.get(path);
        return new Stored<>(RecordType.decode(parser, path, v.contents()), v.version());
    }

    private static <T> T readOr(TopoStore store, String path, Parser<T> parser, T orElse) {
        try {
            return read(store, path, parser).value();
        } catch (TopoException e) {
            if (e.error() == TopoError.NO_NODE) {
                return orElse;
            }
            throw e;
        }
    }

    /**
     * The compare-and-set loop behind every {@code update...Fields}: read, apply, write at the read
     * version; on a lost race start over. {@code ifMissing} present means a missing record starts
     * from that value and is created. {@code beforeWrite} runs right before each write (the lock
     * check of {@link ActionLock}).
     */
    static <T extends Message> Stored<T> updateFields(TopoStore store, String path, Parser<T> parser,
                                                      Optional<T> ifMissing, UnaryOperator<T> update,
                                                      Runnable beforeWrite) {
        while (true) {
            if (Thread.currentThread().isInterrupted()) {
                throw new TopoException(TopoError.INTERRUPTED, path, "interrupted while updating");
            }
            T current;
            Optional<Version> version;
            try {
                Stored<T> s = read(store, path, parser);
                current = s.value();
                version = Optional.of(s.version());
            } catch (TopoException e) {
                if (e.error() != TopoError.NO_NODE || ifMissing.isEmpty()) {
                    throw e;
                }
                current = ifMissing.get();
                version = Optional.empty();
            }
            T next = update.apply(current);
            if (next == null || (next.equals(current) && version.isPresent())) {
                if (version.isEmpty()) {
                    throw new TopoException(TopoError.NO_NODE, path, "no record, and the update created none");
                }
                return new Stored<>(current, version.get());
            }
            beforeWrite.run();
            try {
                Version written = version.isPresent()
                        ? store.update(path, next.toByteArray(), version)
                        : store.create(path, next.toByteArray());
                return new Stored<>(next, written);
            } catch (TopoException e) {
                if (e.error() != TopoError.BAD_VERSION && e.error() != TopoError.NODE_EXISTS
                        && !(e.error() == TopoError.NO_NODE && version.isPresent())) {
                    throw e;
                }
                // Another writer won the race (or deleted/created the record): retry from a fresh read.
            }
        }
    }

    private static List<String> childDirs(TopoStore store, String dir) {
        try {
            List<String> out = new ArrayList<>();
            for (DirEntry e : store.listDir(dir)) {
                if (e.directory()) {
                    out.add(e.name());
                }
            }
            return out;
        } catch (TopoException e) {
            if (e.error() == TopoError.NO_NODE) {
                return List.of();
            }
            throw e;
        }
    }

    /** Closes every cell store and the global store. Idempotent. */
    @Override
    public void close() {
        List<TopoStore> toClose = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            cells.values().forEach(c -> toClose.add(c.store()));
            cells.clear();
        }
        toClose.add(global);
        MosaicException first = null;
        for (TopoStore s : toClose) {
            try {
                s.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = new MosaicException(ErrorCode.UNAVAILABLE, "closing topology connections failed", e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
