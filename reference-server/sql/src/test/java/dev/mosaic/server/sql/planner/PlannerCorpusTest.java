package dev.mosaic.server.sql.planner;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.json.Json;
import dev.mosaic.api.json.JsonArray;
import dev.mosaic.api.json.JsonNumber;
import dev.mosaic.api.json.JsonObject;
import dev.mosaic.api.json.JsonString;
import dev.mosaic.api.key.KeyRange;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.Value;
import dev.mosaic.api.vschema.KeyspaceVSchema;
import dev.mosaic.api.vschema.RoutingRules;
import dev.mosaic.server.sql.exec.SequenceBinder;
import dev.mosaic.server.sql.exec.ShardResolver;
import dev.mosaic.server.sql.exec.ShardTarget;
import dev.mosaic.server.sql.normalize.NormalizedStatement;
import dev.mosaic.server.sql.normalize.Normalizer;
import dev.mosaic.server.sql.parse.ParsedStatement;
import dev.mosaic.server.sql.parse.SqlParser;
import dev.mosaic.server.sql.plan.Plan;
import dev.mosaic.server.sql.plan.PlanDescription;
import dev.mosaic.server.sql.plan.Primitive;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.vindex.VindexCursor;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs every case of {@code src/test/resources/planner/*.json} (except {@code vschema.json}): a
 * query and session keyspace in; the plan description (or an error), and the shards the plan
 * reaches with two and with four shards per sharded keyspace, out. Shards are computed with the
 * real vindexes of impl-vindex. Every mismatch is reported with its file and case name.
 *
 * <p>Run with {@code -Dplanner.update=true} to rewrite the expected outputs from the planner (then
 * review the diff, as with Vitess's plan tests).
 */
public class PlannerCorpusTest {
    private static final List<ShardTarget> UNSHARDED = List.of(ShardTarget.named("0"));

    public static VSchemaSnapshot vschema() {
        JsonObject root = (JsonObject) Json.parse(resource("planner/vschema.json"));
        Map<String, KeyspaceVSchema> kss = new LinkedHashMap<>();
        ((JsonObject) root.get("keyspaces").orElseThrow()).members()
                .forEach((name, ks) -> kss.put(name, KeyspaceVSchema.fromJson(ks.toJson())));
        RoutingRules rules = RoutingRules.fromJson(root.get("routing_rules").orElseThrow().toJson());
        return VSchemaSnapshot.build(kss, rules, Plugins.load(PlannerCorpusTest.class.getClassLoader()));
    }

    private static String resource(String name) {
        try (InputStream in = PlannerCorpusTest.class.getClassLoader().getResourceAsStream(name)) {
            return new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Plans one case and describes the outcome as the corpus records it. */
    public static JsonObject outcome(VSchemaSnapshot vschema, String query, String keyspace, String tabletType) {
        return outcome(vschema, query, keyspace, tabletType, List.of());
    }

    /**
     * Plans one case of a prepared statement ({@code ?} parameters) and describes the outcome, the
     * shards being those the plan reaches with {@code params} bound as {@code :v1 .. :vN}.
     */
    public static JsonObject outcome(VSchemaSnapshot vschema, String query, String keyspace, String tabletType,
            List<Value> params) {
        JsonObject.Builder b = JsonObject.builder();
        try {
            ParsedStatement st = SqlParser.parse(query);
            NormalizedStatement n = st instanceof ParsedStatement.Ast a ? Normalizer.normalize(a.statement()) : null;
            Plan plan = Planner.plan(st, n, new Planner.Session(keyspace, tabletType), vschema);
            b.put("plan", PlanDescription.describe(plan.root()));
            BindVariables bv = n == null ? BindVariables.EMPTY : n.bindVars();
            int paramCount = n == null ? 0 : n.paramCount();
            if (paramCount != params.size()) {
                b.put("error", "the case gives " + params.size() + " params for " + paramCount + " parameters");
                return b.build();
            }
            for (int i = 0; i < params.size(); i++) {
                bv = bv.with(Normalizer.parameterName(i + 1), params.get(i));
            }
            Primitive leaf = leaf(plan.root());
            for (int count : new int[]{2, 4}) {
                List<String> shards = shards(vschema, leaf, bv, count);
                if (shards != null) {
                    b.put("shards" + count, Json.ofStrings(shards));
                }
            }
        } catch (MosaicException e) {
            b.put("error", e.getMessage());
        } catch (RuntimeException e) {
            b.put("error", "BUG " + e);
        }
        return b.build();
    }

    private static Primitive leaf(Primitive p) {
        if (p instanceof Primitive.Limit l) {
            return leaf(l.input());
        }
        if (p instanceof Primitive.Aggregate a) {
            return leaf(a.input());
        }
        if (p instanceof Primitive.Distinct d) {
            return leaf(d.input());
        }
        if (p instanceof Primitive.MemorySort m) {
            return leaf(m.input());
        }
        return p;
    }

    private static List<ShardTarget> layout(VSchemaSnapshot vschema, String ks, int count) {
        if (!vschema.keyspace(ks).orElseThrow().sharded()) {
            return UNSHARDED;
        }
        List<ShardTarget> out = new ArrayList<>();
        List<String> names = KeyRange.splitNames(count);
        for (String name : names) {
            out.add(ShardTarget.named(name));
        }
        return out;
    }

    /**
     * The lookup tables of the test vschema, as a cursor: {@code cuser_email_lkp} maps
     * {@code a@x} to keyspace id {@code 10..} and {@code b@x} to {@code c0..}; {@code cuser_phone_lkp}
     * maps {@code 555} to both. Other values are not in the tables.
     */
    static final VindexCursor LOOKUPS = new FixedLookups(Map.of(
            "commerce.cuser_email_lkp", Map.of("a@x", List.of(ksid(0x10)), "b@x", List.of(ksid(0xc0))),
            "commerce.cuser_phone_lkp", Map.of("555", List.of(ksid(0x10), ksid(0xc0)))));

    private static byte[] ksid(int first) {
        return new byte[] {(byte) first, 1, 2, 3, 4, 5, 6, 7};
    }

    private record FixedLookups(Map<String, Map<String, List<byte[]>>> tables) implements VindexCursor {
        @Override
        public List<List<List<Value>>> select(String table, List<String> keyColumns, List<List<Value>> keys,
                                              List<String> resultColumns, ReadLock lock, CommitOrder order) {
            Map<String, List<byte[]>> rows = tables.getOrDefault(table, Map.of());
            List<List<List<Value>>> out = new ArrayList<>();
            for (List<Value> key : keys) {
                String k = new String(key.get(0).toBytes(), java.nio.charset.StandardCharsets.UTF_8);
                out.add(rows.getOrDefault(k, List.of()).stream().map(b -> List.<Value>of(Value.of(b))).toList());
            }
            return out;
        }

        @Override
        public List<List<List<Value>>> selectAt(dev.mosaic.api.key.KeyspaceId ksid, String table, List<String> keyColumns,
                                                List<List<Value>> keys, List<String> resultColumns, ReadLock lock,
                                                CommitOrder order) {
            return select(table, keyColumns, keys, resultColumns, lock, order);
        }

        @Override
        public void insert(String table, List<String> columns, List<List<Value>> rows, OnDuplicate onDuplicate,
                           CommitOrder order) {
            throw new UnsupportedOperationException("the planner corpus only reads lookup tables");
        }

        @Override
        public void delete(String table, List<String> keyColumns, List<Value> key, CommitOrder order) {
            throw new UnsupportedOperationException("the planner corpus only reads lookup tables");
        }

        @Override
        public void update(String table, List<String> setColumns, List<Value> setValues, List<String> keyColumns,
                           List<Value> key, CommitOrder order) {
            throw new UnsupportedOperationException("the planner corpus only reads lookup tables");
        }

        @Override
        public boolean inTransactionAndIsDml() {
            return false;
        }

        @Override
        public CommitOrder lookupRowLockShardSession() {
            return CommitOrder.PRE;
        }
    }

    private static List<String> shards(VSchemaSnapshot vschema, Primitive p, BindVariables bv, int count) {
        List<ShardTarget> targets;
        if (p instanceof Primitive.Route r) {
            targets = ShardResolver.resolve(r.routing(), bv, layout(vschema, r.routing().keyspace(), count), LOOKUPS);
        } else if (p instanceof Primitive.Dml d) {
            targets = ShardResolver.resolve(d.routing(), bv, layout(vschema, d.routing().keyspace(), count), LOOKUPS);
        } else if (p instanceof Primitive.Insert i) {
            BindVariables withSeq = i.autoIncrement().isPresent()
                    ? SequenceBinder.bind(i.autoIncrement().get(), bv, new long[]{1000}) : bv;
            targets = ShardResolver.splitInsert(i, withSeq, layout(vschema, i.routing().keyspace(), count), VindexCursor.NONE)
                    .stream().map(ShardResolver.ShardInsert::shard).toList();
        } else if (p instanceof Primitive.Send s) {
            List<ShardTarget> all = layout(vschema, s.keyspace(), count);
            targets = s.target() == Primitive.SendTarget.ALL_SHARDS ? all : all.subList(0, 1);
        } else {
            return null;
        }
        return targets.stream().map(ShardTarget::name).toList();
    }

    public static List<Path> caseFiles() throws IOException, URISyntaxException {
        Path dir = Path.of(Objects.requireNonNull(PlannerCorpusTest.class.getClassLoader().getResource("planner/vschema.json")).toURI())
                .getParent();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".json") && !p.getFileName().toString().equals("vschema.json")).sorted().toList();
        }
    }

    @Test
    void corpus() throws Exception {
        VSchemaSnapshot vschema = vschema();
        boolean update = Boolean.getBoolean("planner.update");
        List<String> mismatches = new ArrayList<>();
        int total = 0;
        for (Path file : caseFiles()) {
            JsonArray cases = (JsonArray) Json.parse(Files.readString(file));
            List<Json> updated = new ArrayList<>();
            for (Json c : cases.elements()) {
                JsonObject obj = (JsonObject) c;
                total++;
                String name = str(obj, "comment");
                String query = str(obj, "query");
                String keyspace = obj.get("keyspace").map(k -> ((JsonString) k).value()).orElse(null);
                String tabletType = obj.get("tablet_type").map(k -> ((JsonString) k).value()).orElse("primary");
                List<Value> params = obj.get("params").map(PlannerCorpusTest::params).orElse(List.of());
                JsonObject got = outcome(vschema, query, keyspace, tabletType, params);
                JsonObject.Builder expected = JsonObject.builder();
                for (String k : List.of("plan", "error", "shards2", "shards4")) {
                    obj.get(k).ifPresent(v -> expected.put(k, v));
                }
                if (!expected.build().equals(got)) {
                    mismatches.add(file.getFileName() + " / " + name + "\n  query:    " + query + "\n  expected: "
                            + expected.build().toJson() + "\n  got:      " + got.toJson());
                }
                JsonObject.Builder u = JsonObject.builder();
                obj.members().forEach((k, v) -> {
                    if (!List.of("plan", "error", "shards2", "shards4").contains(k)) {
                        u.put(k, v);
                    }
                });
                got.members().forEach(u::put);
                updated.add(u.build());
            }
            if (update) {
                Path src = Path.of("src/test/resources/planner").resolve(file.getFileName());
                Files.writeString(src, new JsonArray(updated).toPrettyJson() + "\n");
            }
        }
        assertTrue(total >= 150, "the corpus should hold at least 150 cases, has " + total);
        if (!mismatches.isEmpty() && !update) {
            fail(mismatches.size() + " of " + total + " planner cases differ:\n" + String.join("\n", mismatches));
        }
    }

    /** A case's {@code params}: JSON integers, strings and null as INT64, VARCHAR and NULL values. */
    private static List<Value> params(Json array) {
        List<Value> out = new ArrayList<>();
        for (Json j : ((JsonArray) array).elements()) {
            if (j instanceof JsonNumber num) {
                out.add(Value.of(num.longValueExact()));
            } else if (j instanceof JsonString str) {
                out.add(Value.of(str.value()));
            } else {
                out.add(Value.NULL);
            }
        }
        return out;
    }

    private static String str(JsonObject o, String key) {
        return ((JsonString) o.get(key).orElseThrow(() -> new IllegalArgumentException("case without " + key + ": " + o))).value();
    }
}
