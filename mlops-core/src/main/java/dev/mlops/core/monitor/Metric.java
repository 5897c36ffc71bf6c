package dev.mlops.core.monitor;

/**
 * A per-window quantity an {@link AlertRule} can watch, answered by {@link WindowSnapshot#value(Metric)}.
 * Latencies are in nanoseconds. The outcome metrics ({@link #isOutcomeMetric()}) are computed from the
 * outcomes joined to the window's predictions so far (see {@link WindowOutcomes}); precision, recall
 * and F1 are the positive class's for a binary classifier and the macro averages for a multi-class one.
 * The drift metrics ({@link #isDriftMetric()}) read the window's {@link WindowSnapshot#drift()}, the
 * result of the monitor's {@link WindowDriftDetector}.
 * A metric the window cannot answer (no data, or a metric of another model kind, or a drift metric
 * without a drift result or with no feature tested) is NaN.
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
    /**
     * Drift: the share of the tested features that drifted from the reference, in [0, 1]
     * ({@link dev.mlops.core.drift.dataset.DatasetDriftResult#share()}); its samples are the predictions
     * recorded with features.
     */
    DRIFTED_SHARE,
    /**
     * Drift: 1 when the detector's dataset verdict is drift (by default at least half the tested features
     * drifted), else 0; watch it with {@code above(0.5)}. Its samples are the predictions recorded with
     * features.
     */
    DATASET_DRIFT,
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

    /** @return whether the metric reads the window's drift result, so it needs a monitor that tests drift */
    public boolean isDriftMetric() {
        return this == DRIFTED_SHARE || this == DATASET_DRIFT;
    }

    /** @return {@link WindowSnapshot#value(Metric)} */
    @Override
    public double value(WindowSnapshot window) {
        return window.value(this);
    }

    /**
     * @return {@link WindowSnapshot#samples(Metric)}: the labeled predictions for an outcome metric, the
     *     predictions with features for a drift metric, else the count
     */
    @Override
    public long samples(WindowSnapshot window) {
        return window.samples(this);
    }
}
