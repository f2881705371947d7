package dev.mosaic.api.vschema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every reading and validation rule, Vitess style: one case per line, input JSON in, the one
 * expected problem (path and a substring of the reason) out.
 */
class VSchemaErrorsTest {

    record Case(String json, String path, String reason) {
    }

    private static Case c(String json, String path, String reason) {
        return new Case(json.replace('\'', '"'), path, reason);
    }

    /** Reads then validates; returns every problem, from either step. */
    private static List<VSchemaError> problems(String json, Function<String, List<VSchemaError>> readAndValidate) {
        try {
            return readAndValidate.apply(json);
        } catch (VSchemaException e) {
            return e.errors();
        }
    }

    private static void check(List<Case> cases, Function<String, List<VSchemaError>> readAndValidate) {
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            List<VSchemaError> got = problems(c.json(), readAndValidate);
            if (got.size() != 1 || !got.get(0).path().equals(c.path()) || !got.get(0).reason().contains(c.reason())) {
                failures.add(c.json() + "\n    want: " + c.path() + ": ..." + c.reason() + "...\n    got:  " + got);
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " case(s) failed:\n  " + String.join("\n  ", failures));
        }
    }

    @Test
    void keyspaceVSchema() {
        String hash = "'vindexes':{'h':{'type':'hash'}}";
        check(List.of(
                // Malformed JSON.
                c("{'tables': {'t': {}},}", "$", "malformed JSON at line 1, column 22: trailing comma"),
                c("{'tables': {'t': {}, 't': {}}}", "$.tables.t", "duplicate key \"t\""),
                c("{'sharded': tru}", "$.sharded", "malformed JSON at line 1, column 13"),
                c("", "$", "empty document"),
                // Shape: unknown fields, wrong types, bad enum values.
                c("{'shardd': true}", "$.shardd", "unknown field"),
                c("{'sharded': true, " + hash + ", 'tables': {'corder': {'column_vindexes': [{'colum': 'id', 'column': 'id', 'name': 'h'}]}}}",
                        "$.tables.corder.column_vindexes[0].colum", "unknown field"),
                c("{'tables': {'t': {'auto_increment': {'column': 'id', 'seq': 's'}}}}", "$.tables.t.auto_increment.seq", "unknown field"),
                c("{'tables': {'t': {'columns': [{'name': 'c', 'typ': 'INT64'}]}}}", "$.tables.t.columns[0].typ", "unknown field"),
                c("{'vindexes': {'v': {'type': 'hash', 'parms': {}}}, 'sharded': true}", "$.vindexes.v.parms", "unknown field"),
                c("{'multi_tenant_spec': {'tenant_id_column_name': 'x'}}", "$.multi_tenant_spec", "not supported"),
                c("{'sharded': 'yes'}", "$.sharded", "expected a boolean, got a string"),
                c("[]", "$", "expected an object, got an array"),
                c("{'tables': []}", "$.tables", "expected an object, got an array"),
                c("{'tables': {'t': 1}}", "$.tables.t", "expected an object, got a number"),
                c("{'tables': {'t': null}}", "$.tables.t", "null is not allowed"),
                c("{'tables': {'t': {'column_vindexes': {}}}}", "$.tables.t.column_vindexes", "expected an array"),
                c("{'tables': {'t': {'column_vindexes': [null]}}}", "$.tables.t.column_vindexes[0]", "null is not allowed"),
                c("{'sharded': true, " + hash + ", 'tables': {'t': {'column_vindexes': [{'columns': ['a', 2], 'name': 'h'}]}}}",
                        "$.tables.t.column_vindexes[0].columns[1]", "expected a string, got a number"),
                c("{'vindexes': {'v': {'type': 'hash', 'params': {'a': 1}}}, 'sharded': true}", "$.vindexes.v.params.a", "expected a string"),
                c("{'tables': {'t': {'type': 'view'}}}", "$.tables.t.type", "unidentified table type \"view\""),
                c("{'tables': {'t': {'columns': [{'name': 'c', 'type': 'VARCHAR2'}]}}}", "$.tables.t.columns[0].type", "unknown column type"),
                c("{'tables': {'t': {'columns': [{'name': 'c', 'size': 1.5}]}}}", "$.tables.t.columns[0].size", "32-bit integer"),
                c("{'tables': {'t': {'columns': [{'name': 'c', 'scale': 4294967296}]}}}", "$.tables.t.columns[0].scale", "32-bit integer"),
                c("{'foreign_key_mode': 'strict'}", "$.foreign_key_mode", "unknown foreign_key_mode"),
                c("{'foreign_key_mode': 7}", "$.foreign_key_mode", "expected a foreign key mode name"),
                c("{'sharded': true, 'Sharded': true}", "$.Sharded", "unknown field"),
                c("{'tables': {'t': {'column_list_authoritative': true, 'columnListAuthoritative': true}}}",
                        "$.tables.t.columnListAuthoritative", "duplicate field"),
                // Column vindexes.
                c("{'sharded': true, " + hash + ", 'tables': {'t': {'column_vindexes': [{'column': 'id', 'name': 'hsh'}]}}}",
                        "$.tables.t.column_vindexes[0].name", "vindex hsh not found for table t"),
                c("{'sharded': true, " + hash + ", 'tables': {'t': {'column_vindexes': [{'column': 'a', 'columns': ['a'], 'name': 'h'}]}}}",
                        "$.tables.t.column_vindexes[0]", "can't use column and columns at the same time"),
                c("{'sharded': true, " + hash + ", 'tables': {'t': {'column_vindexes': [{'name': 'h'}]}}}",
                        "$.tables.t.column_vindexes[0]", "must specify at least one column"),
                c("{'sharded': true, " + hash + ", 'tables': {'t': {'column_vindexes': [{'columns': ['a', ''], 'name': 'h'}]}}}",
                        "$.tables.t.column_vindexes[0].columns[1]", "column name is empty"),
                c("{'sharded': true, " + hash + ", 'tables': {'t': {}}}", "$.tables.t.column_vindexes", "missing primary col vindex for table: t"),
                c("{'sharded': true, 'vindexes': {'l': {'type': 'lookup', 'params': {'table': 'x', 'from': 'a', 'to': 'b'}}},"
                        + " 'tables': {'t': {'column_vindexes': [{'column': 'a', 'name': 'l'}]}}}",
                        "$.tables.t.column_vindexes[0].name", "primary vindex l is not Unique for table t"),
                c("{'sharded': true, 'vindexes': {'l': {'type': 'lookup_unique', 'owner': 't'}},"
                        + " 'tables': {'t': {'column_vindexes': [{'column': 'a', 'name': 'l'}]}}}",
                        "$.tables.t.column_vindexes[0].name", "primary vindex l cannot be owned for table t"),
                c("{'sharded': true, 'vindexes': {'h': {'type': 'hash'}, 'm': {'type': 'multicol'}},"
                        + " 'tables': {'t': {'column_vindexes': [{'column': 'a', 'name': 'h'}, {'columns': ['a', 'b'], 'name': 'm'}]}}}",
                        "$.tables.t.column_vindexes[1].name", "multi-column vindex m should be a primary vindex"),
                // Vindexes.
                c("{'sharded': true, 'vindexes': {'l': {'type': 'lookup', 'owner': 'nope'}}}", "$.vindexes.l.owner",
                        "owner table nope is not a table of this keyspace"),
                c("{'sharded': true, 'vindexes': {'v': {}}}", "$.vindexes.v.type", "vindex type is empty"),
                c("{'sharded': true, 'vindexes': {'v': {'type': 'hash', 'params': {'': 'x'}}}}", "$.vindexes.v.params[\"\"]",
                        "parameter name is empty"),
                // Unsharded keyspaces.
                c("{" + hash + "}", "$.vindexes.h", "vindexes are not allowed in an unsharded keyspace"),
                c("{'tables': {'t': {'column_vindexes': [{'column': 'id', 'name': 'h'}]}}}", "$.tables.t.column_vindexes",
                        "column vindexes are not allowed in an unsharded keyspace"),
                // Sequences and auto-increment.
                c("{'sharded': true, 'tables': {'s': {'type': 'sequence'}}}", "$.tables.s.type",
                        "sequence table has to be in an unsharded keyspace or must be pinned: s"),
                c("{'tables': {'t': {'auto_increment': {'column': 'id'}}}}", "$.tables.t.auto_increment.sequence", "sequence is empty"),
                c("{'tables': {'t': {'auto_increment': {'column': 'id', 'sequence': ''}}}}", "$.tables.t.auto_increment.sequence", "sequence is empty"),
                c("{'tables': {'t': {'auto_increment': {'sequence': 's'}}}}", "$.tables.t.auto_increment.column", "column is empty"),
                c("{'tables': {'t': {'auto_increment': {'column': 'id', 'sequence': 'a.b.c'}}}}", "$.tables.t.auto_increment.sequence",
                        "invalid table name: 'a.b.c'"),
                // Pins.
                c("{'sharded': true, 'tables': {'t': {'pinned': 'zz'}}}", "$.tables.t.pinned", "could not decode the keyspace id for pin"),
                c("{'sharded': true, 'tables': {'t': {'pinned': '800'}}}", "$.tables.t.pinned", "odd length"),
                // Reference tables.
                c("{'tables': {'t': {'source': 'main.t'}}}", "$.tables.t.source", "source is only allowed on a reference table"),
                c("{'tables': {'t': {'type': 'reference', 'source': 'a.b.c'}}}", "$.tables.t.source", "invalid source for reference table t"),
                c("{'tables': {'t': {'type': 'reference', 'source': '.t'}}}", "$.tables.t.source", "invalid table name"),
                // Columns.
                c("{'tables': {'t': {'columns': [{'name': 'id'}, {'name': 'ID'}]}}}", "$.tables.t.columns[1].name",
                        "duplicate column name 'ID' for table: t"),
                c("{'tables': {'t': {'columns': [{'type': 'INT64'}]}}}", "$.tables.t.columns[0].name", "column name is empty"),
                // Names.
                c("{'tables': {'': {}}}", "$[\"\"]".replace("$", "$.tables"), "table name is empty")),
                json -> KeyspaceVSchema.fromJson(json).validate());
    }

    @Test
    void readingReportsEveryProblemAtOnce() {
        List<VSchemaError> got = problems("{\"shardd\": 1, \"tables\": {\"t\": {\"type\": 3, \"pinned\": false}}}",
                json -> KeyspaceVSchema.fromJson(json).validate());
        assertEquals(List.of(
                new VSchemaError("$.shardd", "unknown field"),
                new VSchemaError("$.tables.t.type", "expected a string, got a number"),
                new VSchemaError("$.tables.t.pinned", "expected a string, got a boolean")), got);
    }

    @Test
    void routingRules() {
        check(List.of(
                c("{'rules': [{'from_table': 't', 'to_tables': ['ks.t']}, {'from_table': 't', 'to_tables': ['ks2.t']}]}",
                        "$.rules[1].from_table", "duplicate rule for entry t (first at $.rules[0])"),
                c("{'rules': [{'from_table': 't', 'to_tables': ['t']}]}", "$.rules[0].to_tables[0]",
                        "qualified form <keyspace_name>.<table_name>"),
                c("{'rules': [{'from_table': 't', 'to_tables': ['a.b.c']}]}", "$.rules[0].to_tables[0]", "invalid table name: 'a.b.c'"),
                c("{'rules': [{'from_table': 't', 'to_tables': ['ks.']}]}", "$.rules[0].to_tables[0]", "invalid table name"),
                c("{'rules': [{'from_table': 't', 'to_tables': ['a.t', 'b.t']}]}", "$.rules[0].to_tables", "has more than one target"),
                c("{'rules': [{'to_tables': ['a.t']}]}", "$.rules[0].from_table", "from_table is empty"),
                c("{'rules': [{'from_table': 'a.b.c', 'to_tables': ['a.t']}]}", "$.rules[0].from_table", "invalid from_table"),
                c("{'rules': [{'from_table': 't@leader', 'to_tables': ['a.t']}]}", "$.rules[0].from_table", "invalid tablet type suffix '@leader'"),
                c("{'rules': [{'from_table': 't', 'to_table': ['a.t']}]}", "$.rules[0].to_table", "unknown field"),
                c("{'rules': {}}", "$.rules", "expected an array"),
                c("{'rules': [{'from_table': 't', 'to_tables': 'a.t'}]}", "$.rules[0].to_tables", "expected an array"),
                c("{'rules': [", "$.rules[0]", "malformed JSON at line 1, column 12: unexpected end of input")),
                json -> RoutingRules.fromJson(json).validate());
    }

    @Test
    void shardRoutingRules() {
        check(List.of(
                c("{'rules': [{'from_keyspace': 'a', 'to_keyspace': 'b', 'shard': '-80'},"
                        + " {'from_keyspace': 'a', 'to_keyspace': 'c', 'shard': '-80'}]}", "$.rules[1].shard", "duplicate rule for shard a/-80"),
                c("{'rules': [{'from_keyspace': 'a', 'to_keyspace': 'b'}]}", "$.rules[0].shard", "must not be empty"),
                c("{'rules': [{'from_keyspace': 'a', 'shard': '0'}]}", "$.rules[0].to_keyspace", "must not be empty"),
                c("{'rules': [{'from_keyspace': 'a', 'to_keyspace': 'a', 'shard': '0'}]}", "$.rules[0].to_keyspace", "to itself"),
                c("{'rules': [{'from_keyspace': 'a', 'to_keyspace': 'b', 'shards': '0'}]}", "$.rules[0].shards", "unknown field")),
                json -> ShardRoutingRules.fromJson(json).validate());
    }

    @Test
    void keyspaceRoutingRules() {
        check(List.of(
                c("{'rules': [{'from_keyspace': 'a', 'to_keyspace': 'b'}, {'from_keyspace': 'a', 'to_keyspace': 'c'}]}",
                        "$.rules[1].from_keyspace", "duplicate rule for keyspace a"),
                c("{'rules': [{'from_keyspace': 'a'}]}", "$.rules[0].to_keyspace", "must not be empty"),
                c("{'rules': [{'to_keyspace': 'a'}]}", "$.rules[0].from_keyspace", "must not be empty"),
                c("{'rules': [{'from_keyspace': 'a@primry', 'to_keyspace': 'b'}]}", "$.rules[0].from_keyspace", "invalid tablet type suffix"),
                c("{'rules': [{'from_keyspace': 'a', 'to_keyspace': 'b', 'shard': '0'}]}", "$.rules[0].shard", "unknown field")),
                json -> KeyspaceRoutingRules.fromJson(json).validate());
    }

    @Test
    void validRoutingRulesRoundTrip() {
        String table = """
                {
                  "rules": [
                    {
                      "from_table": "customer",
                      "to_tables": [
                        "customer.customer"
                      ]
                    },
                    {
                      "from_table": "commerce.customer@replica",
                      "to_tables": [
                        "customer.customer"
                      ]
                    },
                    {
                      "from_table": "blocked",
                      "to_tables": []
                    }
                  ]
                }""";
        RoutingRules rr = RoutingRules.fromJson(table);
        assertEquals(List.of(), rr.validate());
        assertEquals(table, rr.toJson());
        assertEquals(rr, RoutingRules.fromJson(rr.toJson()));
        assertEquals(new RoutingRule("blocked", List.of()), rr.rules().get(2));
        assertEquals("{}", RoutingRules.EMPTY.toJson());
        assertEquals(RoutingRules.EMPTY, RoutingRules.fromJson("{}"));

        String shard = """
                {
                  "rules": [
                    {
                      "from_keyspace": "commerce",
                      "to_keyspace": "customer",
                      "shard": "-80"
                    }
                  ]
                }""";
        ShardRoutingRules srr = ShardRoutingRules.fromJson(shard);
        assertEquals(List.of(), srr.validate());
        assertEquals(shard, srr.toJson());
        assertEquals(List.of(new ShardRoutingRule("commerce", "customer", "-80")), srr.rules());

        String keyspace = """
                {
                  "rules": [
                    {
                      "from_keyspace": "source",
                      "to_keyspace": "target"
                    },
                    {
                      "from_keyspace": "source@replica",
                      "to_keyspace": "target"
                    }
                  ]
                }""";
        KeyspaceRoutingRules krr = KeyspaceRoutingRules.fromJson(keyspace);
        assertEquals(List.of(), krr.validate());
        assertEquals(keyspace, krr.toJson());
        assertEquals(krr, krr.requireValid());
        assertTrue(KeyspaceRoutingRules.fromJson("{\"rules\": null}").rules().isEmpty());
    }
}
