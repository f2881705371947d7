package dev.mosaic.server.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.vschema.KeyspaceVSchema;
import dev.mosaic.api.vschema.TableType;
import java.util.List;
import org.junit.jupiter.api.Test;

class WalkthroughTest {
    @Test
    void commerceIsUnshardedWithTwoSequences() {
        KeyspaceVSchema v = KeyspaceVSchema.fromJson(Walkthrough.vschemaJson("commerce"));
        assertEquals(List.of(), v.validate());
        assertFalse(v.sharded());
        assertEquals(List.of("product", "customer_seq", "order_seq"), List.copyOf(v.tables().keySet()));
        assertEquals(TableType.SEQUENCE, v.tables().get("customer_seq").type());
        assertEquals(TableType.SEQUENCE, v.tables().get("order_seq").type());
    }

    @Test
    void customerIsShardedOnXxhashOfCustomerIdWithIdsFromTheSequences() {
        KeyspaceVSchema v = KeyspaceVSchema.fromJson(Walkthrough.vschemaJson("customer"));
        assertEquals(List.of(), v.validate());
        assertTrue(v.sharded());
        assertEquals("xxhash", v.vindexes().get("xxhash").type());
        for (String t : List.of("customer", "corder")) {
            assertEquals("customer_id", v.tables().get(t).columnVindexes().get(0).column(), t);
            assertEquals("xxhash", v.tables().get(t).columnVindexes().get(0).name(), t);
        }
        assertEquals("customer_seq", v.tables().get("customer").autoIncrement().orElseThrow().sequence());
        assertEquals("customer_id", v.tables().get("customer").autoIncrement().orElseThrow().column());
        assertEquals("order_seq", v.tables().get("corder").autoIncrement().orElseThrow().sequence());
        assertEquals("order_id", v.tables().get("corder").autoIncrement().orElseThrow().column());
    }

    @Test
    void schemasSplitIntoOneStatementPerTable() {
        List<String> commerce = Walkthrough.schemaStatements("commerce");
        assertEquals(3, commerce.size(), commerce.toString());
        assertTrue(commerce.get(0).startsWith("CREATE TABLE IF NOT EXISTS product ("), commerce.get(0));
        assertTrue(commerce.get(1).contains("COMMENT 'vitess_sequence'"), commerce.get(1));
        List<String> customer = Walkthrough.schemaStatements("customer");
        assertEquals(2, customer.size(), customer.toString());
        assertTrue(customer.get(1).startsWith("CREATE TABLE IF NOT EXISTS corder ("), customer.get(1));
        assertTrue(customer.stream().noneMatch(s -> s.endsWith(";") || s.contains("--")), customer.toString());
    }
}
