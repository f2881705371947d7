package dev.mosaic.api.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/** A recursive-descent parser for one RFC 8259 text; see {@link Json#parse(String)}. */
final class JsonParser {
    /** The deepest nesting of arrays and objects accepted, so hostile input cannot overflow the stack. */
    static final int MAX_DEPTH = 512;

    private final String text;
    private int pos;

    JsonParser(String text) {
        this.text = text;
    }

    Json parseDocument() {
        if (text.startsWith("\uFEFF")) {
            pos = 1;
        }
        skipWhitespace();
        if (pos >= text.length()) {
            throw error(pos, JsonPath.ROOT, "empty document, expected a JSON value");
        }
        Json value = value(JsonPath.ROOT, 0);
        skipWhitespace();
        if (pos < text.length()) {
            throw error(pos, JsonPath.ROOT, "unexpected " + describe(pos) + " after the JSON value");
        }
        return value;
    }

    private Json value(String path, int depth) {
        if (pos >= text.length()) {
            throw error(pos, path, "unexpected end of input, expected a value");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return object(path, depth + 1);
            case '[':
                return array(path, depth + 1);
            case '"':
                return new JsonString(string(path));
            case 't':
                literal("true", path);
                return JsonBool.TRUE;
            case 'f':
                literal("false", path);
                return JsonBool.FALSE;
            case 'n':
                literal("null", path);
                return JsonNull.INSTANCE;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number(path);
                }
                throw error(pos, path, "unexpected " + describe(pos) + ", expected a value");
        }
    }

    private JsonObject object(String path, int depth) {
        checkDepth(path, depth);
        pos++; // '{'
        LinkedHashMap<String, Json> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return new JsonObject(members);
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error(pos, path, "unexpected " + describe(pos) + ", expected a string key");
            }
            int keyStart = pos;
            String key = string(path);
            String memberPath = JsonPath.member(path, key);
            if (members.containsKey(key)) {
                throw error(keyStart, memberPath, "duplicate key " + JsonWriter.quote(key));
            }
            skipWhitespace();
            expect(':', memberPath, "':' after the key");
            skipWhitespace();
            members.put(key, value(memberPath, depth));
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
                skipWhitespace();
                if (peek() == '}') {
                    throw error(pos, path, "trailing comma before '}'");
                }
            } else if (c == '}') {
                pos++;
                return new JsonObject(members);
            } else {
                throw error(pos, path, "unexpected " + describe(pos) + ", expected ',' or '}'");
            }
        }
    }

    private JsonArray array(String path, int depth) {
        checkDepth(path, depth);
        pos++; // '['
        List<Json> elements = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return new JsonArray(elements);
        }
        while (true) {
            skipWhitespace();
            elements.add(value(JsonPath.index(path, elements.size()), depth));
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
                skipWhitespace();
                if (peek() == ']') {
                    throw error(pos, path, "trailing comma before ']'");
                }
            } else if (c == ']') {
                pos++;
                return new JsonArray(elements);
            } else {
                throw error(pos, path, "unexpected " + describe(pos) + ", expected ',' or ']'");
            }
        }
    }

    private String string(String path) {
        int start = pos;
        pos++; // opening quote
        StringBuilder b = null;
        int runStart = pos;
        while (true) {
            if (pos >= text.length()) {
                throw error(start, path, "unterminated string");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                String s = b == null ? text.substring(runStart, pos) : b.append(text, runStart, pos).toString();
                pos++;
                return s;
            }
            if (c < 0x20) {
                throw error(pos, path, "unescaped control character " + describe(pos) + " in string");
            }
            if (Character.isHighSurrogate(c)) {
                if (pos + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(pos + 1))) {
                    throw error(pos, path, "unpaired surrogate " + describe(pos) + " in string");
                }
                pos += 2;
                continue;
            }
            if (Character.isLowSurrogate(c)) {
                throw error(pos, path, "unpaired surrogate " + describe(pos) + " in string");
            }
            if (c != '\\') {
                pos++;
                continue;
            }
            if (b == null) {
                b = new StringBuilder();
            }
            b.append(text, runStart, pos);
            int escape = pos;
            pos++;
            if (pos >= text.length()) {
                throw error(start, path, "unterminated string");
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"' -> b.append('"');
                case '\\' -> b.append('\\');
                case '/' -> b.append('/');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    char u = hex4(escape, path);
                    if (Character.isHighSurrogate(u)) {
                        if (pos + 1 < text.length() && text.charAt(pos) == '\\' && text.charAt(pos + 1) == 'u') {
                            int second = pos;
                            pos += 2;
                            char low = hex4(second, path);
                            if (!Character.isLowSurrogate(low)) {
                                throw error(second, path, "escaped high surrogate not followed by an escaped low surrogate");
                            }
                            b.append(u).append(low);
                        } else {
                            throw error(escape, path, "escaped high surrogate not followed by an escaped low surrogate");
                        }
                    } else if (Character.isLowSurrogate(u)) {
                        throw error(escape, path, "escaped low surrogate without a preceding high surrogate");
                    } else {
                        b.append(u);
                    }
                }
                default -> throw error(escape, path, "invalid escape '\\" + printable(e) + "'");
            }
            runStart = pos;
        }
    }

    /** Reads the four hex digits after {@code \\u}; {@code escape} is the backslash's position. */
    private char hex4(int escape, String path) {
        if (pos + 4 > text.length()) {
            throw error(escape, path, "incomplete \\u escape, expected four hex digits");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos + i), 16);
            if (d < 0 || text.charAt(pos + i) > 'f') {
                throw error(escape, path, "invalid \\u escape, expected four hex digits");
            }
            v = v << 4 | d;
        }
        pos += 4;
        return (char) v;
    }

    private JsonNumber number(String path) {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
            if (isDigit(peek())) {
                throw error(start, path, "leading zeros are not allowed in numbers");
            }
        } else if (isDigit(peek())) {
            digits();
        } else {
            throw error(pos, path, "unexpected " + describe(pos) + ", expected a digit");
        }
        if (peek() == '.') {
            pos++;
            if (!isDigit(peek())) {
                throw error(pos, path, "unexpected " + describe(pos) + ", expected a digit after '.'");
            }
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error(pos, path, "unexpected " + describe(pos) + ", expected a digit in the exponent");
            }
            digits();
        }
        try {
            return new JsonNumber(new BigDecimal(text.substring(start, pos)));
        } catch (NumberFormatException e) {
            // Only an exponent beyond the int range gets here.
            throw error(start, path, "number out of range: " + text.substring(start, pos));
        }
    }

    private void digits() {
        while (isDigit(peek())) {
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void literal(String word, String path) {
        if (!text.startsWith(word, pos)) {
            throw error(pos, path, "unexpected " + describe(pos) + ", expected a value");
        }
        pos += word.length();
        if (pos < text.length() && Character.isLetterOrDigit(text.charAt(pos))) {
            throw error(pos, path, "unexpected " + describe(pos) + " after '" + word + "'");
        }
    }

    private void expect(char c, String path, String what) {
        if (peek() != c) {
            throw error(pos, path, "unexpected " + describe(pos) + ", expected " + what);
        }
        pos++;
    }

    private void checkDepth(String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw error(pos, path, "nesting deeper than " + MAX_DEPTH);
        }
    }

    /** The current char, or NUL at the end (NUL is never valid outside a string, so it fails checks). */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private String describe(int at) {
        if (at >= text.length()) {
            return "end of input";
        }
        return "'" + printable(text.charAt(at)) + "'";
    }

    private static String printable(char c) {
        if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
            return String.format("\\u%04x", (int) c);
        }
        return String.valueOf(c);
    }

    private JsonException error(int at, String path, String reason) {
        int line = 1;
        int lineStart = 0;
        int end = Math.min(at, text.length());
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                line++;
                lineStart = i + 1;
            }
        }
        return new JsonException(line, end - lineStart + 1, path, reason);
    }
}
