package dev.mosaic.tck.runner;

import java.util.Objects;

/**
 * The outcome of one clause for one provider.
 *
 * @param provider the provider, {@code kind/type}
 * @param clause   the clause id, or the contract's class name when a failure happened outside any
 *                 clause (e.g. the contract could not be instantiated)
 * @param status   pass, fail, skip or warn
 * @param reason   why it failed or was skipped, without the clause prefix; empty when passed
 */
public record ClauseResult(String provider, String clause, Status status, String reason) {
    /** The outcome of a clause. */
    public enum Status {
        /** The clause held. */
        PASS,
        /** The clause was broken. */
        FAIL,
        /** The clause could not be checked (e.g. a required key had no sample value). */
        SKIP,
        /** A warning clause found something suspicious; does not fail the run. */
        WARN
    }

    /**
     * Checks that no component is null.
     *
     * @param provider the provider, {@code kind/type}
     * @param clause   the clause id
     * @param status   the outcome
     * @param reason   why, or empty
     */
    public ClauseResult {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(clause, "clause");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * The report line: {@code PASS  vindex/hash  registry.type-name}, or with {@code : reason}
     * appended for FAIL, SKIP and WARN.
     *
     * @return one line, no line terminator
     */
    public String line() {
        String head = String.format("%-4s  %s  %s", status, provider, clause);
        return status == Status.PASS || reason.isEmpty() ? head : head + ": " + reason;
    }
}
