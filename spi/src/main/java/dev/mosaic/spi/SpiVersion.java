package dev.mosaic.spi;

/**
 * The version of the plugin SPI.
 *
 * <p>A factory returns {@link #CURRENT} from {@link PluginFactory#spiVersion()}. Because
 * {@code CURRENT} is a compile-time constant, the value is fixed into the plugin's class file when
 * the plugin is compiled, so the registry can tell which SPI version the plugin was built
 * against. The registry accepts a plugin whose major version equals the runtime's and whose minor
 * version is not newer than the runtime's; anything else is refused at startup with a message
 * naming both versions.
 */
public final class SpiVersion {
    /** The SPI version of this build, {@code major.minor}. */
    public static final String CURRENT = "1.0";

    private SpiVersion() {
    }

    /**
     * Whether a plugin built against SPI version {@code pluginVersion} can run on a runtime of
     * version {@code runtimeVersion}: same major, plugin minor not newer.
     *
     * @throws IllegalArgumentException if either is not {@code major.minor}
     */
    public static boolean isCompatible(String pluginVersion, String runtimeVersion) {
        int[] p = parse(pluginVersion);
        int[] r = parse(runtimeVersion);
        return p[0] == r[0] && p[1] <= r[1];
    }

    static int[] parse(String version) {
        if (version == null) {
            throw new IllegalArgumentException("SPI version is null; expected major.minor such as " + CURRENT);
        }
        int dot = version.indexOf('.');
        try {
            if (dot > 0 && version.indexOf('.', dot + 1) < 0) {
                return new int[] {Integer.parseInt(version.substring(0, dot)), Integer.parseInt(version.substring(dot + 1))};
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("SPI version '" + version + "' is not major.minor such as " + CURRENT);
    }
}
