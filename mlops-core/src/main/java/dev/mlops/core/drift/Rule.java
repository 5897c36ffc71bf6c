package dev.mlops.core.drift;

/** How a {@link DriftResult}'s verdict follows from its statistic or p-value and its threshold. */
public enum Rule {
    /** Drift when the p-value is strictly below the threshold (SciPy, Alibi Detect). */
    P_VALUE_BELOW,
    /** Drift when the p-value is at most the threshold. */
    P_VALUE_AT_MOST,
    /** Drift when the statistic is at least the threshold (Evidently's distances). */
    STATISTIC_AT_LEAST,
    /** Drift when the statistic is strictly above the threshold. */
    STATISTIC_ABOVE;

    /**
     * @return whether the rule reads the p-value rather than the statistic
     */
    public boolean usesPValue() {
        return this == P_VALUE_BELOW || this == P_VALUE_AT_MOST;
    }

    /**
     * @param value the p-value or the statistic, as {@link #usesPValue()} says
     * @param threshold the threshold
     * @return the verdict; NaN never drifts
     */
    public boolean drifted(double value, double threshold) {
        switch (this) {
            case P_VALUE_BELOW:
                return value < threshold;
            case P_VALUE_AT_MOST:
                return value <= threshold;
            case STATISTIC_AT_LEAST:
                return value >= threshold;
            case STATISTIC_ABOVE:
                return value > threshold;
            default:
                throw new AssertionError(this);
        }
    }
}
