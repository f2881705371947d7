package dev.mosaic.server.sql.planner;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import dev.mosaic.api.vschema.ColumnVindexDef;
import dev.mosaic.api.vschema.KeyspaceVSchema;
import dev.mosaic.api.vschema.RoutingRule;
import dev.mosaic.api.vschema.RoutingRules;
import dev.mosaic.api.vschema.TableDef;
import dev.mosaic.api.vschema.TableType;
import dev.mosaic.api.vschema.VindexDef;
import dev.mosaic.spi.PluginKind;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.vindex.OwnerAware;
import dev.mosaic.spi.vindex.Vindex;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every keyspace's vschema and the table routing rules, resolved once for planning: each vindex
 * is created through the {@link Plugins} registry when the snapshot is built (so a plan holds live
 * vindex instances), tables know their keyspace, and table names unique across keyspaces are
 * indexed for sessions without a keyspace.
 *
 * <p>Immutable and thread-safe. A new vschema means a new snapshot (and a new plan cache).
 */
public final class VSchemaSnapshot {
    private final Map<String, Keyspace> keyspaces;
    private final Map<String, List<Table>> globalTables;
    private final Map<String, List<String>> routingRules;

    private VSchemaSnapshot(Map<String, Keyspace> keyspaces, Map<String, List<Table>> globalTables,
                            Map<String, List<String>> routingRules) {
        this.keyspaces = keyspaces;
        this.globalTables = globalTables;
        this.routingRules = routingRules;
    }

