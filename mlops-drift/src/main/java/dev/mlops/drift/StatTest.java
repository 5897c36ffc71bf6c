package dev.mlops.drift;

import dev.mlops.core.drift.Rule;

/**
 * The batch drift tests and distances, with the default threshold and rule of each (Evidently's
 * defaults where Evidently has the method). Every method's numbers agree with SciPy's where SciPy has
 * the method (see the known-answer tests of mlops-drift); binned distances follow Evidently's binning.
 *
 * <p><b>Binary tests</b> ({@link #Z_PROPORTION}, {@link #FISHER_EXACT}) compare the share of one
 * category, the <em>hit</em>: the category that sorts last among those of the reference and the
 * current sample together (categories by {@link String#compareTo}, numeric values by value). So the
 * hit does not depend on which categories the reference happens to hold, and it is the category
 * Evidently's {@code z} stattest counts (it sorts the union of both samples' values and counts every
 * value but the first).
 *
 * <p><b>Thresholds</b>: a p-value level is in {@code [0, 1]}; a threshold on a statistic is finite, at
 * least 0 and at most {@link #maxStatistic()}, so that a threshold meant for another scale (for example
 * 0.9 for the natural-log Jensen-Shannon distance, which never exceeds 0.8326) fails at once instead of
 * never firing.
 */
public enum StatTest {
    /**
     * Two-sample Kolmogorov-Smirnov, two-sided; exact or asymptotic p-value as SciPy's {@code method='auto'}.
     * Its statistic D is in {@code [0, 1]}, so it may also be judged as an effect size with
     * {@link Rule#STATISTIC_AT_LEAST} (for example D at least 0.1).
     */
    KOLMOGOROV_SMIRNOV("ks", Kind.NUMERIC, Rule.P_VALUE_BELOW, 0.05, 1),
    /** Two-sample Cramér-von Mises ({@code scipy.stats.cramervonmises_2samp}); needs two values per sample. */
    CRAMER_VON_MISES("cramer_von_mises", Kind.NUMERIC, Rule.P_VALUE_BELOW, 0.05, Double.POSITIVE_INFINITY),
    /**
     * Anderson-Darling k-sample for two samples ({@code scipy.stats.anderson_ksamp}, p-value capped to
     * [0.001, 0.25]); needs three values in all and two distinct values.
     */
    ANDERSON_DARLING("anderson_darling", Kind.NUMERIC, Rule.P_VALUE_BELOW, 0.05, Double.POSITIVE_INFINITY),
    /** Mann-Whitney U, two-sided, with continuity and tie correction ({@code scipy.stats.mannwhitneyu}). */
    MANN_WHITNEY("mann_whitney_u", Kind.NUMERIC, Rule.P_VALUE_BELOW, 0.05, Double.POSITIVE_INFINITY),
    /**
     * Welch's t-test ({@code scipy.stats.ttest_ind(equal_var=False)}); needs two values per sample, and is
     * undefined when both samples are constant at the same value.
     */
    WELCH_T("welch_t", Kind.NUMERIC, Rule.P_VALUE_BELOW, 0.05, Double.POSITIVE_INFINITY),
    /**
     * Wasserstein-1 distance divided by the reference's standard deviation (ddof 0, at least 0.001), as
     * Evidently's {@code wasserstein}: an effect size that does not flag harmless shifts at large n.
     */
    WASSERSTEIN_NORMED("wasserstein_normed", Kind.NUMERIC, Rule.STATISTIC_AT_LEAST, 0.1, Double.POSITIVE_INFINITY),
    /** Energy distance ({@code scipy.stats.energy_distance}), as Evidently's {@code ed}. */
    ENERGY_DISTANCE("energy_distance", Kind.NUMERIC, Rule.STATISTIC_AT_LEAST, 0.1, Double.POSITIVE_INFINITY),
    /**
     * Chi-square test of homogeneity on the 2 x k table of reference and current counts
     * ({@code chi2_contingency}): both samples are taken as random, so a category unseen in the reference
     * is an ordinary column of the table. Alibi Detect's chi-square.
     */
    CHI_SQUARE("chi_square", Kind.ANY, Rule.P_VALUE_BELOW, 0.05, Double.POSITIVE_INFINITY),
    /**
     * Chi-square goodness of fit of the current counts to the reference shares taken as exact
     * ({@code scipy.stats.chisquare(current, reference * n_current / n_reference)}): Evidently's
     * {@code chisquare} stattest, and so the test {@link DatasetDrift} picks by default for small
     * references. A category unseen in the reference has expected count 0, so its statistic is
     * {@code +Infinity} and its p-value 0: drift, as in Evidently.
     */
    CHI_SQUARE_GOODNESS_OF_FIT("chi_square_gof", Kind.ANY, Rule.P_VALUE_BELOW, 0.05, Double.POSITIVE_INFINITY),
    /** G-test (log-likelihood ratio) of homogeneity ({@code chi2_contingency(lambda_="log-likelihood")}). */
    G_TEST("g_test", Kind.ANY, Rule.P_VALUE_BELOW, 0.05, Double.POSITIVE_INFINITY),
    /**
     * Fisher's exact test ({@code scipy.stats.fisher_exact}) on the 2 x 2 table
     * {@code [[current hits, current others], [reference hits, reference others]]} of a binary feature,
     * laid out as Evidently's {@code fisher_exact}; the statistic is the odds ratio, above 1 when the hit
     * became more common. Evidently picks its hit in Python's set order, which changes between runs for
     * strings; the two-sided p-value, and so the verdict, does not depend on that choice, only the odds
     * ratio does (it inverts). The odds ratio is NaN with p-value 1 when a row or column of the table is
     * empty, as in SciPy.
     */
    FISHER_EXACT("fisher_exact", Kind.ANY, Rule.P_VALUE_BELOW, 0.05, Double.POSITIVE_INFINITY),
    /**
     * Pooled two-proportion z-test on a binary feature, Evidently's {@code z}: the statistic is
     * {@code (p_ref - p_cur) / se} with {@code p} the share of the hit in each sample.
     */
    Z_PROPORTION("z", Kind.ANY, Rule.P_VALUE_BELOW, 0.05, Double.POSITIVE_INFINITY),
    /** Population stability index over Evidently's bins. */
    PSI("psi", Kind.ANY, Rule.STATISTIC_AT_LEAST, 0.1, Double.POSITIVE_INFINITY),
    /** Kullback-Leibler divergence of current from reference over Evidently's bins. */
    KULLBACK_LEIBLER("kl_div", Kind.ANY, Rule.STATISTIC_AT_LEAST, 0.1, Double.POSITIVE_INFINITY),
    /**
     * Jensen-Shannon distance with natural logarithms ({@code scipy.spatial.distance.jensenshannon} with
     * its default base) over Evidently's bins, in {@code [0, sqrt(ln 2)] = [0, 0.8326]}. This is what
     * Evidently's {@code jensenshannon} stattest computes by default: it passes {@code base=None} to SciPy
     * (Evidently pull request #499 added a {@code base} parameter, and its maintainers asked for the default
     * to stay e so that the default thresholds keep their meaning; issue #494, asking for base 2, is open). Use
     * {@link #JENSEN_SHANNON_BASE2} for the distance bounded by 1.
     */
    JENSEN_SHANNON("jensenshannon", Kind.ANY, Rule.STATISTIC_AT_LEAST, 0.1, Math.sqrt(Math.log(2))),
    /**
     * Jensen-Shannon distance with base-2 logarithms ({@code jensenshannon(..., base=2)}) over Evidently's
     * bins, in {@code [0, 1]}: {@code 1 / sqrt(ln 2)}, about 1.2011 times {@link #JENSEN_SHANNON}, so at
     * the same threshold 0.1 it fires on smaller shifts. Evidently computes it when its stattest is given
     * {@code base=2}.
     */
    JENSEN_SHANNON_BASE2("jensenshannon_base2", Kind.ANY, Rule.STATISTIC_AT_LEAST, 0.1, 1),
    /** Hellinger distance over Evidently's bins, in {@code [0, 1]}. */
    HELLINGER("hellinger", Kind.ANY, Rule.STATISTIC_AT_LEAST, 0.1, 1),
    /** Total variation distance over Evidently's bins, in {@code [0, 1]}. */
    TOTAL_VARIATION("total_variation", Kind.ANY, Rule.STATISTIC_AT_LEAST, 0.1, 1),
    /**
     * L-infinity distance (largest share difference) over Evidently's bins, in {@code [0, 1]}, NannyML's
     * default for categories.
     */
    L_INFINITY("l_infinity", Kind.ANY, Rule.STATISTIC_AT_LEAST, 0.1, 1);

