package dev.mlops.core.registry;

import java.util.Objects;

/**
 * A condition on one metric of a version: {@code auc > 0.9}. A version without the metric never matches.
 *
 * @param metric the metric's name
 * @param comparison how to compare
 * @param value the finite value to compare with
 */
public record MetricFilter(String metric, Comparison comparison, double value) {
    /** How a metric compares with the filter's value. */
    public enum Comparison {
        /** {@code metric < value}. */
        LESS,
        /** {@code metric <= value}. */
        AT_MOST,
        /** {@code metric == value}. */
        EQUAL,
        /** {@code metric >= value}. */
        AT_LEAST,
        /** {@code metric > value}. */
        GREATER
    }

    /**
     * Validates the parts.
     *
     * @param metric the metric's name
     * @param comparison how to compare
     * @param value the finite value to compare with
     */
    public MetricFilter {
        Texts.key("metric name", metric);
        Objects.requireNonNull(comparison, "comparison");
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value to compare metric " + metric + " with must be finite, was " + value);
        }
    }

    /**
     * @param version a version
     * @return whether its metric satisfies this filter
     */
    public boolean matches(ModelVersion version) {
        Double m = version.metrics().get(metric);
        if (m == null) {
            return false;
        }
        switch (comparison) {
            case LESS:
                return m < value;
            case AT_MOST:
                return m <= value;
            case EQUAL:
                return m == value;
            case AT_LEAST:
                return m >= value;
            case GREATER:
                return m > value;
            default:
                throw new AssertionError(comparison);
        }
    }
}
