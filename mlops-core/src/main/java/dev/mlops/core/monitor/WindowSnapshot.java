package dev.mlops.core.monitor;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link Monitor} saw in one time window. Values undefined for the window (a quantile of no
 * latencies, a mean of no scores) are NaN.
 *
 * @param start the window's start, inclusive
 * @param end the window's end, exclusive
 * @param values each metric's value in this window
 */
public record WindowSnapshot(Instant start, Instant end, Map<Metric, Double> values) {
    /** Validates and copies the parts: every metric has a value (NaN when undefined). */
    public WindowSnapshot {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("window end " + end + " must be after its start " + start);
        }
        EnumMap<Metric, Double> copy = new EnumMap<>(Metric.class);
        copy.putAll(values);
        if (copy.size() != Metric.values().length) {
            throw new IllegalArgumentException("a window needs a value for every metric, had " + copy.keySet());
        }
        values = java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * @param metric a metric
     * @return its value in this window, NaN when undefined
     */
    public double value(Metric metric) {
        return values.get(metric);
    }
}
