package dev.mosaic.server.tablet.throttle;

import java.time.Instant;
import java.util.Objects;

/**
 * One metric reading: a value, or the reason there is none.
 *
 * @param value the value; NaN when {@code error} is set
 * @param error why there is no value; empty when there is one
 * @param at    when it was taken
 */
public record Reading(double value, String error, Instant at) {
    /** Validates. */
    public Reading {
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(at, "at");
    }

    /** A value. */
    public static Reading of(double value, Instant at) {
        return new Reading(value, "", at);
    }

    /** No value, for a reason. */
    public static Reading failed(String error, Instant at) {
        return new Reading(Double.NaN, error.isEmpty() ? "unknown error" : error, at);
    }

    /** True when there is a value. */
    public boolean ok() {
        return error.isEmpty();
    }
}
