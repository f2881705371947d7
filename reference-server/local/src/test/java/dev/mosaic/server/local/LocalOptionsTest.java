package dev.mosaic.server.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocalOptionsTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0 | 1 | --shards must be between 1 and 7",
        "8 | 1 | --shards must be between 1 and 7",
        "2 | -1 | --replicas must be between 0 and 5",
        "2 | 6 | --replicas must be between 0 and 5",
    })
    void badCountsAreNamed(int shards, int replicas, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LocalOptions(shards, replicas, TopoKind.MEMORY, Path.of("/tmp/x"), false));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void topoNames() {
        assertEquals(TopoKind.ZK, TopoKind.parse("zk"));
        assertEquals(TopoKind.ETCD, TopoKind.parse("ETCD"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TopoKind.parse("consul"));
        assertEquals("--topo must be memory, etcd or zk, got 'consul'", e.getMessage());
    }

    @Test
    void supervisorArgumentsRoundTrip() {
        LocalOptions o = new LocalOptions(3, 0, TopoKind.ETCD, Path.of("rel/dir"), true);
        assertTrue(o.dataDir().isAbsolute(), "the data directory is made absolute: the supervisor may run elsewhere");
        assertEquals(o, LocalOptions.fromArgs(o.toArgs().toArray(String[]::new)));
    }

    @Test
    void supervisorArgumentsMissingOneAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LocalOptions.fromArgs(new String[] {"--shards", "2", "--replicas", "1", "--topo", "memory", "--data", "/x"}));
        assertEquals("missing --keep-data", e.getMessage());
    }
}
