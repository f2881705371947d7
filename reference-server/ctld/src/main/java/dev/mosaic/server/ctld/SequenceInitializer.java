package dev.mosaic.server.ctld;

import static dev.mosaic.server.ctld.CtldErrors.isNoNode;
import static dev.mosaic.server.ctld.CtldErrors.notFound;
import static dev.mosaic.server.ctld.CtldErrors.precondition;

import com.google.protobuf.ByteString;
import dev.mosaic.api.vschema.AutoIncrementDef;
import dev.mosaic.api.vschema.KeyspaceVSchema;
import dev.mosaic.api.vschema.TableDef;
import dev.mosaic.api.vschema.TableType;
import dev.mosaic.proto.query.QueryResult;
import dev.mosaic.proto.query.Rows;
import dev.mosaic.proto.tabletmanager.ExecuteFetchAsDbaRequest;
import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.proto.vtctldata.InitializeSequencesRequest;
import dev.mosaic.proto.vtctldata.InitializeSequencesResponse;
import dev.mosaic.proto.vtctldata.SequenceState;
import dev.mosaic.server.topo.ActionLock;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.spi.topo.TopoException;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * InitializeSequences (Mosaic): for each table of a keyspace's vschema with an
 * {@code auto_increment}, creates its sequence table on the sequence keyspace's primary (Vitess's
 * layout) if missing, and moves the sequence's {@code next_id} past the highest value the column
 * already holds on any shard. {@code next_id} is only ever raised (a concurrent gate may have
 * handed out ids beyond it), so the verb is safe to repeat.
 */
final class SequenceInitializer {
    /** Rows a gate reserves per round trip when the request names no cache (Vitess examples use 1000). */
    static final long DEFAULT_CACHE = 1000;

    private record Target(String table, String column, String sequenceKeyspace, String sequenceTable) {
    }

    private final TopoServer topo;
    private final TopologyReads reads;
    private final TabletManagerClients tablets;

    SequenceInitializer(TopologyReads reads, TabletManagerClients tablets) {
        this.topo = reads.topo();
        this.reads = reads;
        this.tablets = tablets;
    }

    InitializeSequencesResponse initialize(InitializeSequencesRequest req) {
        String ks = req.getKeyspace();
        reads.keyspace(ks);
        long cache = req.getCache() == 0 ? DEFAULT_CACHE : req.getCache();
        if (cache < 0) { // uint64 above Long.MAX_VALUE
            throw CtldErrors.invalid("cache " + Long.toUnsignedString(req.getCache()) + " is too large");
        }
        KeyspaceVSchema vschema = vschema(ks);
        List<Target> targets = new ArrayList<>();
        for (Map.Entry<String, TableDef> t : vschema.tables().entrySet()) {
            Optional<AutoIncrementDef> ai = t.getValue().autoIncrement();
            if (ai.isPresent()) {
                targets.add(resolve(ks, t.getKey(), ai.get()));
            }
        }
        InitializeSequencesResponse.Builder out = InitializeSequencesResponse.newBuilder();
        // The sharded keyspace's lock keeps two initializations from interleaving; raising next_id
        // is safe against gates without it.
        try (ActionLock lock = topo.lockKeyspace(ks, "InitializeSequences")) {
            for (Target target : targets) {
                lock.check();
                out.addSequences(initialize(ks, target, cache));
            }
        }
        return out.build();
    }

    private KeyspaceVSchema vschema(String ks) {
        try {
            return topo.getVSchema(ks);
        } catch (TopoException e) {
            if (isNoNode(e)) {
                throw notFound("keyspace " + ks + " has no vschema");
            }
            throw e;
        }
    }

    /** The sequence table an auto_increment names: {@code ks.seq}, or the unsharded keyspace declaring it. */
    private Target resolve(String ks, String table, AutoIncrementDef ai) {
        String what = "auto_increment of " + ks + "." + table + "." + ai.column();
        String seq = ai.sequence().replace("`", "");
        int dot = seq.indexOf('.');
        if (dot >= 0) {
            String seqKs = seq.substring(0, dot);
            if (reads.findKeyspace(seqKs).isEmpty()) {
                throw notFound(what + " names sequence " + seq + ", but keyspace " + seqKs + " does not exist");
            }
            return new Target(table, ai.column(), seqKs, seq.substring(dot + 1));
        }
        List<String> declaring = new ArrayList<>();
        for (String other : topo.getKeyspaceNames()) {
            KeyspaceVSchema v;
            try {
                v = topo.getVSchema(other);
            } catch (TopoException e) {
                if (isNoNode(e)) {
                    continue;
                }
                throw e;
            }
            TableDef def = v.tables().get(seq);
            if (!v.sharded() && def != null && def.type() == TableType.SEQUENCE) {
                declaring.add(other);
            }
        }
        if (declaring.isEmpty()) {
            throw precondition(what + " names sequence " + seq + ", but no unsharded keyspace's vschema declares a "
                    + "table " + seq + " with type \"sequence\"");
        }
        if (declaring.size() > 1) {
            throw precondition(what + " names sequence " + seq + ", which several unsharded keyspaces declare "
                    + declaring + "; qualify it as keyspace." + seq);
        }
        return new Target(table, ai.column(), declaring.get(0), seq);
    }

