package dev.mosaic.server.tablet;

import dev.mosaic.server.tablet.query.QueryConsolidator;
import dev.mosaic.server.tablet.query.TableAclChecker;
import dev.mosaic.server.tablet.tx.TxSerializer;
import java.util.Objects;

/**
 * The pluggable protections of query serving, each a small interface with a do-nothing default:
 * query consolidation, hot-row protection (transaction serializer) and table ACLs.
 *
 * @param consolidator shares identical in-flight reads
 * @param txSerializer serializes transactions writing the same row
 * @param acl allows or denies each statement
 */
public record TabletExtensions(QueryConsolidator consolidator, TxSerializer txSerializer, TableAclChecker acl) {
    /** No consolidation, no serialization, everything allowed. */
    public static final TabletExtensions NONE =
            new TabletExtensions(QueryConsolidator.NONE, TxSerializer.NONE, TableAclChecker.ALLOW_ALL);

    public TabletExtensions {
        Objects.requireNonNull(consolidator, "consolidator");
        Objects.requireNonNull(txSerializer, "txSerializer");
        Objects.requireNonNull(acl, "acl");
    }

    /**
     * No consolidation, and the table ACL checker and hot-row serializer that {@code config}
     * enables ({@link TabletProtections#fromConfig}); use {@link TabletProtections} directly to keep
     * a handle on the ACL guard and hot-row stats.
     */
    public static TabletExtensions fromConfig(dev.mosaic.server.tablet.config.TabletConfig config,
            io.micrometer.core.instrument.MeterRegistry registry) {
        return TabletProtections.fromConfig(config, registry).extensions();
    }

    /** These extensions with {@code c}. */
    public TabletExtensions withConsolidator(QueryConsolidator c) {
        return new TabletExtensions(c, txSerializer, acl);
    }

    /** These extensions with {@code s}. */
    public TabletExtensions withTxSerializer(TxSerializer s) {
        return new TabletExtensions(consolidator, s, acl);
    }

    /** These extensions with {@code a}. */
    public TabletExtensions withAcl(TableAclChecker a) {
        return new TabletExtensions(consolidator, txSerializer, a);
    }
}
