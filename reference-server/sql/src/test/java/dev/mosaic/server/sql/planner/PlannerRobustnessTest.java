package dev.mosaic.server.sql.planner;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.json.Json;
import dev.mosaic.api.json.JsonArray;
import dev.mosaic.api.json.JsonObject;
import dev.mosaic.api.json.JsonString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every corpus query planned from every session (no keyspace, each keyspace, primary and replica):
 * the planner either plans it or rejects it with a {@code MosaicException}, never with another
 * exception (a bug), whatever the session.
 */
class PlannerRobustnessTest {
    @Test
    void everyQueryFromEverySessionPlansOrFailsCleanly() throws Exception {
        VSchemaSnapshot vschema = PlannerCorpusTest.vschema();
        List<String> sessions = new ArrayList<>(Arrays.asList((String) null));
        sessions.addAll(vschema.keyspaces().keySet());
        List<String> bugs = new ArrayList<>();
        int runs = 0;
        for (Path file : PlannerCorpusTest.caseFiles()) {
            for (Json c : ((JsonArray) Json.parse(Files.readString(file))).elements()) {
                String query = ((JsonString) ((JsonObject) c).get("query").orElseThrow()).value();
                for (String ks : sessions) {
                    for (String type : List.of("primary", "replica")) {
                        runs++;
                        JsonObject out = PlannerCorpusTest.outcome(vschema, query, ks, type);
                        String error = out.get("error").map(e -> ((JsonString) e).value()).orElse("");
                        if (error.startsWith("BUG ")) {
                            bugs.add("[" + ks + "@" + type + "] " + query + " -> " + error);
                        }
                    }
                }
            }
        }
        assertTrue(runs > 1000, "ran " + runs);
        assertTrue(bugs.isEmpty(), bugs.size() + " queries failed with an unexpected exception:\n" + String.join("\n", bugs));
    }
}
