package dev.mosaic.server.ctld;

import static dev.mosaic.server.ctld.CtldErrors.invalid;
import static dev.mosaic.server.ctld.CtldErrors.isNoNode;
import static dev.mosaic.server.ctld.CtldErrors.isNodeExists;
import static dev.mosaic.server.ctld.CtldErrors.notFound;
import static dev.mosaic.server.ctld.CtldErrors.precondition;

import com.google.protobuf.Timestamp;
import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.key.KeyRange;
import dev.mosaic.api.vschema.KeyspaceVSchema;
import dev.mosaic.proto.topo.CellInfo;
import dev.mosaic.proto.topo.Keyspace;
import dev.mosaic.proto.topo.KeyspaceType;
import dev.mosaic.proto.topo.Shard;
import dev.mosaic.proto.topo.ShardReference;
import dev.mosaic.proto.topo.SrvKeyspace;
import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.proto.vtctldata.AddCellInfoRequest;
import dev.mosaic.proto.vtctldata.AddCellInfoResponse;
import dev.mosaic.proto.vtctldata.CreateKeyspaceRequest;
import dev.mosaic.proto.vtctldata.CreateKeyspaceResponse;
import dev.mosaic.proto.vtctldata.CreateShardRequest;
import dev.mosaic.proto.vtctldata.CreateShardResponse;
import dev.mosaic.proto.vtctldata.DeleteKeyspaceRequest;
import dev.mosaic.proto.vtctldata.DeleteShardsRequest;
import dev.mosaic.proto.vtctldata.GetCellInfoNamesResponse;
import dev.mosaic.proto.vtctldata.GetCellInfoRequest;
import dev.mosaic.proto.vtctldata.GetCellInfoResponse;
import dev.mosaic.proto.vtctldata.GetTabletsRequest;
import dev.mosaic.server.topo.ActionLock;
import dev.mosaic.server.topo.ProtoConversions;
import dev.mosaic.server.topo.TopoPaths;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.topo.TopoException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The verbs on keyspace, shard and tablet records and on the serving graph. Each mutating verb
 * takes the keyspace lock, writes in an order that leaves a valid topology if it stops half-way
 * (what serves first goes last on creation and first on deletion), and can be repeated.
 */
final class TopologyVerbs {
    private static final Pattern CELL_NAME = Pattern.compile("[A-Za-z0-9_-]+");

    /** The durability policy a keyspace gets when the request names none (vtctldclient's default). */
    static final String DEFAULT_DURABILITY = "none";
    /** The tablet types a SrvKeyspace has partitions for, as Vitess builds them. */
    private static final List<TabletType> SERVED_TYPES = List.of(TabletType.PRIMARY, TabletType.REPLICA,
            TabletType.RDONLY);

    private final TopoServer topo;
    private final TopologyReads reads;
    private final Plugins plugins;

    TopologyVerbs(TopologyReads reads, Plugins plugins) {
        this.topo = reads.topo();
        this.reads = reads;
        this.plugins = plugins;
    }

    // ---- keyspaces ----------------------------------------------------------------------------

    /**
     * Registers a cell (Vitess's AddCellInfo): where its topology lives. Repeating it with the same
     * record succeeds; a different record for an existing cell is refused (changing where a cell's
     * tablets are recorded would orphan them).
     */
    AddCellInfoResponse addCellInfo(AddCellInfoRequest req) {
        String cell = req.getName();
        TopologyReads.requireName("cell", cell);
        if (!CELL_NAME.matcher(cell).matches()) {
            throw invalid("invalid cell name \"" + cell + "\": letters, digits, '_' and '-' only");
        }
        CellInfo info = req.getCellInfo();
        if (info.getRoot().isEmpty()) {
            throw invalid("cell " + cell + ": cell_info.root is required (where the cell's records live)");
        }
        try {
            topo.createCellInfo(cell, info);
        } catch (RuntimeException e) {
            if (!isNodeExists(e)) {
                throw e;
            }
            CellInfo existing = topo.getCellInfo(cell).value();
            if (!existing.equals(info)) {
                throw CtldErrors.error(ErrorCode.ALREADY_EXISTS, "cell " + cell + " already exists with server_address \""
                        + existing.getServerAddress() + "\" and root \"" + existing.getRoot() + "\"");
            }
        }
        return AddCellInfoResponse.getDefaultInstance();
    }

