package dev.mosaic.api.json;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A JSON number, kept exactly: {@code 12345678901234567890} and {@code 0.1} are not rounded.
 *
 * @param value the number; its scale follows the text it was read from ({@code 1.50} has scale 2),
 *              and {@code equals} compares value and scale, like {@link BigDecimal#equals}
 */
public record JsonNumber(BigDecimal value) implements Json {
    /** Rejects null. */
    public JsonNumber {
        Objects.requireNonNull(value, "value");
    }

    /** True if the number has no fractional part ({@code 3}, {@code 3.0}, {@code 3e2}). */
    public boolean isIntegral() {
        return value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
    }

    /**
     * The value as a {@code long}.
     *
     * @throws ArithmeticException if it has a fractional part or does not fit in 64 bits
     */
    public long longValueExact() {
        return value.stripTrailingZeros().longValueExact();
    }

    /**
     * The value as an {@code int}.
     *
     * @throws ArithmeticException if it has a fractional part or does not fit in 32 bits
     */
    public int intValueExact() {
        return value.stripTrailingZeros().intValueExact();
    }

    @Override
    public String typeName() {
        return "number";
    }

    /** The JSON text. */
    @Override
    public String toString() {
        return toJson();
    }
}
