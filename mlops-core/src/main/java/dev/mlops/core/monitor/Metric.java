package dev.mlops.core.monitor;

/**
 * A per-window quantity an {@link AlertRule} can watch, answered by {@link WindowSnapshot#value(Metric)}.
 * Latencies are in nanoseconds. The outcome metrics ({@link #isOutcomeMetric()}) are computed from the
 * outcomes joined to the window's predictions so far (see {@link WindowOutcomes}); precision, recall
 * and F1 are the positive class's for a binary classifier and the macro averages for a multi-class one.
 * A metric the window cannot answer (no data, or a metric of another model kind) is NaN.
 */
public enum Metric implements WindowSignal {
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
    /** 99.9th percentile latency, nanoseconds. */
    LATENCY_P999,
    /** Largest latency, nanoseconds. */
    LATENCY_MAX,
    /** Mean score of successful predictions. */
    SCORE_MEAN,
    /** Missing feature values over all feature values recorded. */
    MISSING_RATE,
    /** Predictions of the window whose outcome has been joined. */
    LABELED,
    /** Classification: correct predictions over labeled ones. */
    ACCURACY,
    /** Classification: precision of the positive class (binary) or macro precision (multi-class). */
    PRECISION,
    /** Classification: recall of the positive class (binary) or macro recall (multi-class). */
    RECALL,
    /** Classification: F1 of the positive class (binary) or macro F1 (multi-class). */
    F1,
    /** Binary classification: mean log loss of the scores. */
    LOG_LOSS,
    /** Binary classification: ROC AUC from binned scores. */
    AUC,
    /** Regression: mean of |predicted - actual| over labeled predictions. */
    MEAN_ABSOLUTE_ERROR,
    /** Regression: root of the mean squared error. */
    ROOT_MEAN_SQUARED_ERROR,
    /** Regression: mean of |predicted - actual| / |actual| (scikit-learn's MAPE, a fraction). */
    MEAN_ABSOLUTE_PERCENTAGE_ERROR;

    /** @return whether the metric is computed from joined outcomes, so its samples are the labeled predictions */
    public boolean isOutcomeMetric() {
        return compareTo(LABELED) >= 0;
    }

    /** @return {@link WindowSnapshot#value(Metric)} */
    @Override
    public double value(WindowSnapshot window) {
        return window.value(this);
    }

    /** @return {@link WindowSnapshot#samples(Metric)}: the labeled predictions for an outcome metric, else the count */
    @Override
    public long samples(WindowSnapshot window) {
        return window.samples(this);
    }
}
