package dev.mosaic.server.process.config;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.spi.config.ConfigException;
import dev.mosaic.spi.config.ConfigException.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a process's YAML config file ({@link YamlConfigFile}) into its typed config {@code T}:
 * the subclass validates the flattened keys, adding to the problems the flattening found, and
 * throws one {@link ConfigException} listing them all.
 *
 * @param <T> the validated config
 */
public abstract class YamlConfigLoader<T> {
    private final YamlConfigFile file;

    /** @param file the kind of file read (names the process in messages) */
    protected YamlConfigLoader(YamlConfigFile file) {
        this.file = file;
    }

    /**
     * Reads and validates {@code path}.
     *
     * @throws ConfigException listing every problem, each naming its key
     * @throws MosaicException INVALID_ARGUMENT if the file cannot be read or is not YAML
     */
    public final T load(Path path) {
        return parse(file.read(path), path.toString());
    }

    /** Like {@link #load}, from YAML text; {@code source} names it in messages. */
    public final T parse(String yaml, String source) {
        List<Problem> problems = new ArrayList<>();
        Map<String, String> flat = file.flatten(yaml, source, problems);
        return validate(flat, problems, file.what() + " config " + source);
    }

    /**
     * Validates flat {@code key -> text} pairs (the flattened file).
     *
     * @param owner names the config in the exception ({@code tablet config t.yaml})
     * @throws ConfigException listing every problem
     */
    public final T fromFlat(Map<String, String> values, String owner) {
        return validate(values, new ArrayList<>(), owner);
    }

    /**
     * Validates {@code values}, adding to {@code problems} (which may hold problems already).
     *
     * @throws ConfigException naming {@code owner} and listing every problem, if there is any
     */
    protected abstract T validate(Map<String, String> values, List<Problem> problems, String owner);
}
