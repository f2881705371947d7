package dev.mosaic.api.json;

import java.math.BigDecimal;
import java.util.List;

/**
 * A JSON value: one of {@link JsonObject}, {@link JsonArray}, {@link JsonString}, {@link
 * JsonNumber}, {@link JsonBool} or {@link JsonNull}.
 *
 * <p>Values are immutable and safe to share between threads. Two values are equal when they denote
 * the same JSON value: object member order is kept for writing but ignored by {@code equals}, and
 * numbers compare as {@link BigDecimal#equals} does (so {@code 1} and {@code 1.0} differ, as their
 * text does).
 */
public sealed interface Json permits JsonObject, JsonArray, JsonString, JsonNumber, JsonBool, JsonNull {

    /**
     * Parses one JSON text (RFC 8259): a single value, optionally surrounded by whitespace. A leading
     * byte-order mark is ignored. Duplicate keys within an object, unpaired surrogates (raw or
     * escaped), nesting deeper than {@value JsonParser#MAX_DEPTH} and anything outside the grammar are
     * rejected.
     *
     * @throws JsonException naming the line, column and path where the text is malformed
     */
    static Json parse(String text) {
        return new JsonParser(text).parseDocument();
    }

    /** The JSON type name for messages: {@code object}, {@code array}, {@code string}, ... */
    String typeName();

    /** The compact text form: no whitespace between tokens. Parsing it yields an equal value. */
    default String toJson() {
        return JsonWriter.write(this, false);
    }

    /**
     * The pretty text form: one member or element per line, indented by two spaces, {@code ": "}
     * after keys, empty objects and arrays as {@code {}} and {@code []}, no trailing newline.
     */
    default String toPrettyJson() {
        return JsonWriter.write(this, true);
    }

    /** A string value. */
    static JsonString of(String value) {
        return new JsonString(value);
    }

    /** A number value holding {@code value} exactly. */
    static JsonNumber of(long value) {
        return new JsonNumber(BigDecimal.valueOf(value));
    }

    /** A boolean value. */
    static JsonBool of(boolean value) {
        return value ? JsonBool.TRUE : JsonBool.FALSE;
    }

    /** An array of strings, in order. */
    static JsonArray ofStrings(List<String> values) {
        return new JsonArray(values.stream().<Json>map(JsonString::new).toList());
    }
}
