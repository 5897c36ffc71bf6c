package dev.mlops.drift.internal;

/**
 * The integral of |F - G|^p over the real line for two empirical distribution functions, as SciPy's
 * {@code _cdf_distance} evaluates it: a sum over consecutive pooled values of |F - G|^p times the gap.
 * One merge pass over the sorted samples, O(n + m) time, no allocation; compensated summation, so the
 * relative error is a few ulps. The values are multiplied by a power of two first, so that a gap between
 * two finite values (at most twice {@code Double.MAX_VALUE}) cannot overflow; callers scale back.
 * Stateless and thread-safe.
 */
final class CdfDistance {
    private CdfDistance() {
    }

    /**
     * @param x the first sample, ascending, already checked
     * @param y the second sample, ascending, already checked
     * @param squared whether to integrate |F - G|^2 (energy distance) rather than |F - G| (Wasserstein)
     * @param factor a power of two that every value is multiplied by ({@link Magnitude#factor})
     * @return the integral over the scaled values, that is the integral times {@code factor}; NaN where
     *     SciPy's is (a gap of infinity minus infinity)
     */
    static double integral(double[] x, double[] y, boolean squared, double factor) {
        int n1 = x.length;
        int n2 = y.length;
        int total = n1 + n2;
        int i = 0;
        int j = 0;
        double sum = 0;
        double compensation = 0;
        while (i + j < total) {
            double v = j >= n2 || (i < n1 && x[i] <= y[j]) ? x[i] : y[j];
            int i2 = NumericSamples.advancePast(x, i, v);
            int j2 = NumericSamples.advancePast(y, j, v);
            double diff = (double) i2 / n1 - (double) j2 / n2;
            double weight = squared ? diff * diff : Math.abs(diff);
            if (i2 + j2 - i - j > 1 && Double.isInfinite(v)) {
                // SciPy takes the gap between tied infinities, inf - inf = NaN
                return Double.NaN;
            }
            i = i2;
            j = j2;
            if (i + j < total) {
                double next = j >= n2 || (i < n1 && x[i] <= y[j]) ? x[i] : y[j];
                double term = weight * (next * factor - v * factor);
                // Neumaier's compensated sum: every term is >= 0, so this is accurate to a few ulps
                double t = sum + term;
                if (Math.abs(sum) >= Math.abs(term)) {
                    compensation += (sum - t) + term;
                } else {
                    compensation += (term - t) + sum;
                }
                sum = t;
            }
        }
        return sum + compensation;
    }
}
