package dev.mosaic.spi.vindex;

import java.util.List;

/**
 * A vindex that needs to know its owner table (owned lookup vindexes, which verify against and
 * are maintained with the owner's rows). Called once, while the vschema is built, before use.
 */
public interface OwnerAware {
    /**
     * Tells the vindex which table owns it and which of that table's columns it indexes.
     *
     * @throws dev.mosaic.api.error.MosaicException {@code INVALID_ARGUMENT} if the columns do not
     *         fit the vindex (e.g. wrong number of columns)
     */
    void setOwnerInfo(String keyspace, String table, List<String> columns);
}
