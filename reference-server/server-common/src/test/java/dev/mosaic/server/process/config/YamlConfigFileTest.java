package dev.mosaic.server.process.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.spi.config.ConfigException.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class YamlConfigFileTest {
    private static final YamlConfigFile FILE = new YamlConfigFile("demo", "a:, b:");

    static Stream<Arguments> documents() {
        return Stream.of(
                Arguments.of("empty", "", Map.of(), List.of()),
                Arguments.of("nested", "a: {b: {c: 1}}\n", Map.of("a.b.c", "1"), List.of()),
                Arguments.of("dotted inside nested", "a: {b.c: x}\n", Map.of("a.b.c", "x"), List.of()),
                Arguments.of("list", "a: [x, y, 3]\n", Map.of("a", "x,y,3"), List.of()),
                Arguments.of("no value", "a: {b: }\n", Map.of(), List.of(new Problem("a.b", "has no value"))),
                Arguments.of("nested and dotted", "a: {b: 1}\na.b: 2\n", Map.of("a.b", "2"),
                        List.of(new Problem("a.b", "given twice (once nested, once dotted)"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documents")
    void flattens(String name, String yaml, Map<String, String> flat, List<Problem> problems) {
        List<Problem> found = new ArrayList<>();
        assertEquals(flat, FILE.flatten(yaml, "demo.yaml", found));
        assertEquals(problems, found);
    }

    @Test
    void aDocumentThatIsNoMappingNamesTheSections() {
        MosaicException e = assertThrows(MosaicException.class, () -> FILE.flatten("- a\n", "demo.yaml", new ArrayList<>()));
        assertEquals("the demo config demo.yaml must be a YAML mapping of sections (a:, b:)", e.getMessage());
    }

    @Test
    void invalidYamlNamesTheFile() {
        MosaicException e = assertThrows(MosaicException.class, () -> FILE.flatten("a: [", "demo.yaml", new ArrayList<>()));
        assertTrue(e.getMessage().startsWith("the demo config demo.yaml is not valid YAML: "), e.getMessage());
    }

    @Test
    void anUnreadableFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("missing.yaml");
        MosaicException e = assertThrows(MosaicException.class, () -> FILE.read(missing));
        assertTrue(e.getMessage().startsWith("cannot read the demo config file " + missing + ": "), e.getMessage());
    }
}
