package dev.mlops.drift;

import dev.mlops.core.drift.DriftDetector;
import dev.mlops.core.drift.Reference;
import dev.mlops.core.drift.Rule;

/**
 * Factories of batch {@link DriftDetector}s. Each prepares its reference once (sorted values, counts,
 * the reference's standard deviation) and is immutable and thread-safe.
 *
 * <pre>{@code
 * DriftDetector ks = DriftDetectors.kolmogorovSmirnov(Reference.numeric(trainAmounts));
 * DriftResult r = ks.detect(Sample.numeric(lastHour));
 * DriftDetector js = DriftDetectors.of(StatTest.JENSEN_SHANNON, Reference.categorical(trainCountries), 0.15);
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
        return new StatTestDetector(test, reference, test.defaultThreshold(), test.defaultRule());
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
        return new StatTestDetector(test, reference, threshold, test.defaultRule());
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
        return new StatTestDetector(test, reference, threshold, rule);
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
