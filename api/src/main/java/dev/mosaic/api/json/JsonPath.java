package dev.mosaic.api.json;

/**
 * Builds the JSONPath-style locations used in error messages: {@code $} is the document,
 * {@code $.tables.corder} a member, {@code $.rules[0]} an element. A key that is not a plain
 * identifier (letters, digits, {@code _}, {@code -}) is written in brackets as a JSON string:
 * {@code $.params["a.b"]}.
 */
public final class JsonPath {
    /** The path of the document itself. */
    public static final String ROOT = "$";

    private JsonPath() {
    }

    /** The path of member {@code key} of the object at {@code parent}. */
    public static String member(String parent, String key) {
        if (!key.isEmpty() && key.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-'))) {
            return parent + "." + key;
        }
        return parent + "[" + JsonWriter.quote(key) + "]";
    }

    /** The path of element {@code index} of the array at {@code parent}. */
    public static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }
}
