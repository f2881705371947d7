package dev.mosaic.api.json;

import java.util.Objects;

/**
 * A JSON string.
 *
 * @param value the decoded text (escapes resolved); never null
 */
public record JsonString(String value) implements Json {
    /** Rejects null. */
    public JsonString {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String typeName() {
        return "string";
    }

    /** The JSON text, quoted and escaped. */
    @Override
    public String toString() {
        return toJson();
    }
}
