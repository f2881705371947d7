package dev.mosaic.api.json;

import java.util.List;

/**
 * A JSON array.
 *
 * @param elements the elements in order (an unmodifiable copy; no nulls, use {@link JsonNull})
 */
public record JsonArray(List<Json> elements) implements Json {
    /** The empty array. */
    public static final JsonArray EMPTY = new JsonArray(List.of());

    /** Copies {@code elements}. */
    public JsonArray {
        elements = List.copyOf(elements);
    }

    /** The number of elements. */
    public int size() {
        return elements.size();
    }

    @Override
    public String typeName() {
        return "array";
    }

    /** The compact JSON text. */
    @Override
    public String toString() {
        return toJson();
    }
}
