package dev.mosaic.vindex.region;

import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.SpiVersion;
import dev.mosaic.spi.config.Config;
import dev.mosaic.spi.config.ConfigException;
import dev.mosaic.spi.config.ConfigKey;
import dev.mosaic.spi.config.ConfigSpec;
import dev.mosaic.spi.config.ConfigType;
import dev.mosaic.spi.vindex.Vindex;
import dev.mosaic.spi.vindex.VindexFactory;
import dev.mosaic.vindex.vhash.Vhash;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Factories of the region vindexes. */
public final class RegionFactories {
    private RegionFactories() {
    }

    private static final ConfigKey REGION_BYTES = ConfigKey.required("region_bytes", ConfigType.STRING,
            "bytes of the region prefix in the keyspace id: 1 or 2");
    private static final ConfigKey REGION_MAP = ConfigKey.required("region_map", ConfigType.STRING,
            "path of a JSON file mapping each key (e.g. a country code) to its region number");

    static String owner(String name, String type) {
        return "vindex '" + name + "' (type " + type + ")";
    }

    static int regionBytes(Config c, String owner, String message) {
        String v = c.getString(REGION_BYTES.name()).trim();
        if (!v.equals("1") && !v.equals("2")) {
            throw new ConfigException(owner, List.of(new ConfigException.Problem(REGION_BYTES.name(), message + v)));
        }
        return Integer.parseInt(v);
    }

    /** {@code region_experimental}. */
    public static final class RegionExperimentalFactory implements VindexFactory {
        private static final ConfigSpec SPEC = ConfigSpec.of(REGION_BYTES);

        @Override
        public String type() {
            return "region_experimental";
        }

        @Override
        public String description() {
            return "two columns (region, id): region number prefix followed by hash(id) (cost 1)";
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
            String owner = owner(context.instanceName(), type());
            int rb = regionBytes(config, owner, "region_bits must be 1 or 2: ");
            return new RegionExperimental(context.instanceName(), rb, vhash != null ? vhash : Vhash.load(owner));
        }

        private Vhash vhash;

        /** A factory using the given hash instead of the registered one (tests). */
        static RegionExperimentalFactory with(Vhash vhash) {
            RegionExperimentalFactory f = new RegionExperimentalFactory();
            f.vhash = vhash;
            return f;
        }
    }

    /** {@code region_json}. */
    public static final class RegionJsonFactory implements VindexFactory {
        private static final ConfigSpec SPEC = ConfigSpec.of(REGION_MAP, REGION_BYTES);

        @Override
        public String type() {
            return "region_json";
        }

        @Override
        public String description() {
            return "two columns (id, key): region of key from a JSON map, followed by hash(id) (cost 1)";
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
            String owner = owner(context.instanceName(), type());
            Map<String, Long> map = readMap(config.getString(REGION_MAP.name()), owner);
            int rb = regionBytes(config, owner, "region_bytes must be 1 or 2: ");
            return new RegionJson(context.instanceName(), map, rb, vhash != null ? vhash : Vhash.load(owner));
        }

        private Vhash vhash;

        /** A factory using the given hash instead of the registered one (tests). */
        static RegionJsonFactory with(Vhash vhash) {
            RegionJsonFactory f = new RegionJsonFactory();
            f.vhash = vhash;
            return f;
        }

        static Map<String, Long> readMap(String path, String owner) {
            String text;
            try {
                text = Files.readString(Path.of(path), StandardCharsets.UTF_8);
            } catch (IOException | InvalidPathException e) {
                throw new ConfigException(owner, List.of(new ConfigException.Problem(REGION_MAP.name(),
                        "cannot read region map '" + path + "': " + e)));
            }
            try {
                return RegionMapJson.parse(text);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(owner, List.of(new ConfigException.Problem(REGION_MAP.name(),
                        "region map '" + path + "' is not a JSON object of unsigned integers: " + e.getMessage())));
            }
        }
    }
}
