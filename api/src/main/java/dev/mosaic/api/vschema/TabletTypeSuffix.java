package dev.mosaic.api.vschema;

import java.util.List;
import java.util.Set;

/** The {@code @type} suffix routing rules may carry on their source ({@code t@replica}). */
final class TabletTypeSuffix {
    /** The suffixes Vitess defines (its {@code TabletTypeSuffix} map). */
    private static final Set<String> NAMES = Set.of("unknown", "primary", "replica", "rdonly", "spare",
            "experimental", "backup", "restore", "drained");

    private TabletTypeSuffix() {
    }

    /** {@code name} without a valid suffix; null (and an error added) if the suffix is invalid. */
    static String strip(String name, String path, List<VSchemaError> errors) {
        int at = name.indexOf('@');
        if (at < 0) {
            return name;
        }
        String suffix = name.substring(at + 1);
        if (!NAMES.contains(suffix)) {
            errors.add(new VSchemaError(path, "invalid tablet type suffix '@" + suffix + "' in '" + name
                    + "'; valid: @primary, @replica, @rdonly, ..."));
            return null;
        }
        return name.substring(0, at);
    }
}
