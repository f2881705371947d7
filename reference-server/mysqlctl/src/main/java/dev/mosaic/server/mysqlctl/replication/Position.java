package dev.mosaic.server.mysqlctl.replication;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import java.util.Objects;

/**
 * A replication position: a {@link GtidSet} that knows its flavor, with Vitess's portable text
 * form {@code <flavor>/<gtid set>} ({@code MariaDB/0-1-42}, {@code MySQL56/uuid:1-5}) for storing
 * positions (in topology records, sidecar tables, workflow state) independently of the server.
 */
public record Position(GtidSet gtidSet) {
    public Position {
        Objects.requireNonNull(gtidSet, "gtidSet");
    }

    /** {@code flavor/gtids}. */
    public String encode() {
        return gtidSet.flavorTag() + "/" + gtidSet;
    }

    /**
     * Parses {@link #encode()}'s form.
     *
     * @throws MosaicException INVALID_ARGUMENT if the flavor tag is missing or unknown, or the set malformed
     */
    public static Position decode(String text) {
        Objects.requireNonNull(text, "text");
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT,
                    "position '" + text + "' has no flavor prefix (expected MariaDB/... or MySQL56/...)");
        }
        return new Position(GtidSet.parse(text.substring(0, slash), text.substring(slash + 1)));
    }

    /** True if this position includes every transaction of {@code other}. */
    public boolean atLeast(Position other) {
        return gtidSet.contains(other.gtidSet);
    }

    /** True for the empty position (nothing executed). */
    public boolean isZero() {
        return gtidSet.isEmpty();
    }

    @Override
    public String toString() {
        return encode();
    }
}
