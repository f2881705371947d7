package dev.mosaic.server.mysqlctl.flavor;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Small helpers for building SQL text and reading result values. */
final class SqlText {
    private SqlText() {
    }

    /** A single-quoted string literal for the default sql_mode (backslash escapes on, as on our own connections). */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('\'');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\'' -> sb.append("''");
                case '\\' -> sb.append("\\\\");
                case '\0' -> sb.append("\\0");
                default -> sb.append(c);
            }
        }
        return sb.append('\'').toString();
    }

    /** Seconds with millisecond precision, e.g. {@code 1.500}. */
    static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toMillis()).movePointLeft(3).setScale(3, RoundingMode.UNNECESSARY).toPlainString();
    }

    static Map<String, String> lowerKeys(Map<String, String> in) {
        return in.entrySet().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(e -> e.getKey().toLowerCase(Locale.ROOT), Map.Entry::getValue, (a, b) -> b));
    }

    static boolean on(String v) {
        return v != null && (v.equalsIgnoreCase("ON") || v.equals("1") || v.equalsIgnoreCase("YES"));
    }

    static long number(String v) {
        if (v == null || v.isBlank()) {
            return 0;
        }
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static <T> T orElse(Map<String, String> m, String key, Function<String, T> f, T dflt) {
        String v = m.get(key);
        return v == null ? dflt : f.apply(v);
    }
}
