package dev.mosaic.server.tablet.acl;

import java.util.List;
import java.util.Objects;

/**
 * Who is running a statement, as the gate passes it on (Vitess's {@code VTGateCallerID}): a user
 * name and the groups the user belongs to. A table group's member list matches a caller by user
 * name or by any of the caller's groups.
 *
 * @param user the user name
 * @param groups the caller's groups, possibly empty
 */
public record Caller(String user, List<String> groups) {
    /** Copies the group list. */
    public Caller {
        Objects.requireNonNull(user, "user");
        groups = List.copyOf(groups);
    }

    /** A caller with no groups. */
    public static Caller of(String user) {
        return new Caller(user, List.of());
    }
}
