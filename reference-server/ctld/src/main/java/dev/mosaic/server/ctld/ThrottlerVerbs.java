package dev.mosaic.server.ctld;

import static dev.mosaic.server.ctld.CtldErrors.invalid;

import com.google.protobuf.Timestamp;
import dev.mosaic.proto.topo.Keyspace;
import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.proto.topo.ThrottledAppRule;
import dev.mosaic.proto.topo.ThrottlerConfig;
import dev.mosaic.proto.vtctldata.CheckThrottlerRequest;
import dev.mosaic.proto.vtctldata.CheckThrottlerResponse;
import dev.mosaic.proto.vtctldata.GetThrottlerStatusRequest;
import dev.mosaic.proto.vtctldata.GetThrottlerStatusResponse;
import dev.mosaic.proto.vtctldata.UpdateThrottlerConfigRequest;
import dev.mosaic.proto.vtctldata.UpdateThrottlerConfigResponse;
import dev.mosaic.server.topo.ActionLock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The throttler verbs: {@code UpdateThrottlerConfig} edits the keyspace record's throttler
 * configuration under the keyspace lock (tablets pick it up by polling); {@code CheckThrottler} and
 * {@code GetThrottlerStatus} ask one tablet's tablet manager.
 */
final class ThrottlerVerbs {
    /** How long a throttle rule lasts when the request gives no expiry (Vitess's default app throttle duration). */
    static final Duration DEFAULT_APP_DURATION = Duration.ofHours(1);

    private final TopologyReads reads;
    private final TabletManagerClients tablets;
    private final Clock clock;

    ThrottlerVerbs(TopologyReads reads, TabletManagerClients tablets, Clock clock) {
        this.reads = reads;
        this.tablets = tablets;
        this.clock = clock;
    }

    UpdateThrottlerConfigResponse update(UpdateThrottlerConfigRequest req) {
        reads.keyspace(req.getKeyspace()); // NOT_FOUND before taking a lock
        if (req.getEnable() && req.getDisable()) {
            throw invalid("--enable and --disable are mutually exclusive");
        }
        if (req.getCheckAsCheckSelf() && req.getCheckAsCheckShard()) {
            throw invalid("--check-as-check-self and --check-as-check-shard are mutually exclusive");
        }
        if (req.getThreshold() < 0 || Double.isNaN(req.getThreshold()) || Double.isInfinite(req.getThreshold())) {
            throw invalid("threshold must be a finite number >= 0, got " + req.getThreshold());
        }
        if (req.hasThrottledApp()) {
            ThrottledAppRule r = req.getThrottledApp();
            if (r.getName().isBlank()) {
                throw invalid("a throttled app needs a name");
            }
            if (r.getRatio() < 0 || r.getRatio() > 1 || Double.isNaN(r.getRatio())) {
                throw invalid("throttle app ratio must be between 0 and 1, got " + r.getRatio());
            }
        }
        if (!req.getAppCheckedMetricsList().isEmpty() && req.getAppName().isBlank()) {
            throw invalid("--app-metrics needs --app-name");
        }
        Instant now = clock.instant();
        try (ActionLock lock = reads.topo().lockKeyspace(req.getKeyspace(), "UpdateThrottlerConfig")) {
            lock.updateKeyspace(k -> apply(k, req, now));
        }
        return UpdateThrottlerConfigResponse.getDefaultInstance();
    }

    static Keyspace apply(Keyspace k, UpdateThrottlerConfigRequest req, Instant now) {
        ThrottlerConfig.Builder c = k.getThrottlerConfig().toBuilder();
        if (req.getEnable()) {
            c.setEnabled(true);
        }
        if (req.getDisable()) {
            c.setEnabled(false);
        }
        if (req.getThreshold() > 0) {
            if (req.getMetricName().isEmpty()) {
                c.setThreshold(req.getThreshold());
            } else {
                c.putMetricThresholds(req.getMetricName(), req.getThreshold());
            }
        } else if (!req.getMetricName().isEmpty() && req.getThreshold() == 0 && !req.hasThrottledApp()) {
            c.removeMetricThresholds(req.getMetricName()); // --metric-name with --threshold 0: back to the default
        }
        if (req.getCustomQuerySet() || !req.getCustomQuery().isEmpty()) {
            c.setCustomQuery(req.getCustomQuery());
        }
        if (req.getCheckAsCheckSelf()) {
            c.setCheckAsCheckSelf(true);
        }
        if (req.getCheckAsCheckShard()) {
            c.setCheckAsCheckSelf(false);
        }
        if (req.hasThrottledApp()) {
            ThrottledAppRule r = req.getThrottledApp();
            ThrottledAppRule.Builder rule = r.toBuilder();
            if (!r.hasExpiresAt()) {
                rule.setExpiresAt(timestamp(now.plus(DEFAULT_APP_DURATION)));
            }
            if (instant(rule.getExpiresAt()).isAfter(now)) {
                c.putThrottledApps(r.getName(), rule.build());
            } else {
                c.removeThrottledApps(r.getName()); // an expired rule is how --unthrottle-app is sent
            }
        }
        if (!req.getAppName().isBlank()) {
            if (req.getAppCheckedMetricsList().isEmpty()) {
                c.removeAppCheckedMetrics(req.getAppName());
            } else {
                c.putAppCheckedMetrics(req.getAppName(), ThrottlerConfig.MetricNames.newBuilder()
                        .addAllNames(req.getAppCheckedMetricsList()).build());
            }
        }
        List<String> expired = new ArrayList<>();
        c.getThrottledAppsMap().forEach((name, rule) -> {
            if (!instant(rule.getExpiresAt()).isAfter(now)) {
                expired.add(name);
            }
        });
        expired.forEach(c::removeThrottledApps);
        return k.toBuilder().setThrottlerConfig(c).build();
    }

    CheckThrottlerResponse check(CheckThrottlerRequest req) {
        Tablet tablet = reads.tablet(req.getTabletAlias());
        var tmReq = dev.mosaic.proto.tabletmanager.CheckThrottlerRequest.newBuilder()
                .setAppName(req.getAppName())
                .setScope(req.getScope())
                .setSkipRequestHeartbeats(req.getSkipRequestHeartbeats())
                .setOkIfNotExists(req.getOkIfNotExists())
                .setMultiMetricsEnabled(true)
                .build();
        var check = tablets.call(tablet, "CheckThrottler", s -> s.checkThrottler(tmReq));
        return CheckThrottlerResponse.newBuilder().setTabletAlias(tablet.getAlias()).setCheck(check).build();
    }

    GetThrottlerStatusResponse status(GetThrottlerStatusRequest req) {
        Tablet tablet = reads.tablet(req.getTabletAlias());
        var status = tablets.call(tablet, "GetThrottlerStatus", s -> s.getThrottlerStatus(
                dev.mosaic.proto.tabletmanager.GetThrottlerStatusRequest.getDefaultInstance()));
        return GetThrottlerStatusResponse.newBuilder().setStatus(status).build();
    }

    static Timestamp timestamp(Instant i) {
        return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
    }

    static Instant instant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }
}
