package dev.mosaic.server.tablet.acl;

import dev.mosaic.api.json.Json;
import dev.mosaic.api.json.JsonArray;
import dev.mosaic.api.json.JsonException;
import dev.mosaic.api.json.JsonNull;
import dev.mosaic.api.json.JsonObject;
import dev.mosaic.api.json.JsonPath;
import dev.mosaic.api.json.JsonString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A table ACL file in Vitess's JSON format (the protojson form of {@code tableacl.Config}):
 *
 * <pre>{@code
 * {"table_groups": [
 *   {"name": "orders", "table_names_or_prefixes": ["orders", "order_items%"],
 *    "readers": ["app", "analytics"], "writers": ["app"], "admins": ["dba"]}
 * ]}
 * }</pre>
 *
 * <p>Reading is strict: an unknown field, a value of the wrong type, a {@code %} anywhere but at the
 * end of a table name, or two entries that could match the same table (two equal names, a name and a
 * prefix of it, two prefixes one of which extends the other) is an error naming the JSON path. As
 * in protojson, fields may also be spelled in lowerCamelCase, and {@code null} means the default
 * (empty).
 *
 * @param tableGroups the groups, in file order
 */
public record TableAclConfig(List<TableGroup> tableGroups) {
    /** A config with no groups. */
    public static final TableAclConfig EMPTY = new TableAclConfig(List.of());

    private static final String GROUPS = "table_groups";
    private static final List<String> GROUP_FIELDS = List.of("name", "table_names_or_prefixes", "readers", "writers", "admins");

    /** Copies the list and checks that the entries are consistent. */
    public TableAclConfig {
        tableGroups = List.copyOf(tableGroups);
        List<TableAclConfigException.Problem> problems = new ArrayList<>();
        checkEntries(tableGroups, problems);
        if (!problems.isEmpty()) {
            throw new TableAclConfigException("(built in code)", problems);
        }
    }

    /**
     * Reads a config from JSON text.
     *
     * @param source what the text is, for messages (usually the file name)
     * @throws TableAclConfigException listing every problem with its JSON path
     */
    public static TableAclConfig parse(String source, String text) {
        Json root;
        try {
            root = Json.parse(text);
        } catch (JsonException e) {
            throw new TableAclConfigException(source, List.of(new TableAclConfigException.Problem(e.path(),
                    "malformed JSON at line " + e.line() + ", column " + e.column() + ": " + e.reason())));
        }
        List<TableAclConfigException.Problem> problems = new ArrayList<>();
        List<TableGroup> groups = new ArrayList<>();
        Map<String, Json> fields = fields(root, JsonPath.ROOT, List.of(GROUPS), problems);
        Json groupsJson = fields.get(GROUPS);
        String groupsPath = JsonPath.member(JsonPath.ROOT, GROUPS);
        if (groupsJson instanceof JsonArray array) {
            for (int i = 0; i < array.size(); i++) {
                String path = JsonPath.index(groupsPath, i);
                Map<String, Json> g = fields(array.elements().get(i), path, GROUP_FIELDS, problems);
                groups.add(new TableGroup(
                        string(g.get("name"), JsonPath.member(path, "name"), problems),
                        strings(g.get("table_names_or_prefixes"), JsonPath.member(path, "table_names_or_prefixes"), problems),
                        strings(g.get("readers"), JsonPath.member(path, "readers"), problems),
                        strings(g.get("writers"), JsonPath.member(path, "writers"), problems),
                        strings(g.get("admins"), JsonPath.member(path, "admins"), problems)));
            }
        } else if (groupsJson != null) {
            problems.add(wrongType(groupsPath, "array", groupsJson));
        }
        if (problems.isEmpty()) {
            checkEntries(groups, problems);
        }
        if (!problems.isEmpty()) {
            throw new TableAclConfigException(source, problems);
        }
        return new TableAclConfig(groups);
    }

    /** The config as JSON text in Vitess's snake_case form. */
    public String toJson() {
        List<Json> groups = new ArrayList<>();
        for (TableGroup g : tableGroups) {
            groups.add(JsonObject.builder()
                    .put("name", g.name())
                    .put("table_names_or_prefixes", Json.ofStrings(g.tableNamesOrPrefixes()))
                    .put("readers", Json.ofStrings(g.readers()))
                    .put("writers", Json.ofStrings(g.writers()))
                    .put("admins", Json.ofStrings(g.admins()))
                    .build());
        }
        return JsonObject.builder().put(GROUPS, new JsonArray(groups)).build().toPrettyJson();
    }

