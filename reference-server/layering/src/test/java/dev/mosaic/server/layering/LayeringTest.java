package dev.mosaic.server.layering;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module layering of ARCHITECTURE.md, enforced on the main (non-test) classes of every
 * module: api knows only the JDK; spi only api; the TCK only api and spi (plus JUnit and picocli);
 * no plugin implementation knows another, the server, or the TCK.
 */
class LayeringTest {
    private static final String[] JDK = {"java..", "javax.."};
    /** Packages of the plugin implementation modules, one per impl-* module. */
    private static final List<String> IMPLS =
            List.of("dev.mosaic.vindex..", "dev.mosaic.durability..", "dev.mosaic.topo.etcd..",
                    "dev.mosaic.topo.zk..", "dev.mosaic.topo.consul..");

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.mosaic");
    }

    private static String[] with(String[] base, String... more) {
        String[] out = new String[base.length + more.length];
        System.arraycopy(base, 0, out, 0, base.length);
        System.arraycopy(more, 0, out, base.length, more.length);
        return out;
    }

    @Test
    void theRulesSeeEveryModule() {
        // Guard against a rule that passes because it checked nothing.
        for (String pkg : List.of("dev.mosaic.api..", "dev.mosaic.spi..", "dev.mosaic.tck..", "dev.mosaic.server..",
                "dev.mosaic.server.mysql.protocol..", "dev.mosaic.server.sql..", "dev.mosaic.server.gate..",
                "dev.mosaic.server.gate.process..", "dev.mosaic.server.process..", "dev.mosaic.server.ctld..",
                "dev.mosaic.server.ctld.process..", "dev.mosaic.server.local..",
                "dev.mosaic.server.throttle.metrics..")) {
            if (classes.stream().noneMatch(c -> c.getPackageName().startsWith(pkg.replace("..", "")))) {
                throw new AssertionError("no classes imported from " + pkg + "; the layering rules would check nothing");
            }
        }
    }

    @Test
    void apiDependsOnTheJdkOnly() {
        classes().that().resideInAPackage("dev.mosaic.api..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(with(JDK, "dev.mosaic.api.."))
                .because("api is JDK-only: every other module shares it")
                .check(classes);
    }

    @Test
    void spiDependsOnApiOnly() {
        classes().that().resideInAPackage("dev.mosaic.spi..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(with(JDK, "dev.mosaic.api..", "dev.mosaic.spi.."))
                .because("a plugin compiles against the SPI jar alone")
                .check(classes);
    }

    @Test
    void tckDependsOnApiAndSpiOnly() {
        classes().that().resideInAPackage("dev.mosaic.tck..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(with(JDK, "dev.mosaic.api..", "dev.mosaic.spi..",
                        "dev.mosaic.tck..", "org.junit..", "org.opentest4j..", "org.apiguardian..", "picocli.."))
                .because("the TCK judges plugins and must not know any implementation")
                .check(classes);
    }

    @Test
    void implementationsKnowNoServerNorTck() {
        for (String impl : IMPLS) {
            ArchRule rule = noClasses().that().resideInAPackage(impl)
                    .should().dependOnClassesThat().resideInAnyPackage("dev.mosaic.server..", "dev.mosaic.tck..")
                    .allowEmptyShould(true)
                    .because("plugins are built against api and spi only");
            rule.check(classes);
        }
    }

    @Test
    void implementationsKnowNoOtherImplementation() {
        for (String impl : IMPLS) {
            String[] others = IMPLS.stream().filter(o -> !o.equals(impl)).toArray(String[]::new);
            noClasses().that().resideInAPackage(impl)
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .allowEmptyShould(true)
                    .because("no impl-* module knows another")
                    .check(classes);
        }
    }

    @Test
    void nothingBelowTheServerKnowsTheServer() {
        noClasses().that().resideInAnyPackage("dev.mosaic.api..", "dev.mosaic.spi..", "dev.mosaic.tck..")
                .should().dependOnClassesThat().resideInAPackage("dev.mosaic.server..")
                .check(classes);
    }

    @Test
    void theMysqlProtocolCodecStandsAlone() {
        classes().that().resideInAPackage("dev.mosaic.server.mysql.protocol..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(with(JDK, "dev.mosaic.api..",
                        "dev.mosaic.server.mysql.protocol..", "io.netty.."))
                .because("the wire codec is usable without the gate: it knows only api and Netty")
                .check(classes);
    }

    @Test
    void theBuiltinThrottlerMetricsArePluginsOfTheSpi() {
        classes().that().resideInAPackage("dev.mosaic.server.throttle.metrics..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(with(JDK, "dev.mosaic.api..", "dev.mosaic.spi..",
                        "dev.mosaic.server.throttle.metrics.."))
                .because("the built-in metrics read everything through the MetricProbe, like a third-party metric")
                .check(classes);
    }

    @Test
    void theGateSqlLayerKnowsOnlyApiSpiAndItsLibraries() {
        classes().that().resideInAPackage("dev.mosaic.server.sql..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(with(JDK, "dev.mosaic.api..", "dev.mosaic.spi..",
                        "dev.mosaic.server.sql..", "net.sf.jsqlparser..", "com.github.benmanes.caffeine..", "io.micrometer.."))
                .because("parsing and planning are pure: vindexes come through the SPI, shards through an interface")
                .check(classes);
    }

    @Test
    void theGateLibraryKnowsNothingOfItsProcess() {
        noClasses().that().resideInAPackage("dev.mosaic.server.gate..")
                .and().resideOutsideOfPackage("dev.mosaic.server.gate.process..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.mosaic.server.gate.process..",
                        "dev.mosaic.server.process..", "com.google.inject..", "org.snakeyaml..",
                        "com.sun.net.httpserver..")
                .because("the gate library is embeddable: config files, Guice wiring and HTTP pages belong to the "
                        + "gate process (gate-server and the process plumbing of server-common)")
                .check(classes);
    }

    @Test
    void serversChooseBackupPluginsByTypeNameOnly() {
        noClasses().that().resideOutsideOfPackage("dev.mosaic.server.backup..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.mosaic.server.backup.engine..",
                        "dev.mosaic.server.backup.storage..")
                .because("tablets and ctld use the backup framework (Backups) and find engines and storages by the "
                        + "type name their config gives, so a third-party plugin is a drop-in")
                .check(classes);
    }

    @Test
    void theCtldLibraryKnowsNothingOfProcessesOrTheServersItManages() {
        noClasses().that().resideInAPackage("dev.mosaic.server.ctld..")
                .and().resideOutsideOfPackage("dev.mosaic.server.ctld.process..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.mosaic.server.ctld.process..",
                        "dev.mosaic.server.process..", "dev.mosaic.server.tablet..", "dev.mosaic.server.gate..",
                        "dev.mosaic.server.mysqlctl..", "dev.mosaic.server.local..", "com.google.inject..",
                        "org.snakeyaml..", "com.sun.net.httpserver..")
                .because("ctld reaches tablets only through their gRPC API, and its service is embeddable "
                        + "(the ctld process and the local cluster both host it)")
                .check(classes);
    }

    @Test
    void onlyTheLauncherKnowsTheLocalCluster() {
        noClasses().that().resideInAPackage("dev.mosaic.server..")
                .and().resideOutsideOfPackages("dev.mosaic.server.local..", "dev.mosaic.server.launcher..")
                .should().dependOnClassesThat().resideInAPackage("dev.mosaic.server.local..")
                .because("the local cluster assembles the processes; no process depends on it")
                .check(classes);
    }

    @Test
    void theProcessPlumbingKnowsNoProcess() {
        noClasses().that().resideInAPackage("dev.mosaic.server.process..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.mosaic.server.tablet..",
                        "dev.mosaic.server.gate..", "dev.mosaic.server.mysqlctl..", "dev.mosaic.server.launcher..",
                        "dev.mosaic.server.ctld..", "dev.mosaic.server.local..", "com.google.inject..")
                .because("server-common is what the tablet and gate processes share; each process wires itself")
                .check(classes);
    }

    @Test
    void serverComponentsDoNotDependOnTheLauncher() {
        noClasses().that().resideInAPackage("dev.mosaic.server..")
                .and().resideOutsideOfPackage("dev.mosaic.server.launcher..")
                .should().dependOnClassesThat().resideInAPackage("dev.mosaic.server.launcher..")
                .allowEmptyShould(true)
                .because("the launcher wires components; components never call back into it")
                .check(classes);
    }

    @Test
    void backupEnginesAndStorageSeeOnlyTheSpi() {
        noClasses().that().resideInAPackage("dev.mosaic.server.backup..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.mosaic.server.tablet..",
                        "dev.mosaic.server.gate..", "dev.mosaic.server.ctld..", "dev.mosaic.server.launcher..",
                        "dev.mosaic.server.local..", "dev.mosaic.server.process..", "com.google.inject..")
                .because("the backup framework and its plugins are a library the tablet and ctld use, not the other way round")
                .check(classes);
        noClasses().that().resideInAnyPackage("dev.mosaic.server.backup.engine..", "dev.mosaic.server.backup.storage..")
                .should().dependOnClassesThat().resideInAPackage("dev.mosaic.server.mysqlctl..")
                .because("engines reach mysqld only through the SPI's MysqldControl (MysqldControls adapts mysqlctl), "
                        + "so a third-party engine can do everything a built-in one does")
                .check(classes);
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.mosaic.(*)..").should().beFreeOfCycles().check(classes);
    }
}
