package dev.mosaic.examples.vindex;

import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.SpiVersion;
import dev.mosaic.spi.config.Config;
import dev.mosaic.spi.config.ConfigKey;
import dev.mosaic.spi.config.ConfigSpec;
import dev.mosaic.spi.config.ConfigType;
import dev.mosaic.spi.vindex.Vindex;
import dev.mosaic.spi.vindex.VindexFactory;

/**
 * Provider of the {@code tenant_hash} vindex type, listed in
 * {@code META-INF/services/dev.mosaic.spi.vindex.VindexFactory}. A vschema uses it as
 * {@code {"type": "tenant_hash", "params": {"salt": "acme"}}}.
 */
public final class TenantHashVindexFactory implements VindexFactory {
    private static final ConfigSpec SPEC = ConfigSpec.of(
            ConfigKey.optional("salt", ConfigType.STRING, "", "a deployment-wide salt hashed before each tenant id"));

    /** For ServiceLoader. */
    public TenantHashVindexFactory() {
    }

    @Override
    public String type() {
        return "tenant_hash";
    }

    @Override
    public String description() {
        return "first 8 bytes of SHA-256(salt, tenant id); unique, cost 1 (example plugin)";
    }

    @Override
    public String spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public ConfigSpec configSpec() {
        return SPEC;
    }

    @Override
    public Vindex create(Config config, PluginContext context) {
        return new TenantHashVindex(context.instanceName(), config.getString("salt"));
    }
}
