package dev.mosaic.api.vschema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Vitess's own example vschemas (see the README beside them) read, validate and round-trip. */
class VitessExamplesTest {

    static String resource(String name) throws IOException {
        try (InputStream in = VitessExamplesTest.class.getResourceAsStream("/vschema/vitess-examples/" + name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vschema_commerce_initial.json", "vschema_commerce_seq.json",
        "vschema_customer_sharded.json", "region_sharding_main_vschema_sharded.json"})
    void parsesValidatesAndRoundTrips(String name) throws IOException {
        KeyspaceVSchema ks = KeyspaceVSchema.fromJson(resource(name));
        assertEquals(List.of(), ks.validate(), name);
        assertRoundTrips(ks);
    }

    @Test
    void lookupVindexFragmentRoundTripsButIsNotAValidKeyspaceOnItsOwn() throws IOException {
        // Vitess applies this file with CreateLookupVindex, which adds the vindex as a secondary one;
        // as a whole keyspace vschema its primary vindex would be owned, which Vitess rejects.
        KeyspaceVSchema ks = KeyspaceVSchema.fromJson(resource("region_sharding_lookup_vindex.json"));
        assertEquals(List.of(new VSchemaError("$.tables.customer.column_vindexes[0].name",
                "primary vindex customer_region_lookup cannot be owned for table customer")), ks.validate());
        assertRoundTrips(ks);
    }

    @Test
    void readsTheModelVitessMeans() throws IOException {
        KeyspaceVSchema ks = KeyspaceVSchema.fromJson(resource("vschema_customer_sharded.json"));
        assertTrue(ks.sharded());
        assertEquals(VindexDef.of("xxhash"), ks.vindexes().get("hash"));
        assertEquals(List.of("customer", "corder"), List.copyOf(ks.tables().keySet()));
        assertEquals(TableDef.sharded(ColumnVindexDef.of("customer_id", "hash"))
                .withAutoIncrement(new AutoIncrementDef("order_id", "order_seq")), ks.tables().get("corder"));

        KeyspaceVSchema seq = KeyspaceVSchema.fromJson(resource("vschema_commerce_seq.json"));
        assertEquals(TableDef.sequence(), seq.tables().get("order_seq"));
        assertEquals(TableDef.EMPTY, seq.tables().get("product"));

        KeyspaceVSchema region = KeyspaceVSchema.fromJson(resource("region_sharding_main_vschema_sharded.json"));
        assertEquals(List.of("region_map", "region_bytes"), List.copyOf(region.vindexes().get("region_vdx").params().keySet()));
        assertEquals(List.of("id", "country"), region.tables().get("customer").columnVindexes().get(0).effectiveColumns());
    }

    @Test
    void writesVitessFormatWithTwoSpaceIndent() throws IOException {
        String expected = """
                {
                  "sharded": true,
                  "vindexes": {
                    "hash": {
                      "type": "xxhash"
                    }
                  },
                  "tables": {
                    "customer": {
                      "column_vindexes": [
                        {
                          "column": "customer_id",
                          "name": "hash"
                        }
                      ],
                      "auto_increment": {
                        "column": "customer_id",
                        "sequence": "customer_seq"
                      }
                    },
                    "corder": {
                      "column_vindexes": [
                        {
                          "column": "customer_id",
                          "name": "hash"
                        }
                      ],
                      "auto_increment": {
                        "column": "order_id",
                        "sequence": "order_seq"
                      }
                    }
                  }
                }""";
        assertEquals(expected, KeyspaceVSchema.fromJson(resource("vschema_customer_sharded.json")).toJson());
    }

    static void assertRoundTrips(KeyspaceVSchema ks) {
        String written = ks.toJson();
        KeyspaceVSchema reread = KeyspaceVSchema.fromJson(written);
        assertEquals(ks, reread);
        assertEquals(written, reread.toJson());
    }
}
