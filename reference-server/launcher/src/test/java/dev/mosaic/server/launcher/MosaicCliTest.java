package dev.mosaic.server.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class MosaicCliTest {
    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = MosaicCli.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void keyrangeSplitPrintsVitessShardNames() {
        assertEquals(new Result(0, "-55\n55-aa\naa-\n", ""), run("keyrange", "split", "3"));
        assertEquals(new Result(0, "-40\n40-80\n80-c0\nc0-\n", ""), run("keyrange", "split", "4"));
        Result forty = run("keyrange", "split", "40");
        List<String> lines = forty.out().lines().toList();
        assertEquals(40, lines.size());
        assertEquals(List.of("-06", "06-0c", "0c-13"), lines.subList(0, 3));
        assertEquals("f9-", lines.get(39));
    }

    @Test
    void keyrangeSplitRejectsBadCounts() {
        Result r = run("keyrange", "split", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("N must be between 1 and 65536"), r.err());
        assertEquals(2, run("keyrange", "split", "many").code());
    }

    @Test
    void versionAndPlugins() {
        Result v = run("version");
        assertEquals(0, v.code());
        assertTrue(v.out().startsWith("mosaic "), v.out());
        assertTrue(v.out().contains("plugin SPI 1.0"), v.out());
        Result p = run("plugins");
        assertEquals(0, p.code(), p.err());
        assertTrue(p.out().contains("vindex ("), p.out());
        assertTrue(p.out().contains("topo ("), p.out());
        Result bad = run("plugins", "--spi", "nope");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("unknown SPI 'nope'"), bad.err());
    }

    @Test
    void missingSubcommandIsAUsageError() {
        assertEquals(2, run().code());
        assertEquals(2, run("frobnicate").code());
    }
}
