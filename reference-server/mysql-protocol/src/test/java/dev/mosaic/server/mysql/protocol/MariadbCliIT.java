package dev.mosaic.server.mysql.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.server.mysql.protocol.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The {@code mariadb} command-line client (libmariadb) against a server built on the codec. */
class MariadbCliIT {
    private static TestServer server;
    private static String mariadb;

    @BeforeAll
    static void start() throws InterruptedException {
        mariadb = TestServer.requireBinary("mariadb");
        server = new TestServer();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String user, String password, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(mariadb, "--no-defaults", "-h127.0.0.1", "-P" + server.port(), "-u" + user,
                "--batch", "--connect-timeout=10"));
        if (password != null) {
            cmd.add("-p" + password);
        }
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("mariadb did not finish: " + cmd);
        }
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void queriesReturnTheFixtureRows() throws Exception {
        Run r = run("root", null, "-e", "select * from t");
        assertEquals(0, r.exit(), r.err());
        assertEquals("id\tname\n1\talice\n2\tbob\n3\tNULL\n", r.out());
    }

    @Test
    void severalStatementsErrorsAndUse() throws Exception {
        Run r = run("native", "nativepw", "-e", "select 1; insert into t values (1); use db2; select database()");
        assertEquals(0, r.exit(), r.err());
        assertEquals("1\n1\ndatabase()\ndb2\n", r.out());
        assertTrue(server.handler.events.contains("initDb db2"), server.handler.events.toString());

        Run fail = run("root", null, "-e", "fail");
        assertEquals(1, fail.exit());
        assertTrue(fail.err().contains("ERROR 1146 (42S02)") && fail.err().contains("Table 'test.fail' doesn't exist"), fail.err());
    }

    @Test
    void typedValuesInTheTextProtocol() throws Exception {
        Run r = run("root", null, "-N", "-e", "select typed");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("-7\t-300\t123456\t-9000000000\t18446744073709551615\t1.5\t2.25\t12345.6789\t2024-02-29\t"
                + "2024-02-29 13:14:15.123456\t-838:59:59\théllo\t"), r.out());
        assertTrue(r.out().endsWith("\tNULL\t2024\n"), r.out());
    }

    @Test
    void aDatabaseOnTheCommandLineAndAnUnknownOne() throws Exception {
        Run r = run("root", null, "-D", "db3", "-e", "select database()");
        assertEquals(0, r.exit(), r.err());
        assertEquals("database()\ndb3\n", r.out());
        Run bad = run("root", null, "-D", "nosuchdb", "-e", "select 1");
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("ERROR 1049 (42000): Unknown database 'nosuchdb'"), bad.err());
    }

    @Test
    void cachingSha2FullThenFastAuthentication() throws Exception {
        // The first login is a full authentication (libmariadb asks for the RSA public key), the
        // second a fast one from the server's cache.
        for (int i = 0; i < 2; i++) {
            Run r = run("sha2", "sha2pw", "-N", "-e", "select 1");
            assertEquals(0, r.exit(), r.err());
            assertEquals("1\n", r.out());
        }
        Run bad = run("sha2", "nope", "-e", "select 1");
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("ERROR 1045 (28000)"), bad.err());
    }

    @Test
    void wrongPasswordIsAccessDenied() throws Exception {
        Run r = run("native", "wrong", "-e", "select 1");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("ERROR 1045 (28000): Access denied for user 'native'@'127.0.0.1' (using password: YES)"), r.err());
    }
}
