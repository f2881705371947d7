package dev.mosaic.api.sql;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Writing values as SQL literals that MySQL reads back unchanged, whatever the sql_mode. */
final class Literals {
    private Literals() {
    }

    /**
     * A single-quoted string literal. Quote, backslash, NUL, newline, carriage return and ^Z are
     * escaped so the literal reads the same with and without NO_BACKSLASH_ESCAPES only where
     * possible; callers that need mode independence for binary data use {@link #hex}.
     */
    static String quote(byte[] utf8) {
        String s = new String(utf8, StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(s.length() + 2).append('\'');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\'' -> sb.append("''");
                case '\\' -> sb.append("\\\\");
                case '\0' -> sb.append("\\0");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\u001a' -> sb.append("\\Z");
                default -> sb.append(c);
            }
        }
        return sb.append('\'').toString();
    }

    /** A hex literal {@code X'...'}, exact for any bytes in any sql_mode. */
    static String hex(byte[] bytes) {
        return "X'" + HexFormat.of().formatHex(bytes) + "'";
    }
}