    /**
     * Builds a snapshot.
     *
     * @param vschemas keyspace name to its vschema (a keyspace without a vschema maps to {@link KeyspaceVSchema#EMPTY})
     * @param rules    the table routing rules
     * @param plugins  the registry creating vindexes by type
     * @throws MosaicException {@code INVALID_ARGUMENT} naming the keyspace and vindex whose type is
     *                         unknown or whose parameters are rejected, or a table naming an
     *                         undeclared vindex
     */
    public static VSchemaSnapshot build(Map<String, KeyspaceVSchema> vschemas, RoutingRules rules, Plugins plugins) {
        Map<String, Keyspace> keyspaces = new TreeMap<>();
        Map<String, List<Table>> global = new LinkedHashMap<>();
        for (Map.Entry<String, KeyspaceVSchema> e : vschemas.entrySet()) {
            String ksName = e.getKey();
            KeyspaceVSchema ks = e.getValue();
            Map<String, Vindex> vindexes = new LinkedHashMap<>();
            for (Map.Entry<String, VindexDef> v : ks.vindexes().entrySet()) {
                try {
                    vindexes.put(v.getKey(), plugins.create(PluginKind.VINDEX, v.getValue().type(), v.getKey(), v.getValue().params()));
                } catch (MosaicException ex) {
                    throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "keyspace " + ksName + ": vindex " + v.getKey()
                            + ": " + ex.getMessage(), ex);
                }
            }
            Map<String, Table> tables = new LinkedHashMap<>();
            for (Map.Entry<String, TableDef> t : ks.tables().entrySet()) {
                TableDef def = t.getValue();
                List<ColumnVindex> cvs = new ArrayList<>();
                for (ColumnVindexDef cv : def.columnVindexes()) {
                    Vindex vindex = vindexes.get(cv.name());
                    if (vindex == null) {
                        throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "keyspace " + ksName + ": table " + t.getKey()
                                + " uses undeclared vindex " + cv.name());
                    }
                    List<String> cols = cv.effectiveColumns().stream().map(c -> c.toLowerCase(Locale.ROOT)).toList();
                    VindexDef vdef = ks.vindexes().get(cv.name());
                    if (vindex instanceof OwnerAware oa && vdef.owner().equals(t.getKey())) {
                        oa.setOwnerInfo(ksName, t.getKey(), cols);
                    }
                    cvs.add(new ColumnVindex(cv.name(), vdef.type(), cols, vindex, vdef.owner().equals(t.getKey())));
                }
                Optional<AutoIncrement> autoInc = def.autoIncrement().map(a -> {
                    String seq = a.sequence();
                    int dot = seq.indexOf('.');
                    return new AutoIncrement(a.column().toLowerCase(Locale.ROOT),
                            dot < 0 ? Optional.empty() : Optional.of(seq.substring(0, dot)),
                            dot < 0 ? seq : seq.substring(dot + 1));
                });
                tables.put(t.getKey().toLowerCase(Locale.ROOT), new Table(ksName, t.getKey(), def.type(), cvs, autoInc, def.pinned()));
            }
            Keyspace keyspace = new Keyspace(ksName, ks.sharded(), Collections.unmodifiableMap(tables), ks.requireExplicitRouting());
            keyspaces.put(ksName, keyspace);
            if (!ks.requireExplicitRouting()) {
                for (Table t : tables.values()) {
                    global.computeIfAbsent(t.name().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(t);
                }
            }
        }
        Map<String, List<String>> rr = new LinkedHashMap<>();
        for (RoutingRule r : rules.rules()) {
            rr.put(r.fromTable().toLowerCase(Locale.ROOT), r.toTables());
        }
        // Resolve sequences named without keyspace: the unsharded keyspace that declares them.
        Map<String, Keyspace> resolved = new TreeMap<>();
        for (Keyspace ks : keyspaces.values()) {
            Map<String, Table> tables = new LinkedHashMap<>();
            for (Map.Entry<String, Table> t : ks.tables().entrySet()) {
                Table table = t.getValue();
                if (table.autoIncrement().isPresent() && table.autoIncrement().get().sequenceKeyspace().isEmpty()) {
                    AutoIncrement a = table.autoIncrement().get();
                    String owner = findSequenceKeyspace(keyspaces, a.sequenceTable(), ks.name());
                    table = new Table(table.keyspace(), table.name(), table.type(), table.columnVindexes(),
                            Optional.of(new AutoIncrement(a.column(), Optional.of(owner), a.sequenceTable())), table.pinned());
                }
                tables.put(t.getKey(), table);
            }
            resolved.put(ks.name(), new Keyspace(ks.name(), ks.sharded(), Collections.unmodifiableMap(tables), ks.requireExplicitRouting()));
        }
        Map<String, List<Table>> globalResolved = new LinkedHashMap<>();
        global.forEach((name, list) -> globalResolved.put(name,
                list.stream().map(t -> resolved.get(t.keyspace()).tables().get(name)).toList()));
        return new VSchemaSnapshot(Collections.unmodifiableMap(resolved), Collections.unmodifiableMap(globalResolved),
                Collections.unmodifiableMap(rr));
    }

    private static String findSequenceKeyspace(Map<String, Keyspace> keyspaces, String seq, String from) {
        String key = seq.toLowerCase(Locale.ROOT);
        List<String> found = new ArrayList<>();
        for (Keyspace ks : keyspaces.values()) {
            Table t = ks.tables().get(key);
            if (t != null && t.type() == TableType.SEQUENCE) {
                found.add(ks.name());
            }
        }
        if (found.size() != 1) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "keyspace " + from + ": sequence " + seq
                    + (found.isEmpty() ? " is not declared as a sequence table in any keyspace" : " is declared in several keyspaces " + found
                    + "; qualify it as keyspace.table"));
        }
        return found.get(0);
    }

    /** The keyspaces by name. */
    public Map<String, Keyspace> keyspaces() {
        return keyspaces;
    }

    /** The keyspace named {@code name}, if known. */
    public Optional<Keyspace> keyspace(String name) {
        return Optional.ofNullable(keyspaces.get(name));
    }

    /**
     * Finds the table a query names, as Vitess does: table routing rules first ({@code ks.t} or
     * {@code t}, a rule for the session's tablet type, {@code t@replica}, before the plain one), then
     * the qualifier or the session keyspace, then, without either, the one keyspace declaring a
     * table of that name. A table absent from an unsharded keyspace's vschema is still that
     * keyspace's (unsharded keyspaces need not declare their tables).
     *
     * @param qualifier       the keyspace written in the query, or null
     * @param name            the table name
     * @param sessionKeyspace the session's keyspace, or null
     * @param tabletType      the session's tablet type, lower case ({@code primary}, {@code replica}, ...)
     * @throws MosaicException {@link SqlError#BAD_DB} for an unknown keyspace,
     *                         {@link SqlError#NO_SUCH_TABLE} for an unknown table or one disabled by a
     *                         rule, {@code INVALID_ARGUMENT} for an ambiguous name,
     *                         {@link SqlError#NO_DB} when no keyspace is selected and the name is unknown
     */
    public Table findTable(String qualifier, String name, String sessionKeyspace, String tabletType) {
        String lname = name.toLowerCase(Locale.ROOT);
        String key = qualifier == null ? lname : qualifier.toLowerCase(Locale.ROOT) + "." + lname;
        List<String> target = null;
        if (tabletType != null && !tabletType.equals("primary")) {
            target = routingRules.get(key + "@" + tabletType);
        }
        if (target == null) {
            target = routingRules.get(key);
        }
        if (target == null && qualifier == null && sessionKeyspace != null) {
            String skey = sessionKeyspace.toLowerCase(Locale.ROOT) + "." + lname;
            if (tabletType != null && !tabletType.equals("primary")) {
                target = routingRules.get(skey + "@" + tabletType);
            }
            if (target == null) {
                target = routingRules.get(skey);
            }
        }
        if (target != null) {
            if (target.isEmpty()) {
                throw new MosaicException(SqlError.NO_SUCH_TABLE, "table " + name + " has been disabled");
            }
            String to = target.get(0);
            int dot = to.indexOf('.');
            return inKeyspace(to.substring(0, dot), to.substring(dot + 1));
        }
        String ks = qualifier != null ? qualifier : sessionKeyspace;
        if (ks != null) {
            return inKeyspace(ks, name);
        }
        List<Table> candidates = globalTables.get(lname);
        if (candidates != null && candidates.size() == 1) {
            return candidates.get(0);
        }
        if (candidates != null) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "ambiguous table reference: " + name
                    + " is declared in keyspaces " + candidates.stream().map(Table::keyspace).toList() + "; qualify it or USE one");
        }
        if (keyspaces.size() == 1) {
            Keyspace only = keyspaces.values().iterator().next();
            if (!only.sharded()) {
                return inKeyspace(only.name(), name);
            }
        }
        throw new MosaicException(SqlError.NO_DB, "VT09005: no database selected: table " + name
                + " is not declared in any keyspace's vschema; use keyspace or qualify the table");
    }

    private Table inKeyspace(String ksName, String name) {
        Keyspace ks = keyspaces.get(ksName);
        if (ks == null) {
            throw new MosaicException(SqlError.BAD_DB, "VT05003: unknown database '" + ksName + "' in vschema");
        }
        Table t = ks.tables().get(name.toLowerCase(Locale.ROOT));
        if (t != null) {
            return t;
        }
        if (!ks.sharded()) {
            return new Table(ks.name(), name, TableType.STANDARD, List.of(), Optional.empty(), "");
        }
        throw new MosaicException(SqlError.NO_SUCH_TABLE, "VT05004: table '" + name + "' does not exist in keyspace '" + ksName + "'");
    }

    /**
     * A keyspace.
     *
     * @param name                   its name
     * @param sharded                true if sharded
     * @param tables                 its declared tables, by lower-case name
     * @param requireExplicitRouting true if its tables are not found without a qualifier
     */
    public record Keyspace(String name, boolean sharded, Map<String, Table> tables, boolean requireExplicitRouting) {
        /** Rejects nulls. */
        public Keyspace {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(tables, "tables");
        }
    }

    /**
     * A table of a keyspace.
     *
     * @param keyspace       the keyspace
     * @param name           the name as declared
     * @param type           standard, sequence or reference
     * @param columnVindexes the vindexes; the first is the primary vindex in a sharded keyspace
     * @param autoIncrement  the sequence-filled column, with the sequence's keyspace resolved
     * @param pinned         the keyspace id (hex) of a pinned table, or empty
     */
    public record Table(String keyspace, String name, TableType type, List<ColumnVindex> columnVindexes,
                        Optional<AutoIncrement> autoIncrement, String pinned) {
        /** Copies the list; rejects nulls. */
        public Table {
            Objects.requireNonNull(keyspace, "keyspace");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            columnVindexes = List.copyOf(columnVindexes);
            Objects.requireNonNull(autoIncrement, "autoIncrement");
            Objects.requireNonNull(pinned, "pinned");
        }

        /** The primary vindex, if the table has vindexes. */
        public Optional<ColumnVindex> primaryVindex() {
            return columnVindexes.isEmpty() ? Optional.empty() : Optional.of(columnVindexes.get(0));
        }
    }

    /**
     * A vindex on a table's columns.
     *
     * @param name    the vindex name
     * @param type    the vindex type it was created from ({@code hash}, {@code unicode_loose_md5}, ...)
     * @param columns the columns, lower case
     * @param vindex  the instance
     * @param owned   true if this table owns the (lookup) vindex
     */
    public record ColumnVindex(String name, String type, List<String> columns, Vindex vindex, boolean owned) {
        /** Copies the list; rejects nulls. */
        public ColumnVindex {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            columns = List.copyOf(columns);
            Objects.requireNonNull(vindex, "vindex");
        }
    }

    /**
     * An auto-increment column.
     *
     * @param column           the column, lower case
     * @param sequenceKeyspace the keyspace of the sequence table
     * @param sequenceTable    the sequence table
     */
    public record AutoIncrement(String column, Optional<String> sequenceKeyspace, String sequenceTable) {
        /** Rejects nulls. */
        public AutoIncrement {
            Objects.requireNonNull(column, "column");
            Objects.requireNonNull(sequenceKeyspace, "sequenceKeyspace");
            Objects.requireNonNull(sequenceTable, "sequenceTable");
        }
    }
}
