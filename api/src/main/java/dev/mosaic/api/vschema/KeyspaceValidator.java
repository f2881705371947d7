package dev.mosaic.api.vschema;

import dev.mosaic.api.json.JsonPath;
import dev.mosaic.api.key.KeyspaceId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The checks behind {@link KeyspaceVSchema#validate(VindexTypes)}. */
final class KeyspaceValidator {
    private final KeyspaceVSchema ks;
    private final VindexTypes types;
    private final List<VSchemaError> errors = new ArrayList<>();

    KeyspaceValidator(KeyspaceVSchema ks, VindexTypes types) {
        this.ks = ks;
        this.types = types;
    }

    List<VSchemaError> validate() {
        String vindexesPath = JsonPath.member(JsonPath.ROOT, "vindexes");
        for (Map.Entry<String, VindexDef> e : ks.vindexes().entrySet()) {
            vindex(e.getKey(), e.getValue(), JsonPath.member(vindexesPath, e.getKey()));
        }
        String tablesPath = JsonPath.member(JsonPath.ROOT, "tables");
        for (Map.Entry<String, TableDef> e : ks.tables().entrySet()) {
            table(e.getKey(), e.getValue(), JsonPath.member(tablesPath, e.getKey()));
        }
        return List.copyOf(errors);
    }

    private void error(String path, String reason) {
        errors.add(new VSchemaError(path, reason));
    }

    private void vindex(String name, VindexDef v, String path) {
        if (name.isEmpty()) {
            error(path, "vindex name is empty");
        }
        if (!ks.sharded()) {
            // Vitess ignores vindexes of an unsharded keyspace; they are almost always a mistake.
            error(path, "vindexes are not allowed in an unsharded keyspace");
            return;
        }
        if (v.type().isEmpty()) {
            error(JsonPath.member(path, "type"), "vindex type is empty");
        }
        if (!v.owner().isEmpty() && !ks.tables().containsKey(v.owner())) {
            error(JsonPath.member(path, "owner"), "owner table " + v.owner() + " is not a table of this keyspace");
        }
        for (String param : v.params().keySet()) {
            if (param.isEmpty()) {
                error(JsonPath.member(JsonPath.member(path, "params"), param), "parameter name is empty");
            }
        }
    }

    private void table(String name, TableDef t, String path) {
        if (name.isEmpty()) {
            error(path, "table name is empty");
        }
        String pinnedPath = JsonPath.member(path, "pinned");
        if (!t.pinned().isEmpty()) {
            try {
                KeyspaceId.fromHex(t.pinned());
            } catch (IllegalArgumentException e) {
                error(pinnedPath, "could not decode the keyspace id for pin: " + e.getMessage());
            }
        }
        if (t.type() == TableType.SEQUENCE && ks.sharded() && t.pinned().isEmpty()) {
            error(JsonPath.member(path, "type"),
                    "sequence table has to be in an unsharded keyspace or must be pinned: " + name);
        }
        if (!t.source().isEmpty()) {
            if (t.type() != TableType.REFERENCE) {
                error(JsonPath.member(path, "source"), "source is only allowed on a reference table: " + name);
            } else {
                checkTableName(t.source(), true, JsonPath.member(path, "source"), "invalid source for reference table " + name);
            }
        }
        columns(name, t, path);
        columnVindexes(name, t, JsonPath.member(path, "column_vindexes"));
        t.autoIncrement().ifPresent(a -> {
            String ap = JsonPath.member(path, "auto_increment");
            if (a.column().isEmpty()) {
                error(JsonPath.member(ap, "column"), "auto_increment column is empty for table " + name);
            }
            if (a.sequence().isEmpty()) {
                error(JsonPath.member(ap, "sequence"), "auto_increment sequence is empty for table " + name);
            } else {
                checkTableName(a.sequence(), true, JsonPath.member(ap, "sequence"), "invalid sequence for table " + name);
            }
        });
    }

    private void columns(String table, TableDef t, String path) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < t.columns().size(); i++) {
            ColumnDef c = t.columns().get(i);
            String namePath = JsonPath.member(JsonPath.index(JsonPath.member(path, "columns"), i), "name");
            if (c.name().isEmpty()) {
                error(namePath, "column name is empty in table " + table);
            } else if (!seen.add(c.name().toLowerCase(Locale.ROOT))) {
                // Column names are case-insensitive in MySQL.
                error(namePath, "duplicate column name '" + c.name() + "' for table: " + table);
            }
        }
    }

    private void columnVindexes(String table, TableDef t, String path) {
        List<ColumnVindexDef> cvs = t.columnVindexes();
        if (!ks.sharded()) {
            if (!cvs.isEmpty()) {
                error(path, "column vindexes are not allowed in an unsharded keyspace: " + table);
            }
            return;
        }
        if (cvs.isEmpty() && t.type() == TableType.STANDARD && t.pinned().isEmpty()) {
            error(path, "missing primary col vindex for table: " + table);
            return;
        }
        for (int i = 0; i < cvs.size(); i++) {
            ColumnVindexDef cv = cvs.get(i);
            String cvPath = JsonPath.index(path, i);
            if (!cv.column().isEmpty() && !cv.columns().isEmpty()) {
                error(cvPath, "can't use column and columns at the same time in vindex (" + cv.name() + ") and table (" + table + ")");
            } else if (cv.column().isEmpty() && cv.columns().isEmpty()) {
                error(cvPath, "must specify at least one column for vindex (" + cv.name() + ") and table (" + table + ")");
            }
            for (int j = 0; j < cv.columns().size(); j++) {
                if (cv.columns().get(j).isEmpty()) {
                    error(JsonPath.index(JsonPath.member(cvPath, "columns"), j), "column name is empty");
                }
            }
            String namePath = JsonPath.member(cvPath, "name");
            VindexDef v = ks.vindexes().get(cv.name());
            if (v == null) {
                error(namePath, "vindex " + cv.name() + " not found for table " + table);
                continue;
            }
            boolean owned = types.isLookup(v.type()) && v.owner().equals(table);
            if (i == 0) {
                if (!types.isUnique(v.type())) {
                    error(namePath, "primary vindex " + cv.name() + " is not Unique for table " + table);
                }
                if (owned) {
                    error(namePath, "primary vindex " + cv.name() + " cannot be owned for table " + table);
                }
            } else if (types.isMultiColumn(v.type())) {
                error(namePath, "multi-column vindex " + cv.name() + " should be a primary vindex for table " + table);
            }
        }
    }

    /**
     * Checks {@code name} is {@code keyspace.table}, or also just {@code table} if
     * {@code allowUnqualified}: no empty part and at most one dot, as Vitess's
     * {@code extractTableParts} requires. Returns the table part, or null after adding an error.
     */
    static String checkTableName(String name, boolean allowUnqualified, String path, String prefix, List<VSchemaError> errors) {
        String[] parts = name.split("\\.", -1);
        boolean ok = (parts.length == 2 || (allowUnqualified && parts.length == 1))
                && Arrays.stream(parts).noneMatch(String::isEmpty);
        if (!ok) {
            errors.add(new VSchemaError(path, prefix + ": invalid table name: '" + name + "', it must be of the "
                    + (allowUnqualified ? "unqualified form <table_name> or the " : "")
                    + "qualified form <keyspace_name>.<table_name> (dots are not allowed in either name)"));
            return null;
        }
        return parts[parts.length - 1];
    }

    private void checkTableName(String name, boolean allowUnqualified, String path, String prefix) {
        checkTableName(name, allowUnqualified, path, prefix, errors);
    }
}
