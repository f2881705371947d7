package dev.mosaic.server.launcher.ctl;

import com.google.protobuf.Timestamp;
import dev.mosaic.proto.topo.TabletAlias;
import dev.mosaic.proto.topo.ThrottledAppRule;
import dev.mosaic.proto.vtctldata.CheckThrottlerRequest;
import dev.mosaic.proto.vtctldata.GetThrottlerStatusRequest;
import dev.mosaic.proto.vtctldata.UpdateThrottlerConfigRequest;
import dev.mosaic.proto.vtctldata.VtctldGrpc.VtctldBlockingStub;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The throttler verbs, with vtctldclient's flag names. */
final class ThrottlerVerbs {
    private ThrottlerVerbs() {
    }

    @Command(name = "UpdateThrottlerConfig", description = {"Update a keyspace's throttler configuration"
            + " (stored in its keyspace record; every tablet applies it within seconds).",
        "E.g. --enable --threshold 2;  --metric-name threads_running --threshold 50;"
                + "  --throttle-app x --throttle-app-ratio 1;  --unthrottle-app x."})
    static final class UpdateThrottlerConfig extends Verb {
        @Option(names = "--enable", description = "Enable the throttler.")
        boolean enable;

        @Option(names = "--disable", description = "Disable the throttler (every check passes).")
        boolean disable;

        @Option(names = "--threshold", paramLabel = "N", defaultValue = "0",
                description = "Threshold of --metric-name, or of the default metric (lag, or custom with a custom query).")
        double threshold;

        @Option(names = "--metric-name", paramLabel = "NAME", defaultValue = "",
                description = "The metric --threshold applies to (lag, threads_running, loadavg, custom, history_list_length).")
        String metricName;

        @Option(names = "--custom-query", paramLabel = "SQL",
                description = "A SELECT returning one number: the custom metric, then the default metric ('' clears it).")
        String customQuery;

        @Option(names = "--check-as-check-self", description = "Answer shard checks with the tablet's own readings.")
        boolean checkAsCheckSelf;

        @Option(names = "--check-as-check-shard", description = "Answer shard checks with the shard's readings (the default).")
        boolean checkAsCheckShard;

        @Option(names = "--throttle-app", paramLabel = "APP", defaultValue = "", description = "Throttle (or exempt) this app.")
        String throttleApp;

        @Option(names = "--throttle-app-ratio", paramLabel = "RATIO", defaultValue = "1.0",
                description = "The share of the app's checks denied, 0 to 1 (default 1: always).")
        double throttleAppRatio;

        @Option(names = "--throttle-app-duration", paramLabel = "DURATION", defaultValue = "1h",
                converter = Converters.GoDuration.class, description = "How long the rule lasts (default 1h).")
        Duration throttleAppDuration;

        @Option(names = "--throttle-app-exempt", description = "Exempt the app: its checks always pass.")
        boolean throttleAppExempt;

        @Option(names = "--unthrottle-app", paramLabel = "APP", defaultValue = "", description = "Remove the app's rule.")
        String unthrottleApp;

        @Option(names = "--app-name", paramLabel = "APP", defaultValue = "",
                description = "The app whose checked metrics --app-metrics sets (none given: back to the default).")
        String appName;

        @Option(names = "--app-metrics", paramLabel = "NAMES", split = ",",
                description = "The metrics --app-name checks (comma-separated or repeated).")
        List<String> appMetrics = new ArrayList<>();

        @Parameters(index = "0", paramLabel = "KEYSPACE", description = "The keyspace.")
        String keyspace;

