package dev.mosaic.server.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocalStateTest {
    @Test
    void writesAndReadsBack(@TempDir Path dir) {
        LocalState s = new LocalState(4242, new LocalOptions(2, 1, TopoKind.ZK, dir, false), "starting", Map.of())
                .withChild("zk", 77).withChild("mysqld zone1-0000000100", 78).withPhase("ready");
        s.write();
        assertTrue(Files.isRegularFile(dir.resolve("local.json")));
        assertEquals(s, LocalState.read(dir).orElseThrow());
        assertTrue(LocalState.read(dir.resolve("nothing-here")).isEmpty());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{}                                                      | missing \"children\"",
        "[1]                                                     | expected an object, got array",
        "{\"children\": {\"x\": \"1\"}}                          | children.x: expected an integer",
        "{\"children\": {}, \"shards\": 2, \"replicas\": 1, \"topo\": \"memory\", \"data_dir\": \"/d\", \"keep_data\": true, \"supervisor_pid\": 1.5, \"phase\": \"ready\"} | supervisor_pid: expected an integer",
        "{nope                                                   | is not valid JSON",
    })
    void malformedFilesAreNamed(String json, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LocalState.fromJson(json, "f.json"));
        assertTrue(e.getMessage().startsWith("f.json"), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
