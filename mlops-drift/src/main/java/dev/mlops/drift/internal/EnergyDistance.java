package dev.mlops.drift.internal;

/**
 * The energy distance between two samples, as {@code scipy.stats.energy_distance(x, y)} (SciPy 1.10.1)
 * computes it without weights.
 *
 * <p>D = sqrt(2) * sqrt(integral of (F(t) - G(t))^2 dt), which equals
 * sqrt(2 E|X - Y| - E|X - X'| - E|Y - Y'|) (Szekely). One merge pass over the sorted samples,
 * O(n + m), no allocation, relative rounding error of a few ulps. Symmetric, zero for equal samples.
 * It scales as the square root of the data's scale; computed on values scaled by a power of two, it is
 * finite for any finite data, with the same bits as SciPy's wherever SciPy's does not overflow.
 * Stateless and thread-safe.
 *
 * <pre>{@code
 * double e = EnergyDistance.distance(reference.sortedValues(), current.sortedValues());
 * }</pre>
 */
public final class EnergyDistance {
    private static final double SQRT2 = Math.sqrt(2);

    private EnergyDistance() {
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
        // an even exponent, so that the square root scales back exactly: D grows as the square root of
        // the scale, and is finite (below 2^513) for any finite data
        int e = Magnitude.exponent(x, y);
        e += e & 1;
        return Math.scalb(SQRT2 * Math.sqrt(CdfDistance.integral(x, y, true, Math.scalb(1.0, -e))), e / 2);
    }
}
