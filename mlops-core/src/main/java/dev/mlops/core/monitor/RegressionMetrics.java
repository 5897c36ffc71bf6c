package dev.mlops.core.monitor;

import java.util.Objects;

/**
 * Accumulates regression outcomes (a predicted value joined to the actual one) into the sums of
 * {@link RegressionSnapshot}: MAE, MSE, RMSE and MAPE with scikit-learn's definitions (stated on
 * the snapshot).
 *
 * <p><b>Precision.</b> Each sum is compensated (Kahan–Babuška–Neumaier): a sum of n non-negative
 * terms is within about {@code 2u · sum} of exact (u = 2^-53) whatever n, so the metrics carry a
 * relative error of a few 1e-16 beyond the rounding of each term (itself within an ulp or two), where
 * a naive running sum over a long window would drift by up to {@code n·u}. Merging rounds once more
 * per merge.
 *
 * <p><b>Threads.</b> Thread-safe: every method holds a private lock for O(1). Outcomes arrive on
 * the label path, not the serving path. Recording allocates nothing; a snapshot is consistent.
 *
 * <pre>{@code
 * RegressionMetrics window = RegressionMetrics.create();
 * window.record(predictedPrice, actualPrice);
 * RegressionSnapshot s = window.snapshot();
 * double mae = s.mae(), rmse = s.rmse(), mape = s.mape();
 * }</pre>
 */
public final class RegressionMetrics {
    private final Object lock = new Object();
    private long count;
    private final OutcomeSum absolute = new OutcomeSum();
    private final OutcomeSum squared = new OutcomeSum();
    private final OutcomeSum percentage = new OutcomeSum();

    private RegressionMetrics() {
    }

    /** @return an empty accumulator */
    public static RegressionMetrics create() {
        return new RegressionMetrics();
    }

    /**
     * Records one outcome.
     *
     * @param predicted the model's prediction, finite
     * @param actual the actual value, finite
     * @throws IllegalArgumentException if either value is NaN or infinite
     */
    public void record(double predicted, double actual) {
        if (!Double.isFinite(predicted)) {
            throw new IllegalArgumentException("predicted must be finite, was " + predicted);
        }
        if (!Double.isFinite(actual)) {
            throw new IllegalArgumentException("actual must be finite, was " + actual);
        }
        double error = Math.abs(actual - predicted);
        double percent = error / Math.max(Math.abs(actual), ClassificationMetrics.EPS);
        synchronized (lock) {
            count++;
            absolute.add(error);
            squared.add(error * error);
            percentage.add(percent);
        }
    }

    /**
     * Adds another accumulator's snapshot, as if its outcomes had been recorded here.
     *
     * @param snapshot the snapshot to add
     * @throws ArithmeticException if the count overflows a long; nothing is added then
     */
    public void add(RegressionSnapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        synchronized (lock) {
            count = Math.addExact(count, snapshot.count());
            absolute.add(snapshot.absoluteErrorSum());
            squared.add(snapshot.squaredErrorSum());
            percentage.add(snapshot.absolutePercentageErrorSum());
        }
    }

    /** @return an immutable copy of the count and sums so far */
    public RegressionSnapshot snapshot() {
        synchronized (lock) {
            return new RegressionSnapshot(count, absolute.value(), squared.value(), percentage.value());
        }
    }

    @Override
    public String toString() {
        return "RegressionMetrics[" + snapshot() + "]";
    }
}
