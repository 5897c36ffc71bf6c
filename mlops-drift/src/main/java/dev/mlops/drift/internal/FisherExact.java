package dev.mlops.drift.internal;

import java.util.Arrays;
import java.util.Objects;

/**
 * Fisher's exact test on a 2 x 2 table {@code [[a, b], [c, d]]}, as {@code scipy.stats.fisher_exact}:
 * conditional on the margins, {@code a} is hypergeometric, and the p-value sums the probabilities of
 * the tables at least as extreme. For drift on a binary feature, put the reference in one row and the
 * current sample in the other (Evidently puts the current sample first).
 *
 * <ul>
 *   <li>{@link Alternative#TWO_SIDED}: the sum over every table no more probable than the observed one.
 *       Probabilities within a relative {@code 1e-7} of the observed one count as equal (R's
 *       {@code fisher.test} does the same); SciPy uses {@code 1e-14} on its own rounding, so the two
 *       differ only where two tables' probabilities differ by less than one part in ten million.
 *   <li>{@link Alternative#LESS}: {@code P(A <= a)}, the odds ratio below 1.
 *   <li>{@link Alternative#GREATER}: {@code P(A >= a)}, the odds ratio above 1.
 * </ul>
 *
 * <p>The statistic is SciPy's, the sample odds ratio {@code a d / (b c)}: {@code +Infinity} when
 * {@code b c = 0}, NaN with p-value 1 when a row or a column is empty.
 *
 * <p><b>Accuracy</b>: the hypergeometric probabilities are built from the mode outward as products of
 * successive ratios, in logarithms, so each carries a relative error of about {@code 1e-16} times its
 * distance from the mode; probabilities below {@code e^-700} of the mode's are taken as 0. P-values agree
 * with SciPy to about {@code 1e-12} absolute. Cost: linear in the spread of the distribution, about 38
 * standard deviations of the hypergeometric distribution on each side of the mode; tables that would need
 * more than {@value #MAX_WALK} terms on a side (about 10^12 observations when balanced) are refused with an
 * {@link IllegalArgumentException}.
 *
 * <p>Stateless and thread-safe.
 */
public final class FisherExact {

    /** Terms this far (in natural log) below the mode's are smaller than any double's share of the sum. */
    private static final double CUTOFF = 700;
    /** The most probabilities walked on each side of the mode (80 MB): a spread of about 260,000. */
    static final int MAX_WALK = 10_000_000;
    /** Relative tolerance under which two table probabilities count as equal (two-sided test). */
    private static final double TIE = 1e-7;

    /** Which departure from independence the p-value measures. */
    public enum Alternative {
        /** Either direction. */
        TWO_SIDED,
        /** Odds ratio below 1: {@code P(A <= a)}. */
        LESS,
        /** Odds ratio above 1: {@code P(A >= a)}. */
        GREATER
    }

    /**
     * The outcome of the test.
     *
     * @param oddsRatio the sample odds ratio {@code a d / (b c)}; may be {@code +Infinity} or NaN
     * @param pValue the p-value, in {@code [0, 1]}
     */
    public record Result(double oddsRatio, double pValue) {
        /**
         * Validates the parts.
         *
         * @param oddsRatio the sample odds ratio {@code a d / (b c)}; may be {@code +Infinity} or NaN
         * @param pValue the p-value, in {@code [0, 1]}
         */
        public Result {
            if (!(pValue >= 0 && pValue <= 1)) {
                throw new IllegalArgumentException("pValue must be in [0, 1], was " + pValue);
            }
        }
    }

    private FisherExact() {
    }

    /**
     * Fisher's exact test of the table {@code [[a, b], [c, d]]}.
     *
     * @param a the first row's first cell, at least 0
     * @param b the first row's second cell, at least 0
     * @param c the second row's first cell, at least 0
     * @param d the second row's second cell, at least 0
     * @param alternative which departure the p-value measures
     * @return the odds ratio and the p-value
     */
    public static Result test(long a, long b, long c, long d, Alternative alternative) {
        Objects.requireNonNull(alternative, "alternative");
        if (a < 0 || b < 0 || c < 0 || d < 0) {
            throw new IllegalArgumentException("table cells must be >= 0, were [[" + a + ", " + b + "], [" + c + ", "
                    + d + "]]");
        }
        long row1 = PowerDivergence.add(a, b, "the first row");
        long row2 = PowerDivergence.add(c, d, "the second row");
        long col1 = PowerDivergence.add(a, c, "the first column");
        long total = PowerDivergence.add(row1, row2, "the table");
        PowerDivergence.add(b, d, "the second column");
        if (row1 == 0 || row2 == 0 || col1 == 0 || total == col1) {
            return new Result(Double.NaN, 1.0);
        }
        double oddsRatio = b > 0 && c > 0 ? product(a, d) / product(c, b) : Double.POSITIVE_INFINITY;
        return new Result(oddsRatio, pValue(a, row1, row2, col1, alternative));
    }

