package dev.mlops.drift;

import dev.mlops.core.drift.DriftDetector;
import dev.mlops.core.drift.Reference;
import dev.mlops.core.drift.Rule;
import java.util.Objects;

/**
 * Factories of batch {@link DriftDetector}s. Each prepares its reference once (sorted values, counts,
 * the reference's standard deviation) and is immutable and thread-safe.
 *
 * <pre>{@code
 * DriftDetector ks = DriftDetectors.kolmogorovSmirnov(Reference.numeric(trainAmounts));
 * DriftResult r = ks.detect(Sample.numeric(lastHour));
 * DriftDetector js = DriftDetectors.of(StatTest.JENSEN_SHANNON, Reference.categorical(trainCountries), 0.15);
 * DriftDetector exact = DriftDetectors.builder(StatTest.KOLMOGOROV_SMIRNOV, Reference.numeric(trainAmounts))
 *         .ksMethod(KsMethod.EXACT)
 *         .build();
 * DriftDetector chi2 = DriftDetectors.builder(StatTest.CHI_SQUARE, Reference.categorical(trainFlags))
 *         .yatesCorrection(false)
 *         .build();
 * }</pre>
 */
public final class DriftDetectors {
    private DriftDetectors() {
    }

    /**
     * @param test the method
     * @param reference the reference data
     * @return a detector with the method's default threshold and rule
     * @throws IllegalArgumentException when the reference has no values, has too few for the method
     *     (Welch's t and Cramér-von Mises need two), or does not suit the method (a numeric test on
     *     categories)
     */
    public static DriftDetector of(StatTest test, Reference reference) {
        return builder(test, reference).build();
    }

    /**
     * @param test the method
     * @param reference the reference data
     * @param threshold a p-value level in [0, 1] for tests, a distance in [0, {@link StatTest#maxStatistic()}]
     *     for distances
     * @return a detector with the method's default rule and this threshold
     * @throws IllegalArgumentException when the threshold is out of that range, or as {@link #of(StatTest, Reference)}
     */
    public static DriftDetector of(StatTest test, Reference reference, double threshold) {
        return builder(test, reference).threshold(threshold).build();
    }

    /**
     * A detector with any rule the method {@link StatTest#supports supports}: a p-value rule for a method
     * with a p-value; a statistic rule for a distance, or for a test whose statistic is bounded and reads
     * as an effect size. Of the tests, only {@link StatTest#KOLMOGOROV_SMIRNOV} qualifies (D in [0, 1]):
     * {@code of(KOLMOGOROV_SMIRNOV, ref, 0.1, Rule.STATISTIC_AT_LEAST)} flags drift when the largest CDF
     * gap is at least 0.1, however large the samples. The statistics of the other tests (chi-square, G,
     * t, U, z, A², T, odds ratio) grow with the sample size or have no fixed scale, so a statistic rule
     * on them is rejected. The result still carries the p-value where the method has one.
     *
     * @param test the method
     * @param reference the reference data
     * @param threshold a p-value level in [0, 1] for a p-value rule; for a statistic rule a value in
     *     [0, {@link StatTest#maxStatistic()}]
     * @param rule how the verdict follows
     * @return the detector
     * @throws IllegalArgumentException when the method does not support the rule, the threshold is out of
     *     range, or as {@link #of(StatTest, Reference)}
     */
    public static DriftDetector of(StatTest test, Reference reference, double threshold, Rule rule) {
        return builder(test, reference).threshold(threshold).rule(rule).build();
    }

    /**
     * A builder for a detector with options beyond the threshold and the rule: SciPy's
     * {@code ks_2samp(method=...)} and {@code chi2_contingency(correction=...)}. Each option may be set
     * once; options that do not apply to the test are rejected by {@link Builder#build()}.
     *
     * @param test the method
     * @param reference the reference data
     * @return a builder with the method's default threshold and rule, {@link KsMethod#AUTO} and Yates'
     *     correction on (SciPy's defaults)
     */
    public static Builder builder(StatTest test, Reference reference) {
        return new Builder(test, reference);
    }

    /**
     * Collects a detector's options; {@link #build()} checks them together. Not thread-safe; the detector it
     * builds is immutable and thread-safe.
     */
    public static final class Builder {
        private final StatTest test;
        private final Reference reference;
        private Double threshold;
        private Rule rule;
        private KsMethod ksMethod;
        private Boolean yatesCorrection;
        private boolean referenceBins;

        private Builder(StatTest test, Reference reference) {
            this.test = Objects.requireNonNull(test, "test");
            this.reference = Objects.requireNonNull(reference, "reference");
        }

        /**
         * @param value a p-value level in [0, 1] for a p-value rule; for a statistic rule a finite value in
         *     [0, {@link StatTest#maxStatistic()}] (checked by {@link #build()}, which knows the rule)
         * @return this builder
         * @throws IllegalStateException when the threshold was already set
         */
        public Builder threshold(double value) {
            requireUnset(threshold, "threshold");
            threshold = value;
            return this;
        }

