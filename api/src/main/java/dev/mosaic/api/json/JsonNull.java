package dev.mosaic.api.json;

/** The JSON {@code null}. All instances are equal; use {@link #INSTANCE}. */
public record JsonNull() implements Json {
    /** The null value. */
    public static final JsonNull INSTANCE = new JsonNull();

    @Override
    public String typeName() {
        return "null";
    }

    /** {@code null}. */
    @Override
    public String toString() {
        return "null";
    }
}
