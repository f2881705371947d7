package dev.mosaic.tck;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.spi.PluginFactory;
import dev.mosaic.spi.PluginKind;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.SpiVersion;
import dev.mosaic.spi.config.ConfigException;
import dev.mosaic.spi.config.ConfigKey;
import dev.mosaic.spi.config.ConfigSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static dev.mosaic.tck.Clauses.require;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The registry contract: what every provider of every kind must do to be found, named, versioned
 * and configured by the {@link Plugins} registry. Clause ids start with {@code registry.}.
 *
 * <p>Extend it with the factory under test:
 * <pre>{@code
 * class SemiSyncRegistryTest extends RegistryContract {
 *     protected PluginFactory<?> factory() { return new SemiSyncFactory(); }
 * }
 * }</pre>
 *
 * <p>The configuration and creation clauses need the registry to accept the provider; when it
 * refuses (for a reason another clause of this contract reports as a failure, such as an invalid
 * type name), they are skipped rather than failed a second time.
 */
public abstract class RegistryContract extends PluginContract<PluginFactory<?>> {
    /** The key the {@code registry.config-unknown-key} clause adds; no plugin may declare it. */
    public static final String UNKNOWN_KEY = "tck_unknown_key";

    /** For subclasses. */
    protected RegistryContract() {
    }

    /**
     * <b>registry.discoverable</b>: the factory's class is public, has a public no-argument
     * constructor, is listed (by its binary name) in {@code META-INF/services/<factory interface>}
     * visible to its own class loader, and {@link ServiceLoader} instantiates it from there.
     */
    @Test
    @Tag("registry.discoverable")
    @Clause(value = "registry.discoverable",
            text = "the class is listed in META-INF/services/<factory interface> and ServiceLoader instantiates it")
    public final void discoverable() throws IOException {
        PluginFactory<?> f = factory();
        Class<?> cls = f.getClass();
        PluginKind<?> kind = PluginKind.of(f).orElseThrow(() -> new AssertionError(cls.getName()
                + " implements no SPI factory interface, so no META-INF/services file can list it"));
        String resource = "META-INF/services/" + kind.factoryType().getName();
        ClassLoader loader = loaderOf(cls);
        require(listedIn(loader, resource, cls.getName()), () -> cls.getName() + " is not listed in " + resource
                + " visible to its class loader; ServiceLoader will never find it");
        require(Modifier.isPublic(cls.getModifiers()), () -> cls.getName() + " is not public");
        require(publicNoArgConstructor(cls), () -> cls.getName() + " has no public no-argument constructor");
        Object found = null;
        Iterator<? extends ServiceLoader.Provider<?>> it = ServiceLoader.load(kind.factoryType(), loader).stream().iterator();
        for (int guard = 0; guard < 10_000; guard++) {
            ServiceLoader.Provider<?> p;
            try {
                if (!it.hasNext()) {
                    break;
                }
                p = it.next();
            } catch (ServiceConfigurationError e) {
                continue; // another provider's problem; not this clause's business
            }
            if (p.type() == cls) {
                try {
                    found = p.get();
                } catch (ServiceConfigurationError e) {
                    fail("ServiceLoader could not instantiate " + cls.getName() + ": " + e.getMessage()
                            + (e.getCause() != null ? " (" + e.getCause() + ")" : ""), e);
                }
                break;
            }
        }
        assertNotNull(found, () -> "ServiceLoader did not return " + cls.getName() + " for " + kind.factoryType().getName());
    }

    /** <b>registry.kind</b>: the factory implements exactly one SPI factory interface ({@link PluginKind#all()}). */
    @Test
    @Tag("registry.kind")
    @Clause(value = "registry.kind", text = "the factory implements exactly one SPI factory interface")
    public final void kindIsUnique() {
        PluginFactory<?> f = factory();
        List<String> kinds = PluginKind.all().stream().filter(k -> k.factoryType().isInstance(f))
                .map(PluginKind::name).toList();
        assertEquals(1, kinds.size(), () -> f.getClass().getName() + " implements " + kinds.size()
                + " SPI factory interfaces " + kinds + "; expected exactly one of "
                + PluginKind.all().stream().map(k -> k.factoryType().getSimpleName()).toList());
    }

