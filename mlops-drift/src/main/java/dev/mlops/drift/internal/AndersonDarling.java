package dev.mlops.drift.internal;

import java.math.BigInteger;
import java.util.Objects;

/**
 * The k-sample Anderson-Darling test with mid-ranks for ties, computed as
 * {@code scipy.stats.anderson_ksamp(samples)} (SciPy 1.10.1, {@code midrank=True}) does.
 *
 * <p>The statistic is Scholz and Stephens' (1987) standardized A2akN (their eq. 7, for data with ties):
 * (A2akN - (k - 1)) / sigma, one k-way merge pass over the sorted samples. The p-value is SciPy's
 * interpolation: a quadratic fitted to log significance against the critical values of Scholz and
 * Stephens' Table 2 for significance levels 0.25 down to 0.001, evaluated at the statistic. Outside
 * that table SciPy caps the p-value at {@value #P_VALUE_CAP} and floors it at {@value #P_VALUE_FLOOR},
 * and so does this class: a p-value equal to one of those two means "at least" or "at most". The
 * statistic agrees with SciPy's to about 1e-14 relative, the p-value to about 1e-15; on tie-heavy samples of
 * up to 10^7 values (the known answers) bit for bit. Products of counts are taken in long and N^2, N^3
 * rounded once from exact integers, as SciPy's int64 and Python integers give them, so the statistic is
 * exact up to 2^31 - 9 values in all, whatever the ties; no array of N values is allocated.
 *
 * <p>Assumes continuous distributions under the null hypothesis. Stateless and thread-safe.
 *
 * <pre>{@code
 * NumericTestResult r = AndersonDarling.test(reference.sortedValues(), current.sortedValues());
 * }</pre>
 */
public final class AndersonDarling {
    /** The largest p-value reported; larger true p-values are capped to it, as in SciPy. */
    public static final double P_VALUE_CAP = 0.25;
    /** The smallest p-value reported; smaller true p-values are floored to it, as in SciPy. */
    public static final double P_VALUE_FLOOR = 0.001;

    private static final double[] B0 = {0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085};
    private static final double[] B1 = {-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615};
    private static final double[] B2 = {-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154};
    private static final double[] SIG = {0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001};

    private AndersonDarling() {
    }

    /**
     * The two-sample test.
     *
     * @param x the first sample, ascending without NaN, at least one value
     * @param y the second sample, ascending without NaN, at least one value
     * @return the standardized statistic and its interpolated p-value in
     *     {@code [P_VALUE_FLOOR, P_VALUE_CAP]}
     * @throws IllegalArgumentException when a sample is empty, unsorted or holds NaN, when there are
     *     fewer than three values in all, or when all values are equal
     */
    public static NumericTestResult test(double[] x, double[] y) {
        NumericSamples.check("x", x, 1);
        NumericSamples.check("y", y, 1);
        return test(new double[][] {x, y});
    }

    /**
     * The k-sample test.
     *
     * @param samples at least two samples, each ascending without NaN and with at least one value
     * @return the standardized statistic and its interpolated p-value in
     *     {@code [P_VALUE_FLOOR, P_VALUE_CAP]}
     * @throws IllegalArgumentException when there are fewer than two samples, a sample is empty,
     *     unsorted or holds NaN, there are fewer than three values in all, or all values are equal
     */
    public static NumericTestResult test(double[][] samples) {
        Objects.requireNonNull(samples, "samples");
        int k = samples.length;
        if (k < 2) {
            throw new IllegalArgumentException("samples must hold at least 2 samples, had " + k);
        }
        long total = 0;
        for (int i = 0; i < k; i++) {
            NumericSamples.check("samples[" + i + "]", samples[i], 1);
            total += samples[i].length;
        }
        if (total < 3) {
            throw new IllegalArgumentException("samples must hold at least 3 values in all, had " + total);
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("samples must hold at most " + (Integer.MAX_VALUE - 8)
                    + " values in all, had " + total);
        }
        int n = (int) total;
        double a2akn = midrankStatistic(samples, n);
        double h1 = 0;
        for (double[] s : samples) {
            h1 += 1.0 / s.length;
        }
        // hs[j] = 1/(N-1) + ... + 1/(N-1-j), summed in that order as NumPy's cumsum does; g sums hs[j]/(j+2)
        // in NumPy's pairwise order, term by term, so no array of N values is needed
        double[] cumulative = {0};
        double g = PairwiseSum.sum(n - 2, j -> {
            cumulative[0] += 1.0 / (n - 1 - j);
            return cumulative[0] / (j + 2);
        });
        double h = cumulative[0] + 1;
        double kk = (double) k * k;
        double a = (4 * g - 6) * (k - 1) + (10 - 6 * g) * h1;
        double b = (2 * g - 4) * kk + 8 * h * k + (2 * g - 14 * h - 4) * h1 - 8 * h + 4 * g - 6;
        double c = (6 * h + 2 * g - 2) * kk + (4 * h - 4 * g + 6) * k + (2 * h - 6) * h1 + 4 * h;
        double d = (2 * h + 6) * kk - 4 * h * k;
        // N^2 and N^3 rounded once from their exact values, as Python's integers give them to SciPy (N^3
        // overflows a long from N = 2^21 on)
        double n2 = (double) ((long) n * n);
        double n3 = BigInteger.valueOf(n).pow(3).doubleValue();
        double sigmaSq = (a * n3 + b * n2 + c * n + d) / ((n - 1.0) * (n - 2.0) * (n - 3.0));
        int m = k - 1;
        double a2 = (a2akn - m) / Math.sqrt(sigmaSq);
        return new NumericTestResult(a2, pValue(a2, m));
    }

