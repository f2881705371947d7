package dev.mosaic.proto.query;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Encodes and decodes the compact {@link Row}: the raw MySQL text values of a row concatenated,
 * with one length per value and {@code -1} for NULL.
 *
 * <p>Values are the bytes MySQL sends in a text-protocol result row, so the tablet copies them
 * from its driver and the gate copies them to its client, neither converting them.
 * Stateless and thread-safe.
 */
public final class Rows {
    /** The length that marks a NULL value. */
    public static final long NULL_LENGTH = -1;

    private Rows() {
    }

    /**
     * Encodes one row.
     *
     * @param values the column values in order; a {@code null} element is SQL NULL, an empty
     *               array is the empty string. The arrays are copied, not retained.
     */
    public static Row encode(List<byte[]> values) {
        int total = 0;
        for (byte[] v : values) {
            if (v != null) {
                total = Math.addExact(total, v.length);
            }
        }
        byte[] buf = new byte[total];
        Row.Builder row = Row.newBuilder();
        int at = 0;
        for (byte[] v : values) {
            if (v == null) {
                row.addLengths(NULL_LENGTH);
            } else {
                row.addLengths(v.length);
                System.arraycopy(v, 0, buf, at, v.length);
                at += v.length;
            }
        }
        // buf is ours and never written again, so wrapping it instead of copying is safe.
        return row.setValues(UnsafeByteOperations.unsafeWrap(buf)).build();
    }

    /**
     * Decodes one row into fresh arrays, {@code null} for NULL.
     *
     * @throws MosaicException {@link ErrorCode#INTERNAL} if the lengths do not account for
     *                         exactly the bytes of {@code values} (a broken peer)
     */
    public static List<byte[]> decode(Row row) {
        List<ByteString> slices = slices(row);
        List<byte[]> out = new ArrayList<>(slices.size());
        for (ByteString s : slices) {
            out.add(s == null ? null : s.toByteArray());
        }
        return out;
    }

    /**
     * Decodes one row into views of its {@code values} (no copy for the common array-backed
     * case), {@code null} for NULL; for writing values straight to a client.
     *
     * @throws MosaicException {@link ErrorCode#INTERNAL} if the lengths do not account for
     *                         exactly the bytes of {@code values}
     */
    public static List<ByteString> slices(Row row) {
        ByteString values = row.getValues();
        int count = row.getLengthsCount();
        List<ByteString> out = new ArrayList<>(count);
        long at = 0;
        for (int i = 0; i < count; i++) {
            long len = row.getLengths(i);
            if (len == NULL_LENGTH) {
                out.add(null);
                continue;
            }
            if (len < 0 || at + len > values.size()) {
                throw malformed(row, "value " + i + " has length " + len + " at offset " + at);
            }
            out.add(values.substring((int) at, (int) (at + len)));
            at += len;
        }
        if (at != values.size()) {
            throw malformed(row, (values.size() - at) + " bytes after the last value");
        }
        return Collections.unmodifiableList(out);
    }

    private static MosaicException malformed(Row row, String what) {
        return new MosaicException(ErrorCode.INTERNAL, "malformed row (" + row.getLengthsCount() + " lengths, "
                + row.getValues().size() + " bytes): " + what);
    }
}
