package dev.mosaic.api.cluster;

import java.util.Objects;

/**
 * The cluster-wide name of a tablet: its cell plus a numeric uid, written as Vitess writes it,
 * {@code zone1-0000000100} (the uid zero-padded to ten digits).
 *
 * @param cell the cell (availability zone) name: non-empty, no {@code '-'} or {@code '/'}
 * @param uid  the uid, unique within the cell, {@code 0 <= uid <= 4294967295}
 */
public record TabletAlias(String cell, long uid) implements Comparable<TabletAlias> {
    /** Validates the components. */
    public TabletAlias {
        Objects.requireNonNull(cell, "cell");
        if (cell.isEmpty() || cell.indexOf('-') >= 0 || cell.indexOf('/') >= 0) {
            throw new IllegalArgumentException("tablet alias cell '" + cell + "' must be non-empty with no '-' or '/'");
        }
        if (uid < 0 || uid > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("tablet alias uid " + uid + " must be in [0, 4294967295]");
        }
    }

    /**
     * Parses {@code cell-uid}; the uid may or may not be zero-padded.
     *
     * @throws IllegalArgumentException naming the text and what is wrong
     */
    public static TabletAlias parse(String text) {
        int dash = text.lastIndexOf('-');
        if (dash <= 0 || dash == text.length() - 1) {
            throw new IllegalArgumentException("tablet alias '" + text + "' must be 'cell-uid', e.g. zone1-0000000100");
        }
        String digits = text.substring(dash + 1);
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                throw new IllegalArgumentException("tablet alias '" + text + "': uid '" + digits + "' is not a number");
            }
        }
        if (digits.length() > 10) {
            throw new IllegalArgumentException("tablet alias '" + text + "': uid '" + digits + "' is too long");
        }
        return new TabletAlias(text.substring(0, dash), Long.parseLong(digits));
    }

    /** {@code cell-0000000100}. */
    @Override
    public String toString() {
        return cell + "-" + String.format("%010d", uid);
    }

    /** Orders by cell, then uid. */
    @Override
    public int compareTo(TabletAlias o) {
        int c = cell.compareTo(o.cell);
        return c != 0 ? c : Long.compare(uid, o.uid);
    }
}
