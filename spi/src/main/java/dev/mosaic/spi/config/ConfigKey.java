package dev.mosaic.spi.config;

import java.util.Objects;
import java.util.Optional;

/**
 * One declared configuration key of a plugin.
 *
 * @param name         the key, lower-case {@code [a-z][a-z0-9_.-]*}
 * @param type         how its raw value is parsed
 * @param required     whether the key must be given
 * @param defaultValue the raw default used when the key is absent; empty for required keys, and
 *                     for optional keys whose absence the plugin handles itself
 * @param description  one sentence for {@code mosaic plugins} and error messages; not blank
 */
public record ConfigKey(String name, ConfigType type, boolean required, Optional<String> defaultValue,
                        String description) {
    /** Validates the declaration itself: a malformed declaration is a plugin bug, reported at once. */
    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(description, "description");
        if (!name.matches("[a-z][a-z0-9_.-]*")) {
            throw new IllegalArgumentException("config key '" + name + "' must match [a-z][a-z0-9_.-]*");
        }
        if (required && defaultValue.isPresent()) {
            throw new IllegalArgumentException("config key '" + name + "' is required and cannot have a default");
        }
        if (description.isBlank()) {
            throw new IllegalArgumentException("config key '" + name + "' has no description");
        }
        if (defaultValue.isPresent()) {
            try {
                type.parse(defaultValue.get());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("config key '" + name + "': default " + e.getMessage(), e);
            }
        }
    }

    /** A key that must be given. */
    public static ConfigKey required(String name, ConfigType type, String description) {
        return new ConfigKey(name, type, true, Optional.empty(), description);
    }

    /** An optional key with a default. */
    public static ConfigKey optional(String name, ConfigType type, String defaultValue, String description) {
        return new ConfigKey(name, type, false, Optional.of(defaultValue), description);
    }

    /** An optional key without a default: the plugin checks {@link Config#has} itself. */
    public static ConfigKey optional(String name, ConfigType type, String description) {
        return new ConfigKey(name, type, false, Optional.empty(), description);
    }
}
