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
     * @return the distance, at least 0; infinite only when a sample holds an infinity, as in SciPy
     * @throws IllegalArgumentException when a sample is empty, unsorted or holds NaN, or when the distance
     *     of these finite samples exceeds {@code Double.MAX_VALUE} (it is at most their range, which can
     *     reach twice that; {@link #normed} stays finite)
     */
    public static double distance(double[] x, double[] y) {
        NumericSamples.check("x", x, 1);
        NumericSamples.check("y", y, 1);
        int e = Magnitude.exponent(x, y);
        double scaled = CdfDistance.integral(x, y, false, Magnitude.factor(e));
        double w = Math.scalb(scaled, e);
        if (Double.isInfinite(w) && Double.isFinite(scaled)) {
            throw new IllegalArgumentException("the Wasserstein distance of x and y exceeds Double.MAX_VALUE; their values span " + Math.min(x[0], y[0]) + " to "
                    + Math.max(x[x.length - 1], y[y.length - 1]));
        }
        return w;
    }

    /**
     * The distance divided by {@code divisor}, computed on the values scaled by a power of two so that
     * neither the distance nor the quotient overflows on the way: the same bits as
     * {@code distance(x, y) / divisor} wherever that does not overflow, and a finite answer whenever the
     * quotient itself is in the double range. Evidently's normed distance divides by the reference's
     * standard deviation (ddof 0, at least 0.001).
     *
     * @param x the first sample, ascending without NaN, at least one value
     * @param y the second sample, ascending without NaN, at least one value
     * @param divisor a positive finite divisor
     * @return the normed distance, at least 0; infinite only when a sample holds an infinity
     * @throws IllegalArgumentException when a sample is empty, unsorted or holds NaN, when the divisor is not
     *     positive and finite, or when the quotient exceeds {@code Double.MAX_VALUE}
     */
    public static double normed(double[] x, double[] y, double divisor) {
        NumericSamples.check("x", x, 1);
        NumericSamples.check("y", y, 1);
        if (!(divisor > 0) || Double.isInfinite(divisor)) {
            throw new IllegalArgumentException("divisor must be positive and finite, was " + divisor);
        }
        int e = Magnitude.exponent(x, y);
        double scaled = CdfDistance.integral(x, y, false, Magnitude.factor(e));
        int de = Math.getExponent(divisor);
        double mantissa = Math.scalb(divisor, -de);
        double q = Math.scalb(scaled / mantissa, e - de);
        if (Double.isInfinite(q) && Double.isFinite(scaled)) {
            throw new IllegalArgumentException("the Wasserstein distance of x and y divided by " + divisor
                    + " exceeds the double range; their values span " + Math.min(x[0], y[0]) + " to "
                    + Math.max(x[x.length - 1], y[y.length - 1]));
        }
        return q;
    }
}
