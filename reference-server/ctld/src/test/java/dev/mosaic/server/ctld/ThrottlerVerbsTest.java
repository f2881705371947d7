package dev.mosaic.server.ctld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.proto.topo.ThrottledAppRule;
import dev.mosaic.proto.topo.ThrottlerConfig;
import dev.mosaic.proto.vtctldata.CheckThrottlerRequest;
import dev.mosaic.proto.vtctldata.CreateKeyspaceRequest;
import dev.mosaic.proto.vtctldata.GetThrottlerStatusRequest;
import dev.mosaic.proto.vtctldata.UpdateThrottlerConfigRequest;
import dev.mosaic.server.topo.ProtoConversions;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The throttler verbs of the Vtctld service against the in-memory topology through an in-process
 * channel, in the style of {@code VtctldServiceTest}: what UpdateThrottlerConfig stores in the
 * keyspace record, what it refuses, and the tablet verbs' errors before a tablet answers (the
 * answers themselves are covered by {@code ThrottlerIT} in tablet-server against real tablets).
 */
class ThrottlerVerbsTest {
    private InProcessCtld ctld;

    @BeforeEach
    void start() {
        ctld = new InProcessCtld(Duration.ofMillis(300));
        ctld.stub.createKeyspace(CreateKeyspaceRequest.newBuilder().setName("commerce").build());
    }

    @AfterEach
    void stop() {
        ctld.close();
    }

    private ThrottlerConfig stored() {
        return ctld.topo.getKeyspace("commerce").value().getThrottlerConfig();
    }

    private void update(UpdateThrottlerConfigRequest.Builder b) {
        ctld.stub.updateThrottlerConfig(b.setKeyspace("commerce").build());
    }

    private static UpdateThrottlerConfigRequest.Builder req() {
        return UpdateThrottlerConfigRequest.newBuilder();
    }

    private static void assertStatus(Status.Code code, String fragment, Runnable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(code, e.getStatus().getCode(), "code of: " + e.getStatus());
        String d = String.valueOf(e.getStatus().getDescription());
        assertTrue(d.contains(fragment), "expected \"" + fragment + "\" in: " + d);
    }

    private static Timestamp at(Instant i) {
        return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).build();
    }

    @Test
    void enableThresholdAndDisableAreStoredInTheKeyspaceRecord() {
        update(req().setEnable(true).setThreshold(2));
        assertTrue(stored().getEnabled());
        assertEquals(2.0, stored().getThreshold());
        update(req().setMetricName("threads_running").setThreshold(50));
        assertEquals(50.0, stored().getMetricThresholdsMap().get("threads_running"));
        assertEquals(2.0, stored().getThreshold(), "a metric threshold leaves the default metric's alone");
        update(req().setMetricName("threads_running"));
        assertFalse(stored().getMetricThresholdsMap().containsKey("threads_running"), "threshold 0 resets it");
        update(req().setDisable(true));
        assertFalse(stored().getEnabled());
        assertEquals(2.0, stored().getThreshold(), "disabling keeps the rest");
        assertEquals("none", ctld.topo.getKeyspace("commerce").value().getDurabilityPolicy(), "other fields untouched");
    }

    @Test
    void customQueryAndCheckAsCheckSelf() {
        update(req().setCustomQuery("SELECT 1"));
        assertEquals("SELECT 1", stored().getCustomQuery());
        update(req().setCheckAsCheckSelf(true));
        assertTrue(stored().getCheckAsCheckSelf());
        update(req().setCustomQuerySet(true).setCheckAsCheckShard(true));
        assertEquals("", stored().getCustomQuery());
        assertFalse(stored().getCheckAsCheckSelf());
    }

    @Test
    void throttleExemptAndUnthrottleApps() {
        Instant before = Instant.now();
        update(req().setThrottledApp(ThrottledAppRule.newBuilder().setName("x").setRatio(1)));
        ThrottledAppRule x = stored().getThrottledAppsMap().get("x");
        assertEquals(1.0, x.getRatio());
        long expires = x.getExpiresAt().getSeconds();
        assertTrue(expires >= before.plus(Duration.ofMinutes(59)).getEpochSecond()
                && expires <= Instant.now().plus(Duration.ofHours(1)).getEpochSecond() + 1, "default one hour: " + x);
        update(req().setThrottledApp(ThrottledAppRule.newBuilder().setName("exempt-app").setExempt(true)
                .setExpiresAt(at(Instant.now().plus(Duration.ofDays(1))))));
        assertTrue(stored().getThrottledAppsMap().get("exempt-app").getExempt());
        update(req().setThrottledApp(ThrottledAppRule.newBuilder().setName("x").setExpiresAt(at(Instant.now().minusSeconds(1)))));
        assertEquals(List.of("exempt-app"), List.copyOf(stored().getThrottledAppsMap().keySet()), "x unthrottled");
    }

    @Test
    void appCheckedMetricsAreSetAndReset() {
        update(req().setAppName("vreplication").addAppCheckedMetrics("lag").addAppCheckedMetrics("threads_running"));
        assertEquals(List.of("lag", "threads_running"), stored().getAppCheckedMetricsMap().get("vreplication").getNamesList());
        update(req().setAppName("vreplication"));
        assertFalse(stored().getAppCheckedMetricsMap().containsKey("vreplication"));
    }

    @Test
    void badRequestsAreRefusedAndChangeNothing() {
        assertStatus(Status.Code.NOT_FOUND, "keyspace nope not found",
                () -> ctld.stub.updateThrottlerConfig(req().setKeyspace("nope").setEnable(true).build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "mutually exclusive", () -> update(req().setEnable(true).setDisable(true)));
        assertStatus(Status.Code.INVALID_ARGUMENT, "threshold", () -> update(req().setThreshold(-1)));
        assertStatus(Status.Code.INVALID_ARGUMENT, "ratio", () -> update(req()
                .setThrottledApp(ThrottledAppRule.newBuilder().setName("x").setRatio(1.5))));
        assertStatus(Status.Code.INVALID_ARGUMENT, "needs a name", () -> update(req()
                .setThrottledApp(ThrottledAppRule.newBuilder().setRatio(1))));
        assertStatus(Status.Code.INVALID_ARGUMENT, "--app-name", () -> update(req().addAppCheckedMetrics("lag")));
        assertEquals(ThrottlerConfig.getDefaultInstance(), stored());
    }

    @Test
    void tabletVerbsNeedAKnownReachableTablet() {
        assertStatus(Status.Code.INVALID_ARGUMENT, "tablet alias", () -> ctld.stub.checkThrottler(
                CheckThrottlerRequest.newBuilder().setAppName("x").build()));
        var alias = ProtoConversions.toProto(new TabletAlias("zone1", 100));
        assertStatus(Status.Code.NOT_FOUND, "zone1-0000000100", () -> ctld.stub.getThrottlerStatus(
                GetThrottlerStatusRequest.newBuilder().setTabletAlias(alias).build()));
        ctld.topo.createTablet(Tablet.newBuilder().setAlias(alias).setHostname("127.0.0.1").putPortMap("grpc", closedPort())
                .setKeyspace("commerce").setShard("0").setType(TabletType.PRIMARY).build());
        assertStatus(Status.Code.UNAVAILABLE, "CheckThrottler", () -> ctld.stub.checkThrottler(
                CheckThrottlerRequest.newBuilder().setTabletAlias(alias).setAppName("x").build()));
    }

    private static int closedPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