        /**
         * @param value how the verdict follows; the method must {@link StatTest#supports support} it
         * @return this builder
         * @throws IllegalStateException when the rule was already set
         */
        public Builder rule(Rule value) {
            Objects.requireNonNull(value, "rule");
            requireUnset(rule, "rule");
            rule = value;
            return this;
        }

        /**
         * Only for {@link StatTest#KOLMOGOROV_SMIRNOV}; default {@link KsMethod#AUTO}.
         *
         * @param value how the p-value is computed
         * @return this builder
         * @throws IllegalStateException when the method was already set
         */
        public Builder ksMethod(KsMethod value) {
            Objects.requireNonNull(value, "ksMethod");
            requireUnset(ksMethod, "ksMethod");
            ksMethod = value;
            return this;
        }

        /**
         * Yates' continuity correction for {@link StatTest#CHI_SQUARE} and {@link StatTest#G_TEST}, which
         * SciPy's {@code chi2_contingency(correction=True)} applies, as here, only when the table has one
         * degree of freedom (two categories in the reference and current together); default on. Only for
         * those two tests.
         *
         * @param value whether to apply the correction
         * @return this builder
         * @throws IllegalStateException when the option was already set
         */
        public Builder yatesCorrection(boolean value) {
            requireUnset(yatesCorrection, "yatesCorrection");
            yatesCorrection = value;
            return this;
        }

        /**
         * Counts a numeric sample on bins fixed by the reference alone instead of Evidently's bins over both
         * samples: NumPy's {@code histogram_bin_edges(reference, bins="sturges")} (its Sturges count over
         * the reference's range; {@code [v, v]} for a constant reference), plus a bin below the reference's
         * minimum and one above its maximum; bins empty in both samples are left out. The current sample's
         * counts then depend on its values alone, so they can be counted as the values arrive: an
         * {@code InMemoryMonitor} counts each window on these edges exactly, whatever its size, and
         * {@link MonitorDrift} tests the counts with this detector. Values outside the reference's range
         * land in the open bins, which the reference never fills: the goodness-of-fit test then reports
         * drift (infinite statistic), PSI and KL a large value. Only for the binned methods of
         * {@link StatTest.Kind#ANY} other than the binary tests (Fisher, z), and a numeric reference.
         *
         * @return this builder
         * @throws IllegalStateException when the option was already set
         */
        public Builder referenceBins() {
            if (referenceBins) {
                throw new IllegalStateException("option referenceBins was already set");
            }
            referenceBins = true;
            return this;
        }

        /**
         * @return the detector
         * @throws IllegalArgumentException when an option does not apply to the test (naming both), when
         *     the method does not support the rule, the threshold is out of range, or as
         *     {@link DriftDetectors#of(StatTest, Reference)}
         */
        public DriftDetector build() {
            if (ksMethod != null && test != StatTest.KOLMOGOROV_SMIRNOV) {
                throw new IllegalArgumentException("option ksMethod applies only to "
                        + StatTest.KOLMOGOROV_SMIRNOV.id() + ", not to " + test.id());
            }
            if (yatesCorrection != null && test != StatTest.CHI_SQUARE && test != StatTest.G_TEST) {
                throw new IllegalArgumentException("option yatesCorrection applies only to " + StatTest.CHI_SQUARE.id()
                        + " and " + StatTest.G_TEST.id() + ", not to " + test.id());
            }
            return new StatTestDetector(test, reference,
                    threshold == null ? test.defaultThreshold() : threshold,
                    rule == null ? test.defaultRule() : rule,
                    ksMethod == null ? KsMethod.AUTO : ksMethod,
                    yatesCorrection == null || yatesCorrection, referenceBins);
        }

        private static void requireUnset(Object value, String option) {
            if (value != null) {
                throw new IllegalStateException("option " + option + " was already set to " + value);
            }
        }
    }

    /**
     * @param reference numeric reference
     * @return {@link StatTest#KOLMOGOROV_SMIRNOV}, p below 0.05
     */
    public static DriftDetector kolmogorovSmirnov(Reference reference) {
        return of(StatTest.KOLMOGOROV_SMIRNOV, reference);
    }

    /**
     * @param reference numeric reference
     * @return {@link StatTest#WASSERSTEIN_NORMED}, at least 0.1
     */
    public static DriftDetector wassersteinNormed(Reference reference) {
        return of(StatTest.WASSERSTEIN_NORMED, reference);
    }

    /**
     * @param reference any reference
     * @return {@link StatTest#JENSEN_SHANNON}, at least 0.1
     */
    public static DriftDetector jensenShannon(Reference reference) {
        return of(StatTest.JENSEN_SHANNON, reference);
    }

    /**
     * @param reference any reference
     * @return {@link StatTest#CHI_SQUARE}, p below 0.05
     */
    public static DriftDetector chiSquare(Reference reference) {
        return of(StatTest.CHI_SQUARE, reference);
    }

    /**
     * @param reference any reference
     * @return {@link StatTest#PSI}, at least 0.1
     */
    public static DriftDetector psi(Reference reference) {
        return of(StatTest.PSI, reference);
    }
}
