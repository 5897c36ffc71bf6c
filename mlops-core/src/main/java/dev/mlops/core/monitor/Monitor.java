package dev.mlops.core.monitor;

import dev.mlops.core.Subscription;

/**
 * Watches a model in production: predictions recorded on the serving thread at near-zero cost,
 * outcomes joined later by prediction id, per-window snapshots, alerts.
 *
 * <pre>{@code
 * monitor.record(requestId, score, latencyNanos, numericFeatures, categoryIndexes);  // hot path
 * monitor.recordOutcome(requestId, actualLabel);                                      // when truth arrives
 * MonitorSnapshot s = monitor.snapshot();
 * monitor.addAlert(AlertRule.when(Metric.LATENCY_P99).above(50, MILLISECONDS).forWindows(3), alerts::page);
 * }</pre>
 *
 * <p>Implementations are thread-safe; {@code record*} never block on I/O, never throw checked
 * exceptions, and never throw for bad data (NaN, out-of-range values, unknown categories are counted);
 * an array whose length does not match the schema is a programming error and throws
 * {@link IllegalArgumentException}. {@link #builder(FeatureSchema)} builds the in-memory monitor,
 * {@link #noop()} records nothing.
 */
public interface Monitor extends AutoCloseable {
    /**
     * Records a successful prediction.
     *
     * @param predictionId the id its outcome will carry
     * @param score the model's output
     * @param latencyNanos how long it took
     * @param numeric numeric features in schema order, NaN for missing; not kept
     * @param categories category indexes in schema order, -1 for missing; not kept
     */
    void record(long predictionId, double score, long latencyNanos, double[] numeric, int[] categories);

    /**
     * Records a successful prediction whose categories are given by name, a slower variant of
     * {@link #record(long, double, long, double[], int[])}.
     *
     * @param predictionId the id its outcome will carry
     * @param score the model's output
     * @param latencyNanos how long it took
     * @param numeric numeric features in schema order, NaN for missing; not kept
     * @param categories category names in schema order, null for missing; not kept
     */
    void record(long predictionId, double score, long latencyNanos, double[] numeric, String[] categories);

    /**
     * Records a successful prediction that is a class rather than a score (a classifier's label).
     *
     * @param predictionId the id its outcome will carry
     * @param predictedClass the class's index in the monitor's class list, -1 for none
     * @param latencyNanos how long it took
     * @param numeric numeric features in schema order, NaN for missing; not kept
     * @param categories category indexes in schema order, -1 for missing; not kept
     */
    void recordClass(long predictionId, int predictedClass, long latencyNanos, double[] numeric, int[] categories);

    /**
     * Records a successful prediction of which only the latency is measured (no score, no features):
     * the cheapest record.
     *
     * @param predictionId the id its outcome will carry
     * @param latencyNanos how long it took
     */
    void recordLatency(long predictionId, long latencyNanos);

    /**
     * Records a failed prediction.
     *
     * @param predictionId the failed prediction's id
     * @param latencyNanos how long it took to fail
     */
    void recordFailure(long predictionId, long latencyNanos);

    /**
     * Joins ground truth to a recorded prediction, at most once, and attributes it to the window the
     * prediction was made in. Never throws for bad data: an id that is unknown, late or already joined,
     * or an actual value the model cannot take, is counted and answered false.
     *
     * @param predictionId a recorded prediction's id
     * @param actual the true value (0 or 1 for a binary classifier, a class index, a number for
     *     regression)
     * @return whether the prediction was still pending and is now joined
     */
    boolean recordOutcome(long predictionId, double actual);

    /** @return an immutable copy of the windows */
    MonitorSnapshot snapshot();

    /**
     * Adds an alert rule, judged as windows close; see {@link AlertRule} for the evaluation.
     *
     * @param rule when to fire
     * @param listener who to tell; called on the thread that closed the window, never under a lock
     *     the monitor's recording needs, its exceptions caught and logged
     * @return closing it removes the rule
     * @throws IllegalArgumentException if the rule does not fit the monitor (a feature it lacks)
     */
    Subscription addAlert(AlertRule rule, AlertListener listener);

    @Override
    void close();

    /**
     * @param r a prediction as a value
     */
    default void record(PredictionRecord r) {
        record(r.id(), r.score(), r.latencyNanos(), r.numeric(), r.categories());
    }

    /**
     * @param schema the features to track
     * @return a builder of an {@link InMemoryMonitor}
     */
    static InMemoryMonitor.Builder builder(FeatureSchema schema) {
        return InMemoryMonitor.builder(schema);
    }

    /** @return a monitor that records nothing and never alerts */
    static Monitor noop() {
        return NoopMonitor.INSTANCE;
    }
}
