package dev.mosaic.server.sql.plan;

import dev.mosaic.spi.vindex.Vindex;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a route or DML statement goes: the opcode, the keyspace, and for vindex opcodes the
 * vindex with the expressions giving its values (one per vindex column for
 * {@link RouteOpcode#EQUAL_UNIQUE}/{@link RouteOpcode#EQUAL}/{@link RouteOpcode#SUB_SHARD}; one
 * list for {@link RouteOpcode#IN}).
 *
 * @param opcode   how shards are picked
 * @param keyspace the target keyspace
 * @param vindex   the routing vindex, for vindex opcodes
 * @param values   the vindex values, empty without a vindex
 */
public record Routing(RouteOpcode opcode, String keyspace, Optional<PlannedVindex> vindex, List<ValueExpr> values) {
    /** Copies the list; rejects nulls. */
    public Routing {
        Objects.requireNonNull(opcode, "opcode");
        Objects.requireNonNull(keyspace, "keyspace");
        Objects.requireNonNull(vindex, "vindex");
        values = List.copyOf(values);
    }

    /** Routing without a vindex. */
    public static Routing of(RouteOpcode opcode, String keyspace) {
        return new Routing(opcode, keyspace, Optional.empty(), List.of());
    }

    /**
     * A vindex as the plan uses it: its name in the vschema, the vindex type it was created from
     * (which tells execution how the vindex reads values, e.g. {@code unicode_loose_md5} hashes
     * text), the columns it reads, and the instance that maps values at execution.
     */
    public record PlannedVindex(String name, String type, List<String> columns, Vindex vindex) {
        /** Copies the list; rejects nulls. */
        public PlannedVindex {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            columns = List.copyOf(columns);
            Objects.requireNonNull(vindex, "vindex");
        }
    }
}
