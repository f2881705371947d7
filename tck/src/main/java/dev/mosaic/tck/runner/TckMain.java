package dev.mosaic.tck.runner;

import dev.mosaic.spi.PluginFactory;
import dev.mosaic.spi.PluginKind;
import dev.mosaic.spi.SpiVersion;
import dev.mosaic.tck.PluginContract;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.reporting.legacy.xml.LegacyXmlReportGeneratingListener;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code mosaic-tck} command: checks every provider defined in the given plugin jars against
 * every applicable contract of the {@link ContractCatalog#standard() standard catalog}.
 *
 * <pre>
 * mosaic-tck --plugin PATH [--plugin PATH ...] [--spi KIND] [--type NAME] [--set KEY=VALUE ...] [--report DIR]
 * </pre>
 *
 * <p>The jars (or class directories) are loaded by one class loader whose parent is the runner's,
 * so the SPI classes are shared and providers in different jars see each other (duplicate type
 * names are caught). Only providers whose classes are defined in the given paths are tested.
 * Prints one line per provider and clause ({@code PASS  vindex/hash  registry.type-name},
 * {@code FAIL  ...: reason}, {@code SKIP  ...: reason}, {@code WARN  ...: reason}) and ends with
 * the line {@code N passed, N failed} (plus {@code , N skipped} and {@code , N warned} if any).
 * A warning does not change the exit status.
 *
 * <p>Exit status: 0 when at least one clause ran and none failed; 1 when a clause failed (or
 * none ran); 2 for usage errors, including a path that does not exist and paths with no
 * providers.
 */
@Command(name = "mosaic-tck", mixinStandardHelpOptions = true, sortOptions = false,
        version = "mosaic-tck for SPI version " + SpiVersion.CURRENT,
        description = "Checks Mosaic plugin providers against the TCK contracts.")
public final class TckMain implements Callable<Integer> {
    /** Exit status: every clause that ran passed. */
    public static final int OK = 0;
    /** Exit status: a clause failed. */
    public static final int FAILED = 1;
    /** Exit status: bad command line or nothing to test. */
    public static final int USAGE = 2;

    @Option(names = "--plugin", required = true, paramLabel = "PATH",
            description = "A plugin jar or class directory; repeatable.")
    private List<Path> plugins = new ArrayList<>();

    @Option(names = "--spi", paramLabel = "KIND",
            description = "Only providers of this kind: topo, vindex, durability, backup_engine, backup_storage, throttler_metric.")
    private String spi;

    @Option(names = "--type", paramLabel = "NAME", description = "Only providers with this type name.")
    private String type;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Sample configuration offered to every provider (only keys it declares); repeatable.")
    private Map<String, String> set = new LinkedHashMap<>();

    @Option(names = "--report", paramLabel = "DIR", description = "Also write JUnit XML reports under DIR.")
    private Path report;

    private final ClassLoader parent;
    private final PrintWriter out;
    private final PrintWriter err;

    private TckMain(ClassLoader parent, PrintWriter out, PrintWriter err) {
        this.parent = parent;
        this.out = out;
        this.err = err;
    }

    /**
     * Runs the command and exits the JVM with its status.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /**
     * Runs the command in-process, with the runner's own class loader as the plugins' parent.
     *
     * @param out  where the report goes
     * @param err  where errors and usage go
     * @param args command-line arguments
     * @return the exit status ({@link #OK}, {@link #FAILED} or {@link #USAGE})
     */
    public static int run(PrintStream out, PrintStream err, String... args) {
        return run(TckMain.class.getClassLoader(), out, err, args);
    }

    /**
     * Runs the command in-process.
     *
     * @param parent the parent of the plugin class loader; must see the SPI and this TCK
     * @param out    where the report goes
     * @param err    where errors and usage go
     * @param args   command-line arguments
     * @return the exit status ({@link #OK}, {@link #FAILED} or {@link #USAGE})
     */
    public static int run(ClassLoader parent, PrintStream out, PrintStream err, String... args) {
        PrintWriter o = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter e = new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        try {
            return new CommandLine(new TckMain(parent, o, e)).setOut(o).setErr(e).execute(args);
        } finally {
            o.flush();
            e.flush();
        }
    }

    /**
     * Runs the check; called by picocli.
     *
     * @return the exit status
     */
    @Override
    public Integer call() throws IOException {
        PluginKind<?> onlyKind = null;
        if (spi != null) {
            onlyKind = PluginKind.byName(spi).orElse(null);
            if (onlyKind == null) {
                err.println("unknown --spi '" + spi + "'; known kinds: "
                        + String.join(", ", PluginKind.all().stream().map(PluginKind::name).toList()));
                return USAGE;
            }
        }
        List<URL> urls = new ArrayList<>();
        Set<Path> roots = new HashSet<>();
        for (Path p : plugins) {
            if (!Files.exists(p)) {
                err.println("no such plugin jar or directory: " + p);
                return USAGE;
            }
            if (!Files.isDirectory(p) && !p.getFileName().toString().endsWith(".jar")) {
                err.println("not a jar or a class directory: " + p);
                return USAGE;
            }
            Path real = p.toRealPath();
            roots.add(real);
            urls.add(toUrl(real));
        }
        String where = String.join(" ", plugins.stream().map(Path::toString).toList())
                + (spi != null ? " with --spi " + spi : "") + (type != null ? " with --type " + type : "");
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader("mosaic-tck-plugins", urls.toArray(URL[]::new), parent)) {
            List<ClauseResult> results = new ArrayList<>();
            List<PluginFactory<?>> providers = new ArrayList<>();
            for (PluginKind<?> kind : PluginKind.all()) {
                if (onlyKind == null || onlyKind == kind) {
                    discover(kind, loader, roots, providers, results);
                }
            }
            if (providers.isEmpty() && results.isEmpty()) {
                err.println("no providers found in " + where);
                return USAGE;
            }
            results.forEach(r -> out.println(r.line()));
            providers.sort(Comparator.comparing(PluginContract::label));
            ContractRunner runner = new ContractRunner(ContractCatalog.standard());
            Set<String> reportDirs = new HashSet<>();
            Thread.currentThread().setContextClassLoader(loader);
            for (PluginFactory<?> f : providers) {
                TestExecutionListener[] extra = report == null ? new TestExecutionListener[0]
                        : new TestExecutionListener[] {new LegacyXmlReportGeneratingListener(reportDir(f, reportDirs), err)};
                for (ClauseResult r : runner.run(f, set, extra)) {
                    out.println(r.line());
                    results.add(r);
                }
            }
            long passed = results.stream().filter(r -> r.status() == ClauseResult.Status.PASS).count();
            long failed = results.stream().filter(r -> r.status() == ClauseResult.Status.FAIL).count();
            long skipped = results.stream().filter(r -> r.status() == ClauseResult.Status.SKIP).count();
            long warned = results.stream().filter(r -> r.status() == ClauseResult.Status.WARN).count();
            out.println(passed + " passed, " + failed + " failed" + (skipped > 0 ? ", " + skipped + " skipped" : "")
                    + (warned > 0 ? ", " + warned + " warned" : ""));
            if (passed + failed == 0) {
                err.println("no clause ran");
            }
            return failed == 0 && passed > 0 ? OK : FAILED;
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private void discover(PluginKind<?> kind, ClassLoader loader, Set<Path> roots, List<PluginFactory<?>> providers,
                          List<ClauseResult> results) {
        Iterator<? extends ServiceLoader.Provider<?>> it = ServiceLoader.load(kind.factoryType(), loader).stream().iterator();
        for (int guard = 0; guard < 100_000; guard++) {
            ServiceLoader.Provider<?> p;
            try {
                if (!it.hasNext()) {
                    return;
                }
                p = it.next();
            } catch (ServiceConfigurationError e) {
                if (type == null) {
                    results.add(new ClauseResult(kind + "/?", "registry.discoverable", ClauseResult.Status.FAIL,
                            oneLine(e)));
                }
                continue;
            }
            if (!definedIn(p.type(), roots)) {
                continue;
            }
            PluginFactory<?> f;
            try {
                f = (PluginFactory<?>) p.get();
            } catch (ServiceConfigurationError e) {
                if (type == null) {
                    results.add(new ClauseResult(kind + "/" + p.type().getName(), "registry.discoverable",
                            ClauseResult.Status.FAIL, oneLine(e)));
                }
                continue;
            }
            if (type == null || type.equals(safeType(f))) {
                providers.add(f);
            }
        }
    }

    private Path reportDir(PluginFactory<?> f, Set<String> used) throws IOException {
        String base = PluginContract.label(f).replaceAll("[^A-Za-z0-9_.-]", "-");
        String name = base;
        for (int i = 2; !used.add(name); i++) {
            name = base + "-" + i;
        }
        return Files.createDirectories(report.resolve(name));
    }

    private static String safeType(PluginFactory<?> f) {
        try {
            return f.type();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() + (e.getCause() != null ? " (" + e.getCause() + ")" : "");
        return m.replaceAll("\\s*\\R\\s*", " ");
    }

    private static boolean definedIn(Class<?> cls, Set<Path> roots) {
        try {
            CodeSource cs = cls.getProtectionDomain().getCodeSource();
            if (cs == null || cs.getLocation() == null) {
                return false;
            }
            return roots.contains(Path.of(cs.getLocation().toURI()).toRealPath());
        } catch (Exception e) {
            return false;
        }
    }

    private static URL toUrl(Path p) {
        try {
            return p.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(p.toString(), e);
        }
    }
}
