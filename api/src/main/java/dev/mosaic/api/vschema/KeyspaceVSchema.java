package dev.mosaic.api.vschema;

import dev.mosaic.api.json.Json;
import dev.mosaic.api.json.JsonArray;
import dev.mosaic.api.json.JsonObject;
import dev.mosaic.api.json.JsonPath;
import dev.mosaic.api.json.JsonNumber;
import dev.mosaic.api.json.JsonString;
import dev.mosaic.api.sql.SqlType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The vschema of one keyspace: Vitess's {@code vschema.Keyspace} message, read from and written to
 * the same JSON that {@code vtctldclient ApplyVSchema} takes and {@code GetVSchema} prints.
 *
 * <p>Reading ({@link #fromJson}) checks the document's shape: field names, JSON types and enum
 * values. {@link #validate()} then checks its meaning (vindexes referenced exist, primary vindexes
 * are unique, ...). Maps keep the order of the document; {@code equals} ignores map order.
 *
 * @param sharded                true if the keyspace has more than one shard (or may get them)
 * @param vindexes               the vindexes, by name, in document order
 * @param tables                 the tables, by name, in document order
 * @param requireExplicitRouting true if the keyspace's tables and vindexes are left out of global
 *                               routing, so queries must name the keyspace
 * @param foreignKeyMode         how foreign keys are handled
 */
public record KeyspaceVSchema(boolean sharded, Map<String, VindexDef> vindexes, Map<String, TableDef> tables,
                              boolean requireExplicitRouting, ForeignKeyMode foreignKeyMode) {
    private static final String WHAT = "vschema";
    private static final Set<String> KEYSPACE_FIELDS =
            Set.of("sharded", "vindexes", "tables", "require_explicit_routing", "foreign_key_mode");
    private static final Set<String> KEYSPACE_UNSUPPORTED = Set.of("multi_tenant_spec");
    private static final Set<String> VINDEX_FIELDS = Set.of("type", "params", "owner");
    private static final Set<String> TABLE_FIELDS = Set.of("type", "column_vindexes", "auto_increment", "columns",
            "pinned", "column_list_authoritative", "source");
    private static final Set<String> COLUMN_VINDEX_FIELDS = Set.of("column", "name", "columns");
    private static final Set<String> AUTO_INCREMENT_FIELDS = Set.of("column", "sequence");
    private static final Set<String> COLUMN_FIELDS = Set.of("name", "type", "invisible", "default", "collation_name",
            "size", "scale", "nullable", "values");

    /** An unsharded keyspace with nothing declared: {@code {}}. */
    public static final KeyspaceVSchema EMPTY = new KeyspaceVSchema(false, Map.of(), Map.of(), false, ForeignKeyMode.UNSPECIFIED);

    /** Copies the maps, keeping their order; rejects nulls. */
    public KeyspaceVSchema {
        vindexes = orderedCopy(vindexes);
        tables = orderedCopy(tables);
        Objects.requireNonNull(foreignKeyMode, "foreignKeyMode");
    }

    private static <V> Map<String, V> orderedCopy(Map<String, V> map) {
        LinkedHashMap<String, V> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "name"), Objects.requireNonNull(v, "value")));
        return Collections.unmodifiableMap(copy);
    }

    /**
     * Reads a keyspace vschema from its JSON form. Field names may be snake_case (as Vitess prints
     * them) or lowerCamelCase (as protojson also accepts); {@code null} means the default. The result
     * is not {@linkplain #validate() validated}.
     *
     * @throws VSchemaException listing every problem with its path: malformed JSON (with line and
     *                          column), unknown fields ({@code $.tables.t.colum: unknown field}),
     *                          wrong JSON types, unknown enum values
     */
    public static KeyspaceVSchema fromJson(String json) {
        Json root = Decoder.parse(WHAT, json);
        Decoder d = new Decoder();
        KeyspaceVSchema ks = read(d, root, JsonPath.ROOT);
        d.throwIfErrors(WHAT);
        return ks;
    }

    private static KeyspaceVSchema read(Decoder d, Json json, String path) {
        Decoder.Fields f = d.fields(json, path, KEYSPACE_FIELDS, KEYSPACE_UNSUPPORTED);
        if (f == null) {
            return EMPTY;
        }
        ForeignKeyMode fk = ForeignKeyMode.UNSPECIFIED;
        Json fkJson = f.get("foreign_key_mode");
        if (fkJson != null) {
            fk = foreignKeyMode(d, fkJson, f.path("foreign_key_mode"));
        }
        return new KeyspaceVSchema(
                f.bool("sharded"),
                f.map("vindexes", (v, p) -> readVindex(d, v, p)),
                f.map("tables", (v, p) -> readTable(d, v, p)),
                f.bool("require_explicit_routing"),
                fk);
    }

    private static ForeignKeyMode foreignKeyMode(Decoder d, Json json, String path) {
        if (json instanceof JsonString s) {
            for (ForeignKeyMode m : ForeignKeyMode.values()) {
                if (m.jsonName().equals(s.value())) {
                    return m;
                }
            }
            d.error(path, "unknown foreign_key_mode \"" + s.value() + "\"; valid: unspecified, disallow, unmanaged, managed");
        } else if (json instanceof JsonNumber n && n.isIntegral() && n.value().signum() >= 0
                && n.value().compareTo(BigDecimal.valueOf(ForeignKeyMode.values().length)) < 0) {
            return ForeignKeyMode.values()[n.intValueExact()];
        } else {
            d.error(path, "expected a foreign key mode name, got " + json.toJson());
        }
        return ForeignKeyMode.UNSPECIFIED;
    }

    private static VindexDef readVindex(Decoder d, Json json, String path) {
        Decoder.Fields f = d.fields(json, path, VINDEX_FIELDS, Set.of());
        if (f == null) {
            return null;
        }
        return new VindexDef(f.string("type"), f.map("params", d::string), f.string("owner"));
    }

    private static TableDef readTable(Decoder d, Json json, String path) {
        Decoder.Fields f = d.fields(json, path, TABLE_FIELDS, Set.of());
        if (f == null) {
            return null;
        }
        TableType type = TableType.STANDARD;
        String typeName = f.string("type");
        if (!typeName.isEmpty()) {
            type = null;
            for (TableType t : TableType.values()) {
                if (t.jsonName().equals(typeName)) {
                    type = t;
                }
            }
            if (type == null) {
                d.error(f.path("type"), "unidentified table type \"" + typeName + "\"; valid: \"\", sequence, reference");
                type = TableType.STANDARD;
            }
        }
        Optional<AutoIncrementDef> autoInc = Optional.empty();
        if (f.get("auto_increment") != null) {
            Decoder.Fields a = d.fields(f.get("auto_increment"), f.path("auto_increment"), AUTO_INCREMENT_FIELDS, Set.of());
            if (a != null) {
                autoInc = Optional.of(new AutoIncrementDef(a.string("column"), a.string("sequence")));
            }
        }
        return new TableDef(type,
                f.list("column_vindexes", (v, p) -> readColumnVindex(d, v, p)),
                autoInc,
                f.list("columns", (v, p) -> readColumn(d, v, p)),
                f.string("pinned"),
                f.bool("column_list_authoritative"),
                f.string("source"));
    }

    private static ColumnVindexDef readColumnVindex(Decoder d, Json json, String path) {
        Decoder.Fields f = d.fields(json, path, COLUMN_VINDEX_FIELDS, Set.of());
        if (f == null) {
            return null;
        }
        return new ColumnVindexDef(f.string("column"), f.strings("columns"), f.string("name"));
    }

    private static ColumnDef readColumn(Decoder d, Json json, String path) {
        Decoder.Fields f = d.fields(json, path, COLUMN_FIELDS, Set.of());
        if (f == null) {
            return null;
        }
        SqlType type = SqlType.NULL_TYPE;
        String typeName = f.string("type");
        if (!typeName.isEmpty()) {
            try {
                type = SqlType.valueOf(typeName);
            } catch (IllegalArgumentException e) {
                d.error(f.path("type"), "unknown column type \"" + typeName + "\"");
            }
        }
        Optional<Boolean> nullable = f.get("nullable") == null ? Optional.empty() : Optional.of(f.bool("nullable"));
        return new ColumnDef(f.string("name"), type, f.bool("invisible"), f.string("default"), f.string("collation_name"),
                f.int32("size"), f.int32("scale"), nullable, f.strings("values"));
    }

    /**
     * The JSON form, pretty-printed with two-space indentation: snake_case field names in protobuf
     * field order, maps in this record's order, and fields at their default value (false, empty,
     * unspecified) omitted, as {@code vtctldclient GetVSchema --compact} prints them.
     * {@code fromJson(toJson())} equals this record.
     */
    public String toJson() {
        return toJsonTree().toPrettyJson();
    }

    /** The JSON form as a tree; see {@link #toJson()}. */
    public JsonObject toJsonTree() {
        JsonObject.Builder b = JsonObject.builder();
        if (sharded) {
            b.put("sharded", true);
        }
        if (!vindexes.isEmpty()) {
            JsonObject.Builder vs = JsonObject.builder();
            vindexes.forEach((name, v) -> vs.put(name, write(v)));
            b.put("vindexes", vs.build());
        }
        if (!tables.isEmpty()) {
            JsonObject.Builder ts = JsonObject.builder();
            tables.forEach((name, t) -> ts.put(name, write(t)));
            b.put("tables", ts.build());
        }
        if (requireExplicitRouting) {
            b.put("require_explicit_routing", true);
        }
        if (foreignKeyMode != ForeignKeyMode.UNSPECIFIED) {
            b.put("foreign_key_mode", foreignKeyMode.jsonName());
        }
        return b.build();
    }

    private static JsonObject write(VindexDef v) {
        JsonObject.Builder b = JsonObject.builder();
        if (!v.type().isEmpty()) {
            b.put("type", v.type());
        }
        if (!v.params().isEmpty()) {
            JsonObject.Builder ps = JsonObject.builder();
            v.params().forEach(ps::put);
            b.put("params", ps.build());
        }
        if (!v.owner().isEmpty()) {
            b.put("owner", v.owner());
        }
        return b.build();
    }

    private static JsonObject write(TableDef t) {
        JsonObject.Builder b = JsonObject.builder();
        if (t.type() != TableType.STANDARD) {
            b.put("type", t.type().jsonName());
        }
        if (!t.columnVindexes().isEmpty()) {
            List<Json> cvs = new ArrayList<>();
            for (ColumnVindexDef cv : t.columnVindexes()) {
                JsonObject.Builder c = JsonObject.builder();
                if (!cv.column().isEmpty()) {
                    c.put("column", cv.column());
                }
                if (!cv.name().isEmpty()) {
                    c.put("name", cv.name());
                }
                if (!cv.columns().isEmpty()) {
                    c.put("columns", Json.ofStrings(cv.columns()));
                }
                cvs.add(c.build());
            }
            b.put("column_vindexes", new JsonArray(cvs));
        }
        t.autoIncrement().ifPresent(a -> {
            JsonObject.Builder ab = JsonObject.builder();
            if (!a.column().isEmpty()) {
                ab.put("column", a.column());
            }
            if (!a.sequence().isEmpty()) {
                ab.put("sequence", a.sequence());
            }
            b.put("auto_increment", ab.build());
        });
        if (!t.columns().isEmpty()) {
            List<Json> cols = new ArrayList<>();
            for (ColumnDef c : t.columns()) {
                cols.add(write(c));
            }
            b.put("columns", new JsonArray(cols));
        }
        if (!t.pinned().isEmpty()) {
            b.put("pinned", t.pinned());
        }
        if (t.columnListAuthoritative()) {
            b.put("column_list_authoritative", true);
        }
        if (!t.source().isEmpty()) {
            b.put("source", t.source());
        }
        return b.build();
    }

    private static JsonObject write(ColumnDef c) {
        JsonObject.Builder b = JsonObject.builder();
        if (!c.name().isEmpty()) {
            b.put("name", c.name());
        }
        if (c.type() != SqlType.NULL_TYPE) {
            b.put("type", c.type().name());
        }
        if (c.invisible()) {
            b.put("invisible", true);
        }
        if (!c.defaultExpr().isEmpty()) {
            b.put("default", c.defaultExpr());
        }
        if (!c.collationName().isEmpty()) {
            b.put("collation_name", c.collationName());
        }
        if (c.size() != 0) {
            b.put("size", c.size());
        }
        if (c.scale() != 0) {
            b.put("scale", c.scale());
        }
        c.nullable().ifPresent(n -> b.put("nullable", n));
        if (!c.values().isEmpty()) {
            b.put("values", Json.ofStrings(c.values()));
        }
        return b.build();
    }

    /** {@link #validate(VindexTypes)} with the built-in vindex types of {@link VindexTypes#builtin()}. */
    public List<VSchemaError> validate() {
        return validate(VindexTypes.builtin());
    }

    /**
     * Checks the vschema's meaning and returns every problem found, in document order; empty if it is
     * valid. The checks follow Vitess's {@code BuildKeyspaceSchema}, stricter where noted in the
     * package documentation. References to other keyspaces (sequences, reference-table sources) are
     * checked for form only.
     *
     * @param types answers which vindex types are unique, lookup or multi-column; a type it does not
     *              know is not an error here (the server checks types against its registry)
     */
    public List<VSchemaError> validate(VindexTypes types) {
        return new KeyspaceValidator(this, types).validate();
    }

    /**
     * Returns this vschema if {@link #validate(VindexTypes)} finds no problem.
     *
     * @throws VSchemaException ({@code INVALID_ARGUMENT}) listing every problem
     */
    public KeyspaceVSchema requireValid(VindexTypes types) {
        List<VSchemaError> errors = validate(types);
        if (!errors.isEmpty()) {
            throw new VSchemaException(WHAT, errors);
        }
        return this;
    }

    /** {@link #requireValid(VindexTypes)} with the built-in vindex types. */
    public KeyspaceVSchema requireValid() {
        return requireValid(VindexTypes.builtin());
    }
}
