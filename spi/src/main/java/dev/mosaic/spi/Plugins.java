package dev.mosaic.spi;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.spi.config.Config;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The registry of plugin factories, loaded with {@link ServiceLoader} and indexed by kind and
 * type name.
 *
 * <p>Loading is loud: a provider that cannot be instantiated, a type name that is not
 * {@code [a-z][a-z0-9_]*}, two providers of one kind claiming the same type name, or a provider
 * built for an incompatible SPI version make {@link #load} fail with a message naming the
 * provider classes involved. Looking up an unknown type name fails with the list of known ones;
 * there is never a silent default.
 *
 * <p>Immutable after loading, thread-safe.
 */
public final class Plugins {
    /** The valid form of a type name. */
    public static final Pattern TYPE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private final Map<PluginKind<?>, Map<String, PluginFactory<?>>> byKind;

    private Plugins(Map<PluginKind<?>, Map<String, PluginFactory<?>>> byKind) {
        this.byKind = byKind;
    }

    /**
     * Loads every provider visible to {@code loader}.
     *
     * @throws MosaicException {@code FAILED_PRECONDITION} listing every problem found
     */
    public static Plugins load(ClassLoader loader) {
        Map<PluginKind<?>, List<PluginFactory<?>>> found = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (PluginKind<?> kind : PluginKind.all()) {
            List<PluginFactory<?>> list = new ArrayList<>();
            ServiceLoader<? extends PluginFactory<?>> sl = ServiceLoader.load(kind.factoryType(), loader);
            var it = sl.iterator();
            while (true) {
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    list.add(it.next());
                } catch (ServiceConfigurationError e) {
                    problems.add(kind + " provider could not be loaded: " + e.getMessage()
                            + (e.getCause() != null ? " (" + e.getCause() + ")" : ""));
                }
            }
            found.put(kind, list);
        }
        return of(found, problems);
    }

    /**
     * A registry of the given factories, checked as {@link #load} checks them. For tests and for
     * hosts that assemble plugins themselves.
     *
     * @throws MosaicException {@code FAILED_PRECONDITION} listing every problem found
     */
    public static Plugins of(List<? extends PluginFactory<?>> factories) {
        Map<PluginKind<?>, List<PluginFactory<?>>> found = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (PluginFactory<?> f : factories) {
            var kind = PluginKind.of(f);
            if (kind.isEmpty()) {
                problems.add(f.getClass().getName() + " implements no SPI factory interface");
                continue;
            }
            found.computeIfAbsent(kind.get(), k -> new ArrayList<>()).add(f);
        }
        return of(found, problems);
    }

    private static Plugins of(Map<PluginKind<?>, List<PluginFactory<?>>> found, List<String> problems) {
        Map<PluginKind<?>, Map<String, PluginFactory<?>>> byKind = new LinkedHashMap<>();
        for (PluginKind<?> kind : PluginKind.all()) {
            Map<String, PluginFactory<?>> byType = new TreeMap<>();
            for (PluginFactory<?> f : found.getOrDefault(kind, List.of())) {
                String cls = f.getClass().getName();
                String type;
                String version;
                try {
                    type = f.type();
                    version = f.spiVersion();
                    Objects.requireNonNull(f.configSpec(), "configSpec()");
                } catch (RuntimeException e) {
                    problems.add(kind + " provider " + cls + " failed to describe itself: " + e);
                    continue;
                }
                if (type == null || !TYPE_NAME.matcher(type).matches()) {
                    problems.add(kind + " provider " + cls + " has invalid type name '" + type
                            + "' (must match " + TYPE_NAME.pattern() + ")");
                    continue;
                }
                try {
                    if (!SpiVersion.isCompatible(version, SpiVersion.CURRENT)) {
                        problems.add(kind + " provider '" + type + "' (" + cls + ") was built for SPI version "
                                + version + ", this runtime has SPI version " + SpiVersion.CURRENT);
                        continue;
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(kind + " provider '" + type + "' (" + cls + "): " + e.getMessage());
                    continue;
                }
                PluginFactory<?> prev = byType.putIfAbsent(type, f);
                if (prev != null) {
                    problems.add("duplicate " + kind + " type name '" + type + "': provided by both "
                            + prev.getClass().getName() + " and " + cls);
                }
            }
            byKind.put(kind, Collections.unmodifiableMap(byType));
        }
        if (!problems.isEmpty()) {
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION,
                    "plugin registry refused to start:\n  - " + String.join("\n  - ", problems));
        }
        return new Plugins(Collections.unmodifiableMap(byKind));
    }

    /** The type names of a kind, sorted. */
    public List<String> types(PluginKind<?> kind) {
        return List.copyOf(byKind.get(kind).keySet());
    }

    /** The factories of a kind, sorted by type name. */
    public <F extends PluginFactory<?>> List<F> factories(PluginKind<F> kind) {
        List<F> out = new ArrayList<>();
        for (PluginFactory<?> f : byKind.get(kind).values()) {
            out.add(kind.factoryType().cast(f));
        }
        return out;
    }

    /**
     * The factory of {@code kind} named {@code type}.
     *
     * @throws MosaicException {@code NOT_FOUND} listing the known type names
     */
    public <F extends PluginFactory<?>> F factory(PluginKind<F> kind, String type) {
        PluginFactory<?> f = byKind.get(kind).get(type);
        if (f == null) {
            List<String> known = types(kind);
            throw new MosaicException(ErrorCode.NOT_FOUND, "unknown " + kind + " type '" + type + "'; "
                    + (known.isEmpty() ? "no " + kind + " plugins are installed" : "known types: " + String.join(", ", known)));
        }
        return kind.factoryType().cast(f);
    }

    /**
     * Finds the factory, validates {@code rawConfig} against its declaration and creates an
     * instance.
     *
     * @param instanceName the instance's name, for messages and {@link PluginContext#instanceName()}
     * @throws MosaicException {@code NOT_FOUND} for an unknown type,
     *         {@link dev.mosaic.spi.config.ConfigException} for bad configuration, or what
     *         {@code create} throws
     */
    public <T, F extends PluginFactory<T>> T create(PluginKind<F> kind, String type, String instanceName,
                                                     Map<String, String> rawConfig) {
        F f = factory(kind, type);
        Config config = f.configSpec().validate(rawConfig, kind + " '" + instanceName + "' (type " + type + ")");
        T instance = f.create(config, PluginContext.named(instanceName));
        if (instance == null) {
            throw new MosaicException(ErrorCode.INTERNAL, kind + " plugin '" + type + "' returned null from create()");
        }
        return instance;
    }
}