        @Override
        void validate() {
            if (enable && disable) {
                throw usage("--enable and --disable are mutually exclusive");
            }
            if (checkAsCheckSelf && checkAsCheckShard) {
                throw usage("--check-as-check-self and --check-as-check-shard are mutually exclusive");
            }
            if (!throttleApp.isEmpty() && !unthrottleApp.isEmpty()) {
                throw usage("--throttle-app and --unthrottle-app are mutually exclusive");
            }
            if (threshold < 0) {
                throw usage("--threshold must be >= 0");
            }
            if (throttleAppRatio < 0 || throttleAppRatio > 1) {
                throw usage("--throttle-app-ratio must be between 0 and 1");
            }
            if (throttleAppDuration.isNegative() || throttleAppDuration.isZero()) {
                throw usage("--throttle-app-duration must be positive");
            }
            if (!appMetrics.isEmpty() && appName.isEmpty()) {
                throw usage("--app-metrics needs --app-name");
            }
        }

        @Override
        int run(VtctldBlockingStub ctld, PrintWriter out) {
            UpdateThrottlerConfigRequest.Builder req = UpdateThrottlerConfigRequest.newBuilder().setKeyspace(keyspace)
                    .setEnable(enable).setDisable(disable).setThreshold(threshold).setMetricName(metricName)
                    .setCheckAsCheckSelf(checkAsCheckSelf).setCheckAsCheckShard(checkAsCheckShard)
                    .setAppName(appName).addAllAppCheckedMetrics(appMetrics);
            if (customQuery != null) {
                req.setCustomQuery(customQuery).setCustomQuerySet(true);
            }
            Instant now = Instant.now();
            if (!throttleApp.isEmpty()) {
                req.setThrottledApp(ThrottledAppRule.newBuilder().setName(throttleApp).setRatio(throttleAppRatio)
                        .setExempt(throttleAppExempt).setExpiresAt(timestamp(now.plus(throttleAppDuration))));
            } else if (!unthrottleApp.isEmpty()) {
                req.setThrottledApp(ThrottledAppRule.newBuilder().setName(unthrottleApp).setExpiresAt(timestamp(now)));
            }
            var r = ctld.updateThrottlerConfig(req.build());
            if (json()) {
                out.println(Output.json(r));
            } else {
                out.println("Updated throttler config of keyspace " + keyspace);
            }
            return 0;
        }

        private static Timestamp timestamp(Instant i) {
            return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
        }
    }

    @Command(name = "CheckThrottler", description = {"Run a throttler check on a tablet and print the answer as JSON.",
        "Exit code 0 whatever the answer; read StatusCode (200 OK, 429, 417, 404, 500)."})
    static final class CheckThrottler extends Verb {
        @Option(names = "--app-name", paramLabel = "APP", defaultValue = "vitess",
                description = "The app to check as (default vitess: every metric).")
        String appName;

        @Option(names = "--scope", paramLabel = "self|shard", defaultValue = "",
                description = "self or shard; default: each metric's own scope.")
        String scope;

        @Parameters(index = "0", paramLabel = "TABLET_ALIAS", converter = Converters.Alias.class,
                description = "The tablet, e.g. zone1-100.")
        TabletAlias alias;

        @Override
        void validate() {
            if (!scope.isEmpty() && !scope.equals("self") && !scope.equals("shard")) {
                throw usage("--scope must be self or shard, got '" + scope + "'");
            }
        }

        @Override
        int run(VtctldBlockingStub ctld, PrintWriter out) {
            var r = ctld.checkThrottler(CheckThrottlerRequest.newBuilder().setTabletAlias(alias).setAppName(appName)
                    .setScope(scope).build());
            out.println(json() ? Output.json(r) : Output.json(r.getCheck()));
            return 0;
        }
    }

    @Command(name = "GetThrottlerStatus", description = "Print a tablet's throttler status as JSON.")
    static final class GetThrottlerStatus extends Verb {
        @Parameters(index = "0", paramLabel = "TABLET_ALIAS", converter = Converters.Alias.class,
                description = "The tablet, e.g. zone1-100.")
        TabletAlias alias;

        @Override
        int run(VtctldBlockingStub ctld, PrintWriter out) {
            var r = ctld.getThrottlerStatus(GetThrottlerStatusRequest.newBuilder().setTabletAlias(alias).build());
            out.println(json() ? Output.json(r) : Output.json(r.getStatus()));
            return 0;
        }
    }
}
