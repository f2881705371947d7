package dev.mosaic.spi.config;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Configuration that does not match its declaration. The message names the owner and every bad
 * key with its reason, e.g. {@code invalid configuration for vindex 'v' (type lookup): key 'table':
 * required key is missing (...); key 'tabel': unknown key; known keys: table, from, to}.
 */
public final class ConfigException extends MosaicException {
    private static final long serialVersionUID = 1L;

    /** One problem with one key. */
    public record Problem(String key, String reason) {
        @Override
        public String toString() {
            return "key '" + key + "': " + reason;
        }
    }

    private final transient List<Problem> problems;

    /** An error for {@code owner} with at least one problem. */
    public ConfigException(String owner, List<Problem> problems) {
        super(ErrorCode.INVALID_ARGUMENT, "invalid configuration for " + owner + ": "
                + problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** The problems, in the order found. */
    public List<Problem> problems() {
        return problems;
    }
}
