package dev.mosaic.api.vschema;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import java.util.List;

/**
 * A vschema or routing-rules document that cannot be read or is not valid. Its code is {@link
 * ErrorCode#INVALID_ARGUMENT}; its message lists every problem, one {@code path: reason} per line.
 */
public final class VSchemaException extends MosaicException {
    private static final long serialVersionUID = 1L;

    private final transient List<VSchemaError> errors;

    /**
     * An exception listing {@code errors}.
     *
     * @param what   what was being read, e.g. {@code vschema}, for the first line of the message
     * @param errors the problems; must not be empty
     */
    public VSchemaException(String what, List<VSchemaError> errors) {
        super(ErrorCode.INVALID_ARGUMENT, message(what, errors));
        this.errors = List.copyOf(errors);
    }

    private static String message(String what, List<VSchemaError> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("no errors");
        }
        if (errors.size() == 1) {
            return "invalid " + what + ": " + errors.get(0);
        }
        StringBuilder b = new StringBuilder("invalid " + what + " (" + errors.size() + " problems):");
        for (VSchemaError e : errors) {
            b.append("\n  ").append(e);
        }
        return b.toString();
    }

    /** The problems, in the order they were found (document order); never empty. */
    public List<VSchemaError> errors() {
        return errors;
    }
}
