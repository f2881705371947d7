package dev.mosaic.tck.vindex;

import static dev.mosaic.tck.Clauses.require;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.key.KeyRange;
import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.SqlType;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.Hashing;
import dev.mosaic.spi.vindex.LookupVindex;
import dev.mosaic.spi.vindex.MultiColumnVindex;
import dev.mosaic.spi.vindex.OwnerAware;
import dev.mosaic.spi.vindex.PrefixMapping;
import dev.mosaic.spi.vindex.RangeMapping;
import dev.mosaic.spi.vindex.Reversible;
import dev.mosaic.spi.vindex.SingleColumnVindex;
import dev.mosaic.spi.vindex.Vindex;
import dev.mosaic.spi.vindex.VindexCursor;
import dev.mosaic.spi.vindex.VindexCursor.CommitOrder;
import dev.mosaic.spi.vindex.VindexFactory;
import dev.mosaic.tck.Clause;
import dev.mosaic.tck.PluginContract;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The contract of a vindex provider: every vindex its factory creates maps values to keyspace
 * ids consistently with the capabilities it declares.
 *
 * <p>A plugin author extends it and implements {@link #factory()}; a vindex with required params
 * also overrides {@link #sampleConfig()} (from the {@code mosaic-tck} runner: {@code --set}). The
 * contract creates instances through the registry with that configuration (named
 * {@value PluginContract#INSTANCE_NAME}), tells an {@link OwnerAware} vindex that it is owned by
 * table {@value #OWNER_KEYSPACE}.{@value #OWNER_TABLE} on the lookup's {@code from} columns, and
 * checks each clause below. For every capability a vindex claims ({@link Hashing},
 * {@link Reversible}, {@link RangeMapping}, {@link PrefixMapping}, {@link LookupVindex}, partial
 * multi-column mapping) the behaviour is checked; a capability not claimed passes, unless the
 * class has a public method of the capability's signature without implementing its interface
 * (half-implemented: the planner would never call it).
 *
 * <p><b>Samples.</b> Clauses run over {@link #sampleValues()} (single-column) or
 * {@link #sampleRows()} (multi-column). By default the contract chooses them itself: the
 * {@link #INTEGER_SAMPLES} and the {@link #STRING_SAMPLES} that the vindex maps without throwing,
 * both kinds when both map. Values a vindex maps to {@link Destination.None} stay in (they are
 * checked too); values it rejects with a {@link MosaicException} are left out (rejecting is
 * allowed, see {@code vindex.null-and-wrong-type}). A vindex needing a cursor gets the integers.
 *
 * <p><b>Cursors.</b> A vindex whose {@code needsCursor()} is false is always given
 * {@link VindexCursor#NONE}, as the gate gives it. Others get an {@link InMemoryVindexCursor};
 * for a {@link LookupVindex} with a known {@link #lookupTable()} the contract first acts as the
 * gate, inserting owner rows and creating their lookup rows, so that {@code map} has something to
 * find.
 *
 * <p>JUnit creates one instance per clause; nothing is shared between clauses.
 */
public abstract class VindexContract extends PluginContract<VindexFactory> {
    /** How many sequential ids ({@code 1..N}) {@code vindex.distribution} hashes. */
    public static final int DISTRIBUTION_IDS = 1_000_000;
    /** The equal-shard splits {@code vindex.distribution} checks ({@link KeyRange#split}). */
    public static final List<Integer> DISTRIBUTION_SHARDS = List.of(2, 4, 16, 256);
    /**
     * The chi-square bound of {@code vindex.distribution}, in standard deviations above the mean:
     * the statistic over {@code n} shards must stay below {@code df + 8 * sqrt(2 * df)} with
     * {@code df = n - 1}.
     */
    public static final double DISTRIBUTION_SIGMAS = 8.0;
    /** The keyspace an {@link OwnerAware} vindex is told it is owned in. */
    public static final String OWNER_KEYSPACE = "tck";
    /** The owner table an {@link OwnerAware} vindex is told about; the contract keeps its rows. */
    public static final String OWNER_TABLE = "tck_owner";
    /** The owner table's primary key column. */
    public static final String OWNER_ID = "tck_id";
    /** The owner table's column holding each row's keyspace id. */
    public static final String OWNER_KSID = "tck_ksid";

    /** Integer samples: zero, one, minus one, small, powers of two, large, extremes, unsigned max. */
    public static final List<Value> INTEGER_SAMPLES = List.of(
            Value.of(0), Value.of(1), Value.of(-1), Value.of(2), Value.of(3), Value.of(7), Value.of(42),
            Value.of(255), Value.of(256), Value.of(1000), Value.of(65535), Value.of(123456789),
            Value.of(Integer.MAX_VALUE), Value.of(1L << 32), Value.of(Long.MAX_VALUE), Value.of(Long.MIN_VALUE),
            Value.ofUnsigned(1L << 63), Value.ofUnsigned(-1L));

    /** String samples: empty, short, shared prefixes, case and accents, multi-byte, LIKE wildcards, long. */
    public static final List<Value> STRING_SAMPLES = List.of(
            Value.of(""), Value.of("a"), Value.of("ab"), Value.of("abc"), Value.of("abcd"), Value.of("abcdef"),
            Value.of("abd"), Value.of("b"), Value.of("Test"), Value.of("TEST"), Value.of("tést"),
            Value.of("hello world"), Value.of("日本語テキスト"), Value.of("emoji 😀"), Value.of("z"), Value.of("zz"),
            Value.of("a%b_c"), Value.of("0123456789"), Value.of("the quick brown fox jumps over the lazy dog"));

    private static final Value NEW_INTEGER = Value.of(987_654_321_987L);
    private static final List<CommitOrder> CUTS = List.of(CommitOrder.PRE, CommitOrder.NORMAL, CommitOrder.POST);

    /**
     * The table behind a lookup vindex, as the contract declares it in its
     * {@link InMemoryVindexCursor}.
     *
     * @param name the table name as the vindex names it
     * @param from the columns holding the indexed values (the vindex reads by the first)
     * @param to   the column holding the keyspace id (or what the vindex stores for it)
     */
    public record LookupTable(String name, List<String> from, String to) {
        /**
         * Checks the components.
         *
         * @param name the table name
         * @param from at least one column
         * @param to   a column
         */
        public LookupTable {
            if (name == null || name.isBlank() || from == null || from.isEmpty() || to == null || to.isBlank()) {
                throw new IllegalArgumentException("a lookup table needs a name, from columns and a to column");
            }
            from = List.copyOf(from);
        }
    }

    /** For subclasses. */
    protected VindexContract() {
    }

    // ---- hooks

    /**
     * Values a single-column vindex maps. Empty (the default) lets the contract choose from
     * {@link #INTEGER_SAMPLES} and {@link #STRING_SAMPLES} (see the class comment). Override for a
     * vindex that maps neither usefully; include values on both sides of interesting boundaries.
     * Each must map on its own without throwing; NULL belongs to the wrong-type clause, not here.
     *
     * @return sample values, or empty to choose automatically
     */
    protected List<Value> sampleValues() {
        return List.of();
    }

    /**
     * Rows (one value per column) a multi-column vindex maps to one keyspace id each. Empty (the
     * default) lets the contract find the column count by mapping {@code [1]}, {@code [1, 2]}, ...
     * until one maps to a single keyspace id, and build rows of integers of that width.
     *
     * @return full rows, or empty to choose automatically
     */
    protected List<List<Value>> sampleRows() {
        return List.of();
    }

    /**
     * Prefixes for {@code vindex.prefix}. Empty (the default): every leading part (up to 6 bytes
     * and the whole) of each sample value's text form.
     *
     * @return prefixes, or empty to derive them from the samples
     */
    protected List<Value> samplePrefixes() {
        return List.of();
    }

    /**
     * The table behind a {@link LookupVindex}. By default read from the Vitess lookup params of
     * {@link #sampleConfig()}: {@code table}, {@code from} (comma-separated) and {@code to}; empty
     * when they are not all given, and then the lookup clauses are skipped.
     *
     * @return the lookup table, if known
     */
    protected Optional<LookupTable> lookupTable() {
        Map<String, String> c = sampleConfig();
        String table = c.get("table");
        String from = c.get("from");
        String to = c.get("to");
        if (table == null || from == null || to == null || table.isBlank() || from.isBlank() || to.isBlank()) {
            return Optional.empty();
        }
        List<String> cols = Arrays.stream(from.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        return cols.isEmpty() ? Optional.empty() : Optional.of(new LookupTable(table.trim(), cols, to.trim()));
    }

    /**
     * The value {@code vindex.distribution} hashes for sequential id {@code id}. By default the
     * integer itself, or its decimal text if the vindex cannot hash integers.
     *
     * @param id an id in {@code 1..}{@link #DISTRIBUTION_IDS}
     * @param integersHash whether {@code hash(1)} succeeded with an integer
     * @return the value to hash
     */
    protected Value distributionValue(long id, boolean integersHash) {
        return integersHash ? Value.of(id) : Value.of(Long.toString(id));
    }

    // ---- clauses

    /**
     * <b>vindex.deterministic</b>: {@code map} returns one destination per value, and the same
     * destinations for the same values: on a second call, from a second instance created with the
     * same configuration, value by value as in one batch, and from 4 threads mapping concurrently
     * on one instance.
     */
    @Test
    @Tag("vindex.deterministic")
    @Clause(value = "vindex.deterministic",
            text = "map gives the same destinations across calls, instances, batch sizes and 4 concurrent threads")
    public final void deterministic() throws InterruptedException {
        Subject s = subject();
        Vindex other = vindex();
        List<Destination> first = map(s.vindex, s.cursor, s.rows);
        List<Destination> again = map(s.vindex, s.cursor, s.rows);
        List<Destination> fromOther = map(other, s.cursor, s.rows);
        for (int i = 0; i < s.rows.size(); i++) {
            int at = i;
            require(first.get(i).equals(again.get(i)), () -> "map(" + show(s.rows.get(at)) + ") gave "
                    + first.get(at) + ", then " + again.get(at));
            require(first.get(i).equals(fromOther.get(i)), () -> "map(" + show(s.rows.get(at)) + ") gave "
                    + first.get(at) + " from one instance and " + fromOther.get(at) + " from another with the same configuration");
            Destination alone = map(s.vindex, s.cursor, List.of(s.rows.get(i))).get(0);
            require(first.get(i).equals(alone), () -> "map(" + show(s.rows.get(at)) + ") gave " + first.get(at)
                    + " in a batch but " + alone + " alone");
        }
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "tck-vindex-deterministic");
            t.setDaemon(true);
            return t;
        });
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                Callable<String> task = () -> {
                    start.await();
                    for (int round = 0; round < 200; round++) {
                        int i = (round * 7 + seed) % s.rows.size();
                        Destination d = map(s.vindex, s.cursor, List.of(s.rows.get(i))).get(0);
                        if (!d.equals(first.get(i))) {
                            return "map(" + show(s.rows.get(i)) + ") gave " + first.get(i) + " on one thread and "
                                    + d + " on another, concurrently";
                        }
                    }
                    List<Destination> batch = map(s.vindex, s.cursor, s.rows);
                    return batch.equals(first) ? null : "a concurrent batch map gave " + batch + ", expected " + first;
                };
                results.add(pool.submit(task));
            }
            start.countDown();
            for (Future<String> f : results) {
                String problem = await(f);
                require(problem == null, () -> problem);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * <b>vindex.unique</b>: {@code isUnique()} is stable, and a unique vindex maps every full
     * value (row) to exactly one keyspace id ({@link Destination.One}) or nowhere
     * ({@link Destination.None}), never {@link Destination.Many} or a {@link Destination.Range}
     * (except the whole key range of a write-only lookup, which scatters by design). A non-unique
     * vindex may answer anything.
     */
    @Test
    @Tag("vindex.unique")
    @Clause(value = "vindex.unique", text = "a unique vindex maps each full value to exactly one keyspace id or none")
    public final void unique() {
        Subject s = subject();
        boolean unique = s.vindex.isUnique();
        require(unique == s.vindex.isUnique() && unique == vindex().isUnique(), () -> "isUnique() is not stable");
        if (!unique) {
            return;
        }
        boolean writeOnly = s.vindex instanceof LookupVindex l && l.isWriteOnly();
        List<Destination> ds = map(s.vindex, s.cursor, s.rows);
        for (int i = 0; i < ds.size(); i++) {
            Destination d = ds.get(i);
            boolean ok = d instanceof Destination.One || d instanceof Destination.None
                    || writeOnly && d instanceof Destination.Range r && r.range().isFull();
            int at = i;
            require(ok, () -> "isUnique() is true but map(" + show(s.rows.get(at)) + ") gave " + d
                    + "; a unique vindex gives One or None for a full value");
        }
    }

    /**
     * <b>vindex.verify</b>: {@code verify} agrees with {@code map}: true for every keyspace id a
     * value maps to; false for a different keyspace id when the vindex is unique; false (or a
     * {@link MosaicException}) for a value that maps nowhere. It answers one boolean per pair, and
     * the same in one batch as pair by pair.
     */
    @Test
    @Tag("vindex.verify")
    @Clause(value = "vindex.verify", text = "verify is true for the keyspace ids map gives and false for others")
    public final void verify() {
        Subject s = subject();
        List<Destination> ds = map(s.vindex, s.cursor, s.rows);
        List<List<Value>> batchRows = new ArrayList<>();
        List<KeyspaceId> batchIds = new ArrayList<>();
        List<Boolean> batchExpected = new ArrayList<>();
        for (int i = 0; i < ds.size(); i++) {
            List<Value> row = s.rows.get(i);
            Destination d = ds.get(i);
            List<KeyspaceId> mapped = d instanceof Destination.One one ? List.of(one.id())
                    : d instanceof Destination.Many many ? many.ids() : List.of();
            for (KeyspaceId k : mapped) {
                require(verifyOne(s, row, k), () -> "map(" + show(row) + ") gave " + d + " but verify(" + show(row)
                        + ", " + k.toHex() + ") is false");
                batchRows.add(row);
                batchIds.add(k);
                batchExpected.add(true);
            }
            if (d instanceof Destination.One one && s.vindex.isUnique() && !writeOnly(s.vindex)) {
                KeyspaceId other = different(one.id());
                require(!verifyOne(s, row, other), () -> "map(" + show(row) + ") gave " + d + " and the vindex is unique, but verify("
                        + show(row) + ", " + other.toHex() + ") is true too");
                batchRows.add(row);
                batchIds.add(other);
                batchExpected.add(false);
            }
            if (d instanceof Destination.None && !writeOnly(s.vindex)) {
                KeyspaceId probe = KeyspaceId.ofUint64(0x0123456789abcdefL);
                try {
                    boolean v = verifyOne(s, row, probe);
                    require(!v, () -> "map(" + show(row) + ") gave None but verify(" + show(row) + ", " + probe.toHex()
                            + ") is true");
                } catch (MosaicException e) {
                    // rejecting a value that maps nowhere is allowed
                }
            }
        }
        if (!batchRows.isEmpty()) {
            boolean[] answers = verify(s.vindex, s.cursor, batchRows, batchIds);
            for (int i = 0; i < answers.length; i++) {
                int at = i;
                require(answers[i] == batchExpected.get(i), () -> "verify in one batch answered " + answers[at] + " for ("
                        + show(batchRows.get(at)) + ", " + batchIds.get(at).toHex() + ") but " + batchExpected.get(at)
                        + " alone");
            }
        }
    }

    /**
     * <b>vindex.hashing</b>: a {@link Hashing} vindex needs no cursor and its {@code hash(v)} is
     * the keyspace id {@code map} gives for {@code v}; for a value {@code map} sends nowhere,
     * {@code hash} throws a {@link MosaicException} (no keyspace id stands for "nowhere").
     */
    @Test
    @Tag("vindex.hashing")
    @Clause(value = "vindex.hashing", text = "hash(v) is the keyspace id map gives for v")
    public final void hashing() {
        Subject s = subject();
        if (!(s.vindex instanceof Hashing h)) {
            requireNotHalfImplemented(s.vindex, Hashing.class);
            return;
        }
        require(!s.vindex.needsCursor(), () -> "a Hashing vindex is a pure function, but needsCursor() is true");
        if (!(s.vindex instanceof SingleColumnVindex)) {
            return; // hash(Value) of a multi-column vindex is not specified
        }
        List<Destination> ds = map(s.vindex, s.cursor, s.rows);
        for (int i = 0; i < ds.size(); i++) {
            Value v = s.rows.get(i).get(0);
            Destination d = ds.get(i);
            if (d instanceof Destination.One one) {
                KeyspaceId k = h.hash(v);
                require(one.id().equals(k), () -> "map(" + show(v) + ") gave " + one.id().toHex() + " but hash gave "
                        + (k == null ? "null" : k.toHex()));
            } else if (d instanceof Destination.None) {
                KeyspaceId k;
                try {
                    k = h.hash(v);
                } catch (MosaicException e) {
                    continue;
                }
                require(false, () -> "map(" + show(v) + ") gave None but hash gave " + (k == null ? "null" : k.toHex())
                        + "; hash must throw a MosaicException for a value it cannot place");
            } else {
                require(false, () -> "a Hashing vindex gives one keyspace id per value, but map(" + show(v) + ") gave " + d);
            }
        }
    }

    /**
     * <b>vindex.reversible</b>: for a {@link Reversible} vindex, {@code reverseMap} answers one
     * value per keyspace id, and for every keyspace id {@code k} that {@code map} gives,
     * {@code map(reverseMap(k)) == k}, alone and in one batch.
     */
    @Test
    @Tag("vindex.reversible")
    @Clause(value = "vindex.reversible", text = "a reversible vindex round-trips: map(reverseMap(map(v))) == map(v)")
    public final void reversible() {
        Subject s = subject();
        if (!(s.vindex instanceof Reversible r)) {
            requireNotHalfImplemented(s.vindex, Reversible.class);
            return;
        }
        if (!(s.vindex instanceof SingleColumnVindex)) {
            return; // reverseMap gives one value, which only a single-column vindex can map back
        }
        List<Destination> ds = map(s.vindex, s.cursor, s.rows);
        List<KeyspaceId> ids = new ArrayList<>();
        for (Destination d : ds) {
            if (d instanceof Destination.One one) {
                ids.add(one.id());
            }
        }
        if (ids.isEmpty()) {
            return;
        }
        List<Value> back = r.reverseMap(s.cursor, ids);
        require(back != null && back.size() == ids.size(), () -> "reverseMap of " + ids.size() + " keyspace ids answered "
                + (back == null ? "null" : back.size() + " values"));
        for (int i = 0; i < ids.size(); i++) {
            KeyspaceId k = ids.get(i);
            Value v = back.get(i);
            require(v != null, () -> "reverseMap(" + k.toHex() + ") gave null");
            List<Value> alone = r.reverseMap(s.cursor, List.of(k));
            require(alone.size() == 1 && v.equals(alone.get(0)), () -> "reverseMap(" + k.toHex() + ") gave " + alone
                    + " alone but " + show(v) + " in a batch");
            Destination again = map(s.vindex, s.cursor, List.of(List.of(v))).get(0);
            require(again.equals(new Destination.One(k)), () -> "reverseMap(" + k.toHex() + ") gave " + show(v)
                    + ", which maps to " + again + "; the reverse is lossy");
        }
    }

    /**
     * <b>vindex.range</b>: for a single-column {@link RangeMapping} vindex, {@code mapRange(low,
     * high)} of two sample values (low not above high in the column's order: numbers by value,
     * strings and binaries byte-wise) contains the keyspace id of every sample value in
     * {@code [low, high]}, both ends included.
     */
    @Test
    @Tag("vindex.range")
    @Clause(value = "vindex.range", text = "mapRange(low, high) contains map(v) for every sample v in [low, high]")
    public final void range() {
        Subject s = subject();
        if (!(s.vindex instanceof RangeMapping rm)) {
            requireNotHalfImplemented(s.vindex, RangeMapping.class);
            return;
        }
        if (!(s.vindex instanceof SingleColumnVindex)) {
            return;
        }
        List<Value> vals = new ArrayList<>();
        for (List<Value> row : s.rows) {
            vals.add(row.get(0));
        }
        boolean strings = vals.stream().anyMatch(v -> v instanceof Value.Text || v instanceof Value.Binary);
        if (!strings) {
            for (int i = 0; i <= 20; i++) {
                vals.add(Value.of(i));
            }
        }
        // One kind only: a vindex that takes strings orders byte-wise, which is not numeric order.
        List<Value> ordered = new ArrayList<>(new LinkedHashSet<>(vals.stream()
                .filter(v -> strings == (v instanceof Value.Text || v instanceof Value.Binary)).toList()));
        ordered.sort(strings ? BYTE_ORDER : NUMERIC_ORDER);
        List<KeyspaceId> ids = new ArrayList<>();
        List<Value> mapped = new ArrayList<>();
        for (Value v : ordered) {
            if (mapOne(s, v) instanceof Destination.One one) {
                mapped.add(v);
                ids.add(one.id());
            }
        }
        for (int lo = 0; lo < mapped.size(); lo++) {
            for (int hi = lo; hi < mapped.size(); hi++) {
                Value low = mapped.get(lo);
                Value high = mapped.get(hi);
                Destination d = rm.mapRange(low, high);
                for (int m = lo; m <= hi; m++) {
                    int at = m;
                    require(contains(d, ids.get(m)), () -> "mapRange(" + show(low) + ", " + show(high) + ") gave " + d
                            + ", which does not contain " + ids.get(at).toHex() + " = map(" + show(mapped.get(at)) + ")");
                }
            }
        }
    }

    /**
     * <b>vindex.prefix</b>: for a single-column {@link PrefixMapping} vindex,
     * {@code mapPrefix(p)} contains the keyspace id of every sample value whose text form starts
     * with {@code p}. For a multi-column vindex: if {@code isPartial()}, a leading subset of a row
     * maps to a destination containing the full row's keyspace id; if not, a leading subset maps
     * to {@link Destination.None} or is rejected with a {@link MosaicException}.
     */
    @Test
    @Tag("vindex.prefix")
    @Clause(value = "vindex.prefix",
            text = "mapPrefix(p) and partial rows contain the keyspace id of every value or row they cover")
    public final void prefix() {
        Subject s = subject();
        if (s.vindex instanceof MultiColumnVindex mc) {
            partialRows(s, mc);
        }
        if (!(s.vindex instanceof PrefixMapping pm)) {
            requireNotHalfImplemented(s.vindex, PrefixMapping.class);
            return;
        }
        if (!(s.vindex instanceof SingleColumnVindex)) {
            return;
        }
        List<Value> vals = new ArrayList<>();
        List<KeyspaceId> ids = new ArrayList<>();
        List<Destination> ds = map(s.vindex, s.cursor, s.rows);
        for (int i = 0; i < ds.size(); i++) {
            if (ds.get(i) instanceof Destination.One one && !s.rows.get(i).get(0).isNull()) {
                vals.add(s.rows.get(i).get(0));
                ids.add(one.id());
            }
        }
        List<Value> prefixes = samplePrefixes();
        if (prefixes.isEmpty()) {
            Set<Value> derived = new LinkedHashSet<>();
            for (Value v : vals) {
                byte[] b = v.toBytes();
                for (int n = 0; n <= Math.min(6, b.length); n++) {
                    derived.add(textOrBinary(Arrays.copyOf(b, n)));
                }
                derived.add(textOrBinary(b));
            }
            prefixes = List.copyOf(derived);
        }
        for (Value p : prefixes) {
            Destination d = pm.mapPrefix(p);
            byte[] pb = p.toBytes();
            for (int i = 0; i < vals.size(); i++) {
                byte[] vb = vals.get(i).toBytes();
                if (vb.length >= pb.length && Arrays.equals(vb, 0, pb.length, pb, 0, pb.length)) {
                    int at = i;
                    require(contains(d, ids.get(i)), () -> "mapPrefix(" + show(p) + ") gave " + d + ", which does not contain "
                            + ids.get(at).toHex() + " = map(" + show(vals.get(at)) + ")");
                }
            }
        }
    }

    /**
     * <b>vindex.null-and-wrong-type</b>: NULL and values of the wrong type (text that is not a
     * number, empty text, invalid UTF-8, binary, float, decimal, negative and huge numbers, tuples;
     * for multi-column vindexes also short, long and empty rows) give a destination or a
     * {@link MosaicException} from {@code map}, a boolean or a {@link MosaicException} from
     * {@code verify} (also for keyspace ids of odd lengths), and likewise from {@code hash},
     * {@code reverseMap} (keyspace ids of odd lengths), {@code mapRange} (reversed and NULL
     * bounds), {@code mapPrefix} and a lookup's {@code create}: never another exception
     * ({@code NullPointerException}, {@code ClassCastException}, {@code IllegalArgumentException},
     * {@code ArithmeticException}, ...) and never a null answer. {@code map} of no values answers
     * an empty list.
     */
    @Test
    @Tag("vindex.null-and-wrong-type")
    @Clause(value = "vindex.null-and-wrong-type",
            text = "NULL and wrong-typed values give a destination or a MosaicException, never another exception")
    public final void nullAndWrongType() {
        Subject s = subject();
        List<Destination> none = map(s.vindex, s.cursor, List.of());
        require(none.isEmpty(), () -> "map of no values gave " + none);
        List<List<Value>> inputs = new ArrayList<>();
        if (s.vindex instanceof SingleColumnVindex) {
            for (Value w : wrongValues()) {
                inputs.add(List.of(w));
            }
        } else {
            List<Value> full = s.rows.isEmpty() ? List.of(Value.of(1), Value.of(2)) : s.rows.get(0);
            inputs.add(List.of());
            inputs.add(List.of(Value.NULL));
            List<Value> nulls = new ArrayList<>();
            for (int i = 0; i < full.size(); i++) {
                nulls.add(Value.NULL);
            }
            inputs.add(nulls);
            List<Value> longer = new ArrayList<>(full);
            longer.add(Value.of(1));
            inputs.add(longer);
            for (Value w : wrongValues()) {
                for (int pos = 0; pos < full.size(); pos++) {
                    List<Value> row = new ArrayList<>(full);
                    row.set(pos, w);
                    inputs.add(row);
                }
            }
        }
        List<KeyspaceId> oddIds = List.of(KeyspaceId.EMPTY, KeyspaceId.of(new byte[] {1}),
                KeyspaceId.ofUint64(0x8000000000000000L), KeyspaceId.of(new byte[9]), KeyspaceId.of(new byte[32]));
        for (List<Value> in : inputs) {
            String what = "map(" + show(in) + ")";
            guarded(what, () -> {
                List<Destination> d = map(s.vindex, s.cursor, List.of(in));
                require(d.get(0) != null, () -> what + " gave a null destination");
                return null;
            });
            for (KeyspaceId k : List.of(KeyspaceId.ofUint64(42), KeyspaceId.EMPTY)) {
                guarded("verify(" + show(in) + ", " + k.toHex() + ")", () -> verify(s.vindex, s.cursor, List.of(in), List.of(k)));
            }
            if (s.vindex instanceof Hashing h && s.vindex instanceof SingleColumnVindex) {
                guarded("hash(" + show(in) + ")", () -> {
                    require(h.hash(in.get(0)) != null, () -> "hash(" + show(in) + ") gave null");
                    return null;
                });
            }
            if (s.vindex instanceof PrefixMapping pm && in.size() == 1) {
                guarded("mapPrefix(" + show(in) + ")", () -> {
                    require(pm.mapPrefix(in.get(0)) != null, () -> "mapPrefix(" + show(in) + ") gave null");
                    return null;
                });
            }
            if (s.vindex instanceof RangeMapping rm && in.size() == 1 && !s.rows.isEmpty()) {
                Value good = s.rows.get(0).get(0);
                guarded("mapRange(" + show(in) + ", " + show(good) + ")", () -> rm.mapRange(in.get(0), good));
                guarded("mapRange(" + show(good) + ", " + show(in) + ")", () -> rm.mapRange(good, in.get(0)));
            }
            if (s.vindex instanceof LookupVindex lv && s.db != null) {
                guarded("create(" + show(in) + ")", () -> {
                    lv.create(s.db, List.of(in), List.of(KeyspaceId.ofUint64(7)), false);
                    return null;
                });
                s.db.rollback();
            }
        }
        for (KeyspaceId k : oddIds) {
            if (!s.rows.isEmpty()) {
                guarded("verify(" + show(s.rows.get(0)) + ", " + k.toHex() + ")",
                        () -> verify(s.vindex, s.cursor, List.of(s.rows.get(0)), List.of(k)));
            }
            if (s.vindex instanceof Reversible r) {
                guarded("reverseMap(" + k.toHex() + ")", () -> {
                    List<Value> back = r.reverseMap(s.cursor, List.of(k));
                    require(back != null && back.size() == 1 && back.get(0) != null,
                            () -> "reverseMap(" + k.toHex() + ") gave " + back + "; expected one value");
                    return null;
                });
            }
        }
        if (s.vindex instanceof RangeMapping rm && s.vindex instanceof SingleColumnVindex && s.rows.size() > 1) {
            Value a = s.rows.get(0).get(0);
            Value b = s.rows.get(s.rows.size() - 1).get(0);
            guarded("mapRange(" + show(b) + ", " + show(a) + ")", () -> rm.mapRange(b, a));
            guarded("mapRange(" + show(a) + ", " + show(b) + ")", () -> rm.mapRange(a, b));
        }
    }

    /**
     * <b>vindex.cost</b>: the declared cost and cursor needs match behaviour, with Vitess's cost
     * scale (0 identity, 1 hashing, 10 unique lookup, 20 non-unique lookup, 100 the null
     * vindex): {@code cost()} is at least 0 and stable across calls and instances;
     * {@code needsCursor()} is stable; a vindex that needs no cursor maps, verifies and reverses
     * without touching the cursor it is given; a {@link LookupVindex} needs a cursor; a
     * {@link Hashing} vindex needs none; a vindex that needs a cursor reads a table and so costs
     * at least 2, more than any pure function of the value.
     */
    @Test
    @Tag("vindex.cost")
    @Clause(value = "vindex.cost", text = "cost and needsCursor are stable and consistent with what the vindex does")
    public final void cost() {
        Subject s = subject();
        Vindex v = s.vindex;
        int cost = v.cost();
        require(cost >= 0, () -> "cost() is " + cost + "; costs are 0 or more");
        require(cost == v.cost() && cost == vindex().cost(), () -> "cost() is not stable");
        boolean needs = v.needsCursor();
        require(needs == v.needsCursor() && needs == vindex().needsCursor(), () -> "needsCursor() is not stable");
        if (v instanceof LookupVindex) {
            require(needs, () -> "a LookupVindex reads its table through the cursor, but needsCursor() is false");
        }
        if (v instanceof Hashing) {
            require(!needs, () -> "a Hashing vindex is a pure function, but needsCursor() is true");
        }
        if (needs) {
            require(cost >= 2, () -> "needsCursor() is true, so mapping reads a table, but cost() is " + cost
                    + "; a table read costs at least 2 (Vitess: 10 for unique lookups, 20 for non-unique)");
            return;
        }
        TripwireCursor wire = new TripwireCursor();
        List<Destination> ds = map(v, wire, s.rows);
        List<KeyspaceId> ids = new ArrayList<>();
        List<List<Value>> idRows = new ArrayList<>();
        for (int i = 0; i < ds.size(); i++) {
            if (ds.get(i) instanceof Destination.One one) {
                ids.add(one.id());
                idRows.add(s.rows.get(i));
            }
        }
        if (!ids.isEmpty()) {
            verify(v, wire, idRows, ids);
            if (v instanceof Reversible r) {
                r.reverseMap(wire, ids);
            }
        }
        require(wire.touched.isEmpty(), () -> "needsCursor() is false but the vindex called the cursor: " + wire.touched);
    }

    /**
     * <b>vindex.distribution</b>: a {@link Hashing} vindex that declares
     * {@link Hashing#spreadsEvenly()} spreads the sequential ids {@code 1..1,000,000}
     * ({@link #distributionValue}) over 2, 4, 16 and 256 equal shards ({@link KeyRange#split})
     * evenly: for each split the chi-square statistic of the shard counts against equal counts
     * stays below {@code df + 8 * sqrt(2 * df)} ({@code df} = shards - 1), eight standard
     * deviations above its mean for a uniform hash. A uniform hash exceeds it with probability
     * under 5e-4 (at df = 1; far less for more shards), while a skew moving 0.5% of the ids from
     * one half to the other already gives a statistic of 100 on 2 shards.
     */
    @Test
    @Tag("vindex.distribution")
    @Clause(value = "vindex.distribution",
            text = "a hashing vindex that spreads puts 1,000,000 sequential ids on 2/4/16/256 equal shards within a chi-square bound")
    public final void distribution() {
        Vindex v = vindex();
        if (!(v instanceof Hashing h) || !h.spreadsEvenly()) {
            return;
        }
        boolean integers;
        try {
            integers = h.hash(Value.of(1)) != null;
        } catch (MosaicException e) {
            integers = false;
        }
        long[] byFirstByte = new long[256];
        for (long id = 1; id <= DISTRIBUTION_IDS; id++) {
            Value val = distributionValue(id, integers);
            KeyspaceId k;
            try {
                k = h.hash(val);
            } catch (MosaicException e) {
                throw new AssertionError("spreadsEvenly() is true but hash(" + show(val) + ") threw " + e, e);
            }
            byFirstByte[k.isEmpty() ? 0 : k.byteAt(0)]++;
        }
        List<String> problems = new ArrayList<>();
        for (int n : DISTRIBUTION_SHARDS) {
            List<KeyRange> shards = KeyRange.split(n);
            long[] counts = new long[n];
            int shard = 0;
            for (int b = 0; b < 256; b++) {
                KeyspaceId first = KeyspaceId.of(new byte[] {(byte) b});
                while (!shards.get(shard).contains(first)) {
                    shard++;
                }
                counts[shard] += byFirstByte[b];
            }
            double expected = (double) DISTRIBUTION_IDS / n;
            double chi2 = 0;
            for (long c : counts) {
                chi2 += (c - expected) * (c - expected) / expected;
            }
            int df = n - 1;
            double bound = df + DISTRIBUTION_SIGMAS * Math.sqrt(2.0 * df);
            if (chi2 >= bound) {
                long min = Arrays.stream(counts).min().orElse(0);
                long max = Arrays.stream(counts).max().orElse(0);
                problems.add(String.format("%d shards: chi-square %.1f >= bound %.1f (ids per shard %d..%d, expected %.0f)",
                        n, chi2, bound, min, max, expected));
            }
        }
        require(problems.isEmpty(), () -> "spreadsEvenly() is true but " + DISTRIBUTION_IDS + " sequential ids are skewed: "
                + String.join("; ", problems));
    }

    /**
     * <b>vindex.lookup</b>: a {@link LookupVindex} keeps its table consistent with {@code map},
     * with the contract acting as the gate (owner rows written in the normal transaction, lookup
     * rows by {@code create}/{@code delete}/{@code update}, everything committed): after
     * {@code create}, each value maps to (and verifies with) its keyspace id; a non-unique lookup
     * maps a value created at two keyspace ids to both; after {@code delete}, the value no longer
     * maps to that keyspace id; after {@code update}, the new value maps to it and the old one no
     * longer does; other values are untouched. A write-only lookup may scatter instead. Needs the
     * lookup table ({@link #lookupTable()}); skipped without it.
     */
    @Test
    @Tag("vindex.lookup")
    @Clause(value = "vindex.lookup", text = "create/delete/update keep the lookup table consistent with map")
    public final void lookup() {
        Vindex v = vindex();
        if (!(v instanceof LookupVindex lv)) {
            requireNotHalfImplemented(v, LookupVindex.class);
            return;
        }
        LookupTable t = requireLookupTable();
        InMemoryVindexCursor db = new InMemoryVindexCursor();
        Gate gate = new Gate(db, v, lv, t);
        List<Value> vals = lookupValues(v);
        int n = Math.min(6, vals.size());
        require(n >= 3, () -> "lookup clauses need at least 3 distinct non-NULL sample values, got " + vals);
        boolean writeOnly = lv.isWriteOnly();
        for (int i = 0; i < n; i++) {
            gate.insert(i, vals.get(i), lookupKsid(i));
        }
        db.commit();
        for (int i = 0; i < n; i++) {
            gate.requireFound(vals.get(i), lookupKsid(i), "after create");
            int at0 = i;
            if (v.isUnique() && !writeOnly) {
                Destination d = gate.map(vals.get(i));
                Destination want = new Destination.One(lookupKsid(i));
                require(d.equals(want), () -> "after create, the unique lookup maps " + show(vals.get(at0))
                        + " to " + d + ", expected " + want);
            }
            int at = i;
            require(verify(v, db, List.of(gate.mapRow(vals.get(i))), List.of(lookupKsid(i)))[0],
                    () -> "after create, verify(" + show(vals.get(at)) + ", " + lookupKsid(at).toHex() + ") is false");
        }
        if (!v.isUnique()) {
            KeyspaceId extra = lookupKsid(100);
            gate.insert(100, vals.get(0), extra);
            db.commit();
            gate.requireFound(vals.get(0), lookupKsid(0), "after creating a second row for the value");
            gate.requireFound(vals.get(0), extra, "after creating a second row for the value");
        }
        gate.delete(1, vals.get(1), lookupKsid(1));
        db.commit();
        if (!writeOnly) {
            Destination d = gate.map(vals.get(1));
            require(!contains(d, lookupKsid(1)), () -> "after delete, map(" + show(vals.get(1)) + ") still gives " + d
                    + "; writes: " + db.writeLog());
        }
        Value renamed = renamed(vals.get(2));
        gate.update(2, vals.get(2), lookupKsid(2), renamed);
        db.commit();
        gate.requireFound(renamed, lookupKsid(2), "after update to the new value");
        if (!writeOnly) {
            Destination d = gate.map(vals.get(2));
            require(!contains(d, lookupKsid(2)), () -> "after update from " + show(vals.get(2)) + " to " + show(renamed)
                    + ", the old value still maps to " + d + "; writes: " + db.writeLog());
        }
        for (int i = 3; i < n; i++) {
            gate.requireFound(vals.get(i), lookupKsid(i), "after other rows were deleted and updated");
        }
    }

    /**
     * <b>vindex.lookup-consistent</b>: a {@link LookupVindex} never misses a live owner row, even
     * when the gate crashes between commits. Starting from committed owner rows, the contract (as
     * the gate) inserts, deletes or updates an owner row in the normal transaction together with
     * the lookup's {@code create}/{@code delete}/{@code update}, then commits only through PRE,
     * through NORMAL, or through POST. After each cut, every committed owner row is still found
     * by {@code map} at its keyspace id; extra lookup rows are allowed. Lookups writing in the
     * normal transaction keep it trivially; consistent lookups keep it by writing inserts before
     * and deletes after it. Needs the lookup table ({@link #lookupTable()}); skipped without it.
     */
    @Test
    @Tag("vindex.lookup-consistent")
    @Clause(value = "vindex.lookup-consistent",
            text = "a crash at any commit-order cut never leaves a live owner row that map misses")
    public final void lookupConsistent() {
        Vindex v = vindex();
        if (!(v instanceof LookupVindex lv)) {
            return;
        }
        LookupTable t = requireLookupTable();
        List<Value> vals = lookupValues(v);
        require(vals.size() >= 3, () -> "lookup clauses need at least 3 distinct non-NULL sample values, got " + vals);
        List<String> ops = List.of("insert", "delete", "update");
        for (String op : ops) {
            for (CommitOrder cut : CUTS) {
                InMemoryVindexCursor db = new InMemoryVindexCursor();
                Gate gate = new Gate(db, v, lv, t);
                gate.insert(0, vals.get(0), lookupKsid(0));
                gate.insert(1, vals.get(1), lookupKsid(1));
                db.commit();
                switch (op) {
                    case "insert" -> gate.insert(2, vals.get(2), lookupKsid(2));
                    case "delete" -> gate.delete(0, vals.get(0), lookupKsid(0));
                    default -> gate.update(1, vals.get(1), lookupKsid(1), renamed(vals.get(1)));
                }
                db.commitThrough(cut);
                for (List<Value> owner : db.committedRows(OWNER_QUALIFIED)) {
                    Value val = owner.get(1);
                    KeyspaceId k = KeyspaceId.of(owner.get(owner.size() - 1).toBytes());
                    Destination d = gate.map(val);
                    require(contains(d, k), () -> "after an owner " + op + " and a crash after the " + cut
                            + " commit, owner row " + show(owner) + " is live but map(" + show(val) + ") gives " + d
                            + "; lookup writes: " + db.writeLog());
                }
            }
        }
    }

    // ---- the gate, as far as lookups see it

    /** The qualified owner table name ({@code keyspace.table}) the contract writes owner rows to. */
    public static final String OWNER_QUALIFIED = OWNER_KEYSPACE + "." + OWNER_TABLE;

    /** Writes owner rows and their lookup rows as the gate does; reads through map. */
    private final class Gate {
        final InMemoryVindexCursor db;
        final Vindex vindex;
        final LookupVindex lookup;
        final LookupTable table;
        final List<String> ownerColumns;

        Gate(InMemoryVindexCursor db, Vindex vindex, LookupVindex lookup, LookupTable table) {
            this.db = db;
            this.vindex = vindex;
            this.lookup = lookup;
            this.table = table;
            List<String> cols = new ArrayList<>();
            cols.add(table.to());
            cols.addAll(0, table.from());
            List<String> unique = vindex.isUnique() ? table.from() : cols;
            db.table(table.name(), cols, List.of(unique));
            List<String> owner = new ArrayList<>();
            owner.add(OWNER_ID);
            owner.addAll(table.from());
            owner.add(OWNER_KSID);
            this.ownerColumns = List.copyOf(owner);
            db.table(OWNER_QUALIFIED, ownerColumns, List.of(List.of(OWNER_ID)));
        }

        /** The lookup row of a value: the value, then a fixed value for each further 'from' column. */
        List<Value> row(Value v) {
            List<Value> r = new ArrayList<>();
            r.add(v);
            for (int i = 1; i < table.from().size(); i++) {
                r.add(Value.of("tck" + i));
            }
            return r;
        }

        /** What map is given for a value: the value, or the whole row for a multi-column lookup. */
        List<Value> mapRow(Value v) {
            return vindex instanceof SingleColumnVindex ? List.of(v) : row(v);
        }

        void insert(long id, Value v, KeyspaceId k) {
            db.lookupSession(CommitOrder.PRE);
            lookup.create(db, List.of(row(v)), List.of(k), false);
            List<Value> owner = new ArrayList<>();
            owner.add(Value.of(id));
            owner.addAll(row(v));
            owner.add(Value.of(k.bytes()));
            db.insert(OWNER_QUALIFIED, ownerColumns, List.of(owner), VindexCursor.OnDuplicate.FAIL, CommitOrder.NORMAL);
        }

        void delete(long id, Value v, KeyspaceId k) {
            db.lookupSession(CommitOrder.POST);
            lookup.delete(db, List.of(row(v)), k);
            db.delete(OWNER_QUALIFIED, List.of(OWNER_ID), List.of(Value.of(id)), CommitOrder.NORMAL);
            db.lookupSession(CommitOrder.PRE);
        }

        void update(long id, Value old, KeyspaceId k, Value neu) {
            db.lookupSession(CommitOrder.POST);
            lookup.update(db, row(old), k, row(neu));
            db.update(OWNER_QUALIFIED, table.from(), row(neu), List.of(OWNER_ID), List.of(Value.of(id)), CommitOrder.NORMAL);
            db.lookupSession(CommitOrder.PRE);
        }

        Destination map(Value v) {
            db.lookupSession(CommitOrder.PRE);
            return VindexContract.map(vindex, db, List.of(mapRow(v))).get(0);
        }

        void requireFound(Value v, KeyspaceId k, String when) {
            Destination d = map(v);
            require(contains(d, k), () -> when + ", map(" + show(v) + ") gives " + d + ", which does not contain "
                    + k.toHex() + "; lookup writes: " + db.writeLog());
        }
    }

    /** A cursor that records every call, for vindexes that claim to need none. */
    private static final class TripwireCursor implements VindexCursor {
        final List<String> touched = new ArrayList<>();

        private <T> T touch(String what) {
            touched.add(what);
            throw new MosaicException(dev.mosaic.api.error.ErrorCode.FAILED_PRECONDITION, "no cursor: " + what);
        }

        @Override
        public List<List<List<Value>>> select(String table, List<String> keyColumns, List<List<Value>> keys,
                                              List<String> resultColumns, ReadLock lock, CommitOrder order) {
            return touch("select " + table);
        }

        @Override
        public List<List<List<Value>>> selectAt(KeyspaceId ksid, String table, List<String> keyColumns,
                                                List<List<Value>> keys, List<String> resultColumns, ReadLock lock,
                                                CommitOrder order) {
            return touch("selectAt " + table);
        }

        @Override
        public void insert(String table, List<String> columns, List<List<Value>> rows, OnDuplicate onDuplicate,
                           CommitOrder order) {
            touch("insert " + table);
        }

        @Override
        public void delete(String table, List<String> keyColumns, List<Value> key, CommitOrder order) {
            touch("delete " + table);
        }

        @Override
        public void update(String table, List<String> setColumns, List<Value> setValues, List<String> keyColumns,
                           List<Value> key, CommitOrder order) {
            touch("update " + table);
        }

        @Override
        public boolean inTransactionAndIsDml() {
            touched.add("inTransactionAndIsDml");
            return false;
        }

        @Override
        public CommitOrder lookupRowLockShardSession() {
            touched.add("lookupRowLockShardSession");
            return CommitOrder.PRE;
        }
    }

    // ---- the vindex under test and its samples

    /** A vindex with the cursor it is mapped with and its sample rows. */
    private record Subject(Vindex vindex, VindexCursor cursor, InMemoryVindexCursor db, List<List<Value>> rows) {
    }

    /**
     * Creates a vindex with the sample configuration. Skips the clause when a required key has
     * no sample value, or when {@code create} refuses a sample configuration that leaves declared
     * keys unset (a vindex needing one of several optional params). Tells an {@link OwnerAware}
     * vindex its owner.
     *
     * @return a new vindex
     */
    protected final Vindex vindex() {
        Object o = createConfigured();
        require(o instanceof Vindex, () -> "create() returned a " + o.getClass().getName() + ", not a Vindex");
        Vindex v = (Vindex) o;
        if (v instanceof OwnerAware oa) {
            oa.setOwnerInfo(OWNER_KEYSPACE, OWNER_TABLE, lookupTable().map(LookupTable::from).orElse(List.of("tck_col")));
        }
        return v;
    }

    private Subject subject() {
        Vindex v = vindex();
        if (!v.needsCursor()) {
            return new Subject(v, VindexCursor.NONE, null, rows(v, VindexCursor.NONE));
        }
        InMemoryVindexCursor db = new InMemoryVindexCursor();
        Optional<LookupTable> t = lookupTable();
        if (v instanceof LookupVindex lv && t.isPresent()) {
            Gate gate = new Gate(db, v, lv, t.get());
            List<Value> vals = lookupValues(v);
            List<List<Value>> rows = new ArrayList<>();
            for (int i = 0; i < vals.size(); i++) {
                gate.insert(i, vals.get(i), lookupKsid(i));
                rows.add(gate.mapRow(vals.get(i)));
            }
            db.commit();
            return new Subject(v, db, db, rows);
        }
        return new Subject(v, db, db, rows(v, db));
    }

    private List<List<Value>> rows(Vindex v, VindexCursor c) {
        if (v instanceof SingleColumnVindex sc) {
            List<Value> given = sampleValues();
            List<Value> vals = !given.isEmpty() ? given : v.needsCursor() ? INTEGER_SAMPLES : autoValues(sc, c);
            return vals.stream().map(List::of).toList();
        }
        List<List<Value>> given = sampleRows();
        if (!given.isEmpty()) {
            return given;
        }
        MultiColumnVindex mc = (MultiColumnVindex) v;
        int width = 0;
        for (int w = 1; w <= 8 && width == 0; w++) {
            List<Value> probe = new ArrayList<>();
            for (int i = 1; i <= w; i++) {
                probe.add(Value.of(i));
            }
            try {
                if (mc.map(c, List.of(probe)).get(0) instanceof Destination.One) {
                    width = w;
                }
            } catch (MosaicException e) {
                // not this width
            }
        }
        if (width == 0) {
            Assumptions.abort("no row of 1 to 8 integers maps to one keyspace id; override sampleRows()");
        }
        List<Value> ints = INTEGER_SAMPLES.stream().filter(x -> x instanceof Value.Int i && i.value() >= 0).toList();
        List<List<Value>> out = new ArrayList<>();
        for (int r = 0; r < ints.size(); r++) {
            List<Value> row = new ArrayList<>();
            for (int col = 0; col < width; col++) {
                row.add(ints.get((r + col * 5) % ints.size()));
            }
            out.add(row);
        }
        return out;
    }

    private static List<Value> autoValues(SingleColumnVindex v, VindexCursor c) {
        List<Value> ints = usable(v, c, INTEGER_SAMPLES);
        List<Value> strings = usable(v, c, STRING_SAMPLES);
        boolean intsMap = ints.stream().anyMatch(x -> !(mapQuietly(v, c, x) instanceof Destination.None));
        boolean stringsMap = strings.stream().filter(x -> !(mapQuietly(v, c, x) instanceof Destination.None)).count() >= 3;
        List<Value> out = new ArrayList<>();
        if (intsMap || !stringsMap) {
            out.addAll(ints);
        }
        if (stringsMap) {
            out.addAll(strings);
        }
        return out;
    }

    /** The values that map on their own without a MosaicException. */
    private static List<Value> usable(SingleColumnVindex v, VindexCursor c, List<Value> candidates) {
        List<Value> out = new ArrayList<>();
        for (Value x : candidates) {
            try {
                v.map(c, List.of(x));
                out.add(x);
            } catch (MosaicException e) {
                // rejected: not a sample for this vindex
            }
        }
        return out;
    }

    private static Destination mapQuietly(SingleColumnVindex v, VindexCursor c, Value x) {
        return v.map(c, List.of(x)).get(0);
    }

    /** Distinct non-NULL values for the lookup clauses. */
    private List<Value> lookupValues(Vindex v) {
        List<Value> given = sampleValues();
        List<Value> source = !given.isEmpty() ? given : INTEGER_SAMPLES;
        List<Value> out = new ArrayList<>();
        for (Value x : source) {
            if (!x.isNull() && out.stream().noneMatch(y -> InMemoryVindexCursor.sqlEquals(x, y))) {
                out.add(x);
            }
        }
        return out;
    }

    private LookupTable requireLookupTable() {
        Optional<LookupTable> t = lookupTable();
        if (t.isEmpty()) {
            Assumptions.abort("needs the lookup table: --set table=T --set from=C --set to=K, or override lookupTable()");
        }
        return t.get();
    }

    /** Distinct 8-byte keyspace ids for lookup rows (any 8 bytes are valid for lookup_hash*). */
    static KeyspaceId lookupKsid(int i) {
        return KeyspaceId.ofUint64(0x9E3779B97F4A7C15L * (i + 1));
    }

    private static Value renamed(Value v) {
        if (v instanceof Value.Int || v instanceof Value.Uint) {
            return NEW_INTEGER;
        }
        return Value.of("tck-updated-" + new String(v.toBytes(), StandardCharsets.UTF_8));
    }

    // ---- calls into the vindex, with shape checks

    static List<Destination> map(Vindex v, VindexCursor c, List<List<Value>> rows) {
        List<Destination> out;
        if (v instanceof SingleColumnVindex sc) {
            List<Value> vals = new ArrayList<>(rows.size());
            for (List<Value> r : rows) {
                vals.add(r.isEmpty() ? Value.NULL : r.get(0));
            }
            out = sc.map(c, vals);
        } else {
            out = ((MultiColumnVindex) v).map(c, rows);
        }
        require(out != null && out.size() == rows.size(), () -> "map of " + rows.size() + " values answered "
                + (out == null ? "null" : out.size() + " destinations"));
        for (int i = 0; i < out.size(); i++) {
            int at = i;
            require(out.get(i) != null, () -> "map(" + show(rows.get(at)) + ") gave a null destination");
        }
        return out;
    }

    static boolean[] verify(Vindex v, VindexCursor c, List<List<Value>> rows, List<KeyspaceId> ids) {
        boolean[] out;
        if (v instanceof SingleColumnVindex sc) {
            List<Value> vals = new ArrayList<>(rows.size());
            for (List<Value> r : rows) {
                vals.add(r.isEmpty() ? Value.NULL : r.get(0));
            }
            out = sc.verify(c, vals, ids);
        } else {
            out = ((MultiColumnVindex) v).verify(c, rows, ids);
        }
        require(out != null && out.length == rows.size(), () -> "verify of " + rows.size() + " pairs answered "
                + (out == null ? "null" : out.length + " booleans"));
        return out;
    }

    private static boolean verifyOne(Subject s, List<Value> row, KeyspaceId k) {
        return verify(s.vindex, s.cursor, List.of(row), List.of(k))[0];
    }

    private static Destination mapOne(Subject s, Value v) {
        return map(s.vindex, s.cursor, List.of(List.of(v))).get(0);
    }

    private static boolean writeOnly(Vindex v) {
        return v instanceof LookupVindex l && l.isWriteOnly();
    }

    private static void partialRows(Subject s, MultiColumnVindex mc) {
        List<Destination> ds = map(s.vindex, s.cursor, s.rows);
        for (int i = 0; i < ds.size(); i++) {
            if (!(ds.get(i) instanceof Destination.One one)) {
                continue;
            }
            List<Value> row = s.rows.get(i);
            for (int n = 1; n < row.size(); n++) {
                List<Value> lead = row.subList(0, n);
                if (mc.isPartial()) {
                    Destination d = map(s.vindex, s.cursor, List.of(lead)).get(0);
                    require(contains(d, one.id()), () -> "isPartial() is true but map(" + show(lead) + ") gave " + d
                            + ", which does not contain " + one.id().toHex() + " = map(" + show(row) + ")");
                } else {
                    Destination d;
                    try {
                        d = map(s.vindex, s.cursor, List.of(lead)).get(0);
                    } catch (MosaicException e) {
                        continue;
                    }
                    Destination got = d;
                    require(d instanceof Destination.None, () -> "isPartial() is false but map(" + show(lead)
                            + ") of a leading subset of the columns gave " + got + "; expected None or a MosaicException");
                }
            }
        }
    }

    /**
     * True if the destination covers the keyspace id: the same id, one of several, or a key range
     * containing it.
     *
     * @param d a destination
     * @param k a keyspace id
     * @return whether a query routed to {@code d} reaches the shard holding {@code k}
     */
    public static boolean contains(Destination d, KeyspaceId k) {
        if (d instanceof Destination.One one) {
            return one.id().equals(k);
        }
        if (d instanceof Destination.Many many) {
            return many.ids().contains(k);
        }
        if (d instanceof Destination.Range r) {
            return r.range().contains(k);
        }
        return false;
    }

    /** A keyspace id of the same length differing in the last byte (or {@code 01} for the empty one). */
    private static KeyspaceId different(KeyspaceId k) {
        if (k.isEmpty()) {
            return KeyspaceId.of(new byte[] {1});
        }
        byte[] b = k.bytes();
        b[b.length - 1] ^= 0x5a;
        return KeyspaceId.of(b);
    }

    private static List<Value> wrongValues() {
        return List.of(Value.NULL, Value.of("not a number"), Value.of(""), Value.of(" 12 "), Value.of("-5"),
                Value.of("1.5"), Value.of("99999999999999999999999"),
                new Value.Text(SqlType.VARCHAR, new byte[] {(byte) 0xc3, 0x28, (byte) 0xff}),
                new Value.Text(SqlType.JSON, "{\"a\": 1}".getBytes(StandardCharsets.UTF_8)),
                Value.of(new byte[] {(byte) 0xff, 0, (byte) 0x80}), Value.of(new byte[0]),
                Value.of(1.5), Value.of(-0.0), Value.of(1e300), Value.of(new BigDecimal("1.50")),
                Value.of(new BigDecimal("-3")), Value.of(new BigDecimal("1e30")), Value.of(Long.MIN_VALUE),
                Value.of(-1), Value.ofUnsigned(-1L), Value.tuple(Value.of(1), Value.of(2)), Value.tuple());
    }

    /** Runs one call on a wrong-typed input: a MosaicException is fine, any other exception is not. */
    private static void guarded(String what, Supplier<Object> call) {
        try {
            call.get();
        } catch (MosaicException e) {
            // the documented way to refuse a value
        } catch (AssertionError e) {
            throw e;
        } catch (RuntimeException e) {
            throw new AssertionError(what + " threw " + e + "; a vindex refuses bad input with a MosaicException", e);
        }
    }

    private Object createConfigured() {
        try {
            return createInstance();
        } catch (MosaicException e) {
            abortIfSampleConfigIncomplete(e);
            throw e;
        }
    }

    private static void requireNotHalfImplemented(Vindex v, Class<?> capability) {
        for (Method m : capability.getMethods()) {
            if (m.isDefault() || Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            try {
                Method impl = v.getClass().getMethod(m.getName(), m.getParameterTypes());
                require(false, () -> v.getClass().getName() + " has a public " + impl.getName() + " method of "
                        + capability.getSimpleName() + " but does not implement " + capability.getSimpleName()
                        + ", so the planner never calls it; implement the interface or remove the method");
            } catch (NoSuchMethodException e) {
                // not there: the capability is simply absent
            }
        }
    }

    private static String await(Future<String> f) throws InterruptedException {
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new AssertionError("a concurrent map failed: " + cause, cause);
        } catch (TimeoutException e) {
            throw new AssertionError("4 threads mapping 200 values each did not finish within 60 s", e);
        }
    }

    private static Value textOrBinary(byte[] b) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
            return Value.of(s);
        } catch (CharacterCodingException e) {
            return Value.of(b);
        }
    }

    private static final Comparator<Value> BYTE_ORDER = (a, b) -> Arrays.compareUnsigned(a.toBytes(), b.toBytes());
    private static final Comparator<Value> NUMERIC_ORDER = Comparator.comparing(
            v -> new BigDecimal(v.toSqlLiteral()));

    static String show(Value v) {
        return v == null ? "null" : v.toSqlLiteral();
    }

    static String show(List<Value> row) {
        if (row.size() == 1) {
            return show(row.get(0));
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < row.size(); i++) {
            sb.append(i > 0 ? ", " : "").append(show(row.get(i)));
        }
        return sb.append(']').toString();
    }
}
