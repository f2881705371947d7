package dev.mosaic.spi.config;

/**
 * A plugin asked {@link Config} for a key its {@link ConfigSpec} does not declare: a bug in the
 * plugin, which the TCK's {@code registry.create} clause reports.
 */
public final class UndeclaredConfigKeyException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String key;

    /** For {@code key}. */
    public UndeclaredConfigKeyException(String key) {
        super("config key '" + key + "' is not declared");
        this.key = key;
    }

    /** The key that was asked for. */
    public String key() {
        return key;
    }
}
