package dev.mosaic.vindex.lookup;

import static dev.mosaic.vindex.testing.Vindexes.create;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.spi.SpiVersion;
import dev.mosaic.spi.config.ConfigException;
import dev.mosaic.spi.vindex.VindexFactory;
import dev.mosaic.vindex.testing.FakeHash;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Param validation of the lookup family, table-driven as Vitess's createVindexTestCase. */
class LookupParamsTest {
    static final Map<String, String> BASE = Map.of("table", "t", "from", "fromc", "to", "toc");

    static List<VindexFactory> factories() {
        return List.of(new LookupFactoryBase.LookupFactory(), new LookupFactoryBase.LookupUniqueFactory(),
                LookupFactoryBase.LookupHashFactory.with(FakeHash.vhash()),
                LookupFactoryBase.LookupHashUniqueFactory.with(FakeHash.vhash()),
                new LookupFactoryBase.ConsistentLookupFactory(), new LookupFactoryBase.ConsistentLookupUniqueFactory());
    }

    /** Param, value, the expected problem (null: accepted), and which types accept the param at all. */
    static Stream<Arguments> cases() {
        Set<String> all = Set.of("lookup", "lookup_unique", "lookup_hash", "lookup_hash_unique", "consistent_lookup",
                "consistent_lookup_unique");
        Set<String> lookupCommon = Set.of("lookup", "lookup_unique", "lookup_hash", "lookup_hash_unique");
        Set<String> noVerify = Set.of("lookup", "lookup_unique");
        return Stream.of(
                Arguments.of("autocommit", "true", null, lookupCommon),
                Arguments.of("autocommit", "false", null, lookupCommon),
                Arguments.of("autocommit", "hello", "autocommit value must be 'true' or 'false': 'hello'", lookupCommon),
                Arguments.of("multi_shard_autocommit", "true", null, lookupCommon),
                Arguments.of("multi_shard_autocommit", "hello", "multi_shard_autocommit value must be 'true' or 'false': 'hello'", lookupCommon),
                Arguments.of("batch_lookup", "true", null, all),
                Arguments.of("batch_lookup", "hello", "batch_lookup value must be 'true' or 'false': 'hello'", all),
                Arguments.of("ignore_nulls", "false", null, all),
                Arguments.of("ignore_nulls", "hello", "ignore_nulls value must be 'true' or 'false': 'hello'", all),
                Arguments.of("read_lock", "exclusive", null, all),
                Arguments.of("read_lock", "shared", null, all),
                Arguments.of("read_lock", "none", null, all),
                Arguments.of("read_lock", "unknown", "invalid read_lock value: unknown", all),
                Arguments.of("write_only", "true", null, all),
                Arguments.of("write_only", "invalid", "write_only value must be 'true' or 'false': 'invalid'", all),
                Arguments.of("no_verify", "true", null, noVerify),
                Arguments.of("no_verify", "hello", "no_verify value must be 'true' or 'false': 'hello'", noVerify),
                Arguments.of("hello", "world", null, Set.of()));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("cases")
    void param(String key, String value, String problem, Set<String> acceptedBy) {
        for (VindexFactory f : factories()) {
            Map<String, String> p = new HashMap<>(BASE);
            p.put(key, value);
            if (!acceptedBy.contains(f.type())) {
                ConfigException e = assertThrows(ConfigException.class, () -> create(f, "v", p), f.type());
                assertEquals(key, e.problems().get(0).key());
                assertTrue(e.getMessage().contains("key '" + key + "': unknown key"), e.getMessage());
            } else if (problem == null) {
                create(f, "v", p);
            } else {
                ConfigException e = assertThrows(ConfigException.class, () -> create(f, "v", p), f.type());
                assertEquals(List.of(new ConfigException.Problem(key, problem)), e.problems());
                assertTrue(e.getMessage().startsWith("invalid configuration for vindex 'v' (type " + f.type() + ")"), e.getMessage());
            }
        }
    }

    @Test
    void tableFromAndToAreRequired() {
        for (VindexFactory f : factories()) {
            ConfigException e = assertThrows(ConfigException.class, () -> create(f, "v", Map.of()));
            assertEquals(List.of("table", "from", "to"), e.problems().stream().map(ConfigException.Problem::key).toList());
        }
        ConfigException e = assertThrows(ConfigException.class,
                () -> create(new LookupFactoryBase.LookupFactory(), "v", Map.of("table", "t", "from", "a,,b", "to", "c")));
        assertEquals("from", e.problems().get(0).key());
    }

    @Test
    void fromColumnsAreTrimmed() {
        LookupNonUnique l = (LookupNonUnique) create(new LookupFactoryBase.LookupFactory(), "v",
                Map.of("table", "ks.t", "from", " a , b ", "to", "c"));
        assertEquals(List.of("a", "b"), l.lkp.from());
        assertEquals("ks.t", l.table());
    }

    @Test
    void everyTypeIsRegisteredOnceWithTheCurrentSpi() {
        Set<String> types = new TreeSet<>();
        for (VindexFactory f : ServiceLoader.load(VindexFactory.class)) {
            assertTrue(types.add(f.type()), "duplicate " + f.type());
            assertEquals(SpiVersion.CURRENT, f.spiVersion());
            assertTrue(!f.description().isBlank());
        }
        assertTrue(types.containsAll(Set.of("lookup", "lookup_unique", "lookup_hash", "lookup_hash_unique",
                "consistent_lookup", "consistent_lookup_unique", "region_experimental", "region_json", "cfc")), types.toString());
    }
}
