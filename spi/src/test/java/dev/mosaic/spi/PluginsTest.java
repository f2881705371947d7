package dev.mosaic.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.cluster.Tablet;
import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.spi.config.Config;
import dev.mosaic.spi.config.ConfigException;
import dev.mosaic.spi.config.ConfigKey;
import dev.mosaic.spi.config.ConfigSpec;
import dev.mosaic.spi.config.ConfigType;
import dev.mosaic.spi.durability.DurabilityPolicy;
import dev.mosaic.spi.durability.DurabilityPolicyFactory;
import dev.mosaic.spi.durability.PromotionRule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PluginsTest {
    /** A minimal durability plugin whose type name and SPI version tests choose. */
    static class Fake implements DurabilityPolicyFactory {
        private final String type;
        private final String version;

        Fake(String type, String version) {
            this.type = type;
            this.version = version;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public String description() {
            return "test policy";
        }

        @Override
        public String spiVersion() {
            return version;
        }

        @Override
        public ConfigSpec configSpec() {
            return ConfigSpec.of(ConfigKey.optional("acks", ConfigType.INT, "1", "semi-sync acks"));
        }

        @Override
        public DurabilityPolicy create(Config config, PluginContext context) {
            int acks = config.getInt("acks");
            return new DurabilityPolicy() {
                @Override
                public PromotionRule promotionRule(Tablet tablet) {
                    return PromotionRule.NEUTRAL;
                }

                @Override
                public int semiSyncAckers(Tablet primary) {
                    return acks;
                }

                @Override
                public boolean isReplicaSemiSync(Tablet primary, Tablet replica) {
                    return true;
                }

                @Override
                public boolean hasSemiSync() {
                    return acks > 0;
                }
            };
        }
    }

    @Test
    void looksUpByKindAndType() {
        Fake a = new Fake("alpha", SpiVersion.CURRENT);
        Plugins p = Plugins.of(List.of(a, new Fake("beta", "1.0")));
        assertSame(a, p.factory(PluginKind.DURABILITY, "alpha"));
        assertEquals(List.of("alpha", "beta"), p.types(PluginKind.DURABILITY));
        assertTrue(p.types(PluginKind.VINDEX).isEmpty());
        DurabilityPolicy policy = p.create(PluginKind.DURABILITY, "beta", "ks", Map.of("acks", "2"));
        assertEquals(2, policy.semiSyncAckers(null));
    }

    @Test
    void unknownTypeListsTheKnownOnes() {
        Plugins p = Plugins.of(List.of(new Fake("alpha", "1.0"), new Fake("beta", "1.0")));
        MosaicException e = assertThrows(MosaicException.class, () -> p.factory(PluginKind.DURABILITY, "gamma"));
        assertEquals(ErrorCode.NOT_FOUND, e.code());
        assertEquals("unknown durability type 'gamma'; known types: alpha, beta", e.getMessage());
        MosaicException none = assertThrows(MosaicException.class, () -> p.factory(PluginKind.VINDEX, "hash"));
        assertTrue(none.getMessage().contains("no vindex plugins are installed"), none.getMessage());
    }

    @Test
    void duplicateTypeNamesRefuseToStart() {
        MosaicException e = assertThrows(MosaicException.class,
                () -> Plugins.of(List.of(new Fake("alpha", "1.0"), new Fake("alpha", "1.0"))));
        assertEquals(ErrorCode.FAILED_PRECONDITION, e.code());
        assertTrue(e.getMessage().contains("duplicate durability type name 'alpha'"), e.getMessage());
        assertTrue(e.getMessage().contains(Fake.class.getName()), e.getMessage());
    }

    @Test
    void invalidTypeNamesAndVersionsRefuseToStart() {
        MosaicException bad = assertThrows(MosaicException.class, () -> Plugins.of(List.of(new Fake("Semi-Sync", "1.0"))));
        assertTrue(bad.getMessage().contains("invalid type name 'Semi-Sync'"), bad.getMessage());
        MosaicException ver = assertThrows(MosaicException.class, () -> Plugins.of(List.of(new Fake("old", "0.9"))));
        assertTrue(ver.getMessage().contains("built for SPI version 0.9, this runtime has SPI version " + SpiVersion.CURRENT),
                ver.getMessage());
        MosaicException newer = assertThrows(MosaicException.class, () -> Plugins.of(List.of(new Fake("new", "1.7"))));
        assertTrue(newer.getMessage().contains("SPI version 1.7"), newer.getMessage());
        MosaicException garbage = assertThrows(MosaicException.class, () -> Plugins.of(List.of(new Fake("g", "one"))));
        assertTrue(garbage.getMessage().contains("is not major.minor"), garbage.getMessage());
    }

    @Test
    void createValidatesConfigNamingTheInstance() {
        Plugins p = Plugins.of(List.of(new Fake("alpha", "1.0")));
        ConfigException e = assertThrows(ConfigException.class,
                () -> p.create(PluginKind.DURABILITY, "alpha", "commerce", Map.of("ack", "2")));
        assertTrue(e.getMessage().startsWith("invalid configuration for durability 'commerce' (type alpha): key 'ack': unknown key"),
                e.getMessage());
    }

    @Test
    void serviceLoaderFindsNothingOnABareClasspath() {
        Plugins p = Plugins.load(PluginsTest.class.getClassLoader());
        for (PluginKind<?> k : PluginKind.all()) {
            assertTrue(p.types(k).isEmpty(), k.name());
        }
        assertTrue(PluginKind.byName("vindex").isPresent());
        assertFalse(PluginKind.byName("nope").isPresent());
    }

    @Test
    void eachKindsServiceTypeIsItsFactorysTypeArgument() {
        for (PluginKind<?> k : PluginKind.all()) {
            java.lang.reflect.ParameterizedType p =
                    (java.lang.reflect.ParameterizedType) k.factoryType().getGenericInterfaces()[0];
            assertEquals(PluginFactory.class, p.getRawType(), k.name());
            assertEquals(k.serviceType(), p.getActualTypeArguments()[0], k.name());
        }
    }

    @Test
    void versionCompatibility() {
        assertTrue(SpiVersion.isCompatible("1.0", "1.0"));
        assertTrue(SpiVersion.isCompatible("1.0", "1.3"));
        assertFalse(SpiVersion.isCompatible("1.4", "1.3"));
        assertFalse(SpiVersion.isCompatible("2.0", "1.0"));
    }
}
