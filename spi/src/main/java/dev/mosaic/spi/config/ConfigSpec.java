package dev.mosaic.spi.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The declared configuration of a plugin: an ordered set of {@link ConfigKey}s, and the one place
 * raw configuration is checked.
 *
 * <p>{@link #validate} rejects unknown keys, missing required keys and values that do not parse,
 * reporting every problem at once, each naming the key and the reason.
 */
public final class ConfigSpec {
    /** A plugin that takes no configuration. */
    public static final ConfigSpec EMPTY = new ConfigSpec(List.of());

    private final Map<String, ConfigKey> keys;

    private ConfigSpec(List<ConfigKey> keys) {
        LinkedHashMap<String, ConfigKey> m = new LinkedHashMap<>();
        for (ConfigKey k : keys) {
            if (m.put(k.name(), k) != null) {
                throw new IllegalArgumentException("config key '" + k.name() + "' is declared twice");
            }
        }
        this.keys = Collections.unmodifiableMap(m);
    }

    /**
     * A spec of these keys, in this order.
     *
     * @throws IllegalArgumentException if a name is declared twice
     */
    public static ConfigSpec of(ConfigKey... keys) {
        return new ConfigSpec(List.of(keys));
    }

    /** A spec of these keys, in this order. */
    public static ConfigSpec of(List<ConfigKey> keys) {
        return new ConfigSpec(List.copyOf(keys));
    }

    /** The keys in declaration order. */
    public List<ConfigKey> keys() {
        return List.copyOf(keys.values());
    }

    /** The declaration of {@code name}, if declared. */
    public Optional<ConfigKey> key(String name) {
        return Optional.ofNullable(keys.get(name));
    }

    /**
     * Checks {@code raw} against the declaration and returns the typed configuration.
     *
     * @param raw   key to raw string value
     * @param owner who is being configured, for messages, e.g. {@code vindex 'hash' (type hash)}
     * @throws ConfigException listing every unknown key, missing required key and bad value
     */
    public Config validate(Map<String, String> raw, String owner) {
        List<ConfigException.Problem> problems = new ArrayList<>();
        LinkedHashMap<String, Object> values = new LinkedHashMap<>();
        LinkedHashMap<String, String> given = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            if (!keys.containsKey(e.getKey())) {
                problems.add(new ConfigException.Problem(e.getKey(), "unknown key"
                        + (keys.isEmpty() ? "; this plugin takes no configuration" : "; known keys: " + String.join(", ", keys.keySet()))));
            } else if (e.getValue() == null) {
                problems.add(new ConfigException.Problem(e.getKey(), "value is null"));
            }
        }
        for (ConfigKey k : keys.values()) {
            String v = raw.get(k.name());
            if (v == null) {
                if (raw.containsKey(k.name())) {
                    continue; // already reported as null
                }
                if (k.required()) {
                    problems.add(new ConfigException.Problem(k.name(), "required key is missing (" + k.description() + ")"));
                    continue;
                }
                if (k.defaultValue().isEmpty()) {
                    continue;
                }
                v = k.defaultValue().get();
            } else {
                given.put(k.name(), v);
            }
            try {
                values.put(k.name(), k.type().parse(v));
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigException.Problem(k.name(), e.getMessage() + " (expected " + k.type().name().toLowerCase() + ")"));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(owner, problems);
        }
        return new Config(this, values, given);
    }

    @Override
    public String toString() {
        return keys.values().toString();
    }
}
