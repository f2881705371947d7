package dev.mosaic.tck.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.spi.durability.DurabilityPolicyFactory;
import dev.mosaic.tck.fixtures.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: builds plugin jars from the fixture classes at test time and runs {@link TckMain}
 * on them in-process. The fixtures are also on the test class path, so the runner's parent loader
 * hides them (and their service files), as the real runner's parent would not have them.
 */
class TckMainTest {
    private static final String FIXTURES = "dev.mosaic.tck.fixtures.";

    @TempDir
    Path dir;

    @Test
    void goodJarPassesEveryClause() throws IOException {
        Result r = run("--plugin", jar("good.jar", Fixtures.Good.class).toString());
        assertEquals(TckMain.OK, r.code, r::all);
        assertTrue(r.out.contains("PASS  durability/tck_good  registry.type-name"), r::all);
        assertTrue(r.lastLine().matches("[1-9][0-9]* passed, 0 failed"), r::all);
    }

    @Test
    void brokenJarFailsNamingTheClause() throws IOException {
        Result r = run("--plugin", jar("bad.jar", Fixtures.BadTypeName.class).toString());
        assertEquals(TckMain.FAILED, r.code, r::all);
        assertTrue(r.out.contains("FAIL  durability/Bad-Name  registry.type-name: type() 'Bad-Name' does not match"), r::all);
        assertTrue(r.lastLine().matches("[0-9]+ passed, 1 failed, 9 skipped"), r::all);
    }

    @Test
    void duplicateTypeNamesAcrossTwoJarsFailBoth() throws IOException {
        Result r = run("--plugin", jar("a.jar", Fixtures.DuplicateA.class).toString(),
                "--plugin", jar("b.jar", Fixtures.DuplicateB.class).toString());
        assertEquals(TckMain.FAILED, r.code, r::all);
        assertEquals(2, r.out.lines().filter(l -> l.startsWith("FAIL  durability/tck_dup  registry.unique: ")).count(), r::all);
        assertTrue(r.lastLine().endsWith(" passed, 2 failed"), r::all);
    }

    @Test
    void requiredKeysAreSkippedUntilSetOnTheCommandLine() throws IOException {
        String jar = jar("backend.jar", Fixtures.NeedsBackend.class).toString();
        Result without = run("--plugin", jar);
        assertEquals(TckMain.OK, without.code, without::all);
        assertTrue(without.out.contains(
                "SKIP  durability/tck_backend  registry.create: needs --set KEY=VALUE for required keys: endpoint"), without::all);
        assertTrue(without.lastLine().matches("[1-9][0-9]* passed, 0 failed, 7 skipped"), without::all);

        Result with = run("--plugin", jar, "--set", "endpoint=localhost:1", "--set", "unrelated=1");
        assertEquals(TckMain.OK, with.code, with::all);
        assertTrue(with.lastLine().matches("[1-9][0-9]* passed, 0 failed"), with::all);
    }

    @Test
    void filtersByKindAndType() throws IOException {
        String jar = jar("two.jar", Fixtures.Good.class, Fixtures.OldSpiVersion.class).toString();
        Result typed = run("--plugin", jar, "--spi", "durability", "--type", "tck_good");
        assertEquals(TckMain.OK, typed.code, typed::all);
        assertTrue(!typed.out.contains("tck_old_spi"), typed::all);

        Result both = run("--plugin", jar);
        assertEquals(TckMain.FAILED, both.code, both::all);
        assertTrue(both.out.contains("FAIL  durability/tck_old_spi  registry.spi-version: built for SPI version 0.9"), both::all);

        Result otherKind = run("--plugin", jar, "--spi", "vindex");
        assertEquals(TckMain.USAGE, otherKind.code, otherKind::all);
        assertTrue(otherKind.err.contains("no providers found in "), otherKind::all);
    }

