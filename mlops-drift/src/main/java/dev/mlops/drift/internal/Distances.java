package dev.mlops.drift.internal;

import java.util.Objects;

/**
 * Distances and divergences between a reference and a current distribution given as frequencies over
 * the same bins (counts from {@link Binning}, or any non-negative weights): each vector is divided by
 * its own sum first, so counts and shares give the same answer.
 *
 * <table>
 *   <caption>What each method computes and its reference</caption>
 *   <tr><th>method</th><th>formula (shares {@code p} reference, {@code q} current)</th><th>range</th>
 *       <th>agrees with</th></tr>
 *   <tr><td>{@link #psi}</td><td>{@code sum (p' - q') ln(p' / q')}, zero-filled shares</td>
 *       <td>[0, inf)</td><td>Evidently {@code psi}</td></tr>
 *   <tr><td>{@link #kullbackLeibler}</td><td>{@code sum p'' ln(p'' / q'')}, zero-filled shares renormalised</td>
 *       <td>[0, inf)</td><td>Evidently {@code kl_div} ({@code scipy.stats.entropy})</td></tr>
 *   <tr><td>{@link #jensenShannon}</td><td>{@code sqrt((KL(p || m) + KL(q || m)) / 2)}, {@code m = (p + q) / 2}</td>
 *       <td>[0, sqrt(ln 2)]</td><td>{@code scipy.spatial.distance.jensenshannon}</td></tr>
 *   <tr><td>{@link #hellinger}</td><td>{@code sqrt(sum (sqrt p - sqrt q)^2 / 2)}</td><td>[0, 1]</td>
 *       <td>Evidently {@code hellinger} (categorical)</td></tr>
 *   <tr><td>{@link #totalVariation}</td><td>{@code sum |p - q| / 2}</td><td>[0, 1]</td>
 *       <td>Evidently TVD statistic</td></tr>
 *   <tr><td>{@link #lInfinity}</td><td>{@code max |p - q|}</td><td>[0, 1]</td><td>NannyML L-infinity</td></tr>
 * </table>
 *
 * <p><b>Zero filling</b> (Evidently's {@code feel_zeroes}, used by its PSI and KL only, since both
 * divide by shares): in each share vector separately, every zero share is replaced by
 * {@code min_nonzero / 1e6} when the smallest non-zero share {@code min_nonzero} is at most
 * {@code 1e-4}, else by {@code 1e-4}. PSI then uses the filled shares as they are (their sums exceed 1
 * a little); KL renormalises them to sum 1 first, as {@code scipy.stats.entropy} does. So PSI and KL
 * stay finite for disjoint supports and categories unseen in the reference, but their size there is
 * set by the fill value, not by the data. Jensen-Shannon, Hellinger, total variation and L-infinity
 * need no filling: they are bounded and defined for zero shares.
 *
 * <p><b>Symmetry</b>: PSI, Jensen-Shannon, Hellinger, total variation and L-infinity are symmetric in
 * their two arguments; KL is not ({@code KL(reference || current)}).
 *
 * <p><b>Error bounds</b>: every sum is written as a sum of non-negative terms (for KL and
 * Jensen-Shannon the Bregman form {@code p ln(p / q) - p + q}, equal to the usual one because both
 * vectors sum to 1), so results are never negative and carry a relative error of a few units in the
 * last place per bin, except Jensen-Shannon and Hellinger near 0, where the final square root doubles
 * the relative error of a tiny divergence. Bounded results are clamped to their range to absorb rounding.
 *
 * <p>Stateless and thread-safe. Linear in the number of bins.
 */
public final class Distances {

    private static final double LN2 = Math.log(2);

    private Distances() {
    }

