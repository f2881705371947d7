package dev.mosaic.server.mysql.protocol.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import javax.crypto.Cipher;

/**
 * The server's RSA key pair for {@code caching_sha2_password} full authentication over plain
 * TCP: the client asks for the public key (PEM), encrypts (password + NUL) XOR nonce with
 * RSA-OAEP (SHA-1, MGF1-SHA-1, as MySQL's clients do), and the server decrypts it here.
 * Thread-safe.
 */
public final class RsaKey {
    private final KeyPair pair;
    private final byte[] pem;

    private RsaKey(KeyPair pair) {
        this.pair = pair;
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pair.getPublic().getEncoded());
        this.pem = ("-----BEGIN PUBLIC KEY-----\n" + b64 + "\n-----END PUBLIC KEY-----\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** A fresh 2048-bit key pair (as MySQL generates at first start). */
    public static RsaKey generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return new RsaKey(g.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is a required JDK algorithm", e);
        }
    }

    /** An existing key pair (e.g. loaded from files named in config). */
    public static RsaKey of(KeyPair pair) {
        return new RsaKey(pair);
    }

    /** The public key in PEM (SubjectPublicKeyInfo), as sent to clients. */
    public byte[] publicKeyPem() {
        return pem.clone();
    }

    /** The size of a ciphertext in bytes (the modulus length). */
    public int ciphertextLength() {
        return (((RSAPublicKey) pair.getPublic()).getModulus().bitLength() + 7) / 8;
    }

    /** The public key, for clients in tests. */
    public java.security.PublicKey publicKey() {
        return pair.getPublic();
    }

    /** Decrypts an RSA-OAEP ciphertext; throws {@link GeneralSecurityException} if it is not one. */
    public byte[] decrypt(byte[] ciphertext) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
        c.init(Cipher.DECRYPT_MODE, pair.getPrivate());
        return c.doFinal(ciphertext);
    }
}
