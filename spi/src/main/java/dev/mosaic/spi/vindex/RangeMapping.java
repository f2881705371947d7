package dev.mosaic.spi.vindex;

import dev.mosaic.api.sql.Value;

/**
 * An order-preserving vindex ({@code numeric}, {@code binary}): a range of values maps to one key
 * range, so {@code BETWEEN} and inequalities route to a subset of shards.
 */
public interface RangeMapping {
    /**
     * The key range holding every value in {@code [low, high]} (both inclusive).
     *
     * @throws dev.mosaic.api.error.MosaicException {@code INVALID_ARGUMENT} if the bounds cannot
     *         be mapped or {@code low > high}
     */
    Destination mapRange(Value low, Value high);
}
