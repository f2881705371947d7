package dev.mosaic.server.mysql.protocol.auth;

import java.util.Objects;

/**
 * A user the server accepts, holding what each plugin needs to check a proof and never the
 * password itself: SHA1(SHA1(password)) for {@code mysql_native_password} and
 * SHA256(SHA256(password)) for {@code caching_sha2_password} (the same stage-two hashes MySQL
 * keeps).
 *
 * @param user the user name
 * @param method the plugin the account authenticates with (a client starting with another one is
 *     switched to it)
 * @param emptyPassword true if the password is empty (then only an empty proof is accepted)
 * @param nativeHash SHA1(SHA1(password))
 * @param sha2Hash SHA256(SHA256(password))
 */
public record Account(String user, AuthMethod method, boolean emptyPassword, byte[] nativeHash, byte[] sha2Hash) {
    /** Rejects nulls and copies the hashes. */
    public Account {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(method, "method");
        nativeHash = nativeHash.clone();
        sha2Hash = sha2Hash.clone();
    }

    /** An account with a clear-text {@code password} (e.g. from config), hashed here. */
    public static Account withPassword(String user, String password, AuthMethod method) {
        byte[] pw = password.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new Account(user, method, pw.length == 0, Scrambles.nativeHash(pw), Scrambles.sha2Hash(pw));
    }

    @Override
    public byte[] nativeHash() {
        return nativeHash.clone();
    }

    @Override
    public byte[] sha2Hash() {
        return sha2Hash.clone();
    }

    byte[] nativeHashRef() {
        return nativeHash;
    }

    byte[] sha2HashRef() {
        return sha2Hash;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Account a && user.equals(a.user) && method == a.method && emptyPassword == a.emptyPassword
                && java.util.Arrays.equals(nativeHash, a.nativeHash) && java.util.Arrays.equals(sha2Hash, a.sha2Hash);
    }

    @Override
    public int hashCode() {
        return user.hashCode() * 31 + method.hashCode();
    }

    @Override
    public String toString() {
        return "Account[" + user + ", " + method.pluginName() + "]";
    }
}
