package dev.mosaic.server.gate.gateway;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.proto.query.QueryResult;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a call that opens a transaction or reserved connection and executes a statement:
 * the session is valid even when the statement failed ({@code error} present, {@code result}
 * empty), so the caller can still roll back or release it.
 */
public record Opened(ShardSession session, QueryResult result, Optional<MosaicException> error) {
    public Opened {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(error, "error");
    }
}
