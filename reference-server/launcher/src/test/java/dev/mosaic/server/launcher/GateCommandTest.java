package dev.mosaic.server.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mosaic gate}: help and config errors, in process (the running gate is GateCommandIT's). */
class GateCommandTest {
    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = MosaicCli.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void helpDescribesTheCommand() {
        Result r = run("gate", "--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("--config=FILE"), r.out());
        assertTrue(r.out().contains("clean shutdown"), r.out());
    }

    @Test
    void missingConfigOptionIsAUsageError() {
        Result r = run("gate");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--config"), r.err());
    }

    @Test
    void badConfigListsEveryProblemWithItsReasonAndExitsTwo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gate.yaml");
        Files.writeString(file, """
                topo: {type: memory}
                mysql: {port: 99999, sever-version: 8}
                auth: {mode: static}
                querylog: {slow-threshold: soon}
                """);
        Result r = run("gate", "--config", file.toString());
        assertEquals(2, r.code(), r.err());
        for (String line : new String[] {"cell: required key is missing", "mysql.port: not a port",
                "mysql.sever-version: unknown key", "auth.users.<user>: auth.mode static needs at least one user",
                "querylog.slow-threshold: not a duration"}) {
            assertTrue(r.err().contains(line), line + " not in:\n" + r.err());
        }
    }

    @Test
    void unreadableConfigExitsTwo(@TempDir Path dir) {
        Result r = run("gate", "--config", dir.resolve("missing.yaml").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("cannot read the gate config file"), r.err());
    }
}
