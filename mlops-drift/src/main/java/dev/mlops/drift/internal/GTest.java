package dev.mlops.drift.internal;

/**
 * G-tests (log-likelihood ratio tests) of a current categorical sample against a reference, the
 * likelihood-ratio counterparts of {@link ChiSquare}, with the same designs, conventions and handling
 * of unseen or empty categories; the statistic is {@code G = 2 sum o ln(o / e)}, asymptotically
 * chi-square with {@code k - 1} degrees of freedom.
 *
 * <ul>
 *   <li>{@link #homogeneity}: {@code scipy.stats.chi2_contingency(table, correction,
 *       lambda_="log-likelihood")}. SciPy applies Yates' correction to the observed counts before taking
 *       G as well, again only with one degree of freedom; so does this method when asked.
 *   <li>{@link #goodnessOfFit}: {@code scipy.stats.power_divergence(current, reference * n_current /
 *       n_reference, lambda_="log-likelihood")}. Evidently's {@code g_test} passes the reference counts
 *       unscaled, which SciPy 1.9 and later refuse unless both samples have the same size; scaling is
 *       what the test means.
 * </ul>
 *
 * <p><b>Accuracy</b>: G is summed as {@code 2 sum [o ln(o / e) - o + e]}, equal because the observed and
 * expected totals agree, with no negative terms; it agrees with SciPy to about {@code 1e-12} relative,
 * and where both are near 0 this form is the more accurate. P-values as in {@link ChiSquare}.
 *
 * <p>Stateless and thread-safe. Linear in the number of categories.
 */
public final class GTest {

    private GTest() {
    }

    /**
     * G-test of homogeneity of the 2 x k table of reference and current counts.
     *
     * @param reference reference counts per category, each at least 0, at least one positive
     * @param current current counts over the same categories, each at least 0, at least one positive
     * @param yates whether to apply Yates' correction when the table has one degree of freedom
     *     (SciPy's default is {@code true})
     * @return the statistic, p-value and degrees of freedom
     */
    public static ContingencyResult homogeneity(long[] reference, long[] current, boolean yates) {
        return PowerDivergence.homogeneity(reference, current, yates, PowerDivergence.Kind.LOG_LIKELIHOOD);
    }

    /**
     * G-test goodness of fit of the current counts to the reference shares.
     *
     * @param reference reference counts per category, each at least 0, at least one positive
     * @param current current counts over the same categories, each at least 0, at least one positive
     * @return the statistic, p-value and degrees of freedom
     */
    public static ContingencyResult goodnessOfFit(long[] reference, long[] current) {
        return PowerDivergence.goodnessOfFit(reference, current, PowerDivergence.Kind.LOG_LIKELIHOOD);
    }
}
