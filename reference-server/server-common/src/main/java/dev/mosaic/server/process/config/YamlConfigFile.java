package dev.mosaic.server.process.config;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.spi.config.ConfigException.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * One kind of process config file ({@code tablet}, {@code gate}) read as flat {@code key -> text}
 * pairs.
 *
 * <p>Nested mappings flatten to dotted keys ({@code mysql: {port: 15306}} is the key
 * {@code mysql.port}; writing {@code mysql: {port.x: 1}} is the same as nesting); a list becomes
 * its items joined with commas. A key without a value, or one given both nested and dotted, is a
 * problem naming the key; the caller reports it with its own.
 *
 * @param what the process the file configures, as messages name it ({@code tablet})
 * @param sections the top-level sections, as the error for a non-mapping file lists them
 *     ({@code topo:, mysql:, ...})
 */
public record YamlConfigFile(String what, String sections) {

    public YamlConfigFile {
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(sections, "sections");
    }

    /**
     * The file's text.
     *
     * @throws MosaicException INVALID_ARGUMENT if it cannot be read
     */
    public String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "cannot read the " + what + " config file " + file
                    + ": " + e, e);
        }
    }

    /**
     * Flattens {@code yaml} ({@code source} names it in messages), adding problems of single keys
     * to {@code problems}.
     *
     * @throws MosaicException INVALID_ARGUMENT if it is not YAML or not a mapping
     */
    public Map<String, String> flatten(String yaml, String source, List<Problem> problems) {
        Object doc;
        try {
            doc = new Load(LoadSettings.builder().setLabel(source).build()).loadFromString(yaml);
        } catch (YamlEngineException e) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "the " + what + " config " + source
                    + " is not valid YAML: " + e.getMessage(), e);
        }
        if (doc == null) {
            doc = Map.of();
        }
        if (!(doc instanceof Map<?, ?> top)) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "the " + what + " config " + source
                    + " must be a YAML mapping of sections (" + sections + ")");
        }
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", top, flat, problems);
        return flat;
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, String> out, List<Problem> problems) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = prefix + e.getKey();
            Object v = e.getValue();
            if (v instanceof Map<?, ?> m) {
                flatten(key + ".", m, out, problems);
            } else if (v instanceof List<?> l) {
                out.put(key, l.stream().map(String::valueOf).collect(Collectors.joining(",")));
            } else if (v == null) {
                problems.add(new Problem(key, "has no value"));
            } else if (out.put(key, String.valueOf(v)) != null) {
                problems.add(new Problem(key, "given twice (once nested, once dotted)"));
            }
        }
    }
}
