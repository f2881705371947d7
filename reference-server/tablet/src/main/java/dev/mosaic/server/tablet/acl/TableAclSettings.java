package dev.mosaic.server.tablet.acl;

import java.util.Set;

/**
 * How a {@link TableAclGuard} applies its ACL.
 *
 * @param unlistedTables what happens to a table that no group covers
 * @param dryRun count denials ({@code pseudoDenied}) but let every statement through (Vitess
 *     {@code --queryserver-config-enable-table-acl-dry-run}); for trying out a new ACL file
 * @param exemptUsers users (or caller groups) never checked (Vitess
 *     {@code --queryserver-config-acl-exempt-acl}), e.g. the tablet's own DBA user
 */
public record TableAclSettings(UnlistedTables unlistedTables, boolean dryRun, Set<String> exemptUsers) {

    /** The treatment of tables no group covers. */
    public enum UnlistedTables {
        /**
         * Deny every caller (Vitess's behaviour: an unlisted table gets the deny-all ACL, which
         * denies once {@code --queryserver-config-strict-table-acl} enforces the ACL). The safe
         * default, and what the tablet's {@code acl.*} configuration uses.
         */
        DENY,
        /** Allow every caller: only tables some group covers are access-controlled. */
        ALLOW
    }

    /** Deny-by-default, enforcing, no exempt users. */
    public static final TableAclSettings STRICT = new TableAclSettings(UnlistedTables.DENY, false, Set.of());

    /** Copies the exempt set. */
    public TableAclSettings {
        java.util.Objects.requireNonNull(unlistedTables, "unlistedTables");
        exemptUsers = Set.copyOf(exemptUsers);
    }
}
