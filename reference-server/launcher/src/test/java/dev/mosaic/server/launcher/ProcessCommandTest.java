package dev.mosaic.server.launcher;

import static dev.mosaic.server.launcher.MosaicCliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.server.launcher.MosaicCliTest.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code mosaic tablet} and {@code mosaic gate}: help and config errors, in process (the running
 * processes are TabletCommandIT's and GateCommandIT's).
 */
class ProcessCommandTest {

    @ParameterizedTest
    @ValueSource(strings = {"tablet", "gate"})
    void helpDescribesTheCommand(String command) {
        Result r = run(command, "--help");
        assertEquals(0, r.code(), r.err());
        for (String text : List.of("--config=FILE", "The " + command + "'s YAML config file.", "--version",
                "Exit codes:", "0   clean shutdown", "1   startup or shutdown failed", "2   bad config file or usage")) {
            assertTrue(r.out().contains(text), text + " not in:\n" + r.out());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tablet", "gate"})
    void missingConfigOptionIsAUsageError(String command) {
        Result r = run(command);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--config"), r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tablet", "gate"})
    void unreadableConfigExitsTwo(String command, @TempDir Path dir) {
        Result r = run(command, "--config", dir.resolve("missing.yaml").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("cannot read the " + command + " config file"), r.err());
    }

    @Test
    void badTabletConfigListsEveryProblemAndExitsTwo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.yaml");
        Files.writeString(file, """
                tablet: {keyspace: ks, shard: "0", type: primary}
                mysqld: {mode: attached, start-timeout: soon}
                topo: {type: memory}
                query: {pool.query.size: zero}
                """);
        Result r = run("tablet", "--config", file.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("error: invalid tablet config " + file + ":"), r.err());
        for (String key : new String[] {"tablet.alias:", "tablet.type:", "mysqld.start-timeout:", "query.pool.query.size:"}) {
            assertTrue(r.err().contains(key), key + " not in:\n" + r.err());
        }
    }

    @Test
    void badGateConfigListsEveryProblemWithItsReasonAndExitsTwo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gate.yaml");
        Files.writeString(file, """
                topo: {type: memory}
                mysql: {port: 99999, sever-version: 8}
                auth: {mode: static}
                querylog: {slow-threshold: soon}
                """);
        Result r = run("gate", "--config", file.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("error: invalid gate config " + file + ":"), r.err());
        for (String line : new String[] {"cell: required key is missing", "mysql.port: not a port",
                "mysql.sever-version: unknown key", "auth.users.<user>: auth.mode static needs at least one user",
                "querylog.slow-threshold: not a duration"}) {
            assertTrue(r.err().contains(line), line + " not in:\n" + r.err());
        }
    }
}
