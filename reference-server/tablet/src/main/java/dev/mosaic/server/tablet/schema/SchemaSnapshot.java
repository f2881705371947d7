package dev.mosaic.server.tablet.schema;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The tables of one database at one moment: immutable, so readers share it without locks while the
 * engine swaps in the next one.
 *
 * @param database the database described
 * @param tables tables and views by name, sorted
 * @param loadedAt when the load finished
 */
public record SchemaSnapshot(String database, SortedMap<String, Table> tables, Instant loadedAt) {
    public SchemaSnapshot {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(loadedAt, "loadedAt");
        tables = Collections.unmodifiableSortedMap(new TreeMap<>(tables));
    }

    /** A snapshot of {@code tables}. */
    public static SchemaSnapshot of(String database, Map<String, Table> tables, Instant loadedAt) {
        return new SchemaSnapshot(database, new TreeMap<>(tables), loadedAt);
    }

    /** The table named {@code name}, or null. */
    public Table table(String name) {
        return tables.get(name);
    }
}
