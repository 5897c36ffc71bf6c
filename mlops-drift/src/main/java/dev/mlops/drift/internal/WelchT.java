package dev.mlops.drift.internal;


/**
 * Welch's unequal-variance t-test, two-sided, computed as
 * {@code scipy.stats.ttest_ind(x, y, equal_var=False)} (SciPy 1.10.1) does.
 *
 * <p>t = (mean(x) - mean(y)) / sqrt(var(x)/n + var(y)/m) with unbiased variances, and
 * Welch-Satterthwaite degrees of freedom. Means and variances are summed in NumPy's order, so the
 * statistic matches SciPy to the last bits on the same (sorted) input. Each sample is first scaled by a
 * power of two (exact), so that no sum or square overflows: near 1e300 SciPy's variances overflow and its t
 * is NaN or 0, here t is the one SciPy gives on the same data scaled down, and it is infinite only when it
 * truly exceeds the double range. The p-value is
 * 2 Pr(T_df >= |t|), from the regularized incomplete beta function of {@link Special} (within 1.4e-12
 * relative of SciPy's in the known-answer tests, down to p = 1e-71: the rounding of df/2 and of
 * df/(df + t²), which SciPy's {@code stdtr} does not form, costs that much at df = 2e4; the beta
 * function itself is exact there to 1e-16).
 *
 * <p>Assumes independent samples from normal distributions; for large samples it is a test of equal
 * means regardless of shape. Degenerate inputs give SciPy's answers: two constant samples with
 * different values give t = +/-infinity and p = 0; two constant samples with the same value give NaN for
 * both. Stateless and thread-safe.
 *
 * <pre>{@code
 * NumericTestResult r = WelchT.test(reference.sortedValues(), current.sortedValues());
 * }</pre>
 */
public final class WelchT {
    private WelchT() {
    }

    /**
     * @param x the first sample, ascending without NaN, at least two values
     * @param y the second sample, ascending without NaN, at least two values
     * @return the t statistic (positive when x has the larger mean) and its two-sided p-value
     * @throws IllegalArgumentException when a sample has fewer than two values, is unsorted or holds NaN
     */
    public static NumericTestResult test(double[] x, double[] y) {
        NumericSamples.check("x", x, 2);
        NumericSamples.check("y", y, 2);
        Scaled sx = Scaled.of(x);
        Scaled sy = Scaled.of(y);
        // the variances in a common binade: that of the more spread sample, so that a sample whose spread
        // is negligible beside the other's is the only one that can lose digits
        int e = sx.variance > 0 && (sy.variance == 0 || sx.exponent >= sy.exponent) ? sx.exponent
                : sy.variance > 0 ? sy.exponent : Math.max(sx.exponent, sy.exponent);
        double vn1 = Math.scalb(sx.variance / x.length, 2 * (sx.exponent - e));
        double vn2 = Math.scalb(sy.variance / y.length, 2 * (sy.exponent - e));
        double df = (vn1 + vn2) * (vn1 + vn2) / (vn1 * vn1 / (x.length - 1) + vn2 * vn2 / (y.length - 1));
        if (Double.isNaN(df)) {
            // both variances are zero; as in SciPy any df serves, the p-value is then 0 or NaN
            df = 1;
        }
        // the difference of the means in the binade of the larger one, where it cannot overflow
        int g = Math.max(sx.exponent, sy.exponent);
        double d = Math.scalb(sx.mean, sx.exponent - g) - Math.scalb(sy.mean, sy.exponent - g);
        // exact rescaling; beyond the double range t is infinite, and so it is for SciPy's constant samples
        double t = Math.scalb(d / Math.sqrt(vn1 + vn2), g - e);
        return new NumericTestResult(t, twoSidedP(t, df));
    }

    /**
     * A sample's mean and unbiased variance computed on its values times {@code 2^-exponent}, in
     * NumPy's order: the same bits as SciPy's, scaled, and never an overflow.
     */
    private record Scaled(int exponent, double mean, double variance) {
        static Scaled of(double[] a) {
            int e = Magnitude.exponent(a);
            double f = Magnitude.factor(e);
            int n = a.length;
            double mean = PairwiseSum.sum(a, v -> v * f) / n;
            double m2 = PairwiseSum.sum(a, v -> (v * f - mean) * (v * f - mean)) / n;
            return new Scaled(e, mean, m2 * ((double) n / (n - 1)));
        }
    }

    /**
     * 2 Pr(T_df >= |t|) = I_x(df/2, 1/2) with x = df / (df + t^2). The continued fraction converges for x
     * below (a + 1) / (a + b + 2); above it the complement 1 - I_y(1/2, df/2) is taken with
     * y = t^2 / (df + t^2) formed directly, as 1 - x would lose the digits of a small y.
     */
    static double twoSidedP(double t, double df) {
        if (Double.isNaN(t)) {
            return Double.NaN;
        }
        if (Double.isInfinite(t)) {
            return 0.0;
        }
        double t2 = t * t;
        double a = 0.5 * df;
        double x = df / (df + t2);
        if (x <= (a + 1) / (a + 2.5)) {
            return Math.min(1.0, Special.regularizedBeta(x, a, 0.5));
        }
        double y = t2 / (df + t2);
        return 1.0 - Special.regularizedBeta(y, 0.5, a);
    }
}
