package dev.mosaic.server.tablet.throttle;

import dev.mosaic.spi.throttle.MetricScope;
import java.util.Map;

/**
 * A check's answer: the deciding metric (the first one not OK, else the first checked), and each
 * checked metric's own result.
 *
 * @param code       the outcome
 * @param appName    the app name the rules matched
 * @param metricName the deciding metric; empty when no metric was looked at (disabled, exempt, denied)
 * @param value      its value (NaN when none)
 * @param threshold  its threshold (0 when none)
 * @param message    a sentence for people
 * @param error      the deciding metric's error, if any
 * @param metrics    per checked metric, in check order
 */
public record CheckResult(ResponseCode code, String appName, String metricName, double value, double threshold,
                          String message, String error, Map<String, MetricResult> metrics) {
    /** Copies the map. */
    public CheckResult {
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
    }

    /** The HTTP status code. */
    public int statusCode() {
        return code.httpStatus();
    }

    /**
     * One metric's part of a check.
     *
     * @param name      the metric
     * @param scope     the scope it was read in
     * @param code      its outcome
     * @param value     its value, NaN when none
     * @param threshold its threshold
     * @param error     why there is no value; empty when there is
     */
    public record MetricResult(String name, MetricScope scope, ResponseCode code, double value, double threshold,
                               String error) {
    }
}
