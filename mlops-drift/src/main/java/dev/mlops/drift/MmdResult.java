package dev.mlops.drift;

import dev.mlops.core.drift.DriftResult;
import java.util.Objects;

/**
 * The outcome of one {@link MmdDetector#test(double[][], long)}: the verdict and what it rests on.
 *
 * @param result method {@code "mmd"}, the unbiased MMD² as statistic, the permutation p-value, the
 *     level and {@link dev.mlops.core.drift.Rule#P_VALUE_BELOW}; sizes count complete rows, missing
 *     counts rows dropped for a NaN
 * @param sigma the Gaussian kernel bandwidth used
 * @param distanceThreshold Alibi's {@code distance_threshold}: the permuted statistics sorted
 *     descending, the element at index {@code (int) (pValue · permutations)}. Every drifted
 *     statistic is above it. When {@code pValue · permutations} is a whole number (5 at the
 *     defaults), a statistic just above it may still not drift: the p-value rule then needs the
 *     statistic above the element one index earlier
 * @param seed the seed the permutations were drawn with
 */
public record MmdResult(DriftResult result, double sigma, double distanceThreshold, long seed) {
    /**
     * Checks the parts.
     *
     * @param result method {@code "mmd"}, the unbiased MMD² as statistic, the permutation p-value, the level and
     *     {@link dev.mlops.core.drift.Rule#P_VALUE_BELOW}; sizes count complete rows, missing counts rows dropped for
     *     a NaN
     * @param sigma the Gaussian kernel bandwidth used
     * @param distanceThreshold Alibi's {@code distance_threshold}: the permuted statistics sorted descending, the
     *     element at index {@code (int) (pValue · permutations)}. Every drifted statistic is above it. When {@code
     *     pValue · permutations} is a whole number (5 at the defaults), a statistic just above it may still not
     *     drift: the p-value rule then needs the statistic above the element one index earlier
     * @param seed the seed the permutations were drawn with
     */
    public MmdResult {
        Objects.requireNonNull(result, "result");
        if (!(sigma > 0)) {
            throw new IllegalArgumentException("sigma must be > 0, was " + sigma);
        }
    }

    /** @return whether the current sample drifted: the p-value is strictly below the level */
    public boolean drifted() {
        return result.drifted();
    }
}
