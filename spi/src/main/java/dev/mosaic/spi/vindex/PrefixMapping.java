package dev.mosaic.spi.vindex;

import dev.mosaic.api.sql.Value;

/**
 * A vindex where values sharing a prefix share a key-range prefix ({@code LIKE 'abc%'} routes to
 * the key range of {@code abc}).
 */
public interface PrefixMapping {
    /** The key range holding every value that starts with {@code prefix}. */
    Destination mapPrefix(Value prefix);
}
