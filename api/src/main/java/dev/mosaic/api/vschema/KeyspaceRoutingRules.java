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
 * Keyspace routing rules: Vitess's {@code KeyspaceRoutingRules}, in the JSON form
 * {@code {"rules":[{"from_keyspace":"a","to_keyspace":"b"}]}}.
 *
 * @param rules the rules, in order
 */
public record KeyspaceRoutingRules(List<KeyspaceRoutingRule> rules) {
    private static final String WHAT = "keyspace routing rules";
    /** No rules: {@code {}}. */
    public static final KeyspaceRoutingRules EMPTY = new KeyspaceRoutingRules(List.of());

    /** Copies {@code rules}. */
    public KeyspaceRoutingRules {
        rules = List.copyOf(rules);
    }

    /**
     * Reads the JSON form strictly; not validated.
     *
     * @throws VSchemaException listing every malformed, unknown or mistyped field with its path
     */
    public static KeyspaceRoutingRules fromJson(String json) {
        Decoder d = new Decoder();
        Decoder.Fields f = d.fields(Decoder.parse(WHAT, json), JsonPath.ROOT, Set.of("rules"), Set.of());
        List<KeyspaceRoutingRule> rules = f == null ? List.of() : f.list("rules", (v, p) -> {
            Decoder.Fields r = d.fields(v, p, Set.of("from_keyspace", "to_keyspace"), Set.of());
            return r == null ? null : new KeyspaceRoutingRule(r.string("from_keyspace"), r.string("to_keyspace"));
        });
        d.throwIfErrors(WHAT);
        return new KeyspaceRoutingRules(rules);
    }

    /** The pretty JSON form; {@code rules} omitted when empty, empty strings omitted. */
    public String toJson() {
        return toJsonTree().toPrettyJson();
    }

    /** The JSON form as a tree; see {@link #toJson()}. */
    public JsonObject toJsonTree() {
        JsonObject.Builder b = JsonObject.builder();
        if (!rules.isEmpty()) {
            List<Json> rs = new ArrayList<>();
            for (KeyspaceRoutingRule r : rules) {
                JsonObject.Builder rb = JsonObject.builder();
                if (!r.fromKeyspace().isEmpty()) {
                    rb.put("from_keyspace", r.fromKeyspace());
                }
                if (!r.toKeyspace().isEmpty()) {
                    rb.put("to_keyspace", r.toKeyspace());
                }
                rs.add(rb.build());
            }
            b.put("rules", new JsonArray(rs));
        }
        return b.build();
    }

    /**
     * Checks the rules: both fields set, a valid tablet-type suffix if any, and no keyspace routed
     * twice ({@code $.rules[i].from_keyspace}).
     */
    public List<VSchemaError> validate() {
        List<VSchemaError> errors = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            KeyspaceRoutingRule r = rules.get(i);
            String path = JsonPath.index(JsonPath.member(JsonPath.ROOT, "rules"), i);
            String fromPath = JsonPath.member(path, "from_keyspace");
            ShardRoutingRules.requireSet(r.fromKeyspace(), fromPath, errors);
            ShardRoutingRules.requireSet(r.toKeyspace(), JsonPath.member(path, "to_keyspace"), errors);
            if (!r.fromKeyspace().isEmpty()) {
                TabletTypeSuffix.strip(r.fromKeyspace(), fromPath, errors);
                Integer first = seen.putIfAbsent(r.fromKeyspace(), i);
                if (first != null) {
                    errors.add(new VSchemaError(fromPath, "duplicate rule for keyspace " + r.fromKeyspace()
                            + " (first at $.rules[" + first + "])"));
                }
            }
        }
        return List.copyOf(errors);
    }

    /**
     * Returns these rules if {@link #validate()} finds no problem.
     *
     * @throws VSchemaException ({@code INVALID_ARGUMENT}) listing every problem
     */
    public KeyspaceRoutingRules requireValid() {
        List<VSchemaError> errors = validate();
        if (!errors.isEmpty()) {
            throw new VSchemaException(WHAT, errors);
        }
        return this;
    }
}
