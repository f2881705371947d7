package dev.mosaic.spi.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The type of a configuration value. Raw values are strings (from YAML, flags, vschema
 * {@code params}); each type says how a raw string is parsed, and rejects what it cannot parse
 * with a reason suitable for an error message.
 */
public enum ConfigType {
    /** Any string, kept as is. */
    STRING,
    /** A 32-bit signed decimal integer. */
    INT,
    /** A 64-bit signed decimal integer. */
    LONG,
    /** A decimal floating-point number. */
    DOUBLE,
    /** {@code true} or {@code false} (case-insensitive); also {@code 1}/{@code 0}. */
    BOOLEAN,
    /**
     * A duration in Go's notation, as Vitess flags use: a sequence of number+unit with units
     * {@code ns us ms s m h} ({@code 500ms}, {@code 1m30s}, {@code 2h}); {@code 0} alone is zero.
     */
    DURATION,
    /** A comma-separated list of strings, each trimmed; empty items are dropped. */
    LIST;

    /**
     * Parses a raw value.
     *
     * @return a String, Integer, Long, Double, Boolean, Duration or {@code List<String>}
     * @throws IllegalArgumentException with the reason (not naming the key; the caller does)
     */
    public Object parse(String raw) {
        switch (this) {
            case STRING:
                return raw;
            case INT:
                try {
                    return Integer.parseInt(raw.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + raw + "' is not an integer");
                }
            case LONG:
                try {
                    return Long.parseLong(raw.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + raw + "' is not a 64-bit integer");
                }
            case DOUBLE:
                try {
                    double d = Double.parseDouble(raw.trim());
                    if (Double.isNaN(d) || Double.isInfinite(d)) {
                        throw new NumberFormatException();
                    }
                    return d;
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + raw + "' is not a number");
                }
            case BOOLEAN:
                switch (raw.trim().toLowerCase(Locale.ROOT)) {
                    case "true", "1":
                        return Boolean.TRUE;
                    case "false", "0":
                        return Boolean.FALSE;
                    default:
                        throw new IllegalArgumentException("'" + raw + "' is not a boolean (true or false)");
                }
            case DURATION:
                return parseDuration(raw.trim());
            case LIST:
                List<String> items = new ArrayList<>();
                for (String item : raw.split(",")) {
                    String t = item.trim();
                    if (!t.isEmpty()) {
                        items.add(t);
                    }
                }
                return List.copyOf(items);
            default:
                throw new AssertionError(this);
        }
    }

    private static Duration parseDuration(String s) {
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty duration; use e.g. 30s, 500ms, 1m30s");
        }
        Duration total = Duration.ZERO;
        int i = 0;
        while (i < s.length()) {
            int numStart = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            int unitStart = i;
            while (i < s.length() && Character.isLetter(s.charAt(i))) {
                i++;
            }
            if (numStart == unitStart || unitStart == i) {
                throw new IllegalArgumentException("'" + s + "' is not a duration; use e.g. 30s, 500ms, 1m30s");
            }
            double n;
            try {
                n = Double.parseDouble(s.substring(numStart, unitStart));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + s + "' is not a duration; use e.g. 30s, 500ms, 1m30s");
            }
            long nanosPerUnit = switch (s.substring(unitStart, i)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> throw new IllegalArgumentException("'" + s + "': unknown duration unit '"
                        + s.substring(unitStart, i) + "' (use ns, us, ms, s, m, h)");
            };
            total = total.plusNanos(Math.round(n * nanosPerUnit));
        }
        return total;
    }
}
