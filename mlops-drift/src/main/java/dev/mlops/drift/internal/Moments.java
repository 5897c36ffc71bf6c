package dev.mlops.drift.internal;

/**
 * Moments of a sample that cannot overflow for finite input: computed on the values scaled by a power
 * of two (see {@link Magnitude}), in NumPy's summation order, then scaled back. Stateless and
 * thread-safe.
 */
public final class Moments {
    private Moments() {
    }

    /**
     * The population standard deviation (ddof 0), as {@code numpy.std(values)}: the mean first, then the
     * mean of the squared deviations, both summed pairwise as NumPy sums; the same bits as NumPy for
     * data whose squares do not overflow, and finite (at most the largest magnitude) for any finite data.
     *
     * @param sorted ascending finite values, at least one
     * @return the standard deviation, finite and at least 0
     * @throws IllegalArgumentException when the array is empty, unsorted or holds NaN or infinities
     */
    public static double populationStd(double[] sorted) {
        NumericSamples.check("values", sorted, 1);
        if (Double.isInfinite(sorted[0]) || Double.isInfinite(sorted[sorted.length - 1])) {
            throw new IllegalArgumentException("values must be finite; they range from " + sorted[0] + " to "
                    + sorted[sorted.length - 1]);
        }
        int e = Magnitude.exponent(sorted);
        double f = Magnitude.factor(e);
        int n = sorted.length;
        double mean = PairwiseSum.sum(sorted, v -> v * f) / n;
        double m2 = PairwiseSum.sum(sorted, v -> (v * f - mean) * (v * f - mean)) / n;
        return Math.min(Double.MAX_VALUE, Math.scalb(Math.sqrt(m2), e));
    }
}
