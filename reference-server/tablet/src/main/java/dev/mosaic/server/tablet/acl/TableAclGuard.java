package dev.mosaic.server.tablet.acl;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The table ACL check the query engine calls before running a statement, over the current {@link
 * TableAcl}, which {@link #reload()} replaces atomically.
 *
 * <p>A check that fails throws {@link ErrorCode#PERMISSION_DENIED} worded as Vitess words it:
 * {@code table acl error: "alice" [eng] cannot run WRITER on table "orders"}. The table {@code dual}
 * is never checked. Decisions are counted per table and group ({@link #stats()}).
 *
 * <p>A reload reads the file, parses and validates it completely, and only then swaps it in; a bad
 * file leaves the old ACL in force, is reported to the caller of {@link #reload()} and kept as
 * {@link #lastReloadError()} for the status page. A check sees either the old or the new ACL, never
 * a mix. Thread-safe.
 */
public final class TableAclGuard {

    /**
     * Decision counters for one table: the statements allowed, denied, and (in dry-run mode) those
     * that would have been denied.
     *
     * @param table the table
     * @param group the covering group's name, empty if none
     * @param role the role checked
     */
    public record StatsKey(String table, String group, Role role) {
    }

    /**
     * The decisions so far.
     *
     * @param allowed statements allowed, by table, group and role
     * @param denied statements denied
     * @param pseudoDenied statements that dry-run mode let through but would have denied
     */
    public record Stats(Map<StatsKey, Long> allowed, Map<StatsKey, Long> denied, Map<StatsKey, Long> pseudoDenied) {
        /** Copies the maps. */
        public Stats {
            allowed = Map.copyOf(allowed);
            denied = Map.copyOf(denied);
            pseudoDenied = Map.copyOf(pseudoDenied);
        }
    }

    private final Path file;
    private final TableAclSettings settings;
    private final AtomicReference<TableAcl> current;
    private final AtomicReference<MosaicException> lastReloadError = new AtomicReference<>();
    private final Map<StatsKey, LongAdder> allowed = new ConcurrentHashMap<>();
    private final Map<StatsKey, LongAdder> denied = new ConcurrentHashMap<>();
    private final Map<StatsKey, LongAdder> pseudoDenied = new ConcurrentHashMap<>();

    private TableAclGuard(Path file, TableAcl initial, TableAclSettings settings) {
        this.file = file;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.current = new AtomicReference<>(initial);
    }

    /**
     * A guard over the ACL in {@code file}, for tablet startup. As with Vitess's
     * {@code --enforce-tableacl-config}, a file that cannot be read or is invalid is fatal here
     * (later reloads keep the old ACL instead).
     *
     * @throws TableAclConfigException if the file is invalid
     * @throws MosaicException with {@link ErrorCode#INVALID_ARGUMENT} if it cannot be read
     */
    public static TableAclGuard fromFile(Path file, TableAclSettings settings) {
        Objects.requireNonNull(file, "file");
        return new TableAclGuard(file, new TableAcl(read(file)), settings);
    }

    /**
     * A guard over the ACL in {@code file} that starts even if the file cannot be read or is invalid
     * (Vitess without {@code --enforce-tableacl-config}): it then holds an empty ACL, which covers no
     * table, and keeps the problem as {@link #lastReloadError()}; {@link #reload()} can fix it later.
     */
    public static TableAclGuard fromFileOrEmpty(Path file, TableAclSettings settings) {
        Objects.requireNonNull(file, "file");
        try {
            return fromFile(file, settings);
        } catch (MosaicException e) {
            TableAclGuard guard = new TableAclGuard(file, new TableAcl(TableAclConfig.EMPTY), settings);
            guard.lastReloadError.set(e);
            return guard;
        }
    }

    /** A guard over a fixed config, with no file to reload from. */
    public static TableAclGuard of(TableAclConfig config, TableAclSettings settings) {
        return new TableAclGuard(null, new TableAcl(config), settings);
    }

    private static TableAclConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "cannot read table ACL config " + file + ": " + e, e);
        }
        return TableAclConfig.parse(file.toString(), text);
    }

    /**
     * Re-reads the file and, if it is valid, makes it the ACL in force.
     *
     * @throws MosaicException (a {@link TableAclConfigException} for an invalid file) if the file is
     *     unreadable or invalid; the old ACL then stays in force
     * @throws IllegalStateException if this guard has no file
     */
    public TableAcl reload() {
        if (file == null) {
            throw new IllegalStateException("this table ACL guard was built from a config, not a file");
        }
        TableAcl fresh;
        try {
            fresh = new TableAcl(read(file));
        } catch (MosaicException e) {
            lastReloadError.set(e);
            throw e;
        }
        current.set(fresh);
        lastReloadError.set(null);
        return fresh;
    }

    /** Makes {@code config} the ACL in force (for an ACL pushed by other means than the file). */
    public void set(TableAclConfig config) {
        current.set(new TableAcl(config));
        lastReloadError.set(null);
    }

    /** The ACL in force. */
    public TableAcl current() {
        return current.get();
    }

    /** Why the last reload failed, if it did (cleared by a successful one). */
    public Optional<MosaicException> lastReloadError() {
        return Optional.ofNullable(lastReloadError.get());
    }

    /** The file this guard reloads from, if any. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** {@link #check(Caller, String, Role)} for a caller with no groups. */
    public void check(String user, String table, Role role) {
        check(Caller.of(user), table, role);
    }

    /**
     * Checks that {@code caller} may act as {@code role} on {@code table}.
     *
     * @throws MosaicException with {@link ErrorCode#PERMISSION_DENIED} if not (never in dry-run mode)
     */
    public void check(Caller caller, String table, Role role) {
        if (!allowed(caller, table, role)) {
            throw new MosaicException(ErrorCode.PERMISSION_DENIED, "table acl error: " + Json.of(caller.user()).toJson()
                    + " [" + String.join(" ", caller.groups()) + "] cannot run " + role + " on table "
                    + Json.of(table).toJson());
        }
    }

    /**
     * Whether the statement may run: the same decision as {@link #check} without the exception, and
     * counted the same way. In dry-run mode always {@code true}.
     */
    public boolean allowed(Caller caller, String table, Role role) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(role, "role");
        if ("dual".equalsIgnoreCase(table) || exempt(caller)) {
            return true;
        }
        Optional<TableAcl.Group> group = current.get().groupFor(table);
        boolean ok = group.map(g -> g.allows(caller, role))
                .orElse(settings.unlistedTables() == TableAclSettings.UnlistedTables.ALLOW);
        StatsKey key = new StatsKey(table, group.map(TableAcl.Group::name).orElse(""), role);
        if (ok) {
            count(allowed, key);
            return true;
        }
        if (settings.dryRun()) {
            count(pseudoDenied, key);
            return true;
        }
        count(denied, key);
        return false;
    }

    /** The table name under which statements with undetermined tables are counted (as in Vitess). */
    public static final String UNDETERMINED_TABLES = "undetermined-table-set";

    /**
     * Checks a statement whose tables cannot be determined from its text ({@code CALL}, {@code DO},
     * {@code LOAD DATA}, text the parser cannot read): as in Vitess, only exempt callers may run it,
     * whatever their table grants, since the tablet cannot tell what it touches. Counted under the
     * table {@link #UNDETERMINED_TABLES} and no group.
     *
     * @param role the role such a statement would need (for the message and the counters)
     * @param statement what the statement is, for the message (its first keyword)
     * @throws MosaicException with {@link ErrorCode#PERMISSION_DENIED} unless the caller is exempt or in dry-run mode
     */
    public void checkUndetermined(Caller caller, Role role, String statement) {
        Objects.requireNonNull(caller, "caller");
        if (exempt(caller)) {
            return;
        }
        StatsKey key = new StatsKey(UNDETERMINED_TABLES, "", role);
        if (settings.dryRun()) {
            count(pseudoDenied, key);
            return;
        }
        count(denied, key);
        throw new MosaicException(ErrorCode.PERMISSION_DENIED, "table acl error: " + Json.of(caller.user()).toJson()
                + " [" + String.join(" ", caller.groups()) + "] cannot run " + statement
                + ": the tables it touches cannot be determined");
    }

    /** Whether {@code caller} is never checked. */
    public boolean isExempt(Caller caller) {
        return exempt(caller);
    }

    private boolean exempt(Caller caller) {
        if (settings.exemptUsers().isEmpty()) {
            return false;
        }
        if (settings.exemptUsers().contains(caller.user())) {
            return true;
        }
        return caller.groups().stream().anyMatch(settings.exemptUsers()::contains);
    }

    private static void count(Map<StatsKey, LongAdder> counters, StatsKey key) {
        counters.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    /** The decision counters so far. */
    public Stats stats() {
        return new Stats(sums(allowed), sums(denied), sums(pseudoDenied));
    }

    private static Map<StatsKey, Long> sums(Map<StatsKey, LongAdder> counters) {
        Map<StatsKey, Long> out = new HashMap<>();
        counters.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** The settings in force. */
    public TableAclSettings settings() {
        return settings;
    }
}
