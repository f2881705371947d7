package dev.mosaic.api.json;

import java.util.Iterator;
import java.util.Map;

/** Writes {@link Json} trees as text; see {@link Json#toJson()} and {@link Json#toPrettyJson()}. */
final class JsonWriter {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out = new StringBuilder();
    private final boolean pretty;

    private JsonWriter(boolean pretty) {
        this.pretty = pretty;
    }

    static String write(Json value, boolean pretty) {
        JsonWriter w = new JsonWriter(pretty);
        w.value(value, 0);
        return w.out.toString();
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2);
        appendQuoted(b, s);
        return b.toString();
    }

    private void value(Json value, int depth) {
        // Pattern matching for switch is not final in Java 17, hence the chain.
        if (value instanceof JsonObject o) {
            object(o, depth);
        } else if (value instanceof JsonArray a) {
            array(a, depth);
        } else if (value instanceof JsonString s) {
            appendQuoted(out, s.value());
        } else if (value instanceof JsonNumber n) {
            out.append(n.value().toString());
        } else if (value instanceof JsonBool b) {
            out.append(b.value());
        } else {
            out.append("null");
        }
    }

    private void object(JsonObject o, int depth) {
        if (o.members().isEmpty()) {
            out.append("{}");
            return;
        }
        out.append('{');
        Iterator<Map.Entry<String, Json>> it = o.members().entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Json> e = it.next();
            newline(depth + 1);
            appendQuoted(out, e.getKey());
            out.append(pretty ? ": " : ":");
            value(e.getValue(), depth + 1);
            if (it.hasNext()) {
                out.append(',');
            }
        }
        newline(depth);
        out.append('}');
    }

    private void array(JsonArray a, int depth) {
        if (a.elements().isEmpty()) {
            out.append("[]");
            return;
        }
        out.append('[');
        for (int i = 0; i < a.elements().size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            newline(depth + 1);
            value(a.elements().get(i), depth + 1);
        }
        newline(depth);
        out.append(']');
    }

    private void newline(int depth) {
        if (pretty) {
            out.append('\n');
            out.append("  ".repeat(depth));
        }
    }

    private static void appendQuoted(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    // Control characters must be escaped; an unpaired surrogate cannot be encoded
                    // as UTF-8, so it is escaped too (our own parser rejects it on the way back).
                    boolean lone = Character.isSurrogate(c) && !pairedAt(s, i);
                    if (c < 0x20 || c == 0x7f || lone) {
                        b.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf])
                                .append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
                    } else if (Character.isHighSurrogate(c)) {
                        b.append(c).append(s.charAt(++i));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    private static boolean pairedAt(String s, int i) {
        char c = s.charAt(i);
        return Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
}
