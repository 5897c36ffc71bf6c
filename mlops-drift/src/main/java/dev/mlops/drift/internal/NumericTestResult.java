package dev.mlops.drift.internal;

/**
 * The outcome of a numeric two-sample test: its statistic and p-value, as SciPy 1.10.1 reports them.
 *
 * <p>Either part is NaN exactly where SciPy returns NaN (for example Welch's t on two constant,
 * identical samples), so that callers can decide what such a degenerate input means for them.
 * Immutable and thread-safe.
 *
 * @param statistic the test statistic; NaN or infinite only where SciPy's is
 * @param pValue the p-value in {@code [0, 1]}, or NaN where SciPy's is NaN
 */
public record NumericTestResult(double statistic, double pValue) {
    /**
     * Checks the p-value's range.
     *
     * @param statistic the test statistic
     * @param pValue the p-value
     * @throws IllegalArgumentException when the p-value is outside {@code [0, 1]}
     */
    public NumericTestResult {
        if (pValue < 0 || pValue > 1) {
            throw new IllegalArgumentException("pValue must be in [0, 1] or NaN, was " + pValue);
        }
    }
}
