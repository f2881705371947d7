package dev.mosaic.server.sql.plan;

/**
 * How a route picks its shards; the names are Vitess's engine opcodes, which the plan
 * descriptions print.
 */
public enum RouteOpcode {
    /** The keyspace is unsharded: its single shard. */
    UNSHARDED("Unsharded"),
    /** A unique vindex and one value: at most one shard. */
    EQUAL_UNIQUE("EqualUnique"),
    /** A non-unique vindex and one value: the shards its keyspace ids live in. */
    EQUAL("Equal"),
    /** A vindex and a list of values: the shards owning any of them; each gets its own values. */
    IN("IN"),
    /** Every shard of the keyspace. */
    SCATTER("Scatter"),
    /** A reference table: any one shard holds all of it. */
    REFERENCE("Reference"),
    /** The condition can match no row (e.g. {@code id = NULL}): no shard, an empty result. */
    NONE("None"),
    /** A partial multi-column vindex: the shards of the key range of the leading columns' values. */
    SUB_SHARD("SubShard"),
    /** Values from a sequence table ({@code SELECT NEXT n VALUES}), in its unsharded keyspace. */
    NEXT("Next"),
    /** An information_schema query, sent to one shard with keyspace names mapped to database names. */
    DBA("DBA");

    private final String vitessName;

    RouteOpcode(String vitessName) {
        this.vitessName = vitessName;
    }

    /** The opcode's name as Vitess prints it. */
    public String vitessName() {
        return vitessName;
    }

    /** True if the opcode sends to at most one shard whatever the values. */
    public boolean singleShard() {
        return this == UNSHARDED || this == EQUAL_UNIQUE || this == REFERENCE || this == NONE || this == NEXT || this == DBA;
    }
}
