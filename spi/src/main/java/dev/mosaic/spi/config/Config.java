package dev.mosaic.spi.config;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Validated, typed configuration for one plugin instance, produced only by
 * {@link ConfigSpec#validate}. Getters return the given value or the declared default.
 *
 * <p>Asking for a key that was not declared is a plugin bug and throws
 * {@link UndeclaredConfigKeyException}; asking with the wrong type throws
 * {@link IllegalArgumentException}. Immutable and thread-safe.
 */
public final class Config {
    private final ConfigSpec spec;
    private final Map<String, Object> values;
    private final Map<String, String> given;

    Config(ConfigSpec spec, Map<String, Object> values, Map<String, String> given) {
        this.spec = spec;
        this.values = Collections.unmodifiableMap(values);
        this.given = Collections.unmodifiableMap(given);
    }

    /** True if the key was given explicitly or has a default. */
    public boolean has(String name) {
        declared(name);
        return values.containsKey(name);
    }

    /** True if the key was given explicitly (not defaulted). */
    public boolean isGiven(String name) {
        declared(name);
        return given.containsKey(name);
    }

    /** The raw values that were given explicitly, in their given order. */
    public Map<String, String> given() {
        return given;
    }

    /** A STRING key. */
    public String getString(String name) {
        return get(name, ConfigType.STRING, String.class);
    }

    /** An optional STRING key. */
    public Optional<String> findString(String name) {
        return has(name) ? Optional.of(getString(name)) : Optional.empty();
    }

    /** An INT key. */
    public int getInt(String name) {
        return get(name, ConfigType.INT, Integer.class);
    }

    /** A LONG key. */
    public long getLong(String name) {
        return get(name, ConfigType.LONG, Long.class);
    }

    /** A DOUBLE key. */
    public double getDouble(String name) {
        return get(name, ConfigType.DOUBLE, Double.class);
    }

    /** A BOOLEAN key. */
    public boolean getBoolean(String name) {
        return get(name, ConfigType.BOOLEAN, Boolean.class);
    }

    /** A DURATION key. */
    public Duration getDuration(String name) {
        return get(name, ConfigType.DURATION, Duration.class);
    }

    /** A LIST key. */
    @SuppressWarnings("unchecked")
    public List<String> getList(String name) {
        return get(name, ConfigType.LIST, List.class);
    }

    private ConfigKey declared(String name) {
        return spec.key(name).orElseThrow(() -> new UndeclaredConfigKeyException(name));
    }

    private <T> T get(String name, ConfigType type, Class<T> cls) {
        ConfigKey k = declared(name);
        if (k.type() != type) {
            throw new IllegalArgumentException("config key '" + name + "' is " + k.type() + ", not " + type);
        }
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("config key '" + name + "' has no value and no default; check has() first");
        }
        return cls.cast(v);
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
