package dev.mlops.core.monitor;

/**
 * An immutable copy of a {@link RegressionMetrics}: the count and three sums from which MAE, MSE,
 * RMSE and MAPE follow. {@link #merge(RegressionSnapshot)} adds counts exactly and sums in floating
 * point, so merged snapshots agree with one accumulator that saw both streams to within a few ulps.
 *
 * <p><b>Definitions</b> match scikit-learn's {@code mean_absolute_error},
 * {@code mean_squared_error}, {@code root_mean_squared_error} and
 * {@code mean_absolute_percentage_error}, with error {@code e = actual - predicted}:
 * MAE = mean |e|, MSE = mean e², RMSE = √MSE, and MAPE = mean |e| / max(|actual|, ε) with
 * ε = 2^-52 = {@code np.finfo(np.float64).eps}. MAPE is a fraction, not a percentage, and an actual
 * value of 0 with any error makes it huge (|e| / 2.2e-16), as in scikit-learn; a zero error on a zero
 * actual adds 0. With nothing recorded every metric is NaN.
 *
 * <pre>{@code
 * RegressionSnapshot s = RegressionMetrics.create().snapshot();
 * double rmse = s.rmse();                            // NaN when empty
 * RegressionSnapshot fleet = s.merge(otherReplicaSnapshot);
 * }</pre>
 *
 * @param count how many outcomes
 * @param absoluteErrorSum Σ |actual - predicted|
 * @param squaredErrorSum Σ (actual - predicted)²
 * @param absolutePercentageErrorSum Σ |actual - predicted| / max(|actual|, ε)
 */
public record RegressionSnapshot(
        long count, double absoluteErrorSum, double squaredErrorSum, double absolutePercentageErrorSum) {

    /** Nothing recorded. */
    public static final RegressionSnapshot EMPTY = new RegressionSnapshot(0, 0, 0, 0);

    /**
     * Validates the parts.
     *
     * @param count how many outcomes
     * @param absoluteErrorSum Σ |actual - predicted|
     * @param squaredErrorSum Σ (actual - predicted)²
     * @param absolutePercentageErrorSum Σ |actual - predicted| / max(|actual|, ε)
     * @throws IllegalArgumentException if the count is negative, a sum is negative or NaN, or the
     *     sums are not all 0 when the count is
     */
    public RegressionSnapshot {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
        check("absoluteErrorSum", absoluteErrorSum, count);
        check("squaredErrorSum", squaredErrorSum, count);
        check("absolutePercentageErrorSum", absolutePercentageErrorSum, count);
    }

    /** @return the mean absolute error; NaN when empty */
    public double mae() {
        return count == 0 ? Double.NaN : absoluteErrorSum / count;
    }

    /** @return the mean squared error; NaN when empty */
    public double mse() {
        return count == 0 ? Double.NaN : squaredErrorSum / count;
    }

    /** @return the root mean squared error; NaN when empty */
    public double rmse() {
        return Math.sqrt(mse());
    }

    /** @return the mean absolute percentage error, as a fraction; NaN when empty */
    public double mape() {
        return count == 0 ? Double.NaN : absolutePercentageErrorSum / count;
    }

    /**
     * @param other a snapshot of other outcomes
     * @return the counts added exactly, the sums added in floating point
     * @throws ArithmeticException if the count overflows a long
     */
    public RegressionSnapshot merge(RegressionSnapshot other) {
        return new RegressionSnapshot(
                Math.addExact(count, other.count),
                absoluteErrorSum + other.absoluteErrorSum,
                squaredErrorSum + other.squaredErrorSum,
                absolutePercentageErrorSum + other.absolutePercentageErrorSum);
    }

    private static void check(String name, double sum, long count) {
        // Infinity is allowed: a squared error can overflow a double, and then so does the mean.
        if (!(sum >= 0)) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + sum);
        }
        if (count == 0 && sum != 0) {
            throw new IllegalArgumentException(name + " must be 0 when count is 0, was " + sum);
        }
    }
}
