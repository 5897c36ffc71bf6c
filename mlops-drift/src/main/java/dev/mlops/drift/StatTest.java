package dev.mlops.drift;

import dev.mlops.core.drift.Rule;

/**
 * The batch drift tests and distances, with the default threshold and rule of each (Evidently's
 * defaults where Evidently has the method). Every method's numbers agree with SciPy's where SciPy has
 * the method (see the known-answer tests of mlops-drift); binned distances follow Evidently's binning.
 */
public enum StatTest {
    /** Two-sample Kolmogorov-Smirnov, two-sided; exact or asymptotic p-value as SciPy's {@code method='auto'}. */
    KOLMOGOROV_SMIRNOV("ks", Kind.NUMERIC, Rule.P_VALUE_BELOW, 0.05),
    /** Two-sample Cramér-von Mises ({@code scipy.stats.cramervonmises_2samp}). */
    CRAMER_VON_MISES("cramer_von_mises", Kind.NUMERIC, Rule.P_VALUE_BELOW, 0.05),
    /** Anderson-Darling k-sample for two samples ({@code scipy.stats.anderson_ksamp}, p-value capped to [0.001, 0.25]). */
    ANDERSON_DARLING("anderson_darling", Kind.NUMERIC, Rule.P_VALUE_BELOW, 0.05),
    /** Mann-Whitney U, two-sided, with continuity and tie correction ({@code scipy.stats.mannwhitneyu}). */
    MANN_WHITNEY("mann_whitney_u", Kind.NUMERIC, Rule.P_VALUE_BELOW, 0.05),
    /** Welch's t-test ({@code scipy.stats.ttest_ind(equal_var=False)}). */
    WELCH_T("welch_t", Kind.NUMERIC, Rule.P_VALUE_BELOW, 0.05),
    /**
     * Wasserstein-1 distance divided by the reference's standard deviation (ddof 0, at least 0.001), as
     * Evidently's {@code wasserstein}: an effect size that does not flag harmless shifts at large n.
     */
    WASSERSTEIN_NORMED("wasserstein_normed", Kind.NUMERIC, Rule.STATISTIC_AT_LEAST, 0.1),
    /** Energy distance ({@code scipy.stats.energy_distance}), as Evidently's {@code ed}. */
    ENERGY_DISTANCE("energy_distance", Kind.NUMERIC, Rule.STATISTIC_AT_LEAST, 0.1),
    /** Chi-square test of homogeneity on the 2 x k table of reference and current counts ({@code chi2_contingency}). */
    CHI_SQUARE("chi_square", Kind.ANY, Rule.P_VALUE_BELOW, 0.05),
    /** Chi-square goodness of fit of the current counts to the reference shares ({@code scipy.stats.chisquare}). */
    CHI_SQUARE_GOODNESS_OF_FIT("chi_square_gof", Kind.ANY, Rule.P_VALUE_BELOW, 0.05),
    /** G-test (log-likelihood ratio) of homogeneity ({@code chi2_contingency(lambda_="log-likelihood")}). */
    G_TEST("g_test", Kind.ANY, Rule.P_VALUE_BELOW, 0.05),
    /** Fisher's exact test on the 2 x 2 table of a binary feature ({@code scipy.stats.fisher_exact}). */
    FISHER_EXACT("fisher_exact", Kind.ANY, Rule.P_VALUE_BELOW, 0.05),
    /** Pooled two-proportion z-test on a binary feature, Evidently's {@code z}. */
    Z_PROPORTION("z", Kind.ANY, Rule.P_VALUE_BELOW, 0.05),
    /** Population stability index over Evidently's bins. */
    PSI("psi", Kind.ANY, Rule.STATISTIC_AT_LEAST, 0.1),
    /** Kullback-Leibler divergence of current from reference over Evidently's bins. */
    KULLBACK_LEIBLER("kl_div", Kind.ANY, Rule.STATISTIC_AT_LEAST, 0.1),
    /** Jensen-Shannon distance (natural log, as {@code scipy.spatial.distance.jensenshannon}) over Evidently's bins. */
    JENSEN_SHANNON("jensenshannon", Kind.ANY, Rule.STATISTIC_AT_LEAST, 0.1),
    /** Hellinger distance over Evidently's bins. */
    HELLINGER("hellinger", Kind.ANY, Rule.STATISTIC_AT_LEAST, 0.1),
    /** Total variation distance over Evidently's bins. */
    TOTAL_VARIATION("total_variation", Kind.ANY, Rule.STATISTIC_AT_LEAST, 0.1),
    /** L-infinity distance (largest share difference) over Evidently's bins, NannyML's default for categories. */
    L_INFINITY("l_infinity", Kind.ANY, Rule.STATISTIC_AT_LEAST, 0.1);

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

    StatTest(String id, Kind kind, Rule rule, double threshold) {
        this.id = id;
        this.kind = kind;
        this.rule = rule;
        this.threshold = threshold;
    }

    /**
     * @return the method's short name, as {@link dev.mlops.core.drift.DriftResult#method()} reports it
     */
    public String id() {
        return id;
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

    /** @return whether it yields a p-value (and so takes part in multiple-testing correction) */
    public boolean hasPValue() {
        return rule.usesPValue();
    }
}
