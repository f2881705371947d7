package dev.mosaic.api.vschema;

import dev.mosaic.api.json.Json;
import dev.mosaic.api.json.JsonArray;
import dev.mosaic.api.json.JsonObject;
import dev.mosaic.api.json.JsonPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Table routing rules: Vitess's {@code RoutingRules}, in the JSON form of
 * {@code vtctldclient ApplyRoutingRules}: {@code {"rules":[{"from_table":"t","to_tables":["ks.t"]}]}}.
 *
 * @param rules the rules, in order
 */
public record RoutingRules(List<RoutingRule> rules) {
    private static final String WHAT = "routing rules";
    /** No rules: {@code {}}. */
    public static final RoutingRules EMPTY = new RoutingRules(List.of());

    /** Copies {@code rules}. */
    public RoutingRules {
        rules = List.copyOf(rules);
    }

    /**
     * Reads the JSON form strictly (snake_case or lowerCamelCase names, {@code null} as default); not
     * validated.
     *
     * @throws VSchemaException listing every malformed, unknown or mistyped field with its path
     */
    public static RoutingRules fromJson(String json) {
        Decoder d = new Decoder();
        Decoder.Fields f = d.fields(Decoder.parse(WHAT, json), JsonPath.ROOT, Set.of("rules"), Set.of());
        List<RoutingRule> rules = f == null ? List.of() : f.list("rules", (v, p) -> {
            Decoder.Fields r = d.fields(v, p, Set.of("from_table", "to_tables"), Set.of());
            return r == null ? null : new RoutingRule(r.string("from_table"), r.strings("to_tables"));
        });
        d.throwIfErrors(WHAT);
        return new RoutingRules(rules);
    }

    /** The pretty JSON form; {@code rules} omitted when empty, {@code to_tables} always written. */
    public String toJson() {
        return toJsonTree().toPrettyJson();
    }

    /** The JSON form as a tree; see {@link #toJson()}. */
    public JsonObject toJsonTree() {
        JsonObject.Builder b = JsonObject.builder();
        if (!rules.isEmpty()) {
            List<Json> rs = new ArrayList<>();
            for (RoutingRule r : rules) {
                rs.add(JsonObject.builder().put("from_table", r.fromTable())
                        .put("to_tables", Json.ofStrings(r.toTables())).build());
            }
            b.put("rules", new JsonArray(rs));
        }
        return b.build();
    }

    /**
     * Checks the rules and returns every problem, in order: {@code from_table} empty, malformed or
     * given twice ({@code $.rules[i].from_table}); more than one target; a target that is not
     * {@code keyspace.table} ({@code $.rules[i].to_tables[j]}). Whether targets exist is the server's
     * business.
     */
    public List<VSchemaError> validate() {
        List<VSchemaError> errors = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            RoutingRule r = rules.get(i);
            String path = JsonPath.index(JsonPath.member(JsonPath.ROOT, "rules"), i);
            String fromPath = JsonPath.member(path, "from_table");
            if (r.fromTable().isEmpty()) {
                errors.add(new VSchemaError(fromPath, "from_table is empty"));
            } else {
                String table = TabletTypeSuffix.strip(r.fromTable(), fromPath, errors);
                if (table != null) {
                    KeyspaceValidator.checkTableName(table, true, fromPath, "invalid from_table", errors);
                }
                Integer first = seen.putIfAbsent(r.fromTable(), i);
                if (first != null) {
                    errors.add(new VSchemaError(fromPath, "duplicate rule for entry " + r.fromTable()
                            + " (first at $.rules[" + first + "])"));
                }
            }
            String toPath = JsonPath.member(path, "to_tables");
            if (r.toTables().size() > 1) {
                errors.add(new VSchemaError(toPath, "table " + r.fromTable() + " has more than one target: " + r.toTables()));
            }
            for (int j = 0; j < r.toTables().size(); j++) {
                KeyspaceValidator.checkTableName(r.toTables().get(j), false, JsonPath.index(toPath, j),
                        "invalid to_tables entry", errors);
            }
        }
        return List.copyOf(errors);
    }

    /**
     * Returns these rules if {@link #validate()} finds no problem.
     *
     * @throws VSchemaException ({@code INVALID_ARGUMENT}) listing every problem
     */
    public RoutingRules requireValid() {
        List<VSchemaError> errors = validate();
        if (!errors.isEmpty()) {
            throw new VSchemaException(WHAT, errors);
        }
        return this;
    }
}
