package dev.mlops.drift.internal;

/**
 * Power-of-two scaling for the statistics that do arithmetic on the values themselves (means,
 * variances, gaps between values): with every value multiplied by {@code 2^-e}, where {@code 2^e} is
 * the largest finite magnitude's binade, no sum, square or difference of finite inputs can overflow.
 * Multiplying by a power of two is exact unless a result is subnormal, so for ordinary data every
 * operation gives the same bits as the unscaled one, scaled; only terms smaller than {@code 2^-1022}
 * times the largest value lose digits, and those cannot move a sum of the larger terms.
 * Stateless and thread-safe.
 */
final class Magnitude {
    private Magnitude() {
    }

    /**
     * @param sorted ascending arrays without NaN (infinities are skipped)
     * @return {@code e} with every finite {@code |v| < 2^(e + 1)} and the largest at least {@code 2^e}
     *     (for subnormal maxima {@code -1023}); 0 when no value is finite and non-zero. Always in
     *     {@code [-1023, 1023]}, so {@link #factor} is an exact double.
     */
    static int exponent(double[]... sorted) {
        double max = 0;
        for (double[] a : sorted) {
            int lo = 0;
            while (lo < a.length && Double.isInfinite(a[lo])) {
                lo++;
            }
            int hi = a.length - 1;
            while (hi >= lo && Double.isInfinite(a[hi])) {
                hi--;
            }
            if (lo <= hi) {
                max = Math.max(max, Math.max(Math.abs(a[lo]), Math.abs(a[hi])));
            }
        }
        return max == 0 ? 0 : Math.getExponent(max);
    }

    /** @return {@code 2^-e}, exact for {@code e} in {@code [-1023, 1023]} */
    static double factor(int e) {
        return Math.scalb(1.0, -e);
    }
}
