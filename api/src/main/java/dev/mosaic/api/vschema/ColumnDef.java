package dev.mosaic.api.vschema;

import dev.mosaic.api.sql.SqlType;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A column declared in the vschema: Vitess's {@code Column} message. Declared columns let the
 * planner type expressions and, with {@link TableDef#columnListAuthoritative()}, expand
 * {@code SELECT *} without asking a tablet.
 *
 * @param name          the column name
 * @param type          its type; {@link SqlType#NULL_TYPE} (the protobuf default) when not given
 * @param invisible     true for a MySQL invisible column, left out of {@code *}
 * @param defaultExpr   the default value as SQL expression text (JSON {@code default}); empty for none
 * @param collationName the collation of a text column; empty for the default
 * @param size          the declared length or precision; 0 when not given
 * @param scale         the declared scale of a decimal; 0 when not given
 * @param nullable      whether NULL is allowed, if stated (a protobuf {@code optional}: Vitess
 *                      assumes nullable when absent)
 * @param values        the members of an ENUM or SET column, in order
 */
public record ColumnDef(String name, SqlType type, boolean invisible, String defaultExpr, String collationName,
                        int size, int scale, Optional<Boolean> nullable, List<String> values) {
    /** Copies {@code values}; rejects nulls. */
    public ColumnDef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultExpr, "defaultExpr");
        Objects.requireNonNull(collationName, "collationName");
        Objects.requireNonNull(nullable, "nullable");
        values = List.copyOf(values);
    }

    /** A column with only a name and a type. */
    public static ColumnDef of(String name, SqlType type) {
        return new ColumnDef(name, type, false, "", "", 0, 0, Optional.empty(), List.of());
    }
}
