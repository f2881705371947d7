package dev.mosaic.vindex.functional;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.SpiVersion;
import dev.mosaic.spi.config.Config;
import dev.mosaic.spi.config.ConfigKey;
import dev.mosaic.spi.config.ConfigSpec;
import dev.mosaic.spi.config.ConfigType;
import dev.mosaic.spi.vindex.Hashing;
import dev.mosaic.spi.vindex.Vindex;
import dev.mosaic.spi.vindex.VindexFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Vitess's {@code numeric_static_map} vindex: a fixed table from unsigned numbers to unsigned
 * numbers, given inline ({@code json}) or in a file ({@code json_path}) as a JSON object such as
 * {@code {"1": 2, "3": 4}}. A value found in the table maps to the big-endian 8 bytes of its
 * entry; one not found maps to the big-endian bytes of itself, or, if {@code fallback_type} names
 * a hashing vindex type, to that vindex's keyspace id. Unique, cost 1, not reversible.
 *
 * <p>Values are read by {@link Conversions#castUint64}; unmappable ones map to
 * {@link dev.mosaic.spi.vindex.Destination.None} and are rejected by {@code verify}.
 */
public final class NumericStaticMapVindex extends FunctionalVindex {
    /** The type name. */
    public static final String TYPE = "numeric_static_map";

    private final Map<Long, Long> table;
    private final Hashing fallback;

    /**
     * A vindex over {@code table} (keys and values are unsigned numbers held in longs).
     *
     * @param fallback the vindex for values not in the table, or null to use the value itself
     */
    public NumericStaticMapVindex(String name, Map<Long, Long> table, Hashing fallback) {
        super(name, 1, Unmappable.NONE);
        this.table = Map.copyOf(table);
        this.fallback = fallback;
    }

    @Override
    protected byte[] keyspaceIdBytes(Value value) {
        long num = Conversions.castUint64(value);
        Long mapped = table.get(num);
        if (mapped == null && fallback != null) {
            return fallback.hash(value).bytes();
        }
        return Conversions.bigEndian(mapped != null ? mapped : num);
    }

    /**
     * Parses the table: a JSON object whose keys are unsigned decimal strings and whose values are
     * unsigned integers ({@code null} is an empty table), read as Go's {@code encoding/json} reads
     * it into a {@code map[string]uint64} (a repeated key keeps its last value).
     *
     * @throws IllegalArgumentException with the reason
     */
    public static Map<Long, Long> parseTable(String json) {
        return new TableParser(json).parse();
    }

    /** False: {@value #TYPE} is placed by the operator's table; values outside it map to themselves or to the fallback. */
    @Override
    public boolean spreadsEvenly() {
        return false;
    }

    /** Provider of {@code numeric_static_map}. */
    public static final class Factory implements VindexFactory {
        private static final ConfigSpec SPEC = ConfigSpec.of(
                ConfigKey.optional("json", ConfigType.STRING,
                        "the table inline, a JSON object of number to number, e.g. {\"1\": 2}; exactly one of json and json_path"),
                ConfigKey.optional("json_path", ConfigType.STRING,
                        "a file holding the table as a JSON object of number to number; exactly one of json and json_path"),
                ConfigKey.optional("fallback_type", ConfigType.STRING,
                        "a hashing vindex type (e.g. hash) for values not in the table; without it they map to themselves"));

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String description() {
            return "a fixed JSON table of number to number, with an optional hashing fallback; unique, cost 1";
        }

        @Override
        public String spiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        public ConfigSpec configSpec() {
            return SPEC;
        }

        @Override
        public Vindex create(Config config, PluginContext context) {
            boolean inline = config.isGiven("json");
            boolean file = config.isGiven("json_path");
            if (!inline && !file) {
                throw new MosaicException(ErrorCode.INVALID_ARGUMENT,
                        "NumericStaticMap: Could not find either `json_path` or `json` params in vschema");
            }
            if (inline && file) {
                throw new MosaicException(ErrorCode.INVALID_ARGUMENT,
                        "NumericStaticMap: Found both `json` and `json_path` params in vschema");
            }
            String key = inline ? "json" : "json_path";
            String json;
            if (inline) {
                json = config.getString("json");
            } else {
                try {
                    json = Files.readString(Path.of(config.getString("json_path")), StandardCharsets.UTF_8);
                } catch (IOException | RuntimeException e) {
                    throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "NumericStaticMap: param 'json_path': cannot read "
                            + config.getString("json_path") + ": " + e, e);
                }
            }
            Map<Long, Long> table;
            try {
                table = parseTable(json);
            } catch (IllegalArgumentException e) {
                throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "NumericStaticMap: param '" + key + "': " + e.getMessage(), e);
            }
            Hashing fallback = null;
            if (config.isGiven("fallback_type")) {
                String type = config.getString("fallback_type");
                Vindex v = SubVindexes.create(type, context.instanceName() + "_hash", Map.of());
                if (!(v instanceof Hashing h)) {
                    throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "NumericStaticMap: param 'fallback_type': vindex type '"
                            + type + "' is not a hashing vindex");
                }
                fallback = h;
            }
            return new NumericStaticMapVindex(context.instanceName(), table, fallback);
        }
    }

    /** A strict reader of {@code {"<uint>": <uint>, ...}} (or {@code null}). */
    private static final class TableParser {
        private final String s;
        private int i;

        TableParser(String s) {
            this.s = s;
        }

        Map<Long, Long> parse() {
            Map<Long, Long> out = new HashMap<>();
            skipWs();
            if (s.startsWith("null", i)) {
                i += 4;
                end();
                return out;
            }
            expect('{', "looking for beginning of value");
            skipWs();
            if (peek() == '}') {
                i++;
                end();
                return out;
            }
            while (true) {
                skipWs();
                if (peek() != '"') {
                    throw error("looking for beginning of object key string");
                }
                String k = string();
                skipWs();
                expect(':', "after object key");
                skipWs();
                long v = number();
                long key;
                try {
                    key = Long.parseUnsignedLong(k);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("key \"" + k + "\" is not an unsigned 64-bit integer");
                }
                if (k.startsWith("+")) {
                    throw new IllegalArgumentException("key \"" + k + "\" is not an unsigned 64-bit integer");
                }
                out.put(key, v);
                skipWs();
                char c = peek();
                i++;
                if (c == '}') {
                    end();
                    return out;
                }
                if (c != ',') {
                    i--;
                    throw error("after object key:value pair");
                }
            }
        }

        private String string() {
            i++; // opening quote
            StringBuilder sb = new StringBuilder();
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c == '\\') {
                    throw new IllegalArgumentException("escapes are not supported in table keys");
                }
                sb.append(c);
            }
            throw new IllegalArgumentException("unexpected end of JSON input");
        }

        private long number() {
            int start = i;
            while (i < s.length() && "0123456789+-.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            String n = s.substring(start, i);
            if (n.isEmpty()) {
                throw error("looking for beginning of value");
            }
            if (!n.matches("0|[1-9][0-9]*")) {
                throw new IllegalArgumentException("cannot unmarshal number " + n + " into an unsigned 64-bit integer");
            }
            try {
                return Long.parseUnsignedLong(n);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("cannot unmarshal number " + n + " into an unsigned 64-bit integer");
            }
        }

        private void expect(char c, String context) {
            if (peek() != c) {
                throw error(context);
            }
            i++;
        }

        private void end() {
            skipWs();
            if (i < s.length()) {
                throw error("after top-level value");
            }
        }

        private char peek() {
            if (i >= s.length()) {
                throw new IllegalArgumentException("unexpected end of JSON input");
            }
            return s.charAt(i);
        }

        private void skipWs() {
            while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
        }

        private IllegalArgumentException error(String context) {
            if (i >= s.length()) {
                return new IllegalArgumentException("unexpected end of JSON input");
            }
            return new IllegalArgumentException("invalid character '" + s.charAt(i) + "' " + context);
        }
    }
}
