package dev.mosaic.server.tablet.load;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.proto.query.Errors;
import io.grpc.Status;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Failed queries counted by kind, for the report: a gRPC failure by its status code and the
 * tablet's error code (with the MySQL errno when there is one), a JDBC failure by errno and
 * SQLSTATE, a wrong answer by what was wrong. Thread-safe.
 */
public final class ErrorTally {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, String> firstMessage = new ConcurrentHashMap<>();

    /** Counts one failed gRPC call. */
    public void grpc(Throwable t) {
        Status status = Status.fromThrowable(t);
        MosaicException m = Errors.fromThrowable(t);
        String key = "grpc " + status.getCode() + " / tablet " + m.code()
                + (m.mysqlErrno() != 0 ? " errno " + m.mysqlErrno() : "");
        add(key, String.valueOf(status.getDescription()));
    }

    /** Counts one failed JDBC query. */
    public void jdbc(SQLException e) {
        add("jdbc errno " + e.getErrorCode() + " sqlstate " + e.getSQLState(), e.getMessage());
    }

    /** Counts one failure of another {@code kind} (a wrong row, an unexpected exception). */
    public void add(String kind, String message) {
        counts.computeIfAbsent(kind, k -> new LongAdder()).increment();
        firstMessage.putIfAbsent(kind, message == null ? "" : message);
    }

    /** All failures counted. */
    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Count per kind, sorted by kind. */
    public Map<String, Long> byKind() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** One line per kind: count, kind and the first message seen; "none" when there were none. */
    @Override
    public String toString() {
        if (counts.isEmpty()) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        byKind().forEach((k, n) -> b.append(n).append(" x ").append(k).append(" (first: ")
                .append(firstMessage.get(k)).append(")\n"));
        return b.toString().stripTrailing();
    }
}