    /**
     * A2akN of Scholz and Stephens (1987), eq. 7: ties counted at mid-rank. One merge pass counts the
     * distinct values; then per sample one more pass sums its terms over them in NumPy's pairwise order,
     * as SciPy's {@code inner.sum()}. Counts that multiply (N times a tie's size) are taken in long, as
     * SciPy takes them in int64.
     */
    private static double midrankStatistic(double[][] samples, int n) {
        int k = samples.length;
        int distinct = 0;
        for (Merge merge = new Merge(samples); merge.next(); ) {
            distinct++;
        }
        if (distinct < 2) {
            throw new IllegalArgumentException("samples must hold more than one distinct value");
        }
        double sum = 0;
        for (int i = 0; i < k; i++) {
            int sample = i;
            Merge merge = new Merge(samples);
            double inner = PairwiseSum.sum(distinct, j -> {
                merge.next();
                int lj = merge.tied;
                double bj = merge.left + lj / 2.0;
                int fij = merge.end[sample] - merge.pos[sample];
                double mij = merge.end[sample] - fij / 2.0;
                double dev = n * mij - bj * samples[sample].length;
                return (double) lj / n * (dev * dev) / (bj * (n - bj) - (double) ((long) n * lj) / 4.0);
            });
            sum += inner / samples[i].length;
        }
        return sum * ((n - 1.0) / n);
    }

    /**
     * A k-way merge over sorted samples, one distinct value at a time: after {@link #next()}, sample i holds
     * the value at {@code [pos[i], end[i])}, {@code left} values of all samples lie below it and
     * {@code tied} equal it.
     */
    private static final class Merge {
        private final double[][] samples;
        final int[] pos;
        final int[] end;
        int left;
        int tied;

        Merge(double[][] samples) {
            this.samples = samples;
            this.pos = new int[samples.length];
            this.end = new int[samples.length];
        }

        boolean next() {
            left += tied;
            double v = Double.POSITIVE_INFINITY;
            boolean found = false;
            for (int i = 0; i < samples.length; i++) {
                pos[i] = end[i];
                if (pos[i] < samples[i].length && (!found || samples[i][pos[i]] < v)) {
                    v = samples[i][pos[i]];
                    found = true;
                }
            }
            if (!found) {
                tied = 0;
                return false;
            }
            int lj = 0;
            for (int i = 0; i < samples.length; i++) {
                end[i] = NumericSamples.advancePast(samples[i], pos[i], v);
                lj += end[i] - pos[i];
            }
            tied = lj;
            return true;
        }
    }

    /** SciPy's capped, floored, log-quadratic interpolation in Scholz and Stephens' Table 2. */
    private static double pValue(double a2, int m) {
        double[] critical = new double[B0.length];
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < critical.length; i++) {
            critical[i] = B0[i] + B1[i] / Math.sqrt(m) + B2[i] / m;
            min = Math.min(min, critical[i]);
            max = Math.max(max, critical[i]);
        }
        if (a2 < min) {
            return P_VALUE_CAP;
        }
        if (a2 > max) {
            return P_VALUE_FLOOR;
        }
        if (Double.isNaN(a2)) {
            return Double.NaN;
        }
        double[] coefficients = quadraticFit(critical);
        return Math.exp((coefficients[0] * a2 + coefficients[1]) * a2 + coefficients[2]);
    }

    /** Least squares fit of log(SIG) by a quadratic in x, with NumPy polyfit's column scaling. */
    private static double[] quadraticFit(double[] x) {
        int rows = x.length;
        double[][] lhs = new double[rows][3];
        double[] scale = new double[3];
        for (int r = 0; r < rows; r++) {
            lhs[r][0] = x[r] * x[r];
            lhs[r][1] = x[r];
            lhs[r][2] = 1;
            for (int col = 0; col < 3; col++) {
                scale[col] += lhs[r][col] * lhs[r][col];
            }
        }
        for (int col = 0; col < 3; col++) {
            scale[col] = Math.sqrt(scale[col]);
        }
        double[] rhs = new double[rows];
        for (int r = 0; r < rows; r++) {
            for (int col = 0; col < 3; col++) {
                lhs[r][col] /= scale[col];
            }
            rhs[r] = Math.log(SIG[r]);
        }
        double[] solution = HouseholderQr.leastSquares(lhs, rhs);
        double[] coefficients = new double[3];
        for (int col = 0; col < 3; col++) {
            coefficients[col] = solution[col] / scale[col];
        }
        return coefficients;
    }
}
