package dev.mosaic.api.vschema;

import java.util.Objects;

/**
 * One problem found while reading or validating a vschema or routing rules.
 *
 * @param path   where, as a {@link dev.mosaic.api.json.JsonPath} into the JSON form, e.g.
 *               {@code $.tables.corder.column_vindexes[0].name}
 * @param reason what is wrong, for a person to read
 */
public record VSchemaError(String path, String reason) {
    /** Rejects nulls. */
    public VSchemaError {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(reason, "reason");
    }

    /** {@code path: reason}. */
    @Override
    public String toString() {
        return path + ": " + reason;
    }
}
