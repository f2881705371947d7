package dev.mosaic.vindex.multicol;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.key.KeyRange;
import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.SpiVersion;
import dev.mosaic.spi.config.Config;
import dev.mosaic.spi.config.ConfigKey;
import dev.mosaic.spi.config.ConfigSpec;
import dev.mosaic.spi.config.ConfigType;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.Hashing;
import dev.mosaic.spi.vindex.MultiColumnVindex;
import dev.mosaic.spi.vindex.Vindex;
import dev.mosaic.spi.vindex.VindexCursor;
import dev.mosaic.spi.vindex.VindexFactory;
import dev.mosaic.vindex.functional.Conversions;
import dev.mosaic.vindex.functional.SubVindexes;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Vitess's {@code multicol} vindex: a keyspace id built from several columns, each hashed by its
 * own hashing vindex ({@code hash} by default) and contributing the leading {@code column_bytes}
 * bytes of its hash, in column order. Unique; its cost is the sum of its column vindexes' costs.
 *
 * <p>It is partial: a row giving only the first k columns maps to the key range of the keyspace
 * ids starting with those columns' bytes ({@code [prefix, prefix + 1)}). A row whose value a
 * column vindex cannot hash, or with more values than columns, maps to
 * {@link Destination.None}; {@code verify} rejects such rows with {@code INVALID_ARGUMENT}.
 *
 * <p>Params: {@code column_count} (1-8, required); {@code column_vindex}, a comma-separated list of
 * vindex types per column (blank entries and missing trailing entries mean {@code hash}); each must
 * be a unique, cursor-free hashing vindex, created through the plugin registry;
 * {@code column_bytes}, a comma-separated list of byte counts per column (blank entries are
 * computed), the bytes left of 8 shared among unspecified columns, earlier columns getting the
 * larger share. Unlike Vitess, other params are rejected rather than passed to the column vindexes.
 */
public final class MultiColVindex implements MultiColumnVindex {
    /** The type name. */
    public static final String TYPE = "multicol";

    private final String name;
    private final int cost;
    private final Hashing[] columnVindexes;
    private final int[] columnBytes;

    /** A vindex over {@code columnVindexes.size()} columns taking {@code columnBytes[i]} bytes from column i. */
    public MultiColVindex(String name, List<Hashing> columnVindexes, int[] columnBytes, int cost) {
        this.name = Objects.requireNonNull(name, "name");
        this.columnVindexes = columnVindexes.toArray(new Hashing[0]);
        this.columnBytes = columnBytes.clone();
        this.cost = cost;
        if (this.columnBytes.length != this.columnVindexes.length) {
            throw new IllegalArgumentException("one byte count per column vindex is needed");
        }
    }

    @Override
    public List<Destination> map(VindexCursor cursor, List<List<Value>> rows) {
        List<Destination> out = new ArrayList<>(rows.size());
        for (List<Value> row : rows) {
            byte[] ksid;
            try {
                ksid = keyspaceId(row);
            } catch (MosaicException e) {
                out.add(Destination.NONE);
                continue;
            }
            if (row.size() < columnVindexes.length) {
                out.add(new Destination.Range(prefixRange(ksid)));
            } else {
                out.add(new Destination.One(KeyspaceId.wrap(ksid)));
            }
        }
        return out;
    }

