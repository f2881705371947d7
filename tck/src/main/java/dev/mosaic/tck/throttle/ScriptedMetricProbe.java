package dev.mosaic.tck.throttle;

import dev.mosaic.api.cluster.TabletType;
import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.spi.throttle.MetricProbe;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * An in-memory {@link MetricProbe} with scripted answers, for the throttler-metric contract and for
 * metric authors' own tests. Records every query it is asked. Immutable apart from that record;
 * thread-safe.
 */
public final class ScriptedMetricProbe implements MetricProbe {
    private final TabletType type;
    private final Function<String, List<List<String>>> queries;
    private final OptionalDouble lag;
    private final OptionalDouble load;
    private final List<String> asked = Collections.synchronizedList(new ArrayList<>());

    /**
     * A probe with these answers.
     *
     * @param type    the tablet type it reports
     * @param queries the rows for a query; may throw (e.g. {@link #unreachable()})
     * @param lag     the replication lag it reports
     * @param load    the load average per core it reports
     */
    public ScriptedMetricProbe(TabletType type, Function<String, List<List<String>>> queries, OptionalDouble lag,
                               OptionalDouble load) {
        this.type = Objects.requireNonNull(type, "type");
        this.queries = Objects.requireNonNull(queries, "queries");
        this.lag = Objects.requireNonNull(lag, "lag");
        this.load = Objects.requireNonNull(load, "load");
    }

    /**
     * A healthy replica: every query answers one row with the single value {@code 1}, lag is 0.5 s,
     * load per core 0.25.
     *
     * @return the probe
     */
    public static ScriptedMetricProbe working() {
        return new ScriptedMetricProbe(TabletType.REPLICA, sql -> List.of(List.of("1")), OptionalDouble.of(0.5),
                OptionalDouble.of(0.25));
    }

    /**
     * A replica whose mysqld cannot be reached: every query throws {@code UNAVAILABLE}, lag and load
     * are unknown.
     *
     * @return the probe
     */
    public static ScriptedMetricProbe failing() {
        return new ScriptedMetricProbe(TabletType.REPLICA, sql -> {
            throw unreachable();
        }, OptionalDouble.empty(), OptionalDouble.empty());
    }

    /**
     * The error a failing probe's {@code query} throws.
     *
     * @return a new {@code UNAVAILABLE} exception
     */
    public static MosaicException unreachable() {
        return new MosaicException(ErrorCode.UNAVAILABLE, "tck: mysqld is unreachable");
    }

    @Override
    public TabletType tabletType() {
        return type;
    }

    @Override
    public List<List<String>> query(String sql) {
        asked.add(sql);
        return queries.apply(sql);
    }

    @Override
    public OptionalDouble replicationLagSeconds() {
        return lag;
    }

    @Override
    public OptionalDouble loadAveragePerCore() {
        return load;
    }

    /**
     * The queries asked so far, oldest first.
     *
     * @return a copy
     */
    public List<String> asked() {
        synchronized (asked) {
            return List.copyOf(asked);
        }
    }
}
