package dev.mosaic.api.json;

/**
 * A JSON boolean.
 *
 * @param value the value
 */
public record JsonBool(boolean value) implements Json {
    /** {@code true}. */
    public static final JsonBool TRUE = new JsonBool(true);
    /** {@code false}. */
    public static final JsonBool FALSE = new JsonBool(false);

    @Override
    public String typeName() {
        return "boolean";
    }

    /** {@code true} or {@code false}. */
    @Override
    public String toString() {
        return toJson();
    }
}
