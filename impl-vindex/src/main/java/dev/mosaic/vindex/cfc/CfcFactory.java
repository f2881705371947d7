package dev.mosaic.vindex.cfc;

import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.SpiVersion;
import dev.mosaic.spi.config.Config;
import dev.mosaic.spi.config.ConfigException;
import dev.mosaic.spi.config.ConfigKey;
import dev.mosaic.spi.config.ConfigSpec;
import dev.mosaic.spi.config.ConfigType;
import dev.mosaic.spi.vindex.Vindex;
import dev.mosaic.spi.vindex.VindexFactory;
import java.util.ArrayList;
import java.util.List;

/** {@code cfc}. */
public final class CfcFactory implements VindexFactory {
    private static final ConfigKey HASH = ConfigKey.optional("hash", ConfigType.STRING,
            "hash of each component: md5 or xxhash64; absent: the value itself is the keyspace id");
    private static final ConfigKey OFFSETS = ConfigKey.optional("offsets", ConfigType.STRING,
            "with hash: byte offsets of the component boundaries, a sorted JSON list of positive ints such as [2,4]");
    private static final ConfigSpec SPEC = ConfigSpec.of(HASH, OFFSETS);

    @Override
    public String type() {
        return "cfc";
    }

    @Override
    public String description() {
        return "concatenated fixed-width composite key; prefixes (LIKE) map to key ranges (cost 1)";
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
        String name = context.instanceName();
        String owner = "vindex '" + name + "' (type cfc)";
        String h = config.findString(HASH.name()).orElse("");
        Cfc.Hash hash;
        switch (h) {
            case "":
                return new Cfc(name, null, null);
            case "md5":
                hash = Cfc.Hash.MD5;
                break;
            case "xxhash64":
                hash = Cfc.Hash.XXHASH64;
                break;
            default:
                throw new ConfigException(owner, List.of(new ConfigException.Problem(HASH.name(),
                        "invalid hash " + h + " to CFC vindex " + name)));
        }
        String p = config.findString(OFFSETS.name()).orElse("");
        if (p.isEmpty()) {
            throw new ConfigException(owner, List.of(new ConfigException.Problem(OFFSETS.name(),
                    "CFC vindex requires offsets when hash is defined")));
        }
        int[] offsets = parseOffsets(p);
        if (offsets == null) {
            throw new ConfigException(owner, List.of(new ConfigException.Problem(OFFSETS.name(),
                    "invalid offsets " + p + " to CFC vindex " + name + ". expected sorted positive ints in brackets")));
        }
        return new Cfc(name, hash, offsets);
    }

    /** A JSON list of strictly increasing positive ints, or null. */
    static int[] parseOffsets(String p) {
        String s = p.trim();
        if (!s.startsWith("[") || !s.endsWith("]")) {
            return null;
        }
        String body = s.substring(1, s.length() - 1).trim();
        if (body.isEmpty()) {
            return null;
        }
        List<Integer> out = new ArrayList<>();
        for (String part : body.split(",", -1)) {
            try {
                out.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        int prev = 0;
        for (int o : out) {
            if (o <= prev) {
                return null;
            }
            prev = o;
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
