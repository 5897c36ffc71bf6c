package dev.mlops.drift.internal;

/**
 * The first Wasserstein (earth mover's) distance between two samples, as
 * {@code scipy.stats.wasserstein_distance(x, y)} (SciPy 1.10.1) computes it without weights.
 *
 * <p>W1 = integral of |F(t) - G(t)| dt over the empirical distribution functions F and G: one merge pass
 * over the sorted samples, O(n + m), no allocation, relative rounding error of a few ulps. It is in the
 * units of the data, symmetric, zero for equal samples; infinite values give infinity or NaN as in
 * SciPy. Stateless and thread-safe.
 *
 * <pre>{@code
 * double w = Wasserstein.distance(reference.sortedValues(), current.sortedValues());
 * }</pre>
 */
public final class Wasserstein {
    private Wasserstein() {
    }

    /**
     * @param x the first sample, ascending without NaN, at least one value
     * @param y the second sample, ascending without NaN, at least one value
     * @return the distance, at least 0
     * @throws IllegalArgumentException when a sample is empty, unsorted or holds NaN
     */
    public static double distance(double[] x, double[] y) {
        NumericSamples.check("x", x, 1);
        NumericSamples.check("y", y, 1);
        return CdfDistance.integral(x, y, false);
    }
}