    /** Which samples a method accepts. */
    public enum Kind {
        /** Numeric samples only. */
        NUMERIC,
        /** Numeric samples (binned, or each distinct value a category) and categorical samples. */
        ANY
    }

    private final String id;
    private final Kind kind;
    private final Rule rule;
    private final double threshold;
    private final double maxStatistic;

    StatTest(String id, Kind kind, Rule rule, double threshold, double maxStatistic) {
        this.id = id;
        this.kind = kind;
        this.rule = rule;
        this.threshold = threshold;
        this.maxStatistic = maxStatistic;
    }

    /**
     * @return the method's short name, as {@link dev.mlops.core.drift.DriftResult#method()} reports it
     */
    public String id() {
        return id;
    }

    /**
     * @param id a method's short name, as {@link #id()} gives it
     * @return the test with that name
     * @throws IllegalArgumentException when no test has it
     */
    public static StatTest fromId(String id) {
        for (StatTest t : values()) {
            if (t.id.equals(id)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no StatTest has id " + dev.mlops.core.Names.quote(String.valueOf(id)));
    }

    /** @return which samples it accepts */
    public Kind kind() {
        return kind;
    }

    /** @return how its verdict is reached by default */
    public Rule defaultRule() {
        return rule;
    }

    /** @return its default threshold: a p-value level or a distance */
    public double defaultThreshold() {
        return threshold;
    }

    /**
     * @return whether it yields a p-value; with its default rule, such a method takes part in
     *     multiple-testing correction
     */
    public boolean hasPValue() {
        return rule.usesPValue();
    }

    /**
     * @return the largest value its statistic can take ({@code +Infinity} where it is unbounded): the
     *     upper limit of a threshold on the statistic
     */
    public double maxStatistic() {
        return maxStatistic;
    }

    /**
     * Whether a rule can judge this method: a p-value rule needs a method with a p-value; a statistic rule
     * fits every distance, and those p-value tests whose statistic is bounded and so reads as an effect
     * size ({@link #KOLMOGOROV_SMIRNOV}'s D). Other test statistics (chi-square, t, U, z, odds ratio)
     * grow with the sample size or have no fixed scale, so a fixed threshold on them means nothing.
     *
     * @param value a rule
     * @return whether {@link DriftDetectors#of(StatTest, dev.mlops.core.drift.Reference, double, Rule)}
     *     accepts it for this method
     */
    public boolean supports(Rule value) {
        if (value.usesPValue()) {
            return hasPValue();
        }
        return !hasPValue() || Double.isFinite(maxStatistic);
    }
}
