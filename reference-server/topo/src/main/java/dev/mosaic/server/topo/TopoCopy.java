package dev.mosaic.server.topo;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.api.vschema.KeyspaceVSchema;
import dev.mosaic.proto.topo.CellInfo;
import dev.mosaic.proto.topo.VSchema;
import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import dev.mosaic.spi.topo.TopoStore;
import dev.mosaic.spi.topo.Versioned;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Copies a cluster's topology from one backend to another (Vitess's {@code topo2topo}): keyspaces,
 * vschemas, shards and routing rules in the global topology; tablets, replication graphs and the
 * serving graph (SrvKeyspace, SrvVSchema) in each cell.
 *
 * <p>Records are copied byte for byte after checking they decode (so fields this version does not
 * know survive), at the same paths. Idempotent: a record already equal at the destination is left
 * alone, a different one is overwritten, nothing at the destination is deleted. A cell is copied
 * only if the destination knows how to reach it: it is registered there already, or its address
 * is given in {@code cellAddresses} (then its CellInfo is created or updated first). Cells that
 * are neither are skipped with a warning; their addresses belong to the destination's operator,
 * not to the source.
 */
public final class TopoCopy {
    /** What happened (or would happen, in a dry run) to one record. */
    public enum Action {
        CREATE, UPDATE, UNCHANGED
    }

    /**
     * One record.
     *
     * @param action what was done
     * @param cell   {@code global} or the cell name
     * @param path   the record's path in that topology
     */
    public record Change(Action action, String cell, String path) {
    }

    /**
     * The outcome.
     *
     * @param changes  every record considered, in copy order
     * @param warnings what was skipped and why
     * @param dryRun   true if nothing was written
     */
    public record Report(List<Change> changes, List<String> warnings, boolean dryRun) {
        /** Copies the lists. */
        public Report {
            changes = List.copyOf(changes);
            warnings = List.copyOf(warnings);
        }

        /** How many records had {@code action}. */
        public long count(Action action) {
            return changes.stream().filter(c -> c.action() == action).count();
        }
    }

    private final TopoServer from;
    private final TopoServer to;
    private final boolean dryRun;
    private final List<Change> changes = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private TopoCopy(TopoServer from, TopoServer to, boolean dryRun) {
        this.from = from;
        this.to = to;
        this.dryRun = dryRun;
    }

    /**
     * Copies everything from {@code from} to {@code to}.
     *
     * @param cellAddresses destination CellInfo for cells to register (or re-point) before copying
     * @param dryRun        compute the changes without writing
     */
    public static Report copy(TopoServer from, TopoServer to, Map<String, CellInfo> cellAddresses, boolean dryRun) {
        Objects.requireNonNull(cellAddresses, "cellAddresses");
        TopoCopy c = new TopoCopy(from, to, dryRun);
        c.copyGlobal();
        c.copyCells(new TreeMap<>(cellAddresses));
        return new Report(c.changes, c.warnings, dryRun);
    }

    private void copyGlobal() {
        TopoStore src = from.globalStore();
        TopoStore dst = to.globalStore();
        for (String ks : from.getKeyspaceNames()) {
            copyIfPresent(src, dst, TopoPaths.GLOBAL_CELL, TopoPaths.keyspace(ks));
            Optional<byte[]> vschema = readIfPresent(src, TopoPaths.vschema(ks));
            if (vschema.isPresent()) {
                try {
                    KeyspaceVSchema.fromJson(RecordType.decode(VSchema.parser(), TopoPaths.vschema(ks), vschema.get())
                            .getJson());
                    sync(dst, TopoPaths.GLOBAL_CELL, TopoPaths.vschema(ks), vschema.get());
                } catch (RuntimeException e) {
                    warnings.add("skipped the vschema of keyspace " + ks + ": it does not parse: " + e.getMessage());
                }
            }
            for (String shard : from.getShardNames(ks)) {
                copyIfPresent(src, dst, TopoPaths.GLOBAL_CELL, TopoPaths.shard(ks, shard));
            }
        }
        copyIfPresent(src, dst, TopoPaths.GLOBAL_CELL, TopoPaths.routingRules());
        copyIfPresent(src, dst, TopoPaths.GLOBAL_CELL, TopoPaths.shardRoutingRules());
        copyIfPresent(src, dst, TopoPaths.GLOBAL_CELL, TopoPaths.keyspaceRoutingRules());
    }

    private void copyCells(Map<String, CellInfo> cellAddresses) {
        List<String> destinationCells = to.getCellInfoNames();
        for (Map.Entry<String, CellInfo> e : cellAddresses.entrySet()) {
            sync(to.globalStore(), TopoPaths.GLOBAL_CELL, TopoPaths.cellInfo(e.getKey()), e.getValue().toByteArray());
        }
        for (String cell : from.getCellInfoNames()) {
            boolean known = destinationCells.contains(cell);
            boolean mapped = cellAddresses.containsKey(cell);
            if (!known && !mapped) {
                warnings.add("skipped cell " + cell + ": it is not registered at the destination; give its address"
                        + " there with --cell-address " + cell + "=ADDR");
                continue;
            }
            TopoStore src = from.cellStore(cell);
            // In a dry run a cell registered only by this copy is not reachable yet: everything in it is new.
            TopoStore dst = dryRun && !known ? null : to.cellStore(cell);
            for (TabletAlias alias : from.getTabletAliasesByCell(cell)) {
                copyIfPresent(src, dst, cell, TopoPaths.tablet(alias));
            }
            for (String ks : from.getKeyspaceNames()) {
                for (String shard : from.getShardNames(ks)) {
                    copyIfPresent(src, dst, cell, TopoPaths.shardReplication(ks, shard));
                }
            }
            for (String ks : from.getSrvKeyspaceNames(cell)) {
                copyIfPresent(src, dst, cell, TopoPaths.srvKeyspace(ks));
            }
            copyIfPresent(src, dst, cell, TopoPaths.srvVSchema());
        }
    }

    private void copyIfPresent(TopoStore src, TopoStore dst, String cell, String path) {
        Optional<byte[]> bytes = readIfPresent(src, path);
        if (bytes.isPresent()) {
            RecordType.forPath(path).ifPresent(t -> t.parse(path, bytes.get()));
            sync(dst, cell, path, bytes.get());
        }
    }

    private static Optional<byte[]> readIfPresent(TopoStore store, String path) {
        try {
            return Optional.of(store.get(path).contents());
        } catch (TopoException e) {
            if (e.error() == TopoError.NO_NODE) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Makes {@code path} hold {@code bytes} at the destination ({@code dst == null}: a store not reachable yet). */
    private void sync(TopoStore dst, String cell, String path, byte[] bytes) {
        Optional<Versioned> existing = Optional.empty();
        if (dst != null) {
            try {
                existing = Optional.of(dst.get(path));
            } catch (TopoException e) {
                if (e.error() != TopoError.NO_NODE) {
                    throw e;
                }
            }
        }
        if (existing.isPresent() && Arrays.equals(existing.get().contents(), bytes)) {
            changes.add(new Change(Action.UNCHANGED, cell, path));
            return;
        }
        Action action = existing.isPresent() ? Action.UPDATE : Action.CREATE;
        if (!dryRun) {
            if (existing.isPresent()) {
                dst.update(path, bytes, Optional.of(existing.get().version()));
            } else {
                dst.create(path, bytes);
            }
        }
        changes.add(new Change(action, cell, path));
    }
}
