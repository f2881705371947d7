package dev.mosaic.vindex.functional;

import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.SpiVersion;
import dev.mosaic.spi.config.Config;
import dev.mosaic.spi.config.ConfigSpec;
import dev.mosaic.spi.vindex.Vindex;
import dev.mosaic.spi.vindex.VindexFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Vitess's {@code binary_md5} vindex: the 16-byte MD5 of the value's MySQL text bytes. Unique,
 * cost 1, not reversible. Every value maps (NULL as the empty string, giving
 * {@code d41d8cd98f00b204e9800998ecf8427e}); a tuple is rejected with {@code INVALID_ARGUMENT}.
 */
public final class BinaryMd5Vindex extends FunctionalVindex {
    /** The type name. */
    public static final String TYPE = "binary_md5";

    private static final MessageDigest PROTOTYPE;
    private static final ThreadLocal<MessageDigest> MD5;

    static {
        try {
            PROTOTYPE = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new ExceptionInInitializerError(e);
        }
        MD5 = ThreadLocal.withInitial(BinaryMd5Vindex::newMd5);
    }

    /** A binary_md5 vindex named {@code name}. */
    public BinaryMd5Vindex(String name) {
        super(name, 1, Unmappable.ERROR);
    }

    @Override
    protected byte[] keyspaceIdBytes(Value value) {
        return md5(XxHashVindex.columnBytes(value));
    }

    /** The MD5 of {@code bytes}, using a per-thread digest. */
    public static byte[] md5(byte[] bytes) {
        return MD5.get().digest(bytes);
    }

    /** The MD5 of {@code bytes[0..len)}, using a per-thread digest. */
    public static byte[] md5(byte[] bytes, int len) {
        MessageDigest d = MD5.get();
        d.update(bytes, 0, len);
        return d.digest();
    }

    private static MessageDigest newMd5() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            try {
                return MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e2) {
                throw new IllegalStateException(e2);
            }
        }
    }

    /** Provider of {@code binary_md5}. */
    public static final class Factory implements VindexFactory {
        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String description() {
            return "MD5 of the value's bytes; unique, cost 1";
        }

        @Override
        public String spiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        public ConfigSpec configSpec() {
            return ConfigSpec.EMPTY;
        }

        @Override
        public Vindex create(Config config, PluginContext context) {
            return new BinaryMd5Vindex(context.instanceName());
        }
    }
}
