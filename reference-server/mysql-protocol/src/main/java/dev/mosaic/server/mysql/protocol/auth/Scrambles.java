package dev.mosaic.server.mysql.protocol.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * The challenge/response arithmetic of both plugins, server side (verify) and client side
 * (compute, for tests and tools):
 * <ul>
 * <li>{@code mysql_native_password}: proof = SHA1(pw) XOR SHA1(nonce + SHA1(SHA1(pw)));
 * <li>{@code caching_sha2_password}: proof = SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) + nonce).
 * </ul>
 * The server knows only the stage-two hash; it recovers the stage-one hash from the proof and
 * checks that hashing it gives the stored value.
 */
public final class Scrambles {
    private Scrambles() {
    }

    /** Length of the nonce (auth-plugin-data) the server sends. */
    public static final int NONCE_LENGTH = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * 20 random bytes for a greeting. Bytes are 1..127 and never '$': the nonce is sent
     * NUL-terminated and some clients treat it as a C string.
     */
    public static byte[] newNonce() {
        byte[] b = new byte[NONCE_LENGTH];
        for (int i = 0; i < b.length; i++) {
            int v;
            do {
                v = 1 + RANDOM.nextInt(127);
            } while (v == '$');
            b[i] = (byte) v;
        }
        return b;
    }

    /** SHA1(SHA1(password)). */
    public static byte[] nativeHash(byte[] password) {
        return sha1(sha1(password));
    }

    /** SHA256(SHA256(password)). */
    public static byte[] sha2Hash(byte[] password) {
        return sha256(sha256(password));
    }

    /** The client's {@code mysql_native_password} proof; empty for an empty password. */
    public static byte[] nativeProof(byte[] password, byte[] nonce) {
        if (password.length == 0) {
            return new byte[0];
        }
        byte[] stage1 = sha1(password);
        return xor(stage1, sha1(nonce, sha1(stage1)));
    }

    /** The client's {@code caching_sha2_password} fast-auth proof; empty for an empty password. */
    public static byte[] sha2Proof(byte[] password, byte[] nonce) {
        if (password.length == 0) {
            return new byte[0];
        }
        byte[] stage1 = sha256(password);
        return xor(stage1, sha256(sha256(stage1), nonce));
    }

    /** Checks a {@code mysql_native_password} proof against SHA1(SHA1(password)). */
    public static boolean verifyNative(byte[] nativeHash, byte[] nonce, byte[] proof) {
        if (proof.length != 20) {
            return false;
        }
        byte[] stage1 = xor(proof, sha1(nonce, nativeHash));
        return MessageDigest.isEqual(sha1(stage1), nativeHash);
    }

    /** Checks a {@code caching_sha2_password} fast-auth proof against SHA256(SHA256(password)). */
    public static boolean verifySha2(byte[] sha2Hash, byte[] nonce, byte[] proof) {
        if (proof.length != 32) {
            return false;
        }
        byte[] stage1 = xor(proof, sha256(sha2Hash, nonce));
        return MessageDigest.isEqual(sha256(stage1), sha2Hash);
    }

    /** {@code a XOR b}, {@code b} repeated as needed (the RSA password mask uses this). */
    public static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i % b.length]);
        }
        return out;
    }

    static byte[] sha1(byte[]... parts) {
        return digest("SHA-1", parts);
    }

    static byte[] sha256(byte[]... parts) {
        return digest("SHA-256", parts);
    }

    private static byte[] digest(String alg, byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance(alg);
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(alg + " is a required JDK algorithm", e);
        }
    }
}
