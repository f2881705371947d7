package dev.mosaic.api.sql;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable set of named bind variables, as produced by normalizing a statement (literals
 * become {@code :vtg1}, {@code :vtg2}, ...) or sent by a client with a prepared statement.
 * Names are case-sensitive and have no leading colon. Iteration follows insertion order.
 */
public final class BindVariables {
    /** No bind variables. */
    public static final BindVariables EMPTY = new BindVariables(Map.of());

    private final Map<String, Value> values;

    private BindVariables(Map<String, Value> values) {
        this.values = values;
    }

    /** A copy of {@code values}; names must be non-empty and values non-null. */
    public static BindVariables of(Map<String, Value> values) {
        LinkedHashMap<String, Value> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (k == null || k.isEmpty() || k.charAt(0) == ':') {
                throw new IllegalArgumentException("bind variable name must be non-empty without ':' : '" + k + "'");
            }
            copy.put(k, Objects.requireNonNull(v, () -> "bind variable " + k + " is null; use Value.NULL"));
        });
        return new BindVariables(Collections.unmodifiableMap(copy));
    }

    /** The value of {@code name}, if bound. */
    public Optional<Value> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** The names bound, in order. */
    public Set<String> names() {
        return values.keySet();
    }

    /** A read-only view of the bindings. */
    public Map<String, Value> asMap() {
        return values;
    }

    /** The number of bindings. */
    public int size() {
        return values.size();
    }

    /** A copy with {@code name} bound to {@code value} (replacing any previous binding). */
    public BindVariables with(String name, Value value) {
        LinkedHashMap<String, Value> copy = new LinkedHashMap<>(values);
        copy.put(name, value);
        return of(copy);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BindVariables b && values.equals(b.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
