package dev.mosaic.api.json;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;

/**
 * Malformed JSON text. Its code is {@link ErrorCode#INVALID_ARGUMENT}; its message reads
 * {@code line L, column C (at PATH): REASON}.
 *
 * <p>Lines and columns count from 1; a column counts UTF-16 chars, a tab as one.
 */
public final class JsonException extends MosaicException {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;
    private final String path;
    private final String reason;

    /** An error at {@code line}:{@code column}, while reading the value at {@code path}. */
    public JsonException(int line, int column, String path, String reason) {
        super(ErrorCode.INVALID_ARGUMENT, "line " + line + ", column " + column + " (at " + path + "): " + reason);
        this.line = line;
        this.column = column;
        this.path = path;
        this.reason = reason;
    }

    /** The 1-based line of the offending character. */
    public int line() {
        return line;
    }

    /** The 1-based column of the offending character. */
    public int column() {
        return column;
    }

    /** The {@link JsonPath} of the value being read when the error was found. */
    public String path() {
        return path;
    }

    /** What is wrong, without the location. */
    public String reason() {
        return reason;
    }
}
