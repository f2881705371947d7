package dev.mosaic.server.gate.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of the {@link TabletGateway}, validated once. Names follow Vitess's vtgate flags.
 *
 * @param cells the cells whose tablets the gateway discovers (Vitess's {@code --cells_to_watch})
 * @param localCell the gate's own cell: its tablets are preferred when several are healthy
 * @param tabletRefreshInterval how often the tablet records of {@code cells} are re-read
 *     ({@code --tablet_refresh_interval}, 1 min)
 * @param healthCheckTimeout a tablet whose health stream is silent this long is unhealthy and its
 *     stream is restarted ({@code --healthcheck_timeout}, 1 min)
 * @param healthRetryMin first delay before re-opening a broken health stream; doubles per failure
 * @param healthRetryMax the longest delay between attempts to re-open a health stream
 * @param lowReplicationLag replicas lagging at most this much are all used
 *     ({@code --discovery_low_replication_lag}, 30 s)
 * @param highReplicationLag replicas lagging more than this are never used
 *     ({@code --discovery_high_replication_lag_minimum_serving}, 2 h)
 * @param minServingTablets how many replicas are kept even above {@code lowReplicationLag}
 *     ({@code --min_number_serving_vttablets}, 2)
 * @param callTimeout deadline of each unary call to a tablet (streams have none)
 */
public record GatewayConfig(List<String> cells, String localCell, Duration tabletRefreshInterval,
        Duration healthCheckTimeout, Duration healthRetryMin, Duration healthRetryMax, Duration lowReplicationLag,
        Duration highReplicationLag, int minServingTablets, Duration callTimeout) {

    public GatewayConfig {
        cells = List.copyOf(Objects.requireNonNull(cells, "cells"));
        if (cells.isEmpty()) {
            throw new IllegalArgumentException("cells must name at least one cell");
        }
        Objects.requireNonNull(localCell, "localCell");
        positive(tabletRefreshInterval, "tabletRefreshInterval");
        positive(healthCheckTimeout, "healthCheckTimeout");
        positive(healthRetryMin, "healthRetryMin");
        positive(healthRetryMax, "healthRetryMax");
        positive(lowReplicationLag, "lowReplicationLag");
        positive(highReplicationLag, "highReplicationLag");
        positive(callTimeout, "callTimeout");
        if (healthRetryMax.compareTo(healthRetryMin) < 0) {
            throw new IllegalArgumentException("healthRetryMax " + healthRetryMax + " is below healthRetryMin "
                    + healthRetryMin);
        }
        if (highReplicationLag.compareTo(lowReplicationLag) < 0) {
            throw new IllegalArgumentException("highReplicationLag " + highReplicationLag
                    + " is below lowReplicationLag " + lowReplicationLag);
        }
        if (minServingTablets < 0) {
            throw new IllegalArgumentException("minServingTablets must not be negative: " + minServingTablets);
        }
    }

    /** Vitess's defaults for {@code cells}, the first of which is the local cell. */
    public static GatewayConfig defaults(List<String> cells) {
        return new GatewayConfig(cells, cells.isEmpty() ? "" : cells.get(0), Duration.ofMinutes(1),
                Duration.ofMinutes(1), Duration.ofMillis(50), Duration.ofSeconds(5), Duration.ofSeconds(30),
                Duration.ofHours(2), 2, Duration.ofSeconds(30));
    }

    public GatewayConfig withLocalCell(String cell) {
        return new GatewayConfig(cells, cell, tabletRefreshInterval, healthCheckTimeout, healthRetryMin,
                healthRetryMax, lowReplicationLag, highReplicationLag, minServingTablets, callTimeout);
    }

    public GatewayConfig withTabletRefreshInterval(Duration d) {
        return new GatewayConfig(cells, localCell, d, healthCheckTimeout, healthRetryMin, healthRetryMax,
                lowReplicationLag, highReplicationLag, minServingTablets, callTimeout);
    }

    public GatewayConfig withHealthCheckTimeout(Duration d) {
        return new GatewayConfig(cells, localCell, tabletRefreshInterval, d, healthRetryMin, healthRetryMax,
                lowReplicationLag, highReplicationLag, minServingTablets, callTimeout);
    }

    public GatewayConfig withHealthRetry(Duration min, Duration max) {
        return new GatewayConfig(cells, localCell, tabletRefreshInterval, healthCheckTimeout, min, max,
                lowReplicationLag, highReplicationLag, minServingTablets, callTimeout);
    }

    public GatewayConfig withReplicationLag(Duration low, Duration high, int minServing) {
        return new GatewayConfig(cells, localCell, tabletRefreshInterval, healthCheckTimeout, healthRetryMin,
                healthRetryMax, low, high, minServing, callTimeout);
    }

    public GatewayConfig withCallTimeout(Duration d) {
        return new GatewayConfig(cells, localCell, tabletRefreshInterval, healthCheckTimeout, healthRetryMin,
                healthRetryMax, lowReplicationLag, highReplicationLag, minServingTablets, d);
    }

    private static void positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
