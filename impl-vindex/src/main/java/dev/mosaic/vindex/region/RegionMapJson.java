package dev.mosaic.vindex.region;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses a region map file: one JSON object whose values are unsigned integers, e.g.
 * {@code {"US": 1, "CA": 1, "FR": 2}}. Only what Vitess accepts for its {@code map[string]uint64}.
 */
final class RegionMapJson {
    private static final BigInteger MAX_UINT64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private final String s;
    private int pos;

    private RegionMapJson(String s) {
        this.s = s;
    }

    /**
     * The map in {@code json}, values as unsigned 64-bit bits.
     *
     * @throws IllegalArgumentException with the position and reason
     */
    static Map<String, Long> parse(String json) {
        RegionMapJson p = new RegionMapJson(json);
        p.ws();
        Map<String, Long> out = p.object();
        p.ws();
        if (p.pos != json.length()) {
            throw p.error("unexpected text after the object");
        }
        return out;
    }

    private Map<String, Long> object() {
        expect('{');
        Map<String, Long> out = new LinkedHashMap<>();
        ws();
        if (peek() == '}') {
            pos++;
            return out;
        }
        while (true) {
            ws();
            String key = string();
            ws();
            expect(':');
            ws();
            out.put(key, number());
            ws();
            char c = next();
            if (c == '}') {
                return out;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}'");
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return sb.toString();
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > s.length()) {
                        throw error("short \\u escape");
                    }
                    try {
                        sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw error("bad \\u escape");
                    }
                    pos += 4;
                }
                default -> throw error("bad escape \\" + e);
            }
        }
    }

    private long number() {
        int start = pos;
        while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw error("expected an unsigned integer");
        }
        if (pos < s.length() && (s.charAt(pos) == '.' || s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
            throw error("region numbers must be unsigned integers");
        }
        BigInteger n = new BigInteger(s.substring(start, pos));
        if (n.compareTo(MAX_UINT64) > 0) {
            throw error("region number out of range");
        }
        return n.longValue();
    }

    private void ws() {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
            pos++;
        }
    }

    private char peek() {
        if (pos >= s.length()) {
            throw error("unexpected end of input");
        }
        return s.charAt(pos);
    }

    private char next() {
        char c = peek();
        pos++;
        return c;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private IllegalArgumentException error(String reason) {
        return new IllegalArgumentException(reason + " at offset " + pos);
    }
}
