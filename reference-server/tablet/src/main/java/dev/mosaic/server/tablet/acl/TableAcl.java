package dev.mosaic.server.tablet.acl;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A compiled, immutable table ACL: for a table, the group that covers it and who holds which role.
 *
 * <p>A table is covered by the group listing its exact name, or else by the group with a prefix of
 * it (a valid {@link TableAclConfig} has at most one). A member list entry matches a {@link Caller}
 * whose user name or one of whose groups equals it; the entry {@code %} matches every caller.
 * Roles nest ({@link Role#implies}): the writers of a group may read, its admins may write and read.
 * Thread-safe.
 */
public final class TableAcl {
    /** The member list entry that matches every caller. */
    public static final String EVERYONE = "%";

    /**
     * The group covering a table.
     *
     * @param name the group's name
     * @param readers members listed as readers
     * @param writers members listed as writers
     * @param admins members listed as admins
     */
    public record Group(String name, Set<String> readers, Set<String> writers, Set<String> admins) {
        /** Copies the sets. */
        public Group {
            readers = Set.copyOf(readers);
            writers = Set.copyOf(writers);
            admins = Set.copyOf(admins);
        }

        /** Whether {@code caller} holds {@code role} (or a role that implies it) in this group. */
        public boolean allows(Caller caller, Role role) {
            return switch (role) {
                case READER -> member(readers, caller) || member(writers, caller) || member(admins, caller);
                case WRITER -> member(writers, caller) || member(admins, caller);
                case ADMIN -> member(admins, caller);
            };
        }

        private static boolean member(Set<String> members, Caller caller) {
            if (members.contains(EVERYONE) || members.contains(caller.user())) {
                return true;
            }
            for (String g : caller.groups()) {
                if (members.contains(g)) {
                    return true;
                }
            }
            return false;
        }
    }

    private final TableAclConfig config;
    private final Map<String, Group> exact = new HashMap<>();
    private final TreeMap<String, Group> prefixes = new TreeMap<>();

    /** Compiles {@code config}. */
    public TableAcl(TableAclConfig config) {
        this.config = config;
        for (TableGroup g : config.tableGroups()) {
            Group group = new Group(g.name(), Set.copyOf(g.readers()), Set.copyOf(g.writers()), Set.copyOf(g.admins()));
            for (String entry : g.tableNamesOrPrefixes()) {
                if (entry.endsWith("%")) {
                    prefixes.put(entry.substring(0, entry.length() - 1), group);
                } else {
                    exact.put(entry, group);
                }
            }
        }
    }

    /** The config this ACL was compiled from. */
    public TableAclConfig config() {
        return config;
    }

    /** The group covering {@code table}, if any. */
    public Optional<Group> groupFor(String table) {
        Group g = exact.get(table);
        if (g != null) {
            return Optional.of(g);
        }
        // Prefixes do not overlap, so the only candidate is the greatest prefix <= table.
        Map.Entry<String, Group> floor = prefixes.floorEntry(table);
        if (floor != null && table.startsWith(floor.getKey())) {
            return Optional.of(floor.getValue());
        }
        return Optional.empty();
    }

    /** The tables and prefixes this ACL names, for status pages. */
    public List<String> entries() {
        return config.tableGroups().stream().flatMap(g -> g.tableNamesOrPrefixes().stream()).toList();
    }
}
