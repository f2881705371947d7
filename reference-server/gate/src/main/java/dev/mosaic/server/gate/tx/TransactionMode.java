package dev.mosaic.server.gate.tx;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.proto.query.Errors;
import java.util.Locale;

/**
 * How a session's transaction may span shards: Vitess's {@code transaction_mode}
 * ({@code SET transaction_mode = 'TWOPC'}).
 */
public enum TransactionMode {
    /** One shard only: a transaction that reaches a second shard is rolled back with an error. */
    SINGLE,
    /** Any shards; COMMIT commits them one after another, best effort (the default, as in Vitess). */
    MULTI,
    /** Any shards; COMMIT of more than one shard is atomic (two-phase commit). */
    TWOPC;

    /**
     * The mode named {@code text} (case-insensitive).
     *
     * @throws MosaicException ER_WRONG_VALUE_FOR_VAR (1231) for any other value
     */
    public static TransactionMode parse(String text) {
        if (text != null) {
            for (TransactionMode m : values()) {
                if (m.name().equalsIgnoreCase(text.trim())) {
                    return m;
                }
            }
        }
        throw Errors.mysqlError(ErrorCode.INVALID_ARGUMENT, 1231, "42000",
                "Variable 'transaction_mode' can't be set to the value of '" + text + "'", null);
    }

    /** The name as the session variable shows it. */
    public String text() {
        return name().toUpperCase(Locale.ROOT);
    }
}
