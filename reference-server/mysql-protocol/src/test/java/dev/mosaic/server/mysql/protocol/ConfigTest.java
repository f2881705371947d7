package dev.mosaic.server.mysql.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.server.mysql.protocol.auth.Account;
import dev.mosaic.server.mysql.protocol.auth.AuthMethod;
import dev.mosaic.server.mysql.protocol.auth.Authenticator;
import dev.mosaic.server.mysql.protocol.auth.HandshakeConfig;
import dev.mosaic.server.mysql.protocol.codec.Capabilities;
import dev.mosaic.server.mysql.protocol.command.CommandConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Settings are validated when built, so a server never starts with an impossible configuration. */
class ConfigTest {
    @Test
    void onlyImplementedCapabilitiesMayBeAdvertised() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new HandshakeConfig("8.0.31", 45,
                Capabilities.SERVER_DEFAULT | Capabilities.SSL, Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("0x800"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new HandshakeConfig("8.0.31", 45,
                Capabilities.SERVER_DEFAULT & ~Capabilities.PLUGIN_AUTH, Duration.ofSeconds(1)));
        assertEquals("5.7.0-x", HandshakeConfig.DEFAULT.withServerVersion("5.7.0-x").serverVersion());
    }

    @Test
    void limitsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new CommandConfig(100, 1024, Duration.ofSeconds(1), 1));
        assertThrows(IllegalArgumentException.class, () -> new CommandConfig(1 << 20, 1024, Duration.ofSeconds(1), 0));
        assertThrows(IllegalArgumentException.class, () -> MysqlServerConfig.local(0).withMaxConnections(0));
        assertThrows(IllegalArgumentException.class, () -> new MysqlServerConfig("127.0.0.1", 70000, HandshakeConfig.DEFAULT,
                CommandConfig.DEFAULT, 1, 1, 1, 1));
    }

    @Test
    void accountsAreUniqueByUser() {
        assertThrows(IllegalArgumentException.class, () -> Authenticator.of(AuthMethod.MYSQL_NATIVE_PASSWORD, List.of(
                Account.withPassword("u", "a", AuthMethod.MYSQL_NATIVE_PASSWORD),
                Account.withPassword("u", "b", AuthMethod.CACHING_SHA2_PASSWORD))));
    }
}
