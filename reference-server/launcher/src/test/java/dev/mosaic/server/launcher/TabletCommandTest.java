package dev.mosaic.server.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mosaic tablet}: help and config errors, in process (the running tablet is TabletCommandIT's). */
class TabletCommandTest {
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
        Result r = run("tablet", "--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("--config=FILE"), r.out());
        assertTrue(r.out().contains("clean shutdown"), r.out());
    }

    @Test
    void missingConfigOptionIsAUsageError() {
        Result r = run("tablet");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--config"), r.err());
    }

    @Test
    void badConfigListsEveryProblemAndExitsTwo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.yaml");
        Files.writeString(file, """
                tablet: {keyspace: ks, shard: "0", type: primary}
                mysqld: {mode: attached, start-timeout: soon}
                topo: {type: memory}
                query: {pool.query.size: zero}
                """);
        Result r = run("tablet", "--config", file.toString());
        assertEquals(2, r.code(), r.err());
        for (String key : new String[] {"tablet.alias:", "tablet.type:", "mysqld.start-timeout:", "query.pool.query.size:"}) {
            assertTrue(r.err().contains(key), key + " not in:\n" + r.err());
        }
    }

    @Test
    void unreadableConfigExitsTwo(@TempDir Path dir) {
        Result r = run("tablet", "--config", dir.resolve("missing.yaml").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("cannot read the tablet config file"), r.err());
    }
}
