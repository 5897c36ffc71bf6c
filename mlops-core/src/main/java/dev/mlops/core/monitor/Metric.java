package dev.mlops.core.monitor;

/** A per-window quantity an {@link AlertRule} can watch. Latencies are in nanoseconds. */
public enum Metric {
    /** Predictions recorded, failures included. */
    PREDICTIONS,
    /** Failures over predictions. */
    FAILURE_RATE,
    /** Median latency, nanoseconds. */
    LATENCY_P50,
    /** 90th percentile latency, nanoseconds. */
    LATENCY_P90,
    /** 99th percentile latency, nanoseconds. */
    LATENCY_P99,
    /** Largest latency, nanoseconds. */
    LATENCY_MAX,
    /** Mean score of successful predictions. */
    SCORE_MEAN,
    /** Missing feature values over all feature values recorded. */
    MISSING_RATE,
    /** Predictions whose outcome arrived. */
    LABELED,
    /** Mean of |score - outcome| over labeled predictions. */
    MEAN_ABSOLUTE_ERROR
}
