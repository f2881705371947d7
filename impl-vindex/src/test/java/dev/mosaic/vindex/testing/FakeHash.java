package dev.mosaic.vindex.testing;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.vindex.Hashing;
import dev.mosaic.spi.vindex.Reversible;
import dev.mosaic.spi.vindex.VindexCursor;
import dev.mosaic.vindex.vhash.Vhash;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A test-only stand-in for the {@code hash} vindex (which lives on another branch): a table of
 * Vitess's published {@code hash} vectors, so composite vindexes can be checked against Vitess's
 * expected keyspace ids without DES. Values outside the table fail.
 */
public final class FakeHash implements Hashing, Reversible {
    /** hash(n) for the numbers Vitess's tests use. */
    public static final Map<Long, String> VECTORS = Map.of(
            1L, "166b40b44aba4bd6",
            2L, "06e7ea22ce92708f",
            3L, "4eb190c9a2fa169c",
            4L, "d2fd8867d50d2dfe",
            5L, "70bb023c810ca87a");

    /** A vhash over these vectors. */
    public static Vhash vhash() {
        FakeHash h = new FakeHash();
        return Vhash.of(h, h);
    }

    @Override
    public KeyspaceId hash(Value id) {
        long n = Vhash.toUint64(id);
        String hex = VECTORS.get(n);
        if (hex == null) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "FakeHash has no vector for " + Long.toUnsignedString(n));
        }
        return KeyspaceId.fromHex(hex);
    }

    @Override
    public List<Value> reverseMap(VindexCursor cursor, List<KeyspaceId> ksids) {
        List<Value> out = new ArrayList<>();
        for (KeyspaceId k : ksids) {
            Long found = null;
            for (Map.Entry<Long, String> e : VECTORS.entrySet()) {
                if (e.getValue().equals(k.toHex())) {
                    found = e.getKey();
                }
            }
            if (found == null) {
                throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "FakeHash cannot reverse " + k.toHex());
            }
            out.add(Value.ofUnsigned(found));
        }
        return out;
    }
}
