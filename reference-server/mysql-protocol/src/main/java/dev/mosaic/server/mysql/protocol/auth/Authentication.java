package dev.mosaic.server.mysql.protocol.auth;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-wide authentication state, shared by all connections: the {@link Authenticator}, the RSA
 * key for full {@code caching_sha2_password} authentication, and the cache that makes fast
 * authentication possible. As in MySQL, an account enters the cache after one successful full
 * authentication (or a successful {@code mysql_native_password}-free SHA-256 check), and fast
 * authentication is only tried for cached accounts; the cache entry is tied to the account's hash,
 * so a changed password is not served from it. Thread-safe.
 */
public final class Authentication {
    private final Authenticator authenticator;
    private final RsaKey rsaKey;
    private final boolean clearTextOnLoopback;
    private final ConcurrentHashMap<String, byte[]> sha2Cache = new ConcurrentHashMap<>();

    /**
     * Authentication against {@code authenticator}, with {@code rsaKey} for full SHA-256
     * authentication; clear-text passwords are accepted from loopback addresses only.
     */
    public Authentication(Authenticator authenticator, RsaKey rsaKey) {
        this(authenticator, rsaKey, true);
    }

    /**
     * @param clearTextOnLoopback whether full {@code caching_sha2_password} authentication takes a
     *     clear-text password from a loopback client (as MySQL takes one over a Unix socket); from
     *     any other address only the RSA-encrypted form is accepted
     */
    public Authentication(Authenticator authenticator, RsaKey rsaKey, boolean clearTextOnLoopback) {
        this.authenticator = authenticator;
        this.rsaKey = rsaKey;
        this.clearTextOnLoopback = clearTextOnLoopback;
    }

    boolean clearTextOnLoopback() {
        return clearTextOnLoopback;
    }

    /** The source of accounts. */
    public Authenticator authenticator() {
        return authenticator;
    }

    /** The RSA key. */
    public RsaKey rsaKey() {
        return rsaKey;
    }

    boolean cached(Account account) {
        byte[] h = sha2Cache.get(account.user());
        return h != null && Arrays.equals(h, account.sha2HashRef());
    }

    void cache(Account account) {
        sha2Cache.put(account.user(), account.sha2HashRef());
    }

    /** Forgets every cached account (MySQL's FLUSH PRIVILEGES does the same). */
    public void clearCache() {
        sha2Cache.clear();
    }
}
