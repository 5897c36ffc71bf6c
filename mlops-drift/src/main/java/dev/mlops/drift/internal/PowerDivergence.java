package dev.mlops.drift.internal;

import java.util.Objects;

/**
 * The machinery that {@link ChiSquare} and {@link GTest} share: SciPy's {@code power_divergence} for
 * Pearson's statistic and the log-likelihood ratio, on a 2 x k contingency table
 * ({@code chi2_contingency}) or against expected frequencies ({@code chisquare}).
 *
 * <p>Stateless and thread-safe.
 */
final class PowerDivergence {

    /** The two members of the Cressie-Read family in use. */
    enum Kind {
        /** Lambda 1: {@code sum (o - e)^2 / e}. */
        PEARSON,
        /** Lambda 0: {@code 2 sum o ln(o / e)}, the G statistic. */
        LOG_LIKELIHOOD
    }

    private PowerDivergence() {
    }

    static ContingencyResult homogeneity(long[] reference, long[] current, boolean yates, Kind kind) {
        long[][] table = informativeColumns(reference, current);
        long[] ref = table[0];
        long[] cur = table[1];
        int dof = ref.length - 1;
        if (dof == 0) {
            // SciPy's degenerate case: the single column's observed counts equal their expectation.
            return new ContingencyResult(0.0, 1.0, 0);
        }
        long refTotal = sum(ref, "reference");
        long curTotal = sum(cur, "current");
        long total = add(refTotal, curTotal, "reference and current together");
        double[] observed = new double[2 * ref.length];
        double[] expected = new double[2 * ref.length];
        for (int j = 0; j < ref.length; j++) {
            long column = ref[j] + cur[j];
            observed[2 * j] = ref[j];
            observed[2 * j + 1] = cur[j];
            expected[2 * j] = product(refTotal, column) / total;
            expected[2 * j + 1] = product(curTotal, column) / total;
        }
        if (dof == 1 && yates) {
            // Yates: move each observed count half a unit towards its expectation, never past it.
            for (int i = 0; i < observed.length; i++) {
                double diff = expected[i] - observed[i];
                observed[i] += Math.signum(diff) * Math.min(0.5, Math.abs(diff));
            }
        }
        double statistic = statistic(observed, expected, kind);
        return new ContingencyResult(statistic, chiSquareSurvival(statistic, dof), dof);
    }

    static ContingencyResult goodnessOfFit(long[] reference, long[] current, Kind kind) {
        long[][] table = informativeColumns(reference, current);
        long[] ref = table[0];
        long[] cur = table[1];
        int dof = ref.length - 1;
        if (dof == 0) {
            // SciPy answers NaN (a chi-square with 0 degrees of freedom); one category cannot drift.
            return new ContingencyResult(0.0, 1.0, 0);
        }
        double scale = (double) sum(cur, "current") / sum(ref, "reference");
        double[] observed = new double[ref.length];
        double[] expected = new double[ref.length];
        for (int j = 0; j < ref.length; j++) {
            if (ref[j] == 0) {
                // The null hypothesis gives this category probability 0 and it was observed.
                return new ContingencyResult(Double.POSITIVE_INFINITY, 0.0, dof);
            }
            observed[j] = cur[j];
            expected[j] = ref[j] * scale;
        }
        double statistic = statistic(observed, expected, kind);
        return new ContingencyResult(statistic, chiSquareSurvival(statistic, dof), dof);
    }

    /**
     * The upper tail {@code P(X >= statistic)} of a chi-square distribution, as the regularized upper
     * incomplete gamma function, which keeps its relative accuracy far into the tail (unlike
     * {@code 1 - cdf}).
     */
    static double chiSquareSurvival(double statistic, int dof) {
        if (Double.isInfinite(statistic)) {
            return 0.0;
        }
        if (statistic <= 0) {
            return 1.0;
        }
        double p = Special.regularizedGammaQ(dof / 2.0, statistic / 2.0);
        return Math.min(1.0, Math.max(0.0, p));
    }

    private static double statistic(double[] observed, double[] expected, Kind kind) {
        double sum = 0;
        if (kind == Kind.PEARSON) {
            for (int i = 0; i < observed.length; i++) {
                double d = observed[i] - expected[i];
                sum += d * d / expected[i];
            }
            return sum;
        }
        // 2 sum o ln(o / e) equals 2 sum [o ln(o / e) - o + e] because the totals agree, and the
        // second form has no negative terms, so near-identical samples cannot round to a negative G.
        for (int i = 0; i < observed.length; i++) {
            double o = observed[i];
            double e = expected[i];
            sum += o == 0 ? e : Math.max(0.0, o * Math.log(o / e) - o + e);
        }
        return 2 * sum;
    }

    /**
     * Checks the two count vectors and drops the categories neither sample holds: they carry no
     * information, and SciPy refuses them (a zero expected frequency).
     */
    private static long[][] informativeColumns(long[] reference, long[] current) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(current, "current");
        if (reference.length == 0 || reference.length != current.length) {
            throw new IllegalArgumentException("reference and current must hold the same positive number of counts, had "
                    + reference.length + " and " + current.length);
        }
        int kept = 0;
        for (int j = 0; j < reference.length; j++) {
            if (reference[j] < 0 || current[j] < 0) {
                throw new IllegalArgumentException("counts must be >= 0; category " + j + " holds " + reference[j]
                        + " and " + current[j]);
            }
            if (add(reference[j], current[j], "category " + j + " of reference and current") > 0) {
                kept++;
            }
        }
        long[] ref = new long[kept];
        long[] cur = new long[kept];
        int i = 0;
        for (int j = 0; j < reference.length; j++) {
            if (reference[j] + current[j] > 0) {
                ref[i] = reference[j];
                cur[i] = current[j];
                i++;
            }
        }
        if (sum(ref, "reference") == 0) {
            throw new IllegalArgumentException("reference must hold at least one observation");
        }
        if (sum(cur, "current") == 0) {
            throw new IllegalArgumentException("current must hold at least one observation");
        }
        return new long[][] {ref, cur};
    }

    private static long sum(long[] counts, String name) {
        long s = 0;
        for (long c : counts) {
            s = add(s, c, name);
        }
        return s;
    }

    /** {@code a + b} for counts, refused with a message naming them when it exceeds a long. */
    static long add(long a, long b, String what) {
        long s = a + b;
        if (((a ^ s) & (b ^ s)) < 0) {
            throw new IllegalArgumentException("counts of " + what + " must sum to at most " + Long.MAX_VALUE
                    + ", had " + a + " + " + b);
        }
        return s;
    }

    /** {@code a * b} as a double, exact before rounding when it fits a long (SciPy multiplies in int64). */
    private static double product(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        if ((high == 0 && low >= 0) || (high == -1 && low < 0)) {
            return low;
        }
        return (double) a * b;
    }
}
