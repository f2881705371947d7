package dev.mosaic.examples.vindex;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.Hashing;
import dev.mosaic.spi.vindex.SingleColumnVindex;
import dev.mosaic.spi.vindex.VindexCursor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code tenant_hash}: the keyspace id of a tenant id is the first 8 bytes of
 * {@code SHA-256(salt || 0x00 || text form of the id)}. A deployment-wide salt keeps tenants of
 * different deployments from lining up on the same shards. Unique, cost 1, needs no cursor,
 * spreads evenly; not reversible.
 *
 * <p>Integers and strings are hashed by their text form, so {@code 42} and {@code '42'} land
 * together. NULL maps nowhere ({@link Destination.None}); a tuple is not a column value and is
 * rejected with {@code INVALID_ARGUMENT}. Immutable and thread-safe.
 */
public final class TenantHashVindex implements SingleColumnVindex, Hashing {
    private final String name;
    private final byte[] salt;

    /**
     * A vindex named {@code name} hashing with {@code salt}.
     *
     * @param name the vindex's name in the vschema
     * @param salt the salt, may be empty
     */
    public TenantHashVindex(String name, String salt) {
        this.name = name;
        this.salt = salt.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public KeyspaceId hash(Value id) {
        if (id.isNull()) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "tenant_hash: NULL has no keyspace id");
        }
        if (id instanceof Value.Tuple) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "tenant_hash: a tuple is not a tenant id: " + id.toSqlLiteral());
        }
        MessageDigest sha = sha256();
        sha.update(salt);
        sha.update((byte) 0);
        sha.update(id.toBytes());
        return KeyspaceId.wrap(Arrays.copyOf(sha.digest(), 8));
    }

    @Override
    public List<Destination> map(VindexCursor cursor, List<Value> ids) {
        List<Destination> out = new ArrayList<>(ids.size());
        for (Value id : ids) {
            out.add(id.isNull() ? Destination.NONE : new Destination.One(hash(id)));
        }
        return out;
    }

    @Override
    public boolean[] verify(VindexCursor cursor, List<Value> ids, List<KeyspaceId> ksids) {
        if (ids.size() != ksids.size()) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "tenant_hash: " + ids.size() + " values but "
                    + ksids.size() + " keyspace ids");
        }
        boolean[] out = new boolean[ids.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = !ids.get(i).isNull() && hash(ids.get(i)).equals(ksids.get(i));
        }
        return out;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int cost() {
        return 1;
    }

    @Override
    public boolean isUnique() {
        return true;
    }

    @Override
    public boolean needsCursor() {
        return false;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
