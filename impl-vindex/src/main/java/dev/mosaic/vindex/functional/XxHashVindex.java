package dev.mosaic.vindex.functional;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.SpiVersion;
import dev.mosaic.spi.config.Config;
import dev.mosaic.spi.config.ConfigSpec;
import dev.mosaic.spi.vindex.Vindex;
import dev.mosaic.spi.vindex.VindexFactory;

/**
 * Vitess's {@code xxhash} vindex: XXH64 with seed 0 over the value's MySQL text bytes
 * ({@link Value#toBytes()}), the 64-bit digest written little-endian as the 8-byte keyspace id.
 * Unique, cost 1, not reversible. Every value maps, NULL as the empty string; only a tuple (not a
 * column value) is rejected with {@code INVALID_ARGUMENT}.
 */
public final class XxHashVindex extends FunctionalVindex {
    /** The type name. */
    public static final String TYPE = "xxhash";

    /** An xxhash vindex named {@code name}. */
    public XxHashVindex(String name) {
        super(name, 1, Unmappable.ERROR);
    }

    @Override
    protected byte[] keyspaceIdBytes(Value value) {
        return littleEndian(Xxh64.hash(columnBytes(value)));
    }

    /** XXH64 (seed 0) of {@code bytes}, little-endian: the keyspace id for those bytes. */
    public static byte[] xxh64LittleEndian(byte[] bytes) {
        return littleEndian(Xxh64.hash(bytes));
    }

    static byte[] littleEndian(long h) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) h;
            h >>>= 8;
        }
        return b;
    }

    /** The bytes hashing vindexes consume: the MySQL text form; a tuple is not a column value. */
    static byte[] columnBytes(Value value) {
        if (value instanceof Value.Tuple) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "a tuple is not a column value: " + value.toSqlLiteral());
        }
        return value.toBytes();
    }

    /** Provider of {@code xxhash}. */
    public static final class Factory implements VindexFactory {
        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String description() {
            return "XXH64 (seed 0, little-endian) of the value's text bytes; unique, cost 1";
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
            return new XxHashVindex(context.instanceName());
        }
    }
}
