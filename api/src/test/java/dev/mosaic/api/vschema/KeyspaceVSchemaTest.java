package dev.mosaic.api.vschema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.sql.SqlType;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeyspaceVSchemaTest {

    /** Every field of every message set, in the order toJson writes them. */
    static final String FULL = """
            {
              "sharded": true,
              "vindexes": {
                "xxhash": {
                  "type": "xxhash"
                },
                "name_lookup": {
                  "type": "consistent_lookup",
                  "params": {
                    "table": "lookup.name_idx",
                    "from": "name",
                    "to": "keyspace_id",
                    "autocommit": "true"
                  },
                  "owner": "customer"
                },
                "mc": {
                  "type": "multicol",
                  "params": {
                    "column_count": "2"
                  }
                }
              },
              "tables": {
                "customer": {
                  "column_vindexes": [
                    {
                      "column": "id",
                      "name": "xxhash"
                    },
                    {
                      "column": "name",
                      "name": "name_lookup"
                    }
                  ],
                  "auto_increment": {
                    "column": "id",
                    "sequence": "lookup.customer_seq"
                  },
                  "columns": [
                    {
                      "name": "id",
                      "type": "INT64",
                      "nullable": false
                    },
                    {
                      "name": "name",
                      "type": "VARCHAR",
                      "invisible": true,
                      "default": "'x'",
                      "collation_name": "utf8mb4_0900_ai_ci",
                      "size": 255
                    },
                    {
                      "name": "price",
                      "type": "DECIMAL",
                      "size": 10,
                      "scale": 2,
                      "nullable": true
                    },
                    {
                      "name": "state",
                      "type": "ENUM",
                      "values": [
                        "'a'",
                        "'b'"
                      ]
                    }
                  ],
                  "column_list_authoritative": true
                },
                "orders": {
                  "column_vindexes": [
                    {
                      "name": "mc",
                      "columns": [
                        "region",
                        "id"
                      ]
                    }
                  ]
                },
                "pinned_seq": {
                  "type": "sequence",
                  "pinned": "80"
                },
                "countries": {
                  "type": "reference",
                  "source": "main.countries"
                }
              },
              "require_explicit_routing": true,
              "foreign_key_mode": "managed"
            }""";

    @Test
    void fullDocumentReadsWritesAndValidates() {
        KeyspaceVSchema ks = KeyspaceVSchema.fromJson(FULL);
        assertEquals(List.of(), ks.validate());
        assertEquals(FULL, ks.toJson());
        assertEquals(ks, KeyspaceVSchema.fromJson(ks.toJson()));
        assertTrue(ks.requireExplicitRouting());
        assertEquals(ForeignKeyMode.MANAGED, ks.foreignKeyMode());
        TableDef customer = ks.tables().get("customer");
        assertEquals(new ColumnDef("name", SqlType.VARCHAR, true, "'x'", "utf8mb4_0900_ai_ci", 255, 0, Optional.empty(), List.of()),
                customer.columns().get(1));
        assertEquals(Optional.of(false), customer.columns().get(0).nullable());
        assertEquals(TableType.REFERENCE, ks.tables().get("countries").type());
        assertSame(ks, ks.requireValid());
    }

    @Test
    void emptyDocumentIsTheEmptyKeyspace() {
        assertEquals(KeyspaceVSchema.EMPTY, KeyspaceVSchema.fromJson("{}"));
        assertEquals("{}", KeyspaceVSchema.EMPTY.toJson());
    }

    @Test
    void acceptsVtctldclientDefaultOutputWithUnsetFieldsPrinted() {
        // GetVSchema without --compact prints every unset field; null stands for an unset message.
        String printed = """
                {
                  "sharded": false,
                  "vindexes": {},
                  "tables": {
                    "t": {
                      "type": "",
                      "column_vindexes": [],
                      "auto_increment": null,
                      "columns": [{"name": "c", "type": "NULL_TYPE", "invisible": false, "default": "",
                                   "collation_name": "", "size": 0, "scale": 0, "values": []}],
                      "pinned": "",
                      "column_list_authoritative": false,
                      "source": ""
                    }
                  },
                  "require_explicit_routing": false,
                  "foreign_key_mode": "unspecified",
                  "multi_tenant_spec": null
                }""";
        KeyspaceVSchema ks = KeyspaceVSchema.fromJson(printed);
        assertEquals(new TableDef(TableType.STANDARD, List.of(), Optional.empty(), List.of(ColumnDef.of("c", SqlType.NULL_TYPE)),
                "", false, ""), ks.tables().get("t"));
        assertEquals("{\n  \"tables\": {\n    \"t\": {\n      \"columns\": [\n        {\n          \"name\": \"c\"\n        }\n      ]\n    }\n  }\n}",
                ks.toJson());
    }

    @Test
    void acceptsLowerCamelCaseNamesAsProtojsonDoes() {
        KeyspaceVSchema camel = KeyspaceVSchema.fromJson("""
                {"sharded": true, "requireExplicitRouting": true, "foreignKeyMode": 3,
                 "vindexes": {"h": {"type": "hash"}},
                 "tables": {"t": {"columnVindexes": [{"column": "id", "name": "h"}],
                                  "autoIncrement": {"column": "id", "sequence": "s"},
                                  "columnListAuthoritative": true,
                                  "columns": [{"name": "id", "collationName": "binary"}]}}}""");
        assertTrue(camel.requireExplicitRouting());
        assertEquals(ForeignKeyMode.MANAGED, camel.foreignKeyMode());
        assertTrue(camel.tables().get("t").columnListAuthoritative());
        assertEquals("binary", camel.tables().get("t").columns().get(0).collationName());
        // Written back in snake_case.
        assertTrue(camel.toJson().contains("\"column_vindexes\""));
        assertFalse(camel.toJson().contains("columnVindexes"));
    }

    @Test
    void keepsDocumentOrderButComparesMapsAsMaps() {
        KeyspaceVSchema a = KeyspaceVSchema.fromJson("{\"tables\":{\"b\":{},\"a\":{}}}");
        KeyspaceVSchema b = KeyspaceVSchema.fromJson("{\"tables\":{\"a\":{},\"b\":{}}}");
        assertEquals(a, b);
        assertEquals(List.of("b", "a"), List.copyOf(a.tables().keySet()));
        assertTrue(a.toJson().indexOf("\"b\"") < a.toJson().indexOf("\"a\""));
    }

    @Test
    void requireValidThrowsInvalidArgumentListingEveryProblem() {
        KeyspaceVSchema ks = KeyspaceVSchema.fromJson("""
                {"sharded": true, "tables": {"a": {}, "b": {"column_vindexes": [{"column": "id", "name": "nope"}]}}}""");
        VSchemaException e = assertThrows(VSchemaException.class, ks::requireValid);
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertEquals(2, e.errors().size());
        assertEquals("""
                invalid vschema (2 problems):
                  $.tables.a.column_vindexes: missing primary col vindex for table: a
                  $.tables.b.column_vindexes[0].name: vindex nope not found for table b""", e.getMessage());
    }

    @Test
    void uniquenessComesFromTheCallersRegistry() {
        KeyspaceVSchema ks = KeyspaceVSchema.fromJson("""
                {"sharded": true, "vindexes": {"v": {"type": "my_plugin_vindex"}},
                 "tables": {"t": {"column_vindexes": [{"column": "id", "name": "v"}]}}}""");
        // Unknown to the built-ins: not an error in api.
        assertEquals(List.of(), ks.validate());
        // The server's registry says it is non-unique.
        VindexTypes registry = type -> !type.equals("my_plugin_vindex");
        assertEquals(List.of(new VSchemaError("$.tables.t.column_vindexes[0].name", "primary vindex v is not Unique for table t")),
                ks.validate(registry));
        assertThrows(VSchemaException.class, () -> ks.requireValid(registry));
    }

    @Test
    void recordsCopyTheirCollections() {
        java.util.ArrayList<String> cols = new java.util.ArrayList<>(List.of("a"));
        ColumnVindexDef cv = new ColumnVindexDef("", cols, "v");
        cols.add("b");
        assertEquals(List.of("a"), cv.columns());
        assertThrows(UnsupportedOperationException.class, () -> KeyspaceVSchema.EMPTY.tables().put("x", TableDef.EMPTY));
    }
}
