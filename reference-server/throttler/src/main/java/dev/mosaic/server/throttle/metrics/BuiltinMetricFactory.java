package dev.mosaic.server.throttle.metrics;

import dev.mosaic.spi.SpiVersion;
import dev.mosaic.spi.config.ConfigSpec;
import dev.mosaic.spi.throttle.ThrottlerMetricFactory;

/** What every built-in metric factory shares: its type name, description and SPI version. */
abstract class BuiltinMetricFactory implements ThrottlerMetricFactory {
    private final String type;
    private final String description;

    BuiltinMetricFactory(String type, String description) {
        this.type = type;
        this.description = description;
    }

    @Override
    public final String type() {
        return type;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final String spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.EMPTY;
    }
}