    /**
     * P-value for {@code A = a}, A hypergeometric: {@code col1} draws from {@code row1} marked and
     * {@code row2} unmarked items.
     */
    private static double pValue(long a, long row1, long row2, long col1, Alternative alternative) {
        long lo = Math.max(0, col1 - row2);
        long hi = Math.min(col1, row1);
        long mode = Math.max(lo, Math.min(hi, mode(row1, row2, col1)));
        // each side walks until the log-probability falls CUTOFF below the mode's: about sqrt(2 CUTOFF) = 37.4
        // standard deviations of the hypergeometric distribution; refuse tables that would need more terms
        double n = (double) row1 + row2;
        double sd = Math.sqrt((double) col1 / n * row1 / n * row2 * (n - col1) / (n - 1));
        if (Math.min(hi - lo, 38 * sd) > MAX_WALK) {
            throw new IllegalArgumentException("fisher_exact needs about " + Math.round(38 * sd)
                    + " table probabilities on each side of the mode for margins " + row1 + ", " + row2 + " and "
                    + col1 + "; at most " + MAX_WALK + " are computed (tables up to about 10^12 observations), so"
                    + " use the z-test or chi-square test on tables this large");
        }
        // Log-probabilities relative to the mode, walking out on each side until they vanish.
        double[] below = walk(mode, lo, -1, row1, row2, col1);
        double[] above = walk(mode, hi, +1, row1, row2, col1);
        double total = 1.0;
        for (int i = 1; i < below.length; i++) {
            total += Math.exp(below[i]);
        }
        for (int i = 1; i < above.length; i++) {
            total += Math.exp(above[i]);
        }
        double observed = logWeight(a, mode, below, above);
        double sum = 0;
        switch (alternative) {
            case LESS:
                if (a >= mode + above.length) {
                    return 1.0;
                }
                for (int i = 0; i < below.length; i++) {
                    sum += mode - i <= a ? Math.exp(below[i]) : 0;
                }
                for (int i = 1; i < above.length && mode + i <= a; i++) {
                    sum += Math.exp(above[i]);
                }
                break;
            case GREATER:
                if (a <= mode - below.length) {
                    return 1.0;
                }
                for (int i = 0; i < above.length; i++) {
                    sum += mode + i >= a ? Math.exp(above[i]) : 0;
                }
                for (int i = 1; i < below.length && mode - i >= a; i++) {
                    sum += Math.exp(below[i]);
                }
                break;
            case TWO_SIDED:
                if (observed == Double.NEGATIVE_INFINITY) {
                    return 0.0;
                }
                double limit = observed + TIE;
                for (int i = 0; i < below.length; i++) {
                    sum += below[i] <= limit ? Math.exp(below[i]) : 0;
                }
                for (int i = 1; i < above.length; i++) {
                    sum += above[i] <= limit ? Math.exp(above[i]) : 0;
                }
                break;
            default:
                throw new AssertionError(alternative);
        }
        return Math.min(1.0, sum / total);
    }

    /** The log-probability of {@code a} relative to the mode's, or minus infinity when it vanished. */
    private static double logWeight(long a, long mode, double[] below, double[] above) {
        long offset = a - mode;
        if (offset <= 0 && -offset < below.length) {
            return below[(int) -offset];
        }
        if (offset >= 0 && offset < above.length) {
            return above[(int) offset];
        }
        return Double.NEGATIVE_INFINITY;
    }

    /**
     * Log-weights of {@code mode, mode + step, ...} up to {@code end}, relative to the mode, stopping
     * once they fall {@link #CUTOFF} below it; element 0 is the mode itself.
     */
    private static double[] walk(long mode, long end, int step, long row1, long row2, long col1) {
        double[] out = new double[16];
        int n = 1;
        double w = 0;
        for (long x = mode; x != end; x += step) {
            // P(x + 1) / P(x) = (row1 - x)(col1 - x) / ((x + 1)(row2 - col1 + x + 1))
            double ratio;
            if (step > 0) {
                ratio = ((double) (row1 - x) * (col1 - x)) / ((double) (x + 1) * (row2 - col1 + x + 1));
            } else {
                ratio = ((double) x * (row2 - col1 + x)) / ((double) (row1 - x + 1) * (col1 - x + 1));
            }
            w += Math.log(ratio);
            if (w < -CUTOFF) {
                break;
            }
            if (n == out.length) {
                out = Arrays.copyOf(out, 2 * n);
            }
            out[n++] = w;
        }
        return Arrays.copyOf(out, n);
    }

    /** {@code floor((col1 + 1)(row1 + 1) / (total + 2))}, the hypergeometric mode, exact when it fits. */
    private static long mode(long row1, long row2, long col1) {
        try {
            return Math.multiplyExact(Math.addExact(col1, 1), Math.addExact(row1, 1))
                    / Math.addExact(Math.addExact(row1, row2), 2);
        } catch (ArithmeticException e) {
            return (long) Math.floor((double) (col1 + 1) * (row1 + 1) / ((double) row1 + row2 + 2));
        }
    }

    /** {@code a * b} as a double, exact before rounding when it fits a long (SciPy multiplies in int64). */
    private static double product(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return (double) a * b;
        }
    }
}
