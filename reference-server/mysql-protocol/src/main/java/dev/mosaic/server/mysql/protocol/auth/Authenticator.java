package dev.mosaic.server.mysql.protocol.auth;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where the server's accounts come from. Called on a connection's event loop during the
 * handshake, so implementations answer from memory and never block; they must be thread-safe.
 */
public interface Authenticator {
    /** The plugin named in the greeting, which clients start with. */
    AuthMethod defaultMethod();

    /** The account named {@code user}; empty if there is none (the client is then denied). */
    Optional<Account> account(String user);

    /**
     * True if every client is let in whatever its user and password ({@code none} mode, for a
     * local cluster); {@link #account} is then not consulted.
     */
    default boolean acceptsAnyone() {
        return false;
    }

    /** The {@code none} mode: anyone, any password, announcing {@code announced} in the greeting. */
    static Authenticator none(AuthMethod announced) {
        return new Authenticator() {
            @Override
            public AuthMethod defaultMethod() {
                return announced;
            }

            @Override
            public Optional<Account> account(String user) {
                return Optional.empty();
            }

            @Override
            public boolean acceptsAnyone() {
                return true;
            }
        };
    }

    /** A fixed set of accounts (e.g. from the config file). */
    static Authenticator of(AuthMethod defaultMethod, Collection<Account> accounts) {
        Map<String, Account> byUser = new LinkedHashMap<>();
        for (Account a : accounts) {
            if (byUser.putIfAbsent(a.user(), a) != null) {
                throw new IllegalArgumentException("duplicate user " + a.user());
            }
        }
        Map<String, Account> frozen = Map.copyOf(byUser);
        return new Authenticator() {
            @Override
            public AuthMethod defaultMethod() {
                return defaultMethod;
            }

            @Override
            public Optional<Account> account(String user) {
                return Optional.ofNullable(frozen.get(user));
            }
        };
    }
}
