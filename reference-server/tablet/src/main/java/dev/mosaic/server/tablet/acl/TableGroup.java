package dev.mosaic.server.tablet.acl;

import java.util.List;
import java.util.Objects;

/**
 * One entry of {@code table_groups} in a table ACL file.
 *
 * @param name the group's name, for messages and metrics (may be empty)
 * @param tableNamesOrPrefixes table names; a name ending in {@code %} is a prefix matching every table
 *     that starts with the part before it
 * @param readers users or caller groups allowed to read; {@code %} stands for everyone
 * @param writers users or caller groups allowed to write (and read)
 * @param admins users or caller groups allowed to administer (and write and read)
 */
public record TableGroup(String name, List<String> tableNamesOrPrefixes, List<String> readers,
        List<String> writers, List<String> admins) {
    /** Copies the lists. */
    public TableGroup {
        Objects.requireNonNull(name, "name");
        tableNamesOrPrefixes = List.copyOf(tableNamesOrPrefixes);
        readers = List.copyOf(readers);
        writers = List.copyOf(writers);
        admins = List.copyOf(admins);
    }
}
