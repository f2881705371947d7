package dev.mosaic.spi.topo;

import dev.mosaic.api.error.MosaicException;
import java.util.Objects;

/** A failed topology operation, with its {@link TopoError} kind and the path involved. */
public final class TopoException extends MosaicException {
    private static final long serialVersionUID = 1L;

    private final TopoError error;
    private final String path;

    /** An error of kind {@code error} on {@code path}. */
    public TopoException(TopoError error, String path, String message) {
        this(error, path, message, null);
    }

    /** An error of kind {@code error} on {@code path}, caused by {@code cause}. */
    public TopoException(TopoError error, String path, String message, Throwable cause) {
        super(error.code(), error.name().toLowerCase() + " at '" + path + "': " + message, cause);
        this.error = Objects.requireNonNull(error, "error");
        this.path = Objects.requireNonNull(path, "path");
    }

    /** The kind. */
    public TopoError error() {
        return error;
    }

    /** The path involved. */
    public String path() {
        return path;
    }
}
