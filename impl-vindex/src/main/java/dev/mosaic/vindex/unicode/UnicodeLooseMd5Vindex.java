package dev.mosaic.vindex.unicode;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.SpiVersion;
import dev.mosaic.spi.config.Config;
import dev.mosaic.spi.config.ConfigSpec;
import dev.mosaic.spi.vindex.Vindex;
import dev.mosaic.spi.vindex.VindexFactory;
import dev.mosaic.vindex.functional.BinaryMd5Vindex;
import dev.mosaic.vindex.functional.FunctionalVindex;

/**
 * Vitess's {@code unicode_loose_md5} vindex: the 16-byte MD5 of the value's primary collation key
 * ({@link LooseCollationKey}), so strings that differ only in case, accents, width or trailing
 * spaces map alike ({@code Test}, {@code TEST}, {@code Tést} and {@code Test } share a keyspace
 * id). Unique, cost 1, not reversible.
 *
 * <p>Every value's text form is hashed (NULL as the empty string); bytes that are not valid
 * UTF-8, and tuples, are rejected with {@code INVALID_ARGUMENT} by {@code map} and {@code verify}
 * alike, as in Vitess.
 */
public final class UnicodeLooseMd5Vindex extends FunctionalVindex {
    /** The type name. */
    public static final String TYPE = "unicode_loose_md5";

    /** A unicode_loose_md5 vindex named {@code name}. */
    public UnicodeLooseMd5Vindex(String name) {
        super(name, 1, Unmappable.ERROR);
    }

    @Override
    protected byte[] keyspaceIdBytes(Value value) {
        return BinaryMd5Vindex.md5(LooseCollationKey.key(columnBytes(value)));
    }

    static byte[] columnBytes(Value value) {
        if (value instanceof Value.Tuple) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "a tuple is not a column value: " + value.toSqlLiteral());
        }
        return value.toBytes();
    }

    /** Provider of {@code unicode_loose_md5}. */
    public static final class Factory implements VindexFactory {
        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String description() {
            return "MD5 of the primary collation weights (case-, accent-, width-insensitive, trailing spaces ignored); unique, cost 1";
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
            return new UnicodeLooseMd5Vindex(context.instanceName());
        }
    }
}
