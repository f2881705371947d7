package dev.mosaic.server.mysql.protocol.testing;

import dev.mosaic.server.mysql.protocol.MysqlServer;
import dev.mosaic.server.mysql.protocol.MysqlServerConfig;
import dev.mosaic.server.mysql.protocol.auth.Account;
import dev.mosaic.server.mysql.protocol.auth.AuthMethod;
import dev.mosaic.server.mysql.protocol.auth.Authentication;
import dev.mosaic.server.mysql.protocol.auth.Authenticator;
import dev.mosaic.server.mysql.protocol.auth.RsaKey;
import java.io.File;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real server on a free loopback port running {@link FixtureHandler}, with three accounts:
 * {@code root} (mysql_native_password, empty password), {@code native} / {@code nativepw}
 * (mysql_native_password) and {@code sha2} / {@code sha2pw} (caching_sha2_password, announced).
 */
public final class TestServer implements AutoCloseable {
    public final FixtureHandler handler = new FixtureHandler();
    public final MysqlServer server;

    public TestServer() throws InterruptedException {
        this(MysqlServerConfig.local(0));
    }

    public TestServer(MysqlServerConfig config) throws InterruptedException {
        Authenticator accounts = Authenticator.of(AuthMethod.CACHING_SHA2_PASSWORD, List.of(
                Account.withPassword("root", "", AuthMethod.MYSQL_NATIVE_PASSWORD),
                Account.withPassword("native", "nativepw", AuthMethod.MYSQL_NATIVE_PASSWORD),
                Account.withPassword("sha2", "sha2pw", AuthMethod.CACHING_SHA2_PASSWORD)));
        server = new MysqlServer(config, new Authentication(accounts, RsaKey.generate()), handler).start();
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }

    /**
     * The path of a client binary; skips the test if it is missing, except under {@code CI=true},
     * where a missing binary fails it.
     */
    public static String requireBinary(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, name);
            if (f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        String why = "'" + name + "' not found on PATH (apt-get install -y mariadb-client)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail("CI=true and " + why);
        }
        Assumptions.abort(why);
        return null;
    }
}