    @Test
    void writesJUnitXmlReports() throws IOException {
        Path reports = dir.resolve("reports");
        Result r = run("--plugin", jar("good.jar", Fixtures.Good.class).toString(), "--report", reports.toString());
        assertEquals(TckMain.OK, r.code, r::all);
        Path xml = reports.resolve("durability-tck_good").resolve("TEST-junit-jupiter.xml");
        assertTrue(Files.exists(xml), () -> r.all() + "\n" + listing(reports));
        assertTrue(Files.readString(xml).contains("registry.type-name"));
    }

    @Test
    void usageErrorsExitWithTwo() throws IOException {
        assertEquals(TckMain.USAGE, run().code);
        assertEquals(TckMain.USAGE, run("--plugin", dir.resolve("missing.jar").toString()).code);
        assertEquals(TckMain.USAGE, run("--plugin", jar("good.jar", Fixtures.Good.class).toString(), "--spi", "nope").code);
        assertEquals(TckMain.USAGE, run("--plugin", jar("good.jar", Fixtures.Good.class).toString(), "--set", "novalue").code);
        Result empty = run("--plugin", jar("empty.jar").toString());
        assertEquals(TckMain.USAGE, empty.code, empty::all);
        assertTrue(empty.err.contains("no providers found in " + dir.resolve("empty.jar")), empty::all);
    }

    @Test
    void providerThatCannotBeInstantiatedIsAFailure() throws IOException {
        Path jar = dir.resolve("missing-class.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("META-INF/services/" + DurabilityPolicyFactory.class.getName()));
            out.write("dev.mosaic.tck.fixtures.DoesNotExist\n".getBytes(StandardCharsets.UTF_8));
        }
        Result r = run("--plugin", jar.toString());
        assertEquals(TckMain.FAILED, r.code, r::all);
        assertTrue(r.out.contains("registry.discoverable"), r::all);
    }

    // ---- helpers

    private record Result(int code, String out, String err) {
        String lastLine() {
            List<String> lines = out.lines().toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }

        String all() {
            return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = TckMain.run(new HidingLoader(TckMainTest.class.getClassLoader()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A jar with every fixture class and a service file listing {@code providers}. */
    private Path jar(String name, Class<?>... providers) throws IOException {
        Path jar = dir.resolve(name);
        Path classes = fixtureClassesDir();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.list(classes)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                out.putNextEntry(new JarEntry("dev/mosaic/tck/fixtures/" + f.getFileName()));
                out.write(Files.readAllBytes(f));
            }
            if (providers.length > 0) {
                out.putNextEntry(new JarEntry("META-INF/services/" + DurabilityPolicyFactory.class.getName()));
                String list = Stream.of(providers).map(Class::getName).collect(Collectors.joining("\n", "", "\n"));
                out.write(list.getBytes(StandardCharsets.UTF_8));
            }
        }
        return jar;
    }

    private static Path fixtureClassesDir() {
        try {
            return Path.of(Fixtures.class.getResource("Fixtures.class").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String listing(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.map(Path::toString).collect(Collectors.joining("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Delegates to the test class path, but hides the fixture classes and every SPI service file. */
    private static final class HidingLoader extends ClassLoader {
        private final ClassLoader delegate;

        HidingLoader(ClassLoader delegate) {
            super("tck-test-parent", null);
            this.delegate = delegate;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            if (name.startsWith(FIXTURES)) {
                throw new ClassNotFoundException(name);
            }
            return delegate.loadClass(name);
        }

        @Override
        protected URL findResource(String name) {
            return hidden(name) ? null : delegate.getResource(name);
        }

        @Override
        protected Enumeration<URL> findResources(String name) throws IOException {
            return hidden(name) ? Collections.emptyEnumeration() : delegate.getResources(name);
        }

        private static boolean hidden(String name) {
            return name.startsWith("META-INF/services/dev.mosaic.spi.") || name.startsWith("dev/mosaic/tck/fixtures/");
        }
    }

}
