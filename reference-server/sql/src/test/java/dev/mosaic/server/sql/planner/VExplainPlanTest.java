package dev.mosaic.server.sql.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.json.Json;
import dev.mosaic.api.json.JsonArray;
import dev.mosaic.api.json.JsonObject;
import dev.mosaic.api.json.JsonString;
import dev.mosaic.server.sql.normalize.NormalizedStatement;
import dev.mosaic.server.sql.normalize.Normalizer;
import dev.mosaic.server.sql.parse.ParsedStatement;
import dev.mosaic.server.sql.parse.SqlParser;
import dev.mosaic.server.sql.plan.Plan;
import dev.mosaic.server.sql.plan.PlanDescription;
import dev.mosaic.server.sql.plan.Primitive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The JSON {@code VEXPLAIN PLAN} answers, case by case from {@code src/test/resources/vexplain/plan.json}
 * (planner-corpus style: a query and session keyspace in; {@code kind} and {@code plan}, or an
 * {@code error}, out), over the planner corpus's vschema. Each case also checks that the explained
 * plan is exactly the plan of the statement without the prefix. Run with
 * {@code -Dvexplain.update=true} to rewrite the expected outputs (then review the diff).
 */
class VExplainPlanTest {

    static JsonObject outcome(VSchemaSnapshot vschema, String query, String keyspace) {
        JsonObject.Builder b = JsonObject.builder();
        try {
            ParsedStatement st = SqlParser.parse(query);
            ParsedStatement.VExplain v = assertInstanceOf(ParsedStatement.VExplain.class, st);
            NormalizedStatement n = v.statement() instanceof ParsedStatement.Ast a ? Normalizer.normalize(a.statement()) : null;
            Planner.Session session = new Planner.Session(keyspace, "primary");
            Plan plan = Planner.plan(st, n, session, vschema);
            Primitive.VExplain root = assertInstanceOf(Primitive.VExplain.class, plan.root());
            assertEquals(v.kind(), root.kind());
            // Planning rewrites the statement's AST: plan the inner statement from a fresh parse.
            ParsedStatement again = ((ParsedStatement.VExplain) SqlParser.parse(query)).statement();
            NormalizedStatement n2 = again instanceof ParsedStatement.Ast a ? Normalizer.normalize(a.statement()) : null;
            Plan inner = Planner.plan(again, n2, session, vschema);
            assertEquals(inner.root(), root.input(), "VEXPLAIN explains the statement's own plan");
            b.put("kind", root.kind().name());
            b.put("plan", PlanDescription.vexplain(root.input(), ks -> vschema.keyspace(ks).orElseThrow().sharded()));
        } catch (MosaicException e) {
            b.put("error", e.getMessage());
        }
        return b.build();
    }

    @Test
    void cases() throws Exception {
        VSchemaSnapshot vschema = PlannerCorpusTest.vschema();
        Path file = Path.of(Objects.requireNonNull(getClass().getClassLoader().getResource("vexplain/plan.json")).toURI());
        JsonArray cases = (JsonArray) Json.parse(Files.readString(file));
        boolean update = Boolean.getBoolean("vexplain.update");
        List<String> mismatches = new ArrayList<>();
        List<Json> updated = new ArrayList<>();
        for (Json c : cases.elements()) {
            JsonObject obj = (JsonObject) c;
            String query = ((JsonString) obj.get("query").orElseThrow()).value();
            String keyspace = ((JsonString) obj.get("keyspace").orElseThrow()).value();
            JsonObject got = outcome(vschema, query, keyspace);
            JsonObject.Builder expected = JsonObject.builder();
            JsonObject.Builder u = JsonObject.builder();
            obj.members().forEach((k, v) -> {
                if (List.of("kind", "plan", "error").contains(k)) {
                    expected.put(k, v);
                } else {
                    u.put(k, v);
                }
            });
            if (!expected.build().equals(got)) {
                mismatches.add(obj.get("comment").orElseThrow() + "\n  query:    " + query + "\n  expected: "
                        + expected.build().toJson() + "\n  got:      " + got.toJson());
            }
            got.members().forEach(u::put);
            updated.add(u.build());
        }
        if (update) {
            Files.writeString(Path.of("src/test/resources/vexplain/plan.json"), new JsonArray(updated).toPrettyJson() + "\n");
            return;
        }
        assertTrue(cases.size() >= 15, "cases: " + cases.size());
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + " of " + cases.size() + " VEXPLAIN cases differ:\n" + String.join("\n", mismatches));
        }
    }
}