    /**
     * <b>registry.type-name</b>: {@code type()} matches {@link Plugins#TYPE_NAME}
     * ({@code [a-z][a-z0-9_]{0,63}}) and is stable: the same value on repeated calls and from a
     * second instance made with the public no-argument constructor.
     */
    @Test
    @Tag("registry.type-name")
    @Clause(value = "registry.type-name", text = "type() matches [a-z][a-z0-9_]{0,63} and is stable")
    public final void typeName() throws ReflectiveOperationException {
        PluginFactory<?> f = factory();
        String type = f.type();
        assertNotNull(type, "type() returned null");
        require(Plugins.TYPE_NAME.matcher(type).matches(),
                () -> "type() '" + type + "' does not match " + Plugins.TYPE_NAME.pattern());
        assertEquals(type, f.type(), "type() changed between two calls");
        if (publicNoArgConstructor(f.getClass())) {
            PluginFactory<?> other = (PluginFactory<?>) f.getClass().getConstructor().newInstance();
            assertEquals(type, other.type(), "type() differs between two instances of " + f.getClass().getName());
        }
    }

    /**
     * <b>registry.unique</b>: no other provider class of the same kind visible to the factory's
     * class loader (through {@link ServiceLoader}) has the same type name; a host seeing both would
     * refuse to start.
     */
    @Test
    @Tag("registry.unique")
    @Clause(value = "registry.unique", text = "no other provider of the same kind has the same type name")
    public final void uniqueTypeName() {
        PluginFactory<?> f = factory();
        PluginKind<?> kind = kind();
        String type = f.type();
        List<String> clashes = new ArrayList<>();
        Iterator<? extends ServiceLoader.Provider<?>> it = ServiceLoader.load(kind.factoryType(), loaderOf(f.getClass()))
                .stream().iterator();
        for (int guard = 0; guard < 10_000; guard++) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                ServiceLoader.Provider<?> p = it.next();
                if (p.type() == f.getClass()) {
                    continue;
                }
                Object other = p.get();
                if (Objects.equals(type, ((PluginFactory<?>) other).type()) && !clashes.contains(p.type().getName())) {
                    clashes.add(p.type().getName());
                }
            } catch (ServiceConfigurationError | RuntimeException e) {
                // a provider that cannot be loaded or described is reported by its own checks
            }
        }
        require(clashes.isEmpty(), () -> kind + " type name '" + type + "' of " + f.getClass().getName()
                + " is also claimed by " + String.join(", ", clashes));
    }

    /**
     * <b>registry.spi-version</b>: {@code spiVersion()} is {@code major.minor} and compatible with
     * {@link SpiVersion#CURRENT} (same major, minor not newer); the failure names both versions.
     */
    @Test
    @Tag("registry.spi-version")
    @Clause(value = "registry.spi-version", text = "spiVersion() is compatible with the TCK's SPI version")
    public final void spiVersion() {
        String v = factory().spiVersion();
        boolean ok;
        try {
            ok = SpiVersion.isCompatible(v, SpiVersion.CURRENT);
        } catch (IllegalArgumentException e) {
            throw new AssertionError("spiVersion() '" + v + "' is not major.minor; this TCK has SPI version "
                    + SpiVersion.CURRENT, e);
        }
        require(ok, () -> "built for SPI version " + v + ", which is not compatible with SPI version "
                + SpiVersion.CURRENT + " (same major, minor not newer)");
    }

    /** <b>registry.description</b>: {@code description()} is not null, not blank, and one line. */
    @Test
    @Tag("registry.description")
    @Clause(value = "registry.description", text = "description() is a non-blank single line")
    public final void description() {
        String d = factory().description();
        assertNotNull(d, "description() returned null");
        require(!d.isBlank(), () -> "description() is blank");
        require(d.indexOf('\n') < 0 && d.indexOf('\r') < 0, () -> "description() spans several lines: " + d);
    }

    /**
     * <b>registry.config-declared</b>: {@code configSpec()} is not null, every key has a
     * non-blank description, and the declaration is the same on every call.
     */
    @Test
    @Tag("registry.config-declared")
    @Clause(value = "registry.config-declared", text = "configSpec() declares every key with a description, stably")
    public final void configDeclared() {
        PluginFactory<?> f = factory();
        ConfigSpec spec = f.configSpec();
        assertNotNull(spec, "configSpec() returned null; return ConfigSpec.EMPTY for a plugin without configuration");
        for (ConfigKey k : spec.keys()) {
            require(k.description() != null && !k.description().isBlank(),
                    () -> "config key '" + k.name() + "' has no description");
        }
        ConfigSpec again = f.configSpec();
        assertNotNull(again, "configSpec() returned null on a second call");
        assertEquals(spec.keys(), again.keys(), "configSpec() differs between two calls");
    }

    /**
     * <b>registry.config-missing-required</b>: for each required key, creating through
     * {@link Plugins#create} without that key (other required keys from the sample configuration
     * or typed dummies) fails with a {@link ConfigException} naming the key, before
     * {@code create} is called; nothing else is thrown.
     */
    @Test
    @Tag("registry.config-missing-required")
    @Clause(value = "registry.config-missing-required",
            text = "creating without a required key fails with ConfigException naming it")
    public final void configMissingRequired() {
        assumeRegistryAccepts();
        for (ConfigKey k : factory().configSpec().keys()) {
            if (!k.required()) {
                continue;
            }
            Map<String, String> raw = completedConfig();
            raw.remove(k.name());
            expectConfigException(raw, k.name(), "without required key '" + k.name() + "'");
        }
    }

    /**
     * <b>registry.config-unknown-key</b>: creating with an undeclared key
     * {@value #UNKNOWN_KEY} fails with a {@link ConfigException} naming it.
     */
    @Test
    @Tag("registry.config-unknown-key")
    @Clause(value = "registry.config-unknown-key",
            text = "creating with an undeclared key fails with ConfigException naming it")
    public final void configUnknownKey() {
        assumeRegistryAccepts();
        Map<String, String> raw = completedConfig();
        raw.put(UNKNOWN_KEY, "1");
        expectConfigException(raw, UNKNOWN_KEY, "with undeclared key '" + UNKNOWN_KEY + "'");
    }

    /**
     * <b>registry.create</b>: with the sample configuration, {@code create} returns a non-null,
     * new instance of the kind's service type on each call, and reads no key its
     * {@code configSpec()} does not declare. Skipped when a required key has no sample value
     * ({@code --set KEY=VALUE}). AutoCloseable instances are closed afterwards, and must close
     * without error.
     */
    @Test
    @Tag("registry.create")
    @Clause(value = "registry.create",
            text = "create() with the sample configuration returns a new instance of the service type")
    public final void create() {
        assumeRegistryAccepts();
        Map<String, String> raw = requireSampleConfig();
        Class<?> service = serviceType(kind());
        Object a;
        try {
            a = createInstance(raw);
        } catch (MosaicException e) {
            abortIfSampleConfigIncomplete(e);
            throw e;
        }
        require(service.isInstance(a), () -> "create() returned a " + a.getClass().getName()
                + ", which is not a " + service.getName());
        Object b = createInstance(raw);
        assertNotSame(a, b, "create() returned the same object twice; each call must return a new instance");
    }

    private void assumeRegistryAccepts() {
        try {
            Plugins.of(List.of(factory()));
        } catch (MosaicException e) {
            Assumptions.abort("the registry refuses this provider (see the failing registry clause): "
                    + e.getMessage().replace("plugin registry refused to start:", "").replace("\n  - ", " ").strip());
        }
    }

    private void expectConfigException(Map<String, String> raw, String key, String what) {
        Object instance;
        try {
            instance = createInstance(raw);
        } catch (ConfigException e) {
            require(e.problems().stream().anyMatch(p -> p.key().equals(key)),
                    () -> "creating " + what + " failed with a ConfigException that does not name '" + key + "': "
                            + e.getMessage());
            return;
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError("creating " + what + " threw " + e + "; expected a ConfigException naming '"
                    + key + "'", e);
        }
        fail("creating " + what + " succeeded (returned a " + instance.getClass().getName()
                + "); expected a ConfigException naming '" + key + "'");
    }

    private static ClassLoader loaderOf(Class<?> cls) {
        ClassLoader l = cls.getClassLoader();
        return l != null ? l : ClassLoader.getSystemClassLoader();
    }

    private static boolean publicNoArgConstructor(Class<?> cls) {
        if (Modifier.isAbstract(cls.getModifiers())) {
            return false;
        }
        for (Constructor<?> c : cls.getConstructors()) {
            if (c.getParameterCount() == 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean listedIn(ClassLoader loader, String resource, String className) throws IOException {
        Enumeration<URL> urls = loader.getResources(resource);
        while (urls.hasMoreElements()) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(urls.nextElement().openStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    int hash = line.indexOf('#');
                    String name = (hash >= 0 ? line.substring(0, hash) : line).trim();
                    if (name.equals(className)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
