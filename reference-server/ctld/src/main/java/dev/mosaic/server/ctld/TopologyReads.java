package dev.mosaic.server.ctld;

import static dev.mosaic.server.ctld.CtldErrors.isNoNode;
import static dev.mosaic.server.ctld.CtldErrors.notFound;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.proto.topo.Keyspace;
import dev.mosaic.proto.topo.Shard;
import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.server.topo.ProtoConversions;
import dev.mosaic.server.topo.Stored;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.spi.topo.TopoException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Reads of the records the verbs work on, with "not there" turned into NOT_FOUND errors that name
 * the record, and the tablet listings the verbs share.
 */
final class TopologyReads {
    /** Tablets in alias order (cell, then uid), as Vitess lists them. */
    static final Comparator<Tablet> BY_ALIAS = Comparator.comparing(t -> ProtoConversions.fromProto(t.getAlias()));

    private final TopoServer topo;

    TopologyReads(TopoServer topo) {
        this.topo = topo;
    }

    TopoServer topo() {
        return topo;
    }

    Keyspace keyspace(String keyspace) {
        requireName("keyspace", keyspace);
        try {
            return topo.getKeyspace(keyspace).value();
        } catch (TopoException e) {
            if (isNoNode(e)) {
                throw notFound("keyspace " + keyspace + " not found");
            }
            throw e;
        }
    }

    Optional<Keyspace> findKeyspace(String keyspace) {
        try {
            return Optional.of(topo.getKeyspace(keyspace).value());
        } catch (TopoException e) {
            if (isNoNode(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    Stored<Shard> shard(String keyspace, String shard) {
        requireName("keyspace", keyspace);
        requireName("shard", shard);
        try {
            return topo.getShard(keyspace, shard);
        } catch (TopoException e) {
            if (isNoNode(e)) {
                keyspace(keyspace); // a missing keyspace is the better message
                throw notFound("shard " + keyspace + "/" + shard + " not found");
            }
            throw e;
        }
    }

    Tablet tablet(dev.mosaic.proto.topo.TabletAlias alias) {
        if (alias == null || alias.getCell().isEmpty()) {
            throw CtldErrors.invalid("a tablet alias (cell and uid) is required");
        }
        TabletAlias a = ProtoConversions.fromProto(alias);
        try {
            return topo.getTablet(a).value();
        } catch (TopoException e) {
            if (isNoNode(e)) {
                throw notFound("tablet " + a + " not found");
            }
            throw e;
        }
    }

    /** Every tablet record of {@code cell}; a record that vanished while listing is skipped. */
    List<Tablet> tabletsInCell(String cell) {
        List<Tablet> out = new ArrayList<>();
        for (TabletAlias alias : topo.getTabletAliasesByCell(cell)) {
            try {
                out.add(topo.getTablet(alias).value());
            } catch (TopoException e) {
                if (!isNoNode(e)) {
                    throw e;
                }
            }
        }
        return out;
    }

    /** Every tablet of every cell, in alias order. */
    List<Tablet> allTablets() {
        List<Tablet> out = new ArrayList<>();
        for (String cell : topo.getCellInfoNames()) {
            out.addAll(tabletsInCell(cell));
        }
        out.sort(BY_ALIAS);
        return out;
    }

    /** The tablets of one shard in every cell, in alias order. */
    List<Tablet> shardTablets(String keyspace, String shard) {
        return allTablets().stream().filter(t -> t.getKeyspace().equals(keyspace) && t.getShard().equals(shard))
                .toList();
    }

    /** The tablet the shard record names primary. */
    Tablet shardPrimary(String keyspace, String shard) {
        Shard s = shard(keyspace, shard).value();
        if (!s.hasPrimaryAlias()) {
            throw CtldErrors.precondition("shard " + keyspace + "/" + shard
                    + " has no primary (run InitShardPrimary first)");
        }
        try {
            return tablet(s.getPrimaryAlias());
        } catch (RuntimeException e) {
            throw CtldErrors.precondition("shard " + keyspace + "/" + shard + " names primary "
                    + ProtoConversions.fromProto(s.getPrimaryAlias()) + " but its tablet record cannot be read: "
                    + e.getMessage());
        }
    }

    static void requireName(String what, String name) {
        if (name == null || name.isEmpty()) {
            throw CtldErrors.invalid(what + " name is required");
        }
    }
}
