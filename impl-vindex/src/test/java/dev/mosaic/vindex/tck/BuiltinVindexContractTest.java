package dev.mosaic.vindex.tck;

import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.vindex.VindexFactory;
import dev.mosaic.tck.vindex.VindexContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every built-in vindex type keeps the TCK vindex contract: one nested contract per type (and a
 * few per param variant), each found through ServiceLoader by its type name, as a host finds it.
 */
class BuiltinVindexContractTest {
    private static final Map<String, String> LOOKUP = Map.of("table", "name_idx", "from", "name", "to", "keyspace_id");
    private static final Map<String, String> LOOKUP_HASH = Map.of("table", "name_idx", "from", "name", "to", "user_id");
    private static final Path REGION_MAP = regionMap();

    private static Path regionMap() {
        try {
            Path p = Files.createTempFile("tck-region-map", ".json");
            Files.writeString(p, "{\"US\": 1, \"CA\": 1, \"FR\": 2, \"DE\": 2, \"JP\": 3}", StandardCharsets.UTF_8);
            p.toFile().deleteOnExit();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The 20 types, so that a new type without a contract below fails here. */
    @Test
    void everyRegisteredTypeHasAContract() {
        List<String> types = new ArrayList<>();
        ServiceLoader.load(VindexFactory.class).forEach(f -> types.add(f.type()));
        assertEquals(List.of("binary", "binary_md5", "cfc", "consistent_lookup", "consistent_lookup_unique", "hash",
                        "lookup", "lookup_hash", "lookup_hash_unique", "lookup_unique", "multicol", "null", "numeric",
                        "numeric_static_map", "region_experimental", "region_json", "reverse_bits", "unicode_loose_md5",
                        "unicode_loose_xxhash", "xxhash"),
                types.stream().sorted().toList());
    }

    /** The contract over the registered provider of {@code type} with {@code params}. */
    abstract static class Builtin extends VindexContract {
        private final String type;
        private final Map<String, String> params;

        Builtin(String type, Map<String, String> params) {
            this.type = type;
            this.params = params;
        }

        @Override
        protected VindexFactory factory() {
            for (VindexFactory f : ServiceLoader.load(VindexFactory.class)) {
                if (f.type().equals(type)) {
                    return f;
                }
            }
            throw new AssertionError("no vindex type " + type);
        }

        @Override
        protected Map<String, String> sampleConfig() {
            return params;
        }
    }

    @Nested
    class Hash extends Builtin {
        Hash() {
            super("hash", Map.of());
        }
    }

    @Nested
    class XxHash extends Builtin {
        XxHash() {
            super("xxhash", Map.of());
        }
    }

    @Nested
    class BinaryMd5 extends Builtin {
        BinaryMd5() {
            super("binary_md5", Map.of());
        }
    }

    @Nested
    class Binary extends Builtin {
        Binary() {
            super("binary", Map.of());
        }
    }

    @Nested
    class Numeric extends Builtin {
        Numeric() {
            super("numeric", Map.of());
        }
    }

    @Nested
    class ReverseBits extends Builtin {
        ReverseBits() {
            super("reverse_bits", Map.of());
        }
    }

    @Nested
    class Null extends Builtin {
        Null() {
            super("null", Map.of());
        }
    }

    @Nested
    class NumericStaticMap extends Builtin {
        NumericStaticMap() {
            super("numeric_static_map", Map.of("json", "{\"1\": 2, \"3\": 4, \"42\": 18446744073709551615}"));
        }
    }

    @Nested
    class NumericStaticMapWithFallback extends Builtin {
        NumericStaticMapWithFallback() {
            super("numeric_static_map", Map.of("json", "{\"1\": 2, \"3\": 4}", "fallback_type", "hash"));
        }
    }

    @Nested
    class UnicodeLooseMd5 extends Builtin {
        UnicodeLooseMd5() {
            super("unicode_loose_md5", Map.of());
        }
    }

    @Nested
    class UnicodeLooseXxHash extends Builtin {
        UnicodeLooseXxHash() {
            super("unicode_loose_xxhash", Map.of());
        }
    }

    @Nested
    class Cfc extends Builtin {
        Cfc() {
            super("cfc", Map.of());
        }
    }

    @Nested
    class CfcMd5 extends Builtin {
        CfcMd5() {
            super("cfc", Map.of("hash", "md5", "offsets", "[2,4]"));
        }
    }

    @Nested
    class CfcXxHash extends Builtin {
        CfcXxHash() {
            super("cfc", Map.of("hash", "xxhash64", "offsets", "[1,3]"));
        }
    }

    @Nested
    class MultiCol extends Builtin {
        MultiCol() {
            super("multicol", Map.of("column_count", "3", "column_vindex", "hash,xxhash,binary_md5", "column_bytes", "2,,"));
        }
    }

    @Nested
    class RegionExperimental extends Builtin {
        RegionExperimental() {
            super("region_experimental", Map.of("region_bytes", "1"));
        }
    }

    @Nested
    class RegionJson extends Builtin {
        RegionJson() {
            super("region_json", Map.of("region_map", REGION_MAP.toString(), "region_bytes", "2"));
        }

        @Override
        protected List<List<Value>> sampleRows() {
            List<List<Value>> rows = new ArrayList<>();
            String[] keys = {"US", "CA", "FR", "DE", "JP"};
            long[] ids = {0, 1, 2, 42, 1000, 123456789, Long.MAX_VALUE};
            for (int i = 0; i < ids.length; i++) {
                rows.add(List.of(Value.of(ids[i]), Value.of(keys[i % keys.length])));
            }
            rows.add(List.of(Value.of(7), Value.of("XX"))); // not in the map: maps nowhere
            return rows;
        }
    }

    @Nested
    class Lookup extends Builtin {
        Lookup() {
            super("lookup", LOOKUP);
        }
    }

    @Nested
    class LookupUnique extends Builtin {
        LookupUnique() {
            super("lookup_unique", LOOKUP);
        }
    }

    @Nested
    class LookupHash extends Builtin {
        LookupHash() {
            super("lookup_hash", LOOKUP_HASH);
        }
    }

    @Nested
    class LookupHashUnique extends Builtin {
        LookupHashUnique() {
            super("lookup_hash_unique", LOOKUP_HASH);
        }
    }

    @Nested
    class ConsistentLookup extends Builtin {
        ConsistentLookup() {
            super("consistent_lookup", LOOKUP);
        }
    }

    @Nested
    class ConsistentLookupUnique extends Builtin {
        ConsistentLookupUnique() {
            super("consistent_lookup_unique", LOOKUP);
        }
    }

    @Nested
    class ConsistentLookupUniqueTwoColumns extends Builtin {
        ConsistentLookupUniqueTwoColumns() {
            super("consistent_lookup_unique", Map.of("table", "ks.name_idx", "from", "name, org", "to", "keyspace_id"));
        }
    }

    @Nested
    class LookupStringValues extends Builtin {
        LookupStringValues() {
            super("lookup", Map.of("table", "name_idx", "from", "name", "to", "keyspace_id", "batch_lookup", "true"));
        }

        @Override
        protected List<Value> sampleValues() {
            return STRING_SAMPLES;
        }
    }
}
