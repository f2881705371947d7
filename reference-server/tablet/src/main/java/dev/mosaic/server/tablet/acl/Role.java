package dev.mosaic.server.tablet.acl;

/**
 * What a statement needs to do to a table. Roles are ordered: a writer may also read, an admin may
 * also write and read.
 */
public enum Role {
    /** Read rows: SELECT. */
    READER,
    /** Change rows: INSERT, UPDATE, DELETE, and reads. */
    WRITER,
    /** Change the table itself (DDL), and everything a writer may do. */
    ADMIN;

    /** Whether holding this role grants {@code needed}. */
    public boolean implies(Role needed) {
        return compareTo(needed) >= 0;
    }
}
