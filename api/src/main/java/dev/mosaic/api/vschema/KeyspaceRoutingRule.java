package dev.mosaic.api.vschema;

import java.util.Objects;

/**
 * One keyspace routing rule: Vitess's {@code KeyspaceRoutingRule}. Every query naming
 * {@code fromKeyspace} is served by {@code toKeyspace} (used when a whole keyspace moves, e.g. in a
 * multi-tenant migration).
 *
 * @param fromKeyspace the keyspace queries name; may carry a tablet-type suffix ({@code ks@replica})
 * @param toKeyspace   the keyspace that serves them
 */
public record KeyspaceRoutingRule(String fromKeyspace, String toKeyspace) {
    /** Rejects nulls. */
    public KeyspaceRoutingRule {
        Objects.requireNonNull(fromKeyspace, "fromKeyspace");
        Objects.requireNonNull(toKeyspace, "toKeyspace");
    }
}
