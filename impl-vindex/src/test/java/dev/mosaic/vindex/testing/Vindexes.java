package dev.mosaic.vindex.testing;

import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.config.Config;
import dev.mosaic.spi.vindex.Vindex;
import dev.mosaic.spi.vindex.VindexFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test shorthands: create a vindex as the registry would, and build values and keyspace ids. */
public final class Vindexes {
    private Vindexes() {
    }

    /** Validates {@code params} against the factory's spec and creates the vindex, as the registry does. */
    public static Vindex create(VindexFactory f, String name, Map<String, String> params) {
        Config c = f.configSpec().validate(params, "vindex '" + name + "' (type " + f.type() + ")");
        return f.create(c, PluginContext.named(name));
    }

    /** A keyspace id of the bytes of an ASCII string (Vitess's tests use "test1" and the like). */
    public static KeyspaceId ksid(String ascii) {
        return KeyspaceId.of(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** INT64 values. */
    public static List<Value> ints(long... vs) {
        List<Value> out = new ArrayList<>();
        for (long v : vs) {
            out.add(Value.of(v));
        }
        return out;
    }

    /** A list of single-column rows. */
    public static List<List<Value>> rowsOf(Value... vs) {
        List<List<Value>> out = new ArrayList<>();
        for (Value v : vs) {
            out.add(List.of(v));
        }
        return out;
    }

    /** One row. */
    public static List<Value> row(Value... vs) {
        return List.of(vs);
    }

    /** A VARBINARY value of an ASCII string. */
    public static Value bin(String ascii) {
        return Value.of(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }
}
