package dev.mosaic.server.tablet.schema;

import java.util.Objects;

/**
 * One column as {@code information_schema.COLUMNS} describes it.
 *
 * @param name the column name
 * @param type the full MySQL column type, e.g. {@code int(11)}, {@code varchar(64)}, {@code bigint(20) unsigned}
 */
public record Column(String name, String type) {
    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
