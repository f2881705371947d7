package dev.mosaic.server.sql.plan;

import java.util.Objects;

/**
 * An execution plan: the normalized statement it was built for and its root primitive. Immutable
 * and shared by every execution of that statement text in the same session keyspace.
 *
 * @param query the normalized statement text
 * @param root  the root primitive
 */
public record Plan(String query, Primitive root) {
    /** Rejects nulls. */
    public Plan {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(root, "root");
    }
}
