package dev.mosaic.server.process.config;

import dev.mosaic.spi.config.ConfigException.Problem;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads typed values out of flat config pairs, turning each parse failure into a problem naming
 * the key, so that one pass reports every bad key. Not thread-safe: one reader per load.
 *
 * <p>A parser signals a bad value by throwing {@link IllegalArgumentException} (its message is the
 * reason) or {@link NumberFormatException} (reported as "not a number"). Values reach it trimmed.
 */
public final class ConfigReader {
    private final Map<String, String> values;
    private final List<Problem> problems;
    private final boolean oneProblemPerMissingKey;
    private final Set<String> failed = new HashSet<>();

    private ConfigReader(Map<String, String> values, List<Problem> problems, boolean oneProblemPerMissingKey) {
        this.values = values;
        this.problems = problems;
        this.oneProblemPerMissingKey = oneProblemPerMissingKey;
    }

    /** A reader of {@code values} adding to {@code problems}. */
    public static ConfigReader of(Map<String, String> values, List<Problem> problems) {
        return new ConfigReader(values, problems, false);
    }

    /**
     * Like {@link #of}, except that a missing required key already named by a problem (a key
     * written with no value, say) is not reported a second time.
     */
    public static ConfigReader reportingMissingKeysOnce(Map<String, String> values, List<Problem> problems) {
        return new ConfigReader(values, problems, true);
    }

    /** The pairs read. */
    public Map<String, String> values() {
        return values;
    }

    /** The problems found so far (shared with the caller, who may add its own). */
    public List<Problem> problems() {
        return problems;
    }

    /** Adds a problem about {@code key}. */
    public void problem(String key, String reason) {
        problems.add(new Problem(key, reason));
    }

    /** False if reading {@code key} failed (missing though required, or a bad value). */
    public boolean ok(String key) {
        return !failed.contains(key);
    }

    /** The parsed value of {@code key}; null (and a problem) if it is missing or bad. */
    public <T> T required(String key, Function<String, T> parse) {
        String v = values.get(key);
        if (v == null) {
            if (!oneProblemPerMissingKey || problems.stream().noneMatch(p -> p.key().equals(key))) {
                problems.add(new Problem(key, "required key is missing"));
            }
            failed.add(key);
            return null;
        }
        return parse(key, v, parse).orElse(null);
    }

    /** The parsed value of {@code key}; {@code fallback} if it is absent, or bad (then with a problem). */
    public <T> T optional(String key, T fallback, Function<String, T> parse) {
        String v = values.get(key);
        return v == null ? fallback : parse(key, v, parse).orElse(fallback);
    }

    private <T> Optional<T> parse(String key, String v, Function<String, T> parse) {
        try {
            return Optional.ofNullable(parse.apply(v.trim()));
        } catch (NumberFormatException e) {
            problems.add(new Problem(key, "not a number: '" + v + "'"));
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(key, e.getMessage()));
        }
        failed.add(key);
        return Optional.empty();
    }
}
