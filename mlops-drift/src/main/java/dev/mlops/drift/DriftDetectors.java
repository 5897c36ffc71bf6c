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
     * @throws IllegalArgumentException when the reference has no values or does not suit the method
     */
    public static DriftDetector of(StatTest test, Reference reference) {
        return new StatTestDetector(test, reference, test.defaultThreshold(), test.defaultRule());
    }

    /**
     * @param test the method
     * @param reference the reference data
     * @param threshold a p-value level for tests, a distance for distances
     * @return a detector with the method's default rule and this threshold
     */
    public static DriftDetector of(StatTest test, Reference reference, double threshold) {
        return new StatTestDetector(test, reference, threshold, test.defaultRule());
    }

    /**
     * @param test the method
     * @param reference the reference data
     * @param threshold the level
     * @param rule how the verdict follows; must read a p-value exactly when the method gives one
     * @return the detector
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
