package dev.mosaic.tck.runner;

import dev.mosaic.spi.PluginFactory;
import java.util.Map;

/**
 * The provider the bound contracts test right now. The launcher instantiates bound contract
 * classes itself, so the provider reaches them through this holder; {@link ContractRunner} sets it
 * around one launcher execution at a time, under its lock.
 */
final class ProviderUnderTest {
    record Binding(PluginFactory<?> factory, Map<String, String> sampleConfig) {
    }

    private static volatile Binding current;

    private ProviderUnderTest() {
    }

    static void set(Binding b) {
        current = b;
    }

    static void clear() {
        current = null;
    }

    static Binding get() {
        Binding b = current;
        if (b == null) {
            throw new IllegalStateException("bound contracts run only under ContractRunner");
        }
        return b;
    }

    /** The current factory, cast to the contract's factory type. */
    static <F extends PluginFactory<?>> F factory(Class<F> type) {
        return type.cast(get().factory());
    }

    static Map<String, String> sampleConfig() {
        return get().sampleConfig();
    }
}
