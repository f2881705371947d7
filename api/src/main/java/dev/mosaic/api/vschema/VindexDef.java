package dev.mosaic.api.vschema;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A vindex declared in a keyspace: Vitess's {@code Vindex} message.
 *
 * @param type   the vindex type name, e.g. {@code xxhash} or {@code consistent_lookup_unique};
 *               looked up in the vindex registry by the server, not here
 * @param params the type's parameters (e.g. {@code table}, {@code from}, {@code to} for lookups),
 *               string to string, in the order given (an unmodifiable copy)
 * @param owner  the table whose inserts, updates and deletes maintain a lookup vindex; empty for none
 */
public record VindexDef(String type, Map<String, String> params, String owner) {
    /** Copies {@code params}, keeping order; rejects nulls. */
    public VindexDef {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(owner, "owner");
        LinkedHashMap<String, String> copy = new LinkedHashMap<>();
        params.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "param name"), Objects.requireNonNull(v, "param value")));
        params = Collections.unmodifiableMap(copy);
    }

    /** A vindex of {@code type} without parameters or owner. */
    public static VindexDef of(String type) {
        return new VindexDef(type, Map.of(), "");
    }
}
