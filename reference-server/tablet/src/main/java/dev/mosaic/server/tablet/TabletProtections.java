package dev.mosaic.server.tablet;

import dev.mosaic.server.tablet.acl.TableAclGuard;
import dev.mosaic.server.tablet.acl.TableAclSettings;
import dev.mosaic.server.tablet.config.TabletConfig;
import dev.mosaic.server.tablet.hotrow.HotRowConfig;
import dev.mosaic.server.tablet.hotrow.HotRowProtection;
import dev.mosaic.server.tablet.plan.PlanCache;
import dev.mosaic.server.tablet.plan.StatementAnalyzer;
import dev.mosaic.server.tablet.protection.PlanTableAclChecker;
import dev.mosaic.server.tablet.protection.PlanTxSerializer;
import dev.mosaic.server.tablet.query.TableAclChecker;
import dev.mosaic.server.tablet.tx.TxSerializer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Table ACLs and hot-row protection as the configuration asks for them ({@code acl.*},
 * {@code hotrow.*}, {@code query.plan-cache-size}), sharing one {@link PlanCache}.
 *
 * <ul>
 *   <li>Table ACL: with {@code acl.file} set the file is loaded (a bad file stops startup with
 *       {@code acl.enforce-config}, else the tablet starts with an empty ACL and the error is kept
 *       in {@link TableAclGuard#lastReloadError()}). It is enforced only with {@code acl.strict}
 *       (denials) or {@code acl.dry-run} (would-be denials counted); otherwise it is loaded but not
 *       consulted, as in Vitess.
 *   <li>Hot-row protection: with {@code hotrow.enabled}, transactions updating the same row queue
 *       (see {@link PlanTxSerializer}); the wait is bounded by {@code query.timeout}.
 * </ul>
 *
 * <p>Metrics: {@code mosaic.tablet.hotrow.queued} and {@code mosaic.tablet.hotrow.rows} (gauges)
 * when hot-row protection is on, and the plan cache's when either protection is.
 */
public final class TabletProtections {
    private final Optional<PlanCache> plans;
    private final Optional<TableAclGuard> aclGuard;
    private final Optional<HotRowProtection> hotRow;
    private final TableAclChecker acl;
    private final TxSerializer txSerializer;

    private TabletProtections(Optional<PlanCache> plans, Optional<TableAclGuard> aclGuard,
            Optional<HotRowProtection> hotRow, TableAclChecker acl, TxSerializer txSerializer) {
        this.plans = plans;
        this.aclGuard = aclGuard;
        this.hotRow = hotRow;
        this.acl = acl;
        this.txSerializer = txSerializer;
    }

    /**
     * Builds the protections {@code config} enables.
     *
     * @throws dev.mosaic.api.error.MosaicException INVALID_ARGUMENT if {@code acl.enforce-config} is
     *     set and the ACL file cannot be read or is invalid (the message names the file and each problem)
     */
    public static TabletProtections fromConfig(TabletConfig config, MeterRegistry registry) {
        Objects.requireNonNull(config, "config");
        TabletConfig.TableAclOptions aclOptions = config.tableAcl();
        TabletConfig.HotRowOptions hotOptions = config.hotRow();
        boolean aclEnforced = aclOptions.configured() && (aclOptions.strict() || aclOptions.dryRun());
        Optional<PlanCache> plans = aclEnforced || hotOptions.enabled()
                ? Optional.of(new PlanCache(new StatementAnalyzer(), config.planCacheSize(), registry))
                : Optional.empty();

        Optional<TableAclGuard> guard = Optional.empty();
        TableAclChecker acl = TableAclChecker.ALLOW_ALL;
        if (aclOptions.configured()) {
            TableAclSettings settings = new TableAclSettings(TableAclSettings.UnlistedTables.DENY, aclOptions.dryRun(),
                    aclOptions.exemptUsers());
            Path file = Path.of(aclOptions.file());
            TableAclGuard g = aclOptions.enforceConfig() ? TableAclGuard.fromFile(file, settings)
                    : TableAclGuard.fromFileOrEmpty(file, settings);
            guard = Optional.of(g);
            if (aclEnforced) {
                acl = new PlanTableAclChecker(g, plans.orElseThrow());
            }
        }

        Optional<HotRowProtection> hot = Optional.empty();
        TxSerializer serializer = TxSerializer.NONE;
        if (hotOptions.enabled()) {
            HotRowProtection p = new HotRowProtection(new HotRowConfig(hotOptions.dryRun(), hotOptions.maxQueueSize(),
                    hotOptions.maxGlobalQueueSize(), hotOptions.concurrentTransactions()));
            hot = Optional.of(p);
            serializer = new PlanTxSerializer(p, plans.orElseThrow(),
                    config.queryTimeout().isZero() ? null : config.queryTimeout());
            Gauge.builder("mosaic.tablet.hotrow.queued", p, h -> h.stats().queued())
                    .description("transactions admitted by hot-row protection, running or waiting").register(registry);
            Gauge.builder("mosaic.tablet.hotrow.rows", p, h -> h.stats().rows())
                    .description("rows with at least one transaction admitted").register(registry);
        }
        return new TabletProtections(plans, guard, hot, acl, serializer);
    }

    /** {@code base} with this object's ACL checker and transaction serializer. */
    public TabletExtensions applyTo(TabletExtensions base) {
        return base.withAcl(acl).withTxSerializer(txSerializer);
    }

    /** The extensions for {@link TabletQueryServer#open}: no consolidation, these protections. */
    public TabletExtensions extensions() {
        return applyTo(TabletExtensions.NONE);
    }

    /** The plan cache, if a protection uses one. */
    public Optional<PlanCache> plans() {
        return plans;
    }

    /** The table ACL guard, if {@code acl.file} is set (enforced or not). */
    public Optional<TableAclGuard> aclGuard() {
        return aclGuard;
    }

    /** Hot-row protection, if enabled. */
    public Optional<HotRowProtection> hotRow() {
        return hotRow;
    }
}
