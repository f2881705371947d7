package dev.mosaic.server.process.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers of config values for {@link ConfigReader}: each returns the value or throws
 * {@link IllegalArgumentException} with the reason.
 */
public final class ConfigValues {
    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    private ConfigValues() {
    }

    /** A TCP port, 0 (ephemeral) to 65535. */
    public static int port(String s) {
        int p = Integer.parseInt(s.trim());
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException("not a port (0..65535): " + s);
        }
        return p;
    }

    /** An int of at least 1. */
    public static int positiveInt(String s) {
        int n = Integer.parseInt(s.trim());
        if (n < 1) {
            throw new IllegalArgumentException("must be at least 1, got " + n);
        }
        return n;
    }

    /** An int of at least 0. */
    public static int nonNegativeInt(String s) {
        int n = Integer.parseInt(s.trim());
        if (n < 0) {
            throw new IllegalArgumentException("must not be negative, got " + n);
        }
        return n;
    }

    /** A long of at least 0. */
    public static long nonNegativeLong(String s) {
        long n = Long.parseLong(s.trim());
        if (n < 0) {
            throw new IllegalArgumentException("must not be negative, got " + n);
        }
        return n;
    }

    /** {@code true} or {@code false}, in any case. */
    public static boolean bool(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("must be true or false, got '" + s + "'");
        };
    }

    /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, or ISO-8601 ({@code PT30S}). */
    public static Duration duration(String s) {
        String t = s.trim();
        Matcher m = SIMPLE_DURATION.matcher(t);
        try {
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            }
            return Duration.parse(t);
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("not a duration (use e.g. 500ms, 30s, 5m, 1h): '" + s + "'");
        }
    }

    /** {@code d} if it is above zero. */
    public static Duration positive(Duration d) {
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("must be positive, got " + d);
        }
        return d;
    }
}
