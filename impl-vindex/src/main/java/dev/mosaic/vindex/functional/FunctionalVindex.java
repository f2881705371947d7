package dev.mosaic.vindex.functional;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.Hashing;
import dev.mosaic.spi.vindex.SingleColumnVindex;
import dev.mosaic.spi.vindex.VindexCursor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Base of the unique, cursor-free single-column vindexes whose keyspace id is a function of the
 * value. Subclasses give the function; this class gives Vitess's two behaviours for values the
 * function rejects: {@link Unmappable#NONE} maps them to {@link Destination.None} (as Vitess's
 * {@code hash} and {@code numeric} do), {@link Unmappable#ERROR} fails the whole call (as
 * {@code xxhash} and {@code binary_md5} do). {@code verify} always fails on such a value, as in
 * Vitess.
 *
 * <p>Immutable and thread-safe.
 */
public abstract class FunctionalVindex implements SingleColumnVindex, Hashing {
    /** What {@code map} does with a value the function rejects. */
    protected enum Unmappable {
        /** Map it to {@link Destination#NONE}. */
        NONE,
        /** Throw the function's {@link MosaicException}. */
        ERROR
    }

    private final String name;
    private final int cost;
    private final Unmappable unmappable;

    protected FunctionalVindex(String name, int cost, Unmappable unmappable) {
        this.name = Objects.requireNonNull(name, "name");
        this.cost = cost;
        this.unmappable = unmappable;
    }

    /**
     * The keyspace id bytes of {@code value}; the caller takes ownership of the array.
     *
     * @throws MosaicException {@code INVALID_ARGUMENT} if the value cannot be mapped
     */
    protected abstract byte[] keyspaceIdBytes(Value value);

    @Override
    public final KeyspaceId hash(Value id) {
        return KeyspaceId.wrap(keyspaceIdBytes(id));
    }

    @Override
    public List<Destination> map(VindexCursor cursor, List<Value> ids) {
        List<Destination> out = new ArrayList<>(ids.size());
        for (Value id : ids) {
            out.add(mapOne(id));
        }
        return out;
    }

    /** The destination of one value, with this vindex's policy for unmappable values. */
    public Destination mapOne(Value id) {
        if (unmappable == Unmappable.NONE) {
            try {
                return new Destination.One(KeyspaceId.wrap(keyspaceIdBytes(id)));
            } catch (MosaicException e) {
                return Destination.NONE;
            }
        }
        return new Destination.One(KeyspaceId.wrap(keyspaceIdBytes(id)));
    }

    /**
     * {@inheritDoc}
     *
     * @throws MosaicException {@code INVALID_ARGUMENT} if a value cannot be mapped (as Vitess does),
     *         or if the lists differ in length
     */
    @Override
    public boolean[] verify(VindexCursor cursor, List<Value> ids, List<KeyspaceId> ksids) {
        Conversions.checkSameSize(ids, ksids);
        boolean[] out = new boolean[ids.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Arrays.equals(keyspaceIdBytes(ids.get(i)), ksids.get(i).bytes());
        }
        return out;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int cost() {
        return cost;
    }

    @Override
    public final boolean isUnique() {
        return true;
    }

    @Override
    public final boolean needsCursor() {
        return false;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + "]";
    }
}
