package dev.mlops.drift.internal;

/**
 * The outcome of a chi-square-distributed categorical test ({@link ChiSquare}, {@link GTest}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param statistic the test statistic, at least 0; {@code +Infinity} when the current sample holds a
 *     category that the goodness-of-fit null hypothesis gives probability 0
 * @param pValue the upper tail of the chi-square distribution with {@code degreesOfFreedom} at the
 *     statistic, in {@code [0, 1]}
 * @param degreesOfFreedom the degrees of freedom, at least 0; 0 when only one category holds
 *     observations, where the statistic is 0 and the p-value 1
 */
public record ContingencyResult(double statistic, double pValue, int degreesOfFreedom) {

    /**
     * Validates the parts.
     *
     * @param statistic the test statistic, at least 0; {@code +Infinity} when the current sample holds a category
     *     that the goodness-of-fit null hypothesis gives probability 0
     * @param pValue the upper tail of the chi-square distribution with {@code degreesOfFreedom} at the statistic, in
     *     {@code [0, 1]}
     * @param degreesOfFreedom the degrees of freedom, at least 0; 0 when only one category holds observations, where
     *     the statistic is 0 and the p-value 1
     */
    public ContingencyResult {
        if (!(statistic >= 0)) {
            throw new IllegalArgumentException("statistic must be >= 0, was " + statistic);
        }
        if (!(pValue >= 0 && pValue <= 1)) {
            throw new IllegalArgumentException("pValue must be in [0, 1], was " + pValue);
        }
        if (degreesOfFreedom < 0) {
            throw new IllegalArgumentException("degreesOfFreedom must be >= 0, was " + degreesOfFreedom);
        }
    }
}
