package dev.mosaic.server.tablet.sequence;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.Value;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code SELECT NEXT n VALUES FROM seq} (or {@code NEXT VALUE}, n = 1), the statement that reserves
 * ids from a sequence table. Recognised by its shape before any parsing, since JSqlParser has no
 * grammar for it. The count is an integer literal or a bind variable ({@code :n}, as the gate
 * sends it); the table may be quoted and qualified by a database, which is dropped.
 *
 * @param table the sequence table, unquoted, without database
 * @param count the literal count, when the statement gave one
 * @param countBind the bind variable holding the count, when the statement named one
 */
public record NextValuesStatement(String table, Optional<Long> count, Optional<String> countBind) {
    private static final Pattern SHAPE = Pattern.compile(
            "(?is)\\s*select\\s+next\\s+(?:value|(\\d+|:[A-Za-z_][A-Za-z0-9_]*)\\s+values)\\s+from\\s+"
                    + "((?:`[^`]+`|[A-Za-z0-9_$]+)(?:\\s*\\.\\s*(?:`[^`]+`|[A-Za-z0-9_$]+))?)\\s*;?\\s*");
    private static final Pattern LEADING_COMMENT = Pattern.compile("(?s)\\s*/\\*.*?\\*/");

    /** Checks the parts. */
    public NextValuesStatement {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(count, "count");
        Objects.requireNonNull(countBind, "countBind");
    }

    /** The statement in {@code sql}, or empty if {@code sql} is some other statement. */
    public static Optional<NextValuesStatement> parse(String sql) {
        String s = sql;
        Matcher c = LEADING_COMMENT.matcher(s);
        while (c.lookingAt()) {
            s = s.substring(c.end());
            c = LEADING_COMMENT.matcher(s);
        }
        Matcher m = SHAPE.matcher(s);
        if (!m.matches()) {
            return Optional.empty();
        }
        String n = m.group(1);
        String table = lastPart(m.group(2));
        if (n == null) {
            return Optional.of(new NextValuesStatement(table, Optional.of(1L), Optional.empty()));
        }
        if (n.startsWith(":")) {
            return Optional.of(new NextValuesStatement(table, Optional.empty(), Optional.of(n.substring(1))));
        }
        try {
            return Optional.of(new NextValuesStatement(table, Optional.of(Long.parseLong(n)), Optional.empty()));
        } catch (NumberFormatException e) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "invalid increment for sequence " + table + ": " + n);
        }
    }

    private static String lastPart(String qualified) {
        String t = qualified;
        if (t.endsWith("`")) {
            t = t.substring(t.lastIndexOf('`', t.length() - 2) + 1, t.length() - 1);
        } else {
            int dot = t.lastIndexOf('.');
            t = t.substring(dot + 1).strip();
        }
        return t;
    }

    /**
     * How many values to reserve.
     *
     * @throws MosaicException INVALID_ARGUMENT if the bind variable is missing, not an integer, or the
     *     count is below 1 ("invalid increment for sequence t: 0", as Vitess words it)
     */
    public long count(BindVariables bindVars) {
        long n;
        if (count.isPresent()) {
            n = count.get();
        } else {
            String name = countBind.orElseThrow();
            Value v = bindVars.get(name).orElseThrow(() -> new MosaicException(ErrorCode.INVALID_ARGUMENT,
                    "missing bind var " + name + " (the count of NEXT VALUES from " + table + ")"));
            String text = new String(v.toBytes(), StandardCharsets.UTF_8);
            try {
                n = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new MosaicException(ErrorCode.INVALID_ARGUMENT,
                        "invalid increment for sequence " + table + ": " + text);
            }
        }
        if (n < 1) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "invalid increment for sequence " + table + ": " + n);
        }
        return n;
    }
}
