package dev.mosaic.server.throttle.metrics;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import java.util.List;

/** Turning query answers into one number, with typed errors for answers that hold none. */
final class Readings {
    private Readings() {
    }

    /**
     * The number in the last column of the only row of {@code rows}: {@code SELECT x} has one
     * column, {@code SHOW GLOBAL STATUS LIKE 'x'} has the name and then the value.
     *
     * @throws MosaicException {@code FAILED_PRECONDITION} when there is not exactly one row, or its
     *         value is NULL or not a finite number: the query answers, but not with a reading
     */
    static double singleNumber(String metric, String sql, List<List<String>> rows) {
        if (rows == null || rows.size() != 1 || rows.get(0) == null || rows.get(0).isEmpty()) {
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION, "throttler metric '" + metric + "': query [" + sql
                    + "] must return exactly one row with a numeric value, got " + (rows == null ? "nothing" : rows.size() + " rows"));
        }
        List<String> row = rows.get(0);
        String raw = row.get(row.size() - 1);
        if (raw == null) {
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION, "throttler metric '" + metric + "': query [" + sql
                    + "] returned NULL, not a number");
        }
        double v;
        try {
            v = Double.parseDouble(raw.trim());
        } catch (NumberFormatException e) {
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION, "throttler metric '" + metric + "': query [" + sql
                    + "] returned '" + raw + "', not a number");
        }
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION, "throttler metric '" + metric + "': query [" + sql
                    + "] returned '" + raw + "', not a finite number");
        }
        return v;
    }

    /** The error for a reading the probe cannot give now. */
    static MosaicException unavailable(String metric, String why) {
        return new MosaicException(ErrorCode.UNAVAILABLE, "throttler metric '" + metric + "' cannot be read: " + why);
    }
}
