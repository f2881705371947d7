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
 * Shard routing rules: Vitess's {@code ShardRoutingRules}, in the JSON form of
 * {@code vtctldclient ApplyShardRoutingRules}:
 * {@code {"rules":[{"from_keyspace":"a","to_keyspace":"b","shard":"-80"}]}}.
 *
 * @param rules the rules, in order
 */
public record ShardRoutingRules(List<ShardRoutingRule> rules) {
    private static final String WHAT = "shard routing rules";
    /** No rules: {@code {}}. */
    public static final ShardRoutingRules EMPTY = new ShardRoutingRules(List.of());

    /** Copies {@code rules}. */
    public ShardRoutingRules {
        rules = List.copyOf(rules);
    }

    /**
     * Reads the JSON form strictly; not validated.
     *
     * @throws VSchemaException listing every malformed, unknown or mistyped field with its path
     */
    public static ShardRoutingRules fromJson(String json) {
        Decoder d = new Decoder();
        Decoder.Fields f = d.fields(Decoder.parse(WHAT, json), JsonPath.ROOT, Set.of("rules"), Set.of());
        List<ShardRoutingRule> rules = f == null ? List.of() : f.list("rules", (v, p) -> {
            Decoder.Fields r = d.fields(v, p, Set.of("from_keyspace", "to_keyspace", "shard"), Set.of());
            return r == null ? null : new ShardRoutingRule(r.string("from_keyspace"), r.string("to_keyspace"), r.string("shard"));
        });
        d.throwIfErrors(WHAT);
        return new ShardRoutingRules(rules);
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
            for (ShardRoutingRule r : rules) {
                JsonObject.Builder rb = JsonObject.builder();
                putIfSet(rb, "from_keyspace", r.fromKeyspace());
                putIfSet(rb, "to_keyspace", r.toKeyspace());
                putIfSet(rb, "shard", r.shard());
                rs.add(rb.build());
            }
            b.put("rules", new JsonArray(rs));
        }
        return b.build();
    }

    private static void putIfSet(JsonObject.Builder b, String key, String value) {
        if (!value.isEmpty()) {
            b.put(key, value);
        }
    }

    /**
     * Checks the rules: every field set, source and target keyspaces differ, and no two rules for
     * the same keyspace and shard ({@code $.rules[i].shard}).
     */
    public List<VSchemaError> validate() {
        List<VSchemaError> errors = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            ShardRoutingRule r = rules.get(i);
            String path = JsonPath.index(JsonPath.member(JsonPath.ROOT, "rules"), i);
            requireSet(r.fromKeyspace(), JsonPath.member(path, "from_keyspace"), errors);
            requireSet(r.toKeyspace(), JsonPath.member(path, "to_keyspace"), errors);
            requireSet(r.shard(), JsonPath.member(path, "shard"), errors);
            if (!r.fromKeyspace().isEmpty() && r.fromKeyspace().equals(r.toKeyspace())) {
                errors.add(new VSchemaError(JsonPath.member(path, "to_keyspace"), "rule routes keyspace " + r.fromKeyspace() + " to itself"));
            }
            Integer first = seen.putIfAbsent(r.fromKeyspace() + "." + r.shard(), i);
            if (first != null) {
                errors.add(new VSchemaError(JsonPath.member(path, "shard"), "duplicate rule for shard "
                        + r.fromKeyspace() + "/" + r.shard() + " (first at $.rules[" + first + "])"));
            }
        }
        return List.copyOf(errors);
    }

    static void requireSet(String value, String path, List<VSchemaError> errors) {
        if (value.isEmpty()) {
            errors.add(new VSchemaError(path, "must not be empty"));
        }
    }

    /**
     * Returns these rules if {@link #validate()} finds no problem.
     *
     * @throws VSchemaException ({@code INVALID_ARGUMENT}) listing every problem
     */
    public ShardRoutingRules requireValid() {
        List<VSchemaError> errors = validate();
        if (!errors.isEmpty()) {
            throw new VSchemaException(WHAT, errors);
        }
        return this;
    }
}
