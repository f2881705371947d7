package dev.mosaic.server.sql.exec;

import dev.mosaic.api.sql.SqlType;
import java.util.Objects;

/**
 * What the gate needs to know of a result column to merge and aggregate rows: its name and type.
 * (The full column definition travels beside it to the client unchanged.)
 *
 * @param name the column name
 * @param type the column type
 */
public record Field(String name, SqlType type) {
    /** Rejects nulls. */
    public Field {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
