package dev.mosaic.server.mysqlctl.replication;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A MariaDB GTID position: for each replication domain, the last transaction applied in it
 * ({@code @@gtid_binlog_pos}, {@code @@gtid_slave_pos}, {@code MASTER_GTID_WAIT} all use this
 * form, e.g. {@code 0-1-42,1-2-7}).
 *
 * <p>Within a domain, sequence numbers grow monotonically (MariaDB's {@code gtid_strict_mode}
 * enforces it), so a position contains another when, for every domain of the other, it has that
 * domain with a sequence at least as high. The server id does not take part in the comparison:
 * after a failover the same sequence may have been written by another server.
 */
public final class MariaDbGtidSet implements GtidSet {
    /** Vitess's flavor tag for MariaDB positions. */
    public static final String TAG = "MariaDB";
    private static final MariaDbGtidSet EMPTY = new MariaDbGtidSet(new TreeMap<>());

    private final SortedMap<Long, MariaDbGtid> byDomain;

    private MariaDbGtidSet(SortedMap<Long, MariaDbGtid> byDomain) {
        this.byDomain = Collections.unmodifiableSortedMap(byDomain);
    }

    /** The empty position. */
    public static MariaDbGtidSet empty() {
        return EMPTY;
    }

    /** A position of the given GTIDs, at most one per domain. */
    public static MariaDbGtidSet of(MariaDbGtid... gtids) {
        SortedMap<Long, MariaDbGtid> map = new TreeMap<>();
        for (MariaDbGtid gtid : gtids) {
            if (map.put(gtid.domain(), gtid) != null) {
                throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "two GTIDs for domain " + gtid.domain());
            }
        }
        return new MariaDbGtidSet(map);
    }

    /**
     * Parses a comma-separated list of {@code domain-server-seq} (whitespace around entries is
     * ignored; the empty string is the empty position).
     *
     * @throws MosaicException INVALID_ARGUMENT if an entry is malformed or a domain appears twice
     */
    public static MariaDbGtidSet parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            return EMPTY;
        }
        SortedMap<Long, MariaDbGtid> map = new TreeMap<>();
        for (String raw : text.split(",", -1)) {
            String entry = raw.strip();
            MariaDbGtid gtid = parseGtid(entry, text);
            if (map.put(gtid.domain(), gtid) != null) {
                throw invalid(text, "domain " + gtid.domain() + " appears twice");
            }
        }
        return new MariaDbGtidSet(map);
    }

    /** Parses one {@code domain-server-seq}. */
    public static MariaDbGtid parseGtid(String entry) {
        return parseGtid(entry.strip(), entry);
    }

    private static MariaDbGtid parseGtid(String entry, String whole) {
        String[] parts = entry.split("-", -1);
        if (parts.length != 3) {
            throw invalid(whole, "'" + entry + "' is not domain-server-seq");
        }
        try {
            long domain = parseUnsigned32(parts[0]);
            long server = parseUnsigned32(parts[1]);
            long seq = Long.parseUnsignedLong(parts[2]);
            return new MariaDbGtid(domain, server, seq);
        } catch (NumberFormatException e) {
            throw invalid(whole, "'" + entry + "' has a part that is not an unsigned number");
        }
    }

    private static long parseUnsigned32(String s) {
        long v = Long.parseLong(s);
        if (v < 0 || v > MariaDbGtid.MAX_UINT32 || s.startsWith("+")) {
            throw new NumberFormatException(s);
        }
        return v;
    }

    private static MosaicException invalid(String text, String why) {
        return new MosaicException(ErrorCode.INVALID_ARGUMENT, "invalid MariaDB GTID position '" + text + "': " + why);
    }

    /** The last GTID of each domain, by domain. */
    public Map<Long, MariaDbGtid> byDomain() {
        return byDomain;
    }

    @Override
    public String flavorTag() {
        return TAG;
    }

    @Override
    public boolean isEmpty() {
        return byDomain.isEmpty();
    }

    @Override
    public boolean contains(GtidSet other) {
        if (!(other instanceof MariaDbGtidSet o)) {
            return false;
        }
        for (MariaDbGtid theirs : o.byDomain.values()) {
            MariaDbGtid ours = byDomain.get(theirs.domain());
            if (ours == null || Long.compareUnsigned(ours.sequence(), theirs.sequence()) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Per domain, the GTID with the higher sequence. */
    @Override
    public MariaDbGtidSet union(GtidSet other) {
        if (!(other instanceof MariaDbGtidSet o)) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "cannot merge a MariaDB position with a " + other.flavorTag() + " set");
        }
        SortedMap<Long, MariaDbGtid> map = new TreeMap<>(byDomain);
        for (MariaDbGtid theirs : o.byDomain.values()) {
            map.merge(theirs.domain(), theirs,
                    (a, b) -> Long.compareUnsigned(a.sequence(), b.sequence()) >= 0 ? a : b);
        }
        return new MariaDbGtidSet(map);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MariaDbGtidSet other && byDomain.equals(other.byDomain);
    }

    @Override
    public int hashCode() {
        return byDomain.hashCode();
    }

    @Override
    public String toString() {
        return byDomain.values().stream().map(MariaDbGtid::toString).collect(Collectors.joining(","));
    }
}