    /**
     * The members of an object, keyed by snake_case name, null members dropped; unknown members and
     * a field given in both spellings are problems.
     */
    private static Map<String, Json> fields(Json json, String path, List<String> known,
            List<TableAclConfigException.Problem> problems) {
        Map<String, Json> out = new HashMap<>();
        if (!(json instanceof JsonObject object)) {
            problems.add(wrongType(path, "object", json));
            return out;
        }
        Map<String, String> spelledAs = new HashMap<>();
        for (Map.Entry<String, Json> member : object.members().entrySet()) {
            String memberPath = JsonPath.member(path, member.getKey());
            String name = known.contains(member.getKey()) ? member.getKey() : snakeCase(member.getKey());
            if (!known.contains(name)) {
                problems.add(new TableAclConfigException.Problem(memberPath, "unknown field; expected one of " + known));
                continue;
            }
            String earlier = spelledAs.putIfAbsent(name, member.getKey());
            if (earlier != null) {
                problems.add(new TableAclConfigException.Problem(memberPath, "field given twice (also as \"" + earlier + "\")"));
                continue;
            }
            if (!(member.getValue() instanceof JsonNull)) {
                out.put(name, member.getValue());
            }
        }
        return out;
    }

    private static String snakeCase(String camel) {
        StringBuilder sb = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                sb.append('_').append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String string(Json json, String path, List<TableAclConfigException.Problem> problems) {
        if (json == null) {
            return "";
        }
        if (json instanceof JsonString s) {
            return s.value();
        }
        problems.add(wrongType(path, "string", json));
        return "";
    }

    private static List<String> strings(Json json, String path, List<TableAclConfigException.Problem> problems) {
        if (json == null) {
            return List.of();
        }
        if (!(json instanceof JsonArray array)) {
            problems.add(wrongType(path, "array of strings", json));
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            Json element = array.elements().get(i);
            if (element instanceof JsonString s) {
                out.add(s.value());
            } else {
                problems.add(wrongType(JsonPath.index(path, i), "string", element));
            }
        }
        return out;
    }

    private static TableAclConfigException.Problem wrongType(String path, String expected, Json got) {
        return new TableAclConfigException.Problem(path, "expected " + expected + ", got " + got.typeName());
    }

    /** Names and prefixes must be well formed and no table may match two entries. */
    private static void checkEntries(List<TableGroup> groups, List<TableAclConfigException.Problem> problems) {
        Map<String, String> exact = new LinkedHashMap<>(); // name -> path
        TreeMap<String, String> prefixes = new TreeMap<>(); // prefix without % -> path
        Map<String, String> display = new LinkedHashMap<>(); // path -> entry as written
        for (int g = 0; g < groups.size(); g++) {
            List<String> names = groups.get(g).tableNamesOrPrefixes();
            for (int i = 0; i < names.size(); i++) {
                String path = JsonPath.index(JsonPath.member(JsonPath.index(JsonPath.member(JsonPath.ROOT, GROUPS), g),
                        "table_names_or_prefixes"), i);
                String entry = names.get(i);
                boolean prefix = entry.endsWith("%");
                String stem = prefix ? entry.substring(0, entry.length() - 1) : entry;
                if (stem.contains("%")) {
                    problems.add(new TableAclConfigException.Problem(path, "\"" + entry
                            + "\": '%' marks a prefix and may only end a name"));
                    continue;
                }
                if (entry.isEmpty()) {
                    problems.add(new TableAclConfigException.Problem(path, "empty table name"));
                    continue;
                }
                display.put(path, entry);
                String earlier = (prefix ? prefixes : exact).putIfAbsent(stem, path);
                if (earlier != null) {
                    problems.add(conflict(path, entry, earlier, display));
                }
            }
        }
        // A prefix that extends another sorts right after it (or after something that also extends it).
        String previous = null;
        for (Map.Entry<String, String> p : prefixes.entrySet()) {
            if (previous != null && p.getKey().startsWith(previous)) {
                problems.add(conflict(p.getValue(), display.get(p.getValue()), prefixes.get(previous), display));
            } else {
                previous = p.getKey();
            }
        }
        for (Map.Entry<String, String> e : exact.entrySet()) {
            String name = e.getKey();
            for (int len = 0; len <= name.length(); len++) {
                String prefixPath = prefixes.get(name.substring(0, len));
                if (prefixPath != null) {
                    problems.add(conflict(e.getValue(), name, prefixPath, display));
                }
            }
        }
    }

    private static TableAclConfigException.Problem conflict(String path, String entry, String otherPath,
            Map<String, String> display) {
        return new TableAclConfigException.Problem(path, "conflicting entries: \"" + entry + "\" overlaps with \""
                + display.get(otherPath) + "\" at " + otherPath);
    }
}
