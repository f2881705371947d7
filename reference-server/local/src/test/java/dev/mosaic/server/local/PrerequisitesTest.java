package dev.mosaic.server.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.MosaicException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrerequisitesTest {
    /** A machine where only {@code installed} files exist. */
    private static java.util.function.Function<List<String>, Optional<Path>> machine(Set<String> installed) {
        return names -> names.stream().filter(installed::contains).findFirst().map(Path::of);
    }

    @Test
    void nothingToDoWhenInstalled() {
        List<List<String>> ran = new ArrayList<>();
        Prerequisites.ensure(TopoKind.ETCD, m -> { }, machine(Set.of("mariadbd", "etcd")), true, ran::add);
        assertEquals(List.of(), ran);
    }

    @Test
    void withoutRootOnDebianTheErrorNamesThePackages() {
        MosaicException e = assertThrows(MosaicException.class, () -> Prerequisites.ensure(TopoKind.ZK, m -> { },
                machine(Set.of()), false, c -> { }));
        assertEquals("MariaDB server and client and ZooKeeper not installed; install mariadb-server mariadb-client "
                + "zookeeper (on Debian or Ubuntu: sudo apt-get update && sudo apt-get install -y mariadb-server "
                + "mariadb-client zookeeper) and run this again", e.getMessage());
    }

    @Test
    void asRootOnDebianItInstallsWithAptGet() {
        Set<String> installed = new HashSet<>();
        List<List<String>> ran = new ArrayList<>();
        List<String> said = new ArrayList<>();
        Prerequisites.ensure(TopoKind.MEMORY, said::add, machine(installed), true, c -> {
            ran.add(c);
            if (c.contains("install")) {
                installed.add("mariadbd");
            }
        });
        assertEquals(List.of(List.of("apt-get", "update", "-qq"),
                List.of("apt-get", "install", "-y", "-qq", "mariadb-server", "mariadb-client")), ran);
        assertEquals(List.of("installing mariadb-server mariadb-client (apt-get; this is root on Debian)",
                "installed mariadb-server mariadb-client"), said);
    }

    @Test
    void anInstallThatLeavesTheBinaryMissingFails() {
        MosaicException e = assertThrows(MosaicException.class, () -> Prerequisites.ensure(TopoKind.MEMORY, m -> { },
                machine(Set.of()), true, c -> { }));
        assertTrue(e.getMessage().startsWith("MariaDB server and client still not found after apt-get install -y "
                + "mariadb-server mariadb-client"), e.getMessage());
    }
}