    GetCellInfoResponse getCellInfo(GetCellInfoRequest req) {
        TopologyReads.requireName("cell", req.getCell());
        try {
            return GetCellInfoResponse.newBuilder().setCellInfo(topo.getCellInfo(req.getCell()).value()).build();
        } catch (RuntimeException e) {
            if (isNoNode(e)) {
                throw notFound("cell " + req.getCell() + " not found");
            }
            throw e;
        }
    }

    GetCellInfoNamesResponse getCellInfoNames() {
        return GetCellInfoNamesResponse.newBuilder().addAllNames(topo.getCellInfoNames()).build();
    }

    CreateKeyspaceResponse createKeyspace(CreateKeyspaceRequest req) {
        String name = req.getName();
        requireKeyspaceName(name);
        String durability = req.getDurabilityPolicy().isEmpty() ? DEFAULT_DURABILITY : req.getDurabilityPolicy();
        List<String> known = Durability.knownPolicies(plugins);
        if (!known.contains(durability)) {
            throw invalid("durability policy \"" + durability + "\" is not a known durability plugin; known: "
                    + String.join(", ", known));
        }
        String sidecar = req.getSidecarDbName().isEmpty()
                ? dev.mosaic.api.cluster.Keyspace.DEFAULT_SIDECAR_DB : req.getSidecarDbName();
        try {
            new dev.mosaic.api.cluster.Keyspace(name, durability, sidecar);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
        Keyspace.Builder record = Keyspace.newBuilder().setKeyspaceType(req.getType())
                .setDurabilityPolicy(durability).setSidecarDbName(sidecar);
        Optional<KeyspaceVSchema> vschema = req.getAllowEmptyVSchema() ? Optional.empty()
                : Optional.of(KeyspaceVSchema.EMPTY);
        switch (req.getType()) {
            case NORMAL -> {
                if (!req.getBaseKeyspace().isEmpty()) {
                    throw invalid("base_keyspace is only for a SNAPSHOT keyspace; " + name + " is NORMAL");
                }
            }
            case SNAPSHOT -> {
                if (req.getBaseKeyspace().isEmpty()) {
                    throw invalid("a SNAPSHOT keyspace needs base_keyspace");
                }
                Keyspace base = reads.keyspace(req.getBaseKeyspace());
                if (base.getKeyspaceType() == KeyspaceType.SNAPSHOT) {
                    throw invalid("base_keyspace " + req.getBaseKeyspace() + " is itself a SNAPSHOT keyspace");
                }
                Instant now = Instant.now();
                record.setBaseKeyspace(req.getBaseKeyspace())
                        .setSnapshotTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()));
                // As Vitess: the snapshot serves its base's tables, reachable only by naming it.
                KeyspaceVSchema b = baseVSchema(req.getBaseKeyspace());
                vschema = Optional.of(new KeyspaceVSchema(b.sharded(), b.vindexes(), b.tables(), true,
                        b.foreignKeyMode()));
            }
            default -> throw invalid("unknown keyspace type " + req.getTypeValue());
        }
        Keyspace created = record.build();
        try {
            topo.createKeyspace(name, created);
        } catch (TopoException e) {
            if (!isNodeExists(e)) {
                throw e;
            }
            if (!req.getForce()) {
                throw new MosaicException(ErrorCode.ALREADY_EXISTS, "keyspace " + name + " already exists");
            }
            created = fillUnset(name, durability, sidecar);
        }
        // After the record, so an interrupted call leaves a keyspace without vschema, which a
        // forced repeat completes; never overwrites one (ApplyVSchema's business). The SrvVSchema
        // is rebuilt on a forced repeat too, in case the first call stopped before it.
        if (vschema.isPresent()) {
            ensureVSchema(name, vschema.get());
            topo.rebuildSrvVSchema(List.of());
        }
        return CreateKeyspaceResponse.newBuilder().setKeyspace(keyspaceMessage(name, created)).build();
    }

    /**
     * A forced create of an existing keyspace changes no field that is set; it fills the ones a
     * tablet's bare record leaves empty (a tablet started first creates its keyspace, as vttablet
     * does), so the operator's durability policy is not lost to the start order.
     */
    private Keyspace fillUnset(String name, String durability, String sidecar) {
        try (ActionLock lock = topo.lockKeyspace(name, "CreateKeyspace")) {
            return lock.updateKeyspace(k -> {
                Keyspace.Builder b = k.toBuilder();
                if (k.getDurabilityPolicy().isEmpty()) {
                    b.setDurabilityPolicy(durability);
                }
                if (k.getSidecarDbName().isEmpty()) {
                    b.setSidecarDbName(sidecar);
                }
                return b.build();
            }).value();
        }
    }

    private KeyspaceVSchema baseVSchema(String keyspace) {
        try {
            return topo.getVSchema(keyspace);
        } catch (TopoException e) {
            if (isNoNode(e)) {
                return KeyspaceVSchema.EMPTY;
            }
            throw e;
        }
    }

    /** Creates the keyspace's vschema if it has none. */
    private void ensureVSchema(String keyspace, KeyspaceVSchema vschema) {
        try {
            topo.globalStore().create(TopoPaths.vschema(keyspace), TopoServer.vschemaRecord(vschema).toByteArray());
        } catch (TopoException e) {
            if (!isNodeExists(e)) {
                throw e;
            }
        }
    }

    static dev.mosaic.proto.vtctldata.Keyspace keyspaceMessage(String name, Keyspace record) {
        return dev.mosaic.proto.vtctldata.Keyspace.newBuilder().setName(name).setKeyspace(record).build();
    }

    static dev.mosaic.proto.vtctldata.Shard shardMessage(String keyspace, String name, Shard record) {
        return dev.mosaic.proto.vtctldata.Shard.newBuilder().setKeyspace(keyspace).setName(name).setShard(record)
                .build();
    }

    /**
     * Deletes a keyspace: its serving graph first (gates stop routing to it), then, when
     * recursive, its tablets' records and shards, then its vschema and record; finally the
     * SrvVSchema is rebuilt without it.
     */
    void deleteKeyspace(DeleteKeyspaceRequest req) {
        String ks = req.getKeyspace();
        reads.keyspace(ks);
        try (KeyspaceLock lock = KeyspaceLock.take(topo, ks, "DeleteKeyspace", req.getForce())) {
            List<String> shards = topo.getShardNames(ks);
            if (!shards.isEmpty() && !req.getRecursive()) {
                throw precondition("keyspace " + ks + " still has " + shards.size() + " shard(s) " + shards
                        + "; delete them first or use recursive");
            }
            for (String cell : topo.getCellInfoNames()) {
                lock.check();
                deleteIfPresent(() -> topo.deleteSrvKeyspace(cell, ks));
            }
            for (String shard : shards) {
                deleteShardRecursively(lock, ks, shard);
            }
            if (req.getRecursive()) {
                // tablets whose shard record is already gone (a half-done DeleteShards, say)
                for (Tablet t : reads.allTablets()) {
                    if (t.getKeyspace().equals(ks)) {
                        lock.check();
                        deleteIfPresent(() -> topo.deleteTablet(ProtoConversions.fromProto(t.getAlias())));
                    }
                }
            }
            lock.check();
            deleteIfPresent(() -> topo.deleteVSchema(ks));
            lock.check();
            deleteIfPresent(() -> topo.deleteKeyspace(ks));
        }
        topo.rebuildSrvVSchema(List.of());
    }

    private static void deleteIfPresent(Runnable delete) {
        try {
            delete.run();
        } catch (TopoException e) {
            if (!isNoNode(e)) {
                throw e;
            }
        }
    }

    /** Tablet records, then the replication graph in every cell, then the shard record. */
    private void deleteShardRecursively(KeyspaceLock lock, String ks, String shard) {
        for (Tablet t : reads.shardTablets(ks, shard)) {
            lock.check();
            deleteIfPresent(() -> topo.deleteTablet(ProtoConversions.fromProto(t.getAlias())));
        }
        for (String cell : topo.getCellInfoNames()) {
            lock.check();
            deleteIfPresent(() -> topo.deleteShardReplication(cell, ks, shard));
        }
        lock.check();
        deleteIfPresent(() -> topo.deleteShard(ks, shard));
    }

    // ---- shards -------------------------------------------------------------------------------

    CreateShardResponse createShard(CreateShardRequest req) {
        String ks = req.getKeyspace();
        requireKeyspaceName(ks);
        String shard = req.getShardName();
        requireShardName(ks, shard);
        if (reads.findKeyspace(ks).isEmpty()) {
            if (!req.getIncludeParent()) {
                throw notFound("keyspace " + ks + " not found (use include_parent to create it)");
            }
            createKeyspace(CreateKeyspaceRequest.newBuilder().setName(ks).setForce(true).build());
        }
        boolean existed = false;
        Shard record;
        try (ActionLock lock = topo.lockKeyspace(ks, "CreateShard", shard)) {
            try {
                record = topo.createShard(ks, shard).value();
            } catch (TopoException e) {
                if (!isNodeExists(e)) {
                    throw e;
                }
                if (!req.getForce()) {
                    throw new MosaicException(ErrorCode.ALREADY_EXISTS, "shard " + ks + "/" + shard + " already exists");
                }
                existed = true;
                record = topo.getShard(ks, shard).value();
            }
        }
        return CreateShardResponse.newBuilder().setKeyspace(keyspaceMessage(ks, reads.keyspace(ks)))
                .setShard(shardMessage(ks, shard, record)).setShardAlreadyExists(existed).build();
    }

    /**
     * Deletes shards. A shard with tablets needs {@code recursive}; a shard that a SrvKeyspace
     * still routes to needs {@code even_if_serving} (and is then removed from the serving graph
     * first). A shard already gone is not an error, so a repeated call succeeds.
     */
    void deleteShards(DeleteShardsRequest req) {
        if (req.getShardsCount() == 0) {
            throw invalid("no shards to delete");
        }
        for (dev.mosaic.proto.vtctldata.Shard s : req.getShardsList()) {
            requireKeyspaceName(s.getKeyspace());
            TopologyReads.requireName("shard", s.getName());
        }
        for (dev.mosaic.proto.vtctldata.Shard s : req.getShardsList()) {
            String ks = s.getKeyspace();
            String shard = s.getName();
            if (reads.findKeyspace(ks).isEmpty()) {
                continue;
            }
            try (KeyspaceLock lock = KeyspaceLock.take(topo, ks, "DeleteShards", req.getForce())) {
                boolean exists = topo.getShardNames(ks).contains(shard);
                List<Tablet> tablets = reads.shardTablets(ks, shard);
                if (!exists && tablets.isEmpty()) {
                    continue;
                }
                if (!tablets.isEmpty() && !req.getRecursive()) {
                    throw precondition("shard " + ks + "/" + shard + " still has tablets "
                            + tablets.stream().map(t -> ProtoConversions.fromProto(t.getAlias()).toString()).toList()
                            + "; use recursive to delete them too");
                }
                List<String> servingCells = servingCells(ks, shard);
                if (!servingCells.isEmpty() && !req.getEvenIfServing()) {
                    throw precondition("shard " + ks + "/" + shard + " is still serving in cells " + servingCells
                            + "; use even_if_serving to delete it anyway");
                }
                for (String cell : servingCells) {
                    lock.check();
                    SrvKeyspace srv = topo.getSrvKeyspace(cell, ks).value();
                    SrvKeyspace without = withoutShard(srv, shard);
                    if (lock.held().isPresent()) {
                        lock.held().get().updateSrvKeyspace(cell, without);
                    } else {
                        topo.updateSrvKeyspace(cell, ks, without);
                    }
                }
                deleteShardRecursively(lock, ks, shard);
            }
        }
    }

    private List<String> servingCells(String ks, String shard) {
        List<String> out = new ArrayList<>();
        for (String cell : topo.getCellInfoNames()) {
            try {
                SrvKeyspace srv = topo.getSrvKeyspace(cell, ks).value();
                if (srv.getPartitionsList().stream().flatMap(p -> p.getShardReferencesList().stream())
                        .anyMatch(r -> r.getName().equals(shard))) {
                    out.add(cell);
                }
            } catch (TopoException e) {
                if (!isNoNode(e)) {
                    throw e;
                }
            }
        }
        return out;
    }

    private static SrvKeyspace withoutShard(SrvKeyspace srv, String shard) {
        SrvKeyspace.Builder b = SrvKeyspace.newBuilder();
        for (SrvKeyspace.KeyspacePartition p : srv.getPartitionsList()) {
            SrvKeyspace.KeyspacePartition.Builder pb = p.toBuilder().clearShardReferences().clearShardTabletControls();
            p.getShardReferencesList().stream().filter(r -> !r.getName().equals(shard)).forEach(pb::addShardReferences);
            p.getShardTabletControlsList().stream().filter(c -> !c.getName().equals(shard))
                    .forEach(pb::addShardTabletControls);
            b.addPartitions(pb);
        }
        return b.build();
    }

    // ---- tablets ------------------------------------------------------------------------------

    /**
     * Tablets matching the filters. Aliases, when given, are read one by one (a missing one fails
     * under {@code strict}, is skipped otherwise) and only the type filter applies to them;
     * otherwise every tablet of the chosen cells is listed and filtered by keyspace, shard and type.
     * An unknown or unreadable cell fails under {@code strict} and is skipped otherwise.
     */
    List<Tablet> getTablets(GetTabletsRequest req) {
        if (!req.getShard().isEmpty() && req.getKeyspace().isEmpty()) {
            throw invalid("a shard filter (" + req.getShard() + ") needs a keyspace");
        }
        List<Tablet> out = new ArrayList<>();
        if (req.getTabletAliasesCount() > 0) {
            for (var alias : req.getTabletAliasesList()) {
                try {
                    out.add(reads.tablet(alias));
                } catch (MosaicException e) {
                    if (req.getStrict() || e.code() != ErrorCode.NOT_FOUND) {
                        throw e;
                    }
                }
            }
        } else {
            List<String> known = topo.getCellInfoNames();
            List<String> cells = req.getCellsCount() == 0 ? known : req.getCellsList();
            for (String cell : new LinkedHashSet<>(cells)) {
                if (!known.contains(cell)) {
                    if (req.getStrict()) {
                        throw notFound("cell " + cell + " is not registered (known: " + known + ")");
                    }
                    continue;
                }
                try {
                    out.addAll(reads.tabletsInCell(cell));
                } catch (TopoException e) {
                    if (req.getStrict()) {
                        throw new MosaicException(e.code(), "cannot list the tablets of cell " + cell + ": "
                                + e.getMessage(), e);
                    }
                }
            }
            out.removeIf(t -> (!req.getKeyspace().isEmpty() && !t.getKeyspace().equals(req.getKeyspace()))
                    || (!req.getShard().isEmpty() && !t.getShard().equals(req.getShard())));
        }
        if (req.getTabletType() != TabletType.UNKNOWN) {
            out.removeIf(t -> t.getType() != req.getTabletType());
        }
        List<Tablet> sorted = new ArrayList<>(out);
        sorted.sort(TopologyReads.BY_ALIAS);
        return sorted;
    }

    // ---- serving graph ------------------------------------------------------------------------

    /**
     * Writes the keyspace's SrvKeyspace in each cell (all cells if none are named): one partition
     * per served type (PRIMARY, REPLICA, RDONLY) listing the shards whose primary serves, in key
     * order. The shards must tile the key space without gap or overlap unless {@code allowPartial}.
     */
    void rebuildKeyspaceGraph(String ks, List<String> requestedCells, boolean allowPartial) {
        reads.keyspace(ks);
        List<String> cells = cells(requestedCells);
        try (ActionLock lock = topo.lockKeyspace(ks, "RebuildKeyspaceGraph")) {
            List<ShardReference> refs = new ArrayList<>();
            for (String name : topo.getShardNames(ks)) {
                Shard s = topo.getShard(ks, name).value();
                if (s.getIsPrimaryServing()) {
                    ShardReference.Builder r = ShardReference.newBuilder().setName(name);
                    if (s.hasKeyRange()) {
                        r.setKeyRange(s.getKeyRange());
                    }
                    refs.add(r.build());
                }
            }
            refs.sort((a, b) -> ProtoConversions.fromProto(a.getKeyRange()).start()
                    .compareTo(ProtoConversions.fromProto(b.getKeyRange()).start()));
            if (!allowPartial) {
                checkTiling(ks, refs);
            }
            SrvKeyspace.Builder srv = SrvKeyspace.newBuilder();
            for (TabletType type : SERVED_TYPES) {
                srv.addPartitions(SrvKeyspace.KeyspacePartition.newBuilder().setServedType(type)
                        .addAllShardReferences(refs));
            }
            SrvKeyspace value = srv.build();
            for (String cell : cells) {
                lock.updateSrvKeyspace(cell, value);
            }
        }
    }

    /** Serving shards must cover the key space exactly: each starts where the previous ended. */
    private static void checkTiling(String ks, List<ShardReference> refs) {
        String previous = null;
        byte[] expectedStart = new byte[0];
        for (ShardReference r : refs) {
            KeyRange range = ProtoConversions.fromProto(r.getKeyRange());
            if (previous != null && expectedStart.length == 0) {
                throw precondition("keyspace " + ks + ": serving shards " + previous + " and " + r.getName()
                        + " overlap (" + previous + " reaches the end of the key space)");
            }
            if (!java.util.Arrays.equals(range.start().bytes(), expectedStart)) {
                throw precondition("keyspace " + ks + ": serving shard " + r.getName()
                        + (previous == null ? " does not start at the beginning of the key space"
                        : " does not start where serving shard " + previous + " ends")
                        + " (gap or overlap; use allow_partial to serve anyway)");
            }
            expectedStart = range.end().bytes();
            previous = r.getName();
        }
        if (previous != null && expectedStart.length != 0) {
            throw precondition("keyspace " + ks + ": serving shard " + previous
                    + " is the last one but does not reach the end of the key space (use allow_partial to serve anyway)");
        }
    }

    void rebuildVSchemaGraph(List<String> requestedCells) {
        topo.rebuildSrvVSchema(cells(requestedCells));
    }

    /** The named cells, each checked to be registered; all cells if none are named. */
    List<String> cells(List<String> requested) {
        List<String> known = topo.getCellInfoNames();
        if (requested.isEmpty()) {
            return known;
        }
        Set<String> unknown = new HashSet<>(requested);
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw notFound("cells " + unknown + " are not registered (known: " + known + ")");
        }
        return List.copyOf(new LinkedHashSet<>(requested));
    }

    // ---- names --------------------------------------------------------------------------------

    static void requireKeyspaceName(String name) {
        TopologyReads.requireName("keyspace", name);
        try {
            new dev.mosaic.api.cluster.Keyspace(name, "", dev.mosaic.api.cluster.Keyspace.DEFAULT_SIDECAR_DB);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }

    static void requireShardName(String keyspace, String shard) {
        TopologyReads.requireName("shard", shard);
        try {
            dev.mosaic.api.cluster.Shard.create(keyspace, shard);
        } catch (IllegalArgumentException e) {
            throw invalid("invalid shard name \"" + shard + "\": " + e.getMessage());
        }
    }
}
