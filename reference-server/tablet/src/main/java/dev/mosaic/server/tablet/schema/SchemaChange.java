package dev.mosaic.server.tablet.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What differs between two {@link SchemaSnapshot}s, each list sorted by name.
 *
 * @param created tables present only in the newer snapshot
 * @param altered tables in both whose definitions differ
 * @param dropped tables present only in the older snapshot
 */
public record SchemaChange(List<String> created, List<String> altered, List<String> dropped) {
    /** No change. */
    public static final SchemaChange NONE = new SchemaChange(List.of(), List.of(), List.of());

    public SchemaChange {
        created = List.copyOf(created);
        altered = List.copyOf(altered);
        dropped = List.copyOf(dropped);
    }

    /** The change from {@code before} to {@code after}. */
    public static SchemaChange between(SchemaSnapshot before, SchemaSnapshot after) {
        List<String> created = new ArrayList<>();
        List<String> altered = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (Map.Entry<String, Table> e : after.tables().entrySet()) {
            Table old = before.tables().get(e.getKey());
            if (old == null) {
                created.add(e.getKey());
            } else if (!old.equals(e.getValue())) {
                altered.add(e.getKey());
            }
        }
        for (String name : before.tables().keySet()) {
            if (!after.tables().containsKey(name)) {
                dropped.add(name);
            }
        }
        return new SchemaChange(created, altered, dropped);
    }

    /** True if nothing changed. */
    public boolean isEmpty() {
        return created.isEmpty() && altered.isEmpty() && dropped.isEmpty();
    }

    /** Every changed name: created, then altered, then dropped (what StreamHealth's {@code table_schema_changed} lists). */
    public List<String> allTables() {
        List<String> all = new ArrayList<>(created.size() + altered.size() + dropped.size());
        all.addAll(created);
        all.addAll(altered);
        all.addAll(dropped);
        return all;
    }
}
