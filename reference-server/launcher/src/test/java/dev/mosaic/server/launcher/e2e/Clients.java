package dev.mosaic.server.launcher.e2e;

import static dev.mosaic.server.gate.testing.ShardedTestCluster.requireBinary;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real MySQL clients an application or operator points at the gate: the mariadb CLI and Connector/J. */
final class Clients {
    private Clients() {
    }

    /** What the {@code mariadb} CLI printed (stdout and stderr together) and its exit code. */
    record CliResult(int exit, String output) {
    }

    /**
     * Runs {@code mariadb --batch} against {@code port} with {@code script} on stdin, as
     * {@code mysql < insert_commerce_data.sql} in Vitess's walkthrough.
     */
    static CliResult mariadb(int port, String database, String script) {
        List<String> cmd = new ArrayList<>(List.of(requireBinary("mariadb"), "--batch", "--skip-ssl",
                "-h127.0.0.1", "-P" + port, "-uoperator"));
        if (database != null) {
            cmd.add(database);
        }
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            try (var in = p.getOutputStream()) {
                in.write(script.getBytes(StandardCharsets.UTF_8));
            }
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("mariadb still running after 60 s: " + script);
            }
            return new CliResult(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running mariadb", e);
        }
    }

    /** A Connector/J connection to the gate, default database {@code database}. */
    static Connection gate(int port, String database) throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/" + database
                + "?user=app&password=&useSSL=false&allowPublicKeyRetrieval=true&connectTimeout=10000&socketTimeout=60000");
    }

    /** A Connector/J connection straight to a managed mysqld (root over TCP, as the tablet itself connects). */
    static Connection mysqld(int port) throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port
                + "/?user=root&password=&useSSL=false&allowPublicKeyRetrieval=true&connectTimeout=10000&socketTimeout=60000");
    }

    /** Every row of {@code sql}, each as its columns' text joined by tabs. */
    static List<String> rows(Statement st, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    if (i > 1) {
                        row.append('\t');
                    }
                    row.append(rs.getString(i));
                }
                out.add(row.toString());
            }
        }
        return out;
    }
}
