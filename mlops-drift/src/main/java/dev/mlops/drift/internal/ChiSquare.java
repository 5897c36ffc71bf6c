package dev.mlops.drift.internal;

/**
 * Pearson's chi-square tests of a current categorical sample against a reference, on counts over the
 * same categories (for example {@link Bins#reference()} and {@link Bins#current()}).
 *
 * <ul>
 *   <li>{@link #homogeneity}: are both samples drawn from one distribution? The 2 x k contingency table
 *       of reference and current counts, as {@code scipy.stats.chi2_contingency(table, correction)}:
 *       expected counts {@code row total * column total / grand total}, {@code k - 1} degrees of freedom,
 *       and with {@code correction} Yates' continuity correction, which SciPy (and so this class)
 *       applies only when there is exactly one degree of freedom (two categories). Both samples are
 *       random here, so a category unseen in the reference is just a column with a zero reference count.
 *   <li>{@link #goodnessOfFit}: does the current sample follow the reference shares, taken as exact?
 *       {@code scipy.stats.chisquare(current, reference * n_current / n_reference)}, as Evidently's
 *       {@code chisquare} stattest; {@code k - 1} degrees of freedom. A category unseen in the reference
 *       has expected count 0: the statistic is {@code +Infinity} and the p-value 0, as in SciPy, since
 *       under this null hypothesis such an observation is impossible. Prefer {@link #homogeneity} when
 *       the reference is itself a sample and new categories may appear.
 * </ul>
 *
 * <p>Categories that neither sample holds are left out (SciPy raises on them instead). With a single
 * remaining category the result is statistic 0, p-value 1, 0 degrees of freedom; SciPy's
 * {@code chisquare} answers NaN there.
 *
 * <p><b>Assumptions and accuracy</b>: the chi-square distribution of the statistic is asymptotic; the
 * usual rule asks for expected counts of at least 5 per cell, and {@link FisherExact} is exact for two
 * categories. The statistic is computed with the same operations as SciPy (agreeing to about
 * {@code 1e-12} relative); the p-value is the regularized upper incomplete gamma function, relative error
 * about {@code 1e-14} well into the tail.
 *
 * <p>Stateless and thread-safe. Linear in the number of categories.
 */
public final class ChiSquare {

    private ChiSquare() {
    }

    /**
     * Chi-square test of homogeneity of the 2 x k table of reference and current counts.
     *
     * @param reference reference counts per category, each at least 0, at least one positive
     * @param current current counts over the same categories, each at least 0, at least one positive
     * @param yates whether to apply Yates' correction when the table has one degree of freedom
     *     (SciPy's default is {@code true})
     * @return the statistic, p-value and degrees of freedom
     */
    public static ContingencyResult homogeneity(long[] reference, long[] current, boolean yates) {
        return PowerDivergence.homogeneity(reference, current, yates, PowerDivergence.Kind.PEARSON);
    }

    /**
     * Chi-square goodness of fit of the current counts to the reference shares.
     *
     * @param reference reference counts per category, each at least 0, at least one positive
     * @param current current counts over the same categories, each at least 0, at least one positive
     * @return the statistic, p-value and degrees of freedom
     */
    public static ContingencyResult goodnessOfFit(long[] reference, long[] current) {
        return PowerDivergence.goodnessOfFit(reference, current, PowerDivergence.Kind.PEARSON);
    }
}
