package dev.mosaic.server.process;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The one metrics registry of a process, served at {@code /metrics}, with the JVM's own meters. */
public final class ProcessMetrics {
    private ProcessMetrics() {
    }

    /**
     * A Prometheus registry with JVM memory, thread, processor and uptime meters.
     *
     * @param commonTags tag names and values, alternating, put on every meter
     */
    public static PrometheusMeterRegistry registry(String... commonTags) {
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        r.config().commonTags(commonTags);
        new JvmMemoryMetrics().bindTo(r);
        new JvmThreadMetrics().bindTo(r);
        new ProcessorMetrics().bindTo(r);
        new UptimeMetrics().bindTo(r);
        return r;
    }

    /** The JVM's GC meters, bound to {@code registry}; they hold a listener, so close them with the process. */
    public static JvmGcMetrics gcMetrics(PrometheusMeterRegistry registry) {
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        return gc;
    }
}
