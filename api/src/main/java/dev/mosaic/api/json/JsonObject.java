package dev.mosaic.api.json;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A JSON object: members in the order they were read or added.
 *
 * @param members the members, keys unique; iteration follows insertion order. The map is an
 *                unmodifiable copy; {@code equals} ignores order, as JSON objects are unordered.
 */
public record JsonObject(Map<String, Json> members) implements Json {
    /** The empty object. */
    public static final JsonObject EMPTY = new JsonObject(Map.of());

    /** Copies {@code members}, keeping their iteration order; rejects null keys or values. */
    public JsonObject {
        LinkedHashMap<String, Json> copy = new LinkedHashMap<>();
        members.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "key"), Objects.requireNonNull(v, "value")));
        members = Collections.unmodifiableMap(copy);
    }

    /** The member named {@code key}, if present. */
    public Optional<Json> get(String key) {
        return Optional.ofNullable(members.get(key));
    }

    /** The number of members. */
    public int size() {
        return members.size();
    }

    /** A builder that keeps insertion order. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String typeName() {
        return "object";
    }

    /** The compact JSON text. */
    @Override
    public String toString() {
        return toJson();
    }

    /** Builds a {@link JsonObject} member by member. Not thread-safe. */
    public static final class Builder {
        private final LinkedHashMap<String, Json> members = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Adds a member.
         *
         * @throws IllegalArgumentException if {@code key} was already added
         */
        public Builder put(String key, Json value) {
            Objects.requireNonNull(value, "value");
            if (members.putIfAbsent(Objects.requireNonNull(key, "key"), value) != null) {
                throw new IllegalArgumentException("duplicate key '" + key + "'");
            }
            return this;
        }

        /** Adds a string member. */
        public Builder put(String key, String value) {
            return put(key, Json.of(value));
        }

        /** Adds a boolean member. */
        public Builder put(String key, boolean value) {
            return put(key, Json.of(value));
        }

        /** Adds a number member. */
        public Builder put(String key, long value) {
            return put(key, Json.of(value));
        }

        /** True if no member was added yet. */
        public boolean isEmpty() {
            return members.isEmpty();
        }

        /** The object holding the members added so far. */
        public JsonObject build() {
            return new JsonObject(members);
        }
    }
}
