package dev.mosaic.tck;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.spi.PluginFactory;
import dev.mosaic.spi.PluginKind;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.config.ConfigException;
import dev.mosaic.spi.config.ConfigKey;
import dev.mosaic.spi.config.ConfigSpec;
import dev.mosaic.spi.config.ConfigType;
import dev.mosaic.spi.config.UndeclaredConfigKeyException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The base of every TCK contract: binds a contract to the plugin factory under test.
 *
 * <p>A plugin author extends a contract and implements {@link #factory()}; a plugin that needs a
 * backend (a topology server, a bucket) also overrides {@link #sampleConfig()} with values for its
 * required keys. Kind-specific contracts (topology, vindex, ...) extend this class and obtain
 * service instances with {@link #createInstance()}, which validates the sample configuration
 * through the {@link Plugins} registry exactly as a host would, and closes what it created after
 * each test.
 *
 * <p>Every contract inherits {@link ClauseExtension} (failure messages start with the clause id),
 * {@link ClauseDisplayNames} (tests are named {@code <id>: <text>}) and runs its clauses in id
 * order. JUnit creates one instance per test method; instances are not shared between threads.
 *
 * @param <F> the factory type the contract tests
 */
@ExtendWith(ClauseExtension.class)
@DisplayNameGeneration(ClauseDisplayNames.class)
@TestMethodOrder(MethodOrderer.DisplayName.class)
public abstract class PluginContract<F extends PluginFactory<?>> {
    /** The instance name the TCK gives to every instance it creates ({@code PluginContext.instanceName()}). */
    public static final String INSTANCE_NAME = "tck";

    private final List<Object> created = new ArrayList<>();

    /** For subclasses. */
    protected PluginContract() {
    }

    /**
     * The factory under test. Called at least once per test; may return the same object or a
     * new one each time (factories are stateless).
     *
     * @return the factory, never null
     */
    protected abstract F factory();

    /**
     * Raw configuration used to create instances: values for the required keys of a plugin that
     * needs a backend (an endpoint, a bucket), and any optional keys worth testing. Keys the
     * factory does not declare are ignored. The {@code mosaic-tck} runner fills this from
     * {@code --set KEY=VALUE}.
     *
     * @return key to raw value; empty by default
     */
    protected Map<String, String> sampleConfig() {
        return Map.of();
    }

    /**
     * The kind of the factory under test.
     *
     * @return the kind whose factory interface {@link #factory()} implements
     * @throws AssertionError if it implements none
     */
    protected final PluginKind<?> kind() {
        F f = factory();
        return PluginKind.of(f).orElseThrow(() -> new AssertionError(f.getClass().getName()
                + " implements no SPI factory interface (one of " + PluginKind.all().stream()
                .map(k -> k.factoryType().getName()).toList() + ")"));
    }

    /**
     * The service type the kind's factories create, e.g. {@code Vindex} for {@code VindexFactory}.
     *
     * @param kind a plugin kind
     * @return the service interface
     */
    public static Class<?> serviceType(PluginKind<?> kind) {
        return kind.serviceType();
    }

    /**
     * {@link #sampleConfig()} restricted to the keys the factory declares.
     *
     * @return an ordered copy
     */
    protected final Map<String, String> declaredSampleConfig() {
        ConfigSpec spec = factory().configSpec();
        Map<String, String> out = new LinkedHashMap<>();
        sampleConfig().forEach((k, v) -> {
            if (spec.key(k).isPresent() && v != null) {
                out.put(k, v);
            }
        });
        return out;
    }

    /**
     * The required keys for which {@link #sampleConfig()} has no value.
     *
     * @return key names in declaration order; empty when the plugin can be created
     */
    protected final List<String> missingRequiredKeys() {
        Map<String, String> sample = declaredSampleConfig();
        return factory().configSpec().keys().stream()
                .filter(ConfigKey::required)
                .map(ConfigKey::name)
                .filter(k -> !sample.containsKey(k))
                .toList();
    }

    /**
     * The sample configuration, aborting (skipping) the current test when a required key has no
     * sample value, with the reason {@code needs --set KEY=VALUE for required keys: ...}.
     *
     * @return the declared sample configuration
     */
    protected final Map<String, String> requireSampleConfig() {
        List<String> missing = missingRequiredKeys();
        if (!missing.isEmpty()) {
            Assumptions.abort("needs --set KEY=VALUE for required keys: " + String.join(", ", missing));
        }
        return declaredSampleConfig();
    }

    /**
     * Skips the current test when {@code create} refused the sample configuration while declared
     * keys were left without sample values: a plugin needing one of several optional keys (e.g.
     * {@code json} or {@code json_path}) cannot be created until {@code --set} gives one. Returns
     * normally when every declared key had a sample value, so the caller reports the failure.
     *
     * @param e what {@code create} threw
     */
    protected final void abortIfSampleConfigIncomplete(MosaicException e) {
        Map<String, String> sample = declaredSampleConfig();
        List<String> unset = factory().configSpec().keys().stream().map(ConfigKey::name)
                .filter(k -> !sample.containsKey(k)).toList();
        if (!unset.isEmpty()) {
            Assumptions.abort("needs --set KEY=VALUE for some of: " + String.join(", ", unset)
                    + " (create refused the sample configuration: " + String.valueOf(e.getMessage()).replaceAll("\\s*\\R\\s*", " ") + ")");
        }
    }

    /**
     * Configuration that satisfies every required key: sample values where given, otherwise a
     * well-typed dummy value ({@link #dummyValue}). Useful for checks that fail before
     * {@code create} is reached.
     *
     * @return an ordered, mutable map
     */
    protected final Map<String, String> completedConfig() {
        Map<String, String> out = declaredSampleConfig();
        for (ConfigKey k : factory().configSpec().keys()) {
            if (k.required()) {
                out.putIfAbsent(k.name(), dummyValue(k.type()));
            }
        }
        return out;
    }

    /**
     * A raw value that parses as {@code type}.
     *
     * @param type a configuration type
     * @return e.g. {@code "1"} for INT, {@code "1s"} for DURATION
     */
    public static String dummyValue(ConfigType type) {
        return switch (type) {
            case STRING, LIST -> "tck";
            case INT, LONG -> "1";
            case DOUBLE -> "1.0";
            case BOOLEAN -> "true";
            case DURATION -> "1s";
        };
    }

    /**
     * A registry holding only the factory under test, as {@link Plugins#of} builds it.
     *
     * @return the registry
     * @throws AssertionError naming the registry's reasons if it refuses the factory (invalid
     *         type name, incompatible SPI version, no SPI interface, ...)
     */
    protected final Plugins registry() {
        try {
            return Plugins.of(List.of(factory()));
        } catch (MosaicException e) {
            throw new AssertionError("the registry refuses this provider: " + e.getMessage(), e);
        }
    }

    /**
     * Creates an instance with the sample configuration, aborting the test when a required key
     * has no sample value (see {@link #requireSampleConfig()}).
     *
     * @return a new instance of the kind's service type, closed after the test if AutoCloseable
     */
    protected final Object createInstance() {
        return createInstance(requireSampleConfig());
    }

    /**
     * Creates an instance through {@link Plugins#create} with {@code rawConfig}, named
     * {@link #INSTANCE_NAME}. The instance is closed after the test if it is AutoCloseable.
     *
     * @param rawConfig raw configuration, validated against the factory's declaration
     * @return the new instance, never null
     * @throws ConfigException if the configuration does not match the declaration
     * @throws AssertionError if the registry refuses the factory, {@code create} returns null, or
     *         {@code create} reads a key {@code configSpec()} does not declare
     */
    protected final Object createInstance(Map<String, String> rawConfig) {
        Plugins plugins = registry();
        PluginKind<?> kind = kind();
        String type = plugins.types(kind).get(0);
        Object instance;
        try {
            instance = create(plugins, kind, type, rawConfig);
        } catch (ConfigException e) {
            throw e;
        } catch (MosaicException e) {
            if (e.code() == ErrorCode.INTERNAL && String.valueOf(e.getMessage()).endsWith("returned null from create()")) {
                throw new AssertionError("create() returned null; it must return a new instance", e);
            }
            throw e;
        } catch (UndeclaredConfigKeyException e) {
            throw new AssertionError("create() read configuration its configSpec() does not declare: "
                    + e.getMessage(), e);
        }
        Assertions.assertNotNull(instance, "create() returned null");
        created.add(instance);
        return instance;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object create(Plugins plugins, PluginKind<?> kind, String type, Map<String, String> raw) {
        PluginKind<PluginFactory<Object>> k = (PluginKind) kind;
        return plugins.<Object, PluginFactory<Object>>create(k, type, INSTANCE_NAME, raw);
    }

    /**
     * An instance of {@code service} with the sample configuration, for a contract's behaviour
     * clauses. When the registry refuses the provider or creating the instance fails, the clause
     * is aborted, not failed: the registry clauses report that once; an instance of another type
     * fails the clause.
     *
     * @param service the kind's service interface
     * @param <T>     its type
     * @return the new instance, closed after the test if AutoCloseable
     */
    protected final <T> T serviceInstance(Class<T> service) {
        try {
            Plugins.of(List.of(factory()));
        } catch (MosaicException e) {
            Assumptions.abort("the registry refuses this provider (see the failing registry clause)");
        }
        Object instance;
        try {
            instance = createInstance();
        } catch (AssertionError e) {
            Assumptions.abort("no instance to check (see registry.create): " + e.getMessage());
            throw e;
        }
        Clauses.require(service.isInstance(instance), () -> "create() returned a " + instance.getClass().getName()
                + ", not a " + service.getSimpleName());
        return service.cast(instance);
    }

    /**
     * The instances created by this test so far, oldest first.
     *
     * @return an unmodifiable view
     */
    protected final List<Object> createdInstances() {
        return Collections.unmodifiableList(created);
    }

    /**
     * Closes every AutoCloseable instance created by this test, newest first. A failure to close
     * fails the test (after trying to close the rest).
     *
     * @throws Exception the first exception thrown by {@code close()}
     */
    @AfterEach
    protected final void closeCreatedInstances() throws Exception {
        Exception first = null;
        for (int i = created.size() - 1; i >= 0; i--) {
            if (created.get(i) instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
        }
        created.clear();
        if (first != null) {
            throw new AssertionError("close() of a created instance failed: " + first, first);
        }
    }

    /**
     * A short label for messages: {@code kind/type}, falling back to the class name when the
     * factory cannot describe itself.
     *
     * @param factory a factory
     * @return e.g. {@code vindex/hash}
     */
    public static String label(PluginFactory<?> factory) {
        String kind = PluginKind.of(factory).map(PluginKind::name).orElse("none");
        String type;
        try {
            type = Optional.ofNullable(factory.type()).orElse(factory.getClass().getName());
        } catch (RuntimeException e) {
            type = factory.getClass().getName();
        }
        return kind + "/" + type;
    }
}
