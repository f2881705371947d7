package dev.mosaic.server.tablet.query;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-call options.
 *
 * @param timeout the statement's time limit, overriding {@code query.timeout}; null for the
 *     configured default, zero for none. When it passes, the MySQL query is killed.
 * @param principal who is calling (the gate's immediate caller id), for table ACLs; empty if unknown
 */
public record ExecuteOptions(Duration timeout, String principal) {
    /** The configured timeout, unknown caller. */
    public static final ExecuteOptions DEFAULT = new ExecuteOptions(null, "");

    public ExecuteOptions {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("negative timeout: " + timeout);
        }
        principal = Objects.requireNonNullElse(principal, "");
    }

    /** These options with {@code timeout}. */
    public ExecuteOptions withTimeout(Duration timeout) {
        return new ExecuteOptions(timeout, principal);
    }

    /** These options with {@code principal}. */
    public ExecuteOptions withPrincipal(String principal) {
        return new ExecuteOptions(timeout, principal);
    }

    /** The timeout in force: this call's, else {@code configured}; zero means none. */
    public Duration effectiveTimeout(Duration configured) {
        return timeout != null ? timeout : configured;
    }
}
