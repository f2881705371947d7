package dev.mosaic.server.tablet.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Snapshot diffs: before, after, expected created / altered / dropped. */
class SchemaChangeTest {
    private static final Table T = new Table("t", Table.Kind.BASE,
            List.of(new Column("id", "int(11)"), new Column("v", "varchar(10)")), List.of("id"), 1000);

    private static SchemaSnapshot snap(Table... tables) {
        Map<String, Table> m = new LinkedHashMap<>();
        for (Table t : tables) {
            m.put(t.name(), t);
        }
        return SchemaSnapshot.of("db", m, Instant.EPOCH);
    }

    private static Table rename(Table t, String name) {
        return new Table(name, t.kind(), t.columns(), t.primaryKey(), t.createTimeSeconds());
    }

    static Stream<Arguments> cases() {
        Table addedColumn = new Table("t", Table.Kind.BASE, List.of(new Column("id", "int(11)"),
                new Column("v", "varchar(10)"), new Column("w", "bigint(20)")), List.of("id"), 1000);
        Table retyped = new Table("t", Table.Kind.BASE,
                List.of(new Column("id", "int(11)"), new Column("v", "varchar(20)")), List.of("id"), 1000);
        Table newKey = new Table("t", Table.Kind.BASE, T.columns(), List.of("id", "v"), 1000);
        Table recreated = new Table("t", Table.Kind.BASE, T.columns(), T.primaryKey(), 2000);
        Table reordered = new Table("t", Table.Kind.BASE,
                List.of(new Column("v", "varchar(10)"), new Column("id", "int(11)")), List.of("id"), 1000);
        Table view = new Table("t", Table.Kind.VIEW, T.columns(), List.of(), 0);
        return Stream.of(
                Arguments.of("same", snap(T), snap(T), List.of(), List.of(), List.of()),
                Arguments.of("empty", snap(), snap(), List.of(), List.of(), List.of()),
                Arguments.of("created", snap(), snap(T), List.of("t"), List.of(), List.of()),
                Arguments.of("dropped", snap(T), snap(), List.of(), List.of(), List.of("t")),
                Arguments.of("column added", snap(T), snap(addedColumn), List.of(), List.of("t"), List.of()),
                Arguments.of("column type", snap(T), snap(retyped), List.of(), List.of("t"), List.of()),
                Arguments.of("column order", snap(T), snap(reordered), List.of(), List.of("t"), List.of()),
                Arguments.of("primary key", snap(T), snap(newKey), List.of(), List.of("t"), List.of()),
                Arguments.of("dropped and re-created", snap(T), snap(recreated), List.of(), List.of("t"), List.of()),
                Arguments.of("table became view", snap(T), snap(view), List.of(), List.of("t"), List.of()),
                Arguments.of("renamed", snap(T), snap(rename(T, "u")), List.of("u"), List.of(), List.of("t")),
                Arguments.of("all three, sorted", snap(rename(T, "b"), rename(T, "d"), T),
                        snap(rename(T, "c"), rename(T, "a"), addedColumn), List.of("a", "c"), List.of("t"),
                        List.of("b", "d")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void diff(String name, SchemaSnapshot before, SchemaSnapshot after, List<String> created, List<String> altered,
            List<String> dropped) {
        SchemaChange c = SchemaChange.between(before, after);
        assertEquals(created, c.created(), "created");
        assertEquals(altered, c.altered(), "altered");
        assertEquals(dropped, c.dropped(), "dropped");
        assertEquals(created.isEmpty() && altered.isEmpty() && dropped.isEmpty(), c.isEmpty());
    }

    @Test
    void allTablesListsCreatedAlteredDropped() {
        assertEquals(List.of("a", "b", "c"), new SchemaChange(List.of("a"), List.of("b"), List.of("c")).allTables());
    }

    @Test
    void snapshotIsImmutable() {
        SchemaSnapshot s = snap(T);
        assertThrows(UnsupportedOperationException.class, () -> s.tables().put("x", T));
        assertThrows(UnsupportedOperationException.class, () -> T.columns().add(new Column("x", "int")));
    }

    @Test
    void kindOfTableType() {
        assertEquals(Table.Kind.VIEW, Table.Kind.of("VIEW"));
        assertEquals(Table.Kind.BASE, Table.Kind.of("BASE TABLE"));
        assertEquals(Table.Kind.BASE, Table.Kind.of("SYSTEM VERSIONED"));
    }
}