    /**
     * Population stability index, as Evidently's {@code psi} stattest, on zero-filled shares.
     *
     * @param reference reference frequencies per bin, finite and non-negative, positive sum
     * @param current current frequencies over the same bins
     * @return the PSI, at least 0
     */
    public static double psi(double[] reference, double[] current) {
        check(reference, current);
        double[] p = fill(shares(reference));
        double[] q = fill(shares(current));
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            // (p - q) and ln(p / q) always share a sign, so no term is negative.
            sum += (p[i] - q[i]) * Math.log(p[i] / q[i]);
        }
        return finite(sum, "psi");
    }

    /**
     * Kullback-Leibler divergence {@code KL(reference || current)} in nats, as Evidently's
     * {@code kl_div} stattest: {@code scipy.stats.entropy} of the zero-filled shares.
     *
     * @param reference reference frequencies per bin, finite and non-negative, positive sum
     * @param current current frequencies over the same bins
     * @return the divergence, at least 0
     */
    public static double kullbackLeibler(double[] reference, double[] current) {
        check(reference, current);
        double[] p = shares(fill(shares(reference)));
        double[] q = shares(fill(shares(current)));
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            sum += bregman(p[i], q[i]);
        }
        return finite(sum, "kullback-leibler");
    }

    /**
     * Jensen-Shannon distance with natural logarithms, as {@code scipy.spatial.distance.jensenshannon}
     * with its default base; no zero filling.
     *
     * @param reference reference frequencies per bin, finite and non-negative, positive sum
     * @param current current frequencies over the same bins
     * @return the distance, in {@code [0, sqrt(ln 2)]}
     */
    public static double jensenShannon(double[] reference, double[] current) {
        return Math.sqrt(jensenShannonDivergence(reference, current));
    }

    /**
     * Jensen-Shannon distance with logarithms to {@code base}: SciPy's {@code base} argument. Base 2
     * bounds the distance by 1; Evidently's stattest takes a {@code base} argument and passes SciPy's
     * natural-log default unless given one.
     *
     * @param reference reference frequencies per bin, finite and non-negative, positive sum
     * @param current current frequencies over the same bins
     * @param base the logarithm base, finite and above 1 (SciPy answers NaN below 1)
     * @return the distance, in {@code [0, sqrt(ln 2 / ln base)]}
     */
    public static double jensenShannon(double[] reference, double[] current, double base) {
        if (!(base > 1) || Double.isInfinite(base)) {
            throw new IllegalArgumentException("base must be finite and > 1, was " + base);
        }
        return Math.sqrt(jensenShannonDivergence(reference, current) / Math.log(base));
    }

    /**
     * Hellinger distance {@code sqrt(1 - sum sqrt(p q))}, computed as the equal
     * {@code sqrt(sum (sqrt p - sqrt q)^2 / 2)}, which keeps its accuracy near 0 where the first form
     * cancels. Evidently computes the first form for categorical features; for numeric ones it bins
     * differently (Sturges edges over the distinct values, always), which is not reproduced here.
     *
     * @param reference reference frequencies per bin, finite and non-negative, positive sum
     * @param current current frequencies over the same bins
     * @return the distance, in {@code [0, 1]}
     */
    public static double hellinger(double[] reference, double[] current) {
        check(reference, current);
        double[] p = shares(reference);
        double[] q = shares(current);
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            double d = Math.sqrt(p[i]) - Math.sqrt(q[i]);
            sum += d * d;
        }
        return Math.min(1.0, Math.sqrt(sum / 2));
    }

    /**
     * Total variation distance: half the L1 distance between the shares, the largest difference in
     * probability that the two distributions give one event.
     *
     * @param reference reference frequencies per bin, finite and non-negative, positive sum
     * @param current current frequencies over the same bins
     * @return the distance, in {@code [0, 1]}
     */
    public static double totalVariation(double[] reference, double[] current) {
        check(reference, current);
        double[] p = shares(reference);
        double[] q = shares(current);
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            sum += Math.abs(p[i] - q[i]);
        }
        return Math.min(1.0, sum / 2);
    }

    /**
     * L-infinity (Chebyshev) distance: the largest difference between the shares of one bin, as NannyML
     * uses for categorical features.
     *
     * @param reference reference frequencies per bin, finite and non-negative, positive sum
     * @param current current frequencies over the same bins
     * @return the distance, in {@code [0, 1]}
     */
    public static double lInfinity(double[] reference, double[] current) {
        check(reference, current);
        double[] p = shares(reference);
        double[] q = shares(current);
        double max = 0;
        for (int i = 0; i < p.length; i++) {
            max = Math.max(max, Math.abs(p[i] - q[i]));
        }
        return max;
    }

    /**
     * Shares with Evidently's zero filling: {@code frequencies / sum}, then each zero replaced by
     * {@code min_nonzero / 1e6} when {@code min_nonzero <= 1e-4}, else by {@code 1e-4}. Not
     * renormalised.
     *
     * @param frequencies frequencies per bin, finite and non-negative, positive sum
     * @return the filled shares, all positive
     */
    public static double[] filledShares(double[] frequencies) {
        Objects.requireNonNull(frequencies, "frequencies");
        checkFrequencies(frequencies, "frequencies");
        return fill(shares(frequencies));
    }

    private static double[] fill(double[] s) {
        double minNonZero = Double.POSITIVE_INFINITY;
        for (double v : s) {
            if (v != 0) {
                minNonZero = Math.min(minNonZero, v);
            }
        }
        double fill = minNonZero <= 1e-4 ? minNonZero / 1e6 : 1e-4;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == 0) {
                s[i] = fill;
            }
        }
        return s;
    }

    /** {@code (KL(p || m) + KL(q || m)) / 2} in nats, clamped to its bound {@code ln 2}. */
    private static double jensenShannonDivergence(double[] reference, double[] current) {
        check(reference, current);
        double[] p = shares(reference);
        double[] q = shares(current);
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            double m = (p[i] + q[i]) / 2.0;
            sum += bregman(p[i], m) + bregman(q[i], m);
        }
        return Math.min(LN2, sum / 2.0);
    }

    /** {@code x ln(x / y) - x + y}, the non-negative KL term when both vectors sum to 1; 0 ln 0 = 0. */
    private static double bregman(double x, double y) {
        if (x == 0) {
            return y;
        }
        return Math.max(0.0, x * Math.log(x / y) - x + y);
    }

    private static double[] shares(double[] frequencies) {
        double total = 0;
        for (double f : frequencies) {
            total += f;
        }
        double scale = 1;
        if (Double.isInfinite(total)) {
            // finite frequencies whose sum overflows: shares are scale free, so divide by a power of two
            // first (exact); the shares of smaller sums keep their bits
            double max = 0;
            for (double f : frequencies) {
                max = Math.max(max, f);
            }
            scale = Math.scalb(1.0, -Math.getExponent(max));
            total = 0;
            for (double f : frequencies) {
                total += f * scale;
            }
        }
        if (!(total > 0)) {
            throw new IllegalArgumentException("frequencies must have a positive sum, had " + total);
        }
        double[] s = new double[frequencies.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = frequencies[i] * scale / total;
        }
        return s;
    }

    /**
     * @return {@code value} when finite; a zero-filled share so small that its ratio to another share
     *     overflows (below about 1e-302, only for weights spanning more than the double range) is refused
     */
    private static double finite(double value, String method) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(method + " is not finite for these frequencies: a share is below "
                    + "the double range of its zero filling (smallest non-zero shares under about 1e-302)");
        }
        return value;
    }

    private static void check(double[] reference, double[] current) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(current, "current");
        if (reference.length == 0 || reference.length != current.length) {
            throw new IllegalArgumentException("reference and current must hold the same positive number of bins, had "
                    + reference.length + " and " + current.length);
        }
        checkFrequencies(reference, "reference");
        checkFrequencies(current, "current");
    }

    private static void checkFrequencies(double[] frequencies, String name) {
        double total = 0;
        for (int i = 0; i < frequencies.length; i++) {
            double f = frequencies[i];
            if (!(f >= 0) || Double.isInfinite(f)) {
                throw new IllegalArgumentException(name + " frequencies must be finite and >= 0; bin " + i + " holds " + f);
            }
            total += f;
        }
        if (!(total > 0)) {
            throw new IllegalArgumentException(name + " frequencies must not all be 0");
        }
    }
}