    @Override
    public boolean[] verify(VindexCursor cursor, List<List<Value>> rows, List<KeyspaceId> ksids) {
        if (rows.size() != ksids.size()) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT,
                    "verify needs one keyspace id per row: " + rows.size() + " rows, " + ksids.size() + " keyspace ids");
        }
        boolean[] out = new boolean[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Arrays.equals(keyspaceId(rows.get(i)), ksids.get(i).bytes());
        }
        return out;
    }

    private byte[] keyspaceId(List<Value> row) {
        if (row.size() > columnVindexes.length) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "wrong number of column values: at most "
                    + columnVindexes.length + " allowed, got " + row.size());
        }
        ByteArrayOutputStream ksid = new ByteArrayOutputStream(8);
        int minLength = 0;
        for (int c = 0; c < row.size(); c++) {
            byte[] h = columnVindexes[c].hash(row.get(c)).bytes();
            for (int pad = minLength - ksid.size(); pad > 0; pad--) {
                ksid.write(0);
            }
            ksid.write(h, 0, Math.max(0, Math.min(h.length, columnBytes[c])));
            minLength += columnBytes[c];
        }
        return ksid.toByteArray();
    }

    private static KeyRange prefixRange(byte[] prefix) {
        if (prefix.length == 0) {
            return KeyRange.FULL;
        }
        return KeyRange.of(KeyspaceId.wrap(prefix), Conversions.prefixEnd(prefix));
    }

    @Override
    public boolean isPartial() {
        return true;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int cost() {
        return cost;
    }

    @Override
    public boolean isUnique() {
        return true;
    }

    @Override
    public boolean needsCursor() {
        return false;
    }

    /** The bytes each column contributes, in column order. */
    public int[] columnBytes() {
        return columnBytes.clone();
    }

    /**
     * Vitess's {@code column_bytes} rule: given entries as given; the bytes left of 8 shared among
     * the rest, each taking the ceiling of (left / columns still without a count).
     *
     * @throws MosaicException {@code INVALID_ARGUMENT} naming {@code column_bytes}
     */
    static int[] columnBytes(String spec, int count) {
        String[] parts = spec == null ? new String[0] : spec.split(",", -1);
        if (parts.length > count) {
            throw invalid("number of column bytes provided are more than column count in the parameter 'column_bytes'");
        }
        Integer[] given = new Integer[count];
        int used = 0;
        int defined = 0;
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].isEmpty()) {
                continue;
            }
            try {
                given[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw invalid("column_bytes entry '" + parts[i] + "' is not an integer in the parameter 'column_bytes'");
            }
            used += given[i];
            defined++;
        }
        int pending = count - defined;
        int remaining = 8 - used;
        if (pending > remaining) {
            throw invalid("column bytes count exceeds the keyspace id length (total bytes count cannot exceed 8 bytes) in the parameter 'column_bytes'");
        }
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            if (given[i] != null) {
                out[i] = given[i];
            } else {
                int take = (remaining + pending - 1) / pending;
                out[i] = take;
                remaining -= take;
                pending--;
            }
        }
        return out;
    }

    private static MosaicException invalid(String message) {
        return new MosaicException(ErrorCode.INVALID_ARGUMENT, message);
    }

    /** Provider of {@code multicol}. */
    public static final class Factory implements VindexFactory {
        private static final ConfigSpec SPEC = ConfigSpec.of(
                ConfigKey.required("column_count", ConfigType.INT, "the number of columns, 1 to 8"),
                ConfigKey.optional("column_vindex", ConfigType.STRING,
                        "comma-separated hashing vindex types per column; blank or missing entries are hash"),
                ConfigKey.optional("column_bytes", ConfigType.STRING,
                        "comma-separated keyspace-id bytes per column, at most 8 in total; blank or missing entries share what is left"));

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String description() {
            return "multi-column: concatenates leading bytes of per-column hashing vindexes; unique, partial";
        }

        @Override
        public String spiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        public ConfigSpec configSpec() {
            return SPEC;
        }

        @Override
        public Vindex create(Config config, PluginContext context) {
            int count = config.getInt("column_count");
            if (count > 8 || count < 1) {
                throw invalid("number of columns should be between 1 and 8 in the parameter 'column_count'");
            }
            int[] bytes = columnBytes(config.findString("column_bytes").orElse(null), count);
            String[] types = config.findString("column_vindex").map(s -> s.split(",", -1)).orElse(new String[0]);
            if (types.length > count) {
                throw invalid("number of vindex function provided are more than column count in the parameter 'column_vindex'");
            }
            List<Hashing> vindexes = new ArrayList<>(count);
            int cost = 0;
            for (int i = 0; i < count; i++) {
                String type = i < types.length && !types[i].trim().isEmpty() ? types[i].trim() : "hash";
                Vindex v = SubVindexes.create(type, type, Map.of());
                if (!(v instanceof Hashing h) || !v.isUnique() || v.needsCursor()) {
                    throw invalid("multicol vindex supports vindexes that exports hashing function, are unique and are "
                            + "non-lookup vindex, passed vindex '" + type + "' is invalid");
                }
                cost += v.cost();
                vindexes.add(h);
            }
            return new MultiColVindex(context.instanceName(), vindexes, bytes, cost);
        }
    }
}
