package dev.mosaic.server.mysqlctl.replication;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A MySQL GTID set ({@code @@gtid_executed}, {@code Executed_Gtid_Set}): for each source server
 * UUID, the transaction numbers it holds as closed intervals, e.g.
 * {@code 3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7-9}.
 *
 * <p>The set is kept normalized (UUIDs lower-case and sorted, intervals sorted and merged when
 * they overlap or touch), so equal sets have equal text. Tagged GTIDs of MySQL 8.3+
 * ({@code uuid:tag:1-5}) are not supported and rejected when parsed.
 */
public final class MySqlGtidSet implements GtidSet {
    /** Vitess's flavor tag for MySQL 5.6+ GTID sets. */
    public static final String TAG = "MySQL56";
    private static final MySqlGtidSet EMPTY = new MySqlGtidSet(new TreeMap<>());
    private static final Pattern UUID_WITH_DASHES =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern UUID_PLAIN = Pattern.compile("[0-9a-fA-F]{32}");

    /** A closed interval of transaction numbers, {@code 1 <= start <= end}. */
    public record Interval(long start, long end) {
        public Interval {
            if (start < 1 || end < start) {
                throw new IllegalArgumentException("bad interval " + start + "-" + end);
            }
        }

        @Override
        public String toString() {
            return start == end ? Long.toString(start) : start + "-" + end;
        }
    }

    private final SortedMap<String, List<Interval>> bySource;

    private MySqlGtidSet(SortedMap<String, List<Interval>> bySource) {
        this.bySource = Collections.unmodifiableSortedMap(bySource);
    }

    /** The empty set. */
    public static MySqlGtidSet empty() {
        return EMPTY;
    }

    /**
     * Parses MySQL's text form: comma-separated {@code uuid:interval[:interval...]} where an
     * interval is {@code n} or {@code n-m}. Whitespace (MySQL prints {@code ",\n"} between
     * sources) is ignored; the same UUID may appear more than once; the empty string is the empty
     * set.
     *
     * @throws MosaicException INVALID_ARGUMENT if the text is malformed or uses tagged GTIDs
     */
    public static MySqlGtidSet parse(String text) {
        Objects.requireNonNull(text, "text");
        String compact = text.replaceAll("\\s+", "");
        if (compact.isEmpty()) {
            return EMPTY;
        }
        SortedMap<String, List<Interval>> map = new TreeMap<>();
        for (String entry : compact.split(",", -1)) {
            String[] parts = entry.split(":", -1);
            if (parts.length < 2) {
                throw invalid(text, "'" + entry + "' is not uuid:interval");
            }
            String uuid = normalizeUuid(parts[0], text);
            List<Interval> intervals = map.computeIfAbsent(uuid, k -> new ArrayList<>());
            for (int i = 1; i < parts.length; i++) {
                intervals.add(parseInterval(parts[i], text));
            }
        }
        map.replaceAll((uuid, list) -> normalize(list));
        return new MySqlGtidSet(map);
    }

    private static String normalizeUuid(String s, String whole) {
        if (UUID_WITH_DASHES.matcher(s).matches()) {
            return s.toLowerCase(Locale.ROOT);
        }
        if (UUID_PLAIN.matcher(s).matches()) {
            String l = s.toLowerCase(Locale.ROOT);
            return l.substring(0, 8) + "-" + l.substring(8, 12) + "-" + l.substring(12, 16) + "-"
                    + l.substring(16, 20) + "-" + l.substring(20);
        }
        throw invalid(whole, "'" + s + "' is not a server UUID");
    }

    private static Interval parseInterval(String s, String whole) {
        if (!s.isEmpty() && Character.isLetter(s.charAt(0)) || s.startsWith("_")) {
            throw invalid(whole, "tagged GTIDs (MySQL 8.3+, '" + s + "') are not supported");
        }
        int dash = s.indexOf('-');
        try {
            long start = Long.parseLong(dash < 0 ? s : s.substring(0, dash));
            long end = dash < 0 ? start : Long.parseLong(s.substring(dash + 1));
            if (start < 1 || end < start) {
                throw invalid(whole, "interval '" + s + "' must satisfy 1 <= start <= end");
            }
            return new Interval(start, end);
        } catch (NumberFormatException e) {
            throw invalid(whole, "interval '" + s + "' is not n or n-m");
        }
    }

    private static List<Interval> normalize(List<Interval> in) {
        List<Interval> sorted = new ArrayList<>(in);
        sorted.sort((a, b) -> Long.compare(a.start(), b.start()));
        List<Interval> out = new ArrayList<>();
        for (Interval next : sorted) {
            if (!out.isEmpty()) {
                Interval last = out.get(out.size() - 1);
                // Merge overlapping or adjacent intervals (1-5 and 6-9 are 1-9).
                if (next.start() <= last.end() + 1) {
                    out.set(out.size() - 1, new Interval(last.start(), Math.max(last.end(), next.end())));
                    continue;
                }
            }
            out.add(next);
        }
        return List.copyOf(out);
    }

    private static MosaicException invalid(String text, String why) {
        return new MosaicException(ErrorCode.INVALID_ARGUMENT, "invalid MySQL GTID set '" + text + "': " + why);
    }

    /** The normalized intervals of each source UUID (lower-case), sorted by UUID. */
    public Map<String, List<Interval>> bySource() {
        return bySource;
    }

    @Override
    public String flavorTag() {
        return TAG;
    }

    @Override
    public boolean isEmpty() {
        return bySource.isEmpty();
    }

    @Override
    public boolean contains(GtidSet other) {
        if (!(other instanceof MySqlGtidSet o)) {
            return false;
        }
        for (Map.Entry<String, List<Interval>> e : o.bySource.entrySet()) {
            List<Interval> ours = bySource.get(e.getKey());
            if (ours == null) {
                return false;
            }
            for (Interval theirs : e.getValue()) {
                if (!covered(ours, theirs)) {
                    return false;
                }
            }
        }
        return true;
    }

    // ours is normalized (disjoint, non-adjacent), so one interval must cover all of theirs.
    private static boolean covered(List<Interval> ours, Interval theirs) {
        for (Interval i : ours) {
            if (i.start() <= theirs.start() && theirs.end() <= i.end()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public MySqlGtidSet union(GtidSet other) {
        if (!(other instanceof MySqlGtidSet o)) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "cannot merge a MySQL GTID set with a " + other.flavorTag() + " position");
        }
        SortedMap<String, List<Interval>> map = new TreeMap<>(bySource);
        for (Map.Entry<String, List<Interval>> e : o.bySource.entrySet()) {
            map.merge(e.getKey(), e.getValue(), (a, b) -> {
                List<Interval> both = new ArrayList<>(a);
                both.addAll(b);
                return normalize(both);
            });
        }
        return new MySqlGtidSet(map);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MySqlGtidSet other && bySource.equals(other.bySource);
    }

    @Override
    public int hashCode() {
        return bySource.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, List<Interval>> e : bySource.entrySet()) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(e.getKey());
            for (Interval i : e.getValue()) {
                sb.append(':').append(i);
            }
        }
        return sb.toString();
    }
}