    private SequenceState initialize(String ks, Target t, long cache) {
        List<String> seqShards = topo.getShardNames(t.sequenceKeyspace());
        if (seqShards.size() != 1) {
            throw precondition("sequence keyspace " + t.sequenceKeyspace() + " must have exactly one shard, it has "
                    + seqShards.size() + " " + seqShards);
        }
        Tablet seqPrimary = reads.shardPrimary(t.sequenceKeyspace(), seqShards.get(0));
        String seqTable = quote(t.sequenceTable());
        String seqName = t.sequenceKeyspace() + "." + t.sequenceTable();

        boolean tableExisted = !fetch(seqPrimary, "SELECT 1 FROM information_schema.tables WHERE table_schema = "
                + "DATABASE() AND table_name = '" + t.sequenceTable().replace("'", "''") + "'", seqName).isEmpty();
        if (!tableExisted) {
            fetch(seqPrimary, "CREATE TABLE IF NOT EXISTS " + seqTable + " (id int, next_id bigint, cache bigint, "
                    + "primary key(id)) comment 'vitess_sequence'", seqName);
        }

        long max = 0;
        for (String shard : topo.getShardNames(ks)) {
            Tablet primary = reads.shardPrimary(ks, shard);
            List<List<byte[]>> rows = fetch(primary, "SELECT MAX(" + quote(t.column()) + ") FROM " + quote(t.table()),
                    ks + "/" + shard + " table " + t.table());
            byte[] v = rows.isEmpty() ? null : rows.get(0).get(0);
            if (v != null) {
                String text = new String(v, StandardCharsets.UTF_8);
                try {
                    max = Math.max(max, Long.parseLong(text));
                } catch (NumberFormatException e) {
                    throw precondition("column " + ks + "." + t.table() + "." + t.column() + " on shard " + shard
                            + " holds " + text + ", which is not an integer; it cannot feed a sequence");
                }
            }
        }
        long next = Math.max(1, max + 1);

        OptionalLong before = nextId(seqPrimary, seqTable, seqName);
        fetch(seqPrimary, "INSERT INTO " + seqTable + " (id, next_id, cache) VALUES (0, " + next + ", " + cache
                + ") ON DUPLICATE KEY UPDATE next_id = GREATEST(next_id, VALUES(next_id)), cache = VALUES(cache)",
                seqName);
        long after = nextId(seqPrimary, seqTable, seqName).orElseThrow(() -> precondition(
                "sequence " + seqName + " has no row id=0 right after it was written"));
        return SequenceState.newBuilder().setSequence(seqName).setColumn(ks + "." + t.table() + "." + t.column())
                .setNextId(after).setCreatedTable(!tableExisted).setCreatedRow(before.isEmpty()).build();
    }

    private OptionalLong nextId(Tablet primary, String seqTable, String seqName) {
        List<List<byte[]>> rows = fetch(primary, "SELECT next_id FROM " + seqTable + " WHERE id = 0", seqName);
        if (rows.isEmpty() || rows.get(0).get(0) == null) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(new String(rows.get(0).get(0), StandardCharsets.UTF_8)));
    }

    private List<List<byte[]>> fetch(Tablet tablet, String sql, String context) {
        QueryResult r;
        try {
            r = tablets.call(tablet, "ExecuteFetchAsDba", s -> s.executeFetchAsDba(ExecuteFetchAsDbaRequest.newBuilder()
                    .setQuery(ByteString.copyFrom(sql, StandardCharsets.UTF_8)).setMaxRows(10).build())).getResult();
        } catch (StatusRuntimeException e) {
            throw e.getStatus().withDescription(context + ": " + e.getStatus().getDescription()).asRuntimeException();
        }
        List<List<byte[]>> rows = new ArrayList<>();
        r.getRowsList().forEach(row -> rows.add(Rows.decode(row)));
        return rows;
    }

    private static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
