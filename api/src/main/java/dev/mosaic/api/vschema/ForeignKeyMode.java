package dev.mosaic.api.vschema;

import java.util.Locale;

/** How foreign keys are handled in a keyspace: Vitess's {@code Keyspace.ForeignKeyMode}. */
public enum ForeignKeyMode {
    /** Not set; Vitess then behaves as {@link #UNMANAGED}. The default, omitted from JSON. */
    UNSPECIFIED,
    /** Foreign keys are not allowed. */
    DISALLOW,
    /** Foreign keys are allowed and left to MySQL; the gate does not plan around them. */
    UNMANAGED,
    /** The gate plans cascades and checks itself. */
    MANAGED;

    /** The JSON (protobuf enum) name: lower case, e.g. {@code unmanaged}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
