package dev.mlops.core.drift;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The outcome of one batch drift test: what was computed, how it was judged, and on how much data.
 *
 * @param method the test or distance, for example {@code "ks"} or {@code "wasserstein_normed"}
 * @param statistic the test statistic or distance
 * @param pValue the p-value, where the method defines one
 * @param threshold the level the {@code rule} compares against
 * @param rule how the verdict follows from the p-value or statistic and the threshold
 * @param referenceSize usable (non-missing) values in the reference
 * @param currentSize usable (non-missing) values in the current sample
 * @param referenceMissing missing values (NaN, null) in the reference, counted, not used
 * @param currentMissing missing values in the current sample, counted, not used
 * @param bins the bins the method counted (the binned tests and distances), so that a chart shows exactly
 *     what the verdict came from; empty for methods that read the values themselves (KS, t, ...)
 */
public record DriftResult(
        String method,
        double statistic,
        OptionalDouble pValue,
        double threshold,
        Rule rule,
        long referenceSize,
        long currentSize,
        long referenceMissing,
        long currentMissing,
        Optional<BinCounts> bins) implements DriftOutcome {

    /**
     * Validates the parts.
     *
     * @param method the test or distance, for example {@code "ks"} or {@code "wasserstein_normed"}
     * @param statistic the test statistic or distance
     * @param pValue the p-value, where the method defines one
     * @param threshold the level the {@code rule} compares against
     * @param rule how the verdict follows from the p-value or statistic and the threshold
     * @param referenceSize usable (non-missing) values in the reference
     * @param currentSize usable (non-missing) values in the current sample
     * @param referenceMissing missing values (NaN, null) in the reference, counted, not used
     * @param currentMissing missing values in the current sample, counted, not used
     * @param bins the bins the method counted (the binned tests and distances), so that a chart shows exactly what
     *     the verdict came from; empty for methods that read the values themselves (KS, t, ...)
     */
    public DriftResult {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(bins, "bins");
        if (Double.isNaN(statistic)) {
            throw new IllegalArgumentException(method + ": statistic must not be NaN");
        }
        if (Double.isNaN(threshold)) {
            throw new IllegalArgumentException(method + ": threshold must not be NaN");
        }
        Objects.requireNonNull(pValue, "pValue");
        Objects.requireNonNull(rule, "rule");
        if (pValue.isPresent() && !(pValue.getAsDouble() >= 0 && pValue.getAsDouble() <= 1)) {
            throw new IllegalArgumentException("pValue must be in [0, 1], was " + pValue.getAsDouble());
        }
        if (rule.usesPValue() && pValue.isEmpty()) {
            throw new IllegalArgumentException("rule " + rule + " needs a p-value, and " + method + " gave none");
        }
        if (referenceSize < 0 || currentSize < 0 || referenceMissing < 0 || currentMissing < 0) {
            throw new IllegalArgumentException("sizes must be >= 0");
        }
    }

    /**
     * A result without bins.
     *
     * @param method the test or distance
     * @param statistic the test statistic or distance
     * @param pValue the p-value, where the method defines one
     * @param threshold the level the {@code rule} compares against
     * @param rule how the verdict follows
     * @param referenceSize usable values in the reference
     * @param currentSize usable values in the current sample
     * @param referenceMissing missing values in the reference
     * @param currentMissing missing values in the current sample
     */
    public DriftResult(String method, double statistic, OptionalDouble pValue, double threshold, Rule rule,
            long referenceSize, long currentSize, long referenceMissing, long currentMissing) {
        this(method, statistic, pValue, threshold, rule, referenceSize, currentSize, referenceMissing, currentMissing,
                Optional.empty());
    }

    /**
     * @param newThreshold another threshold
     * @param newRule the rule to judge it by
     * @return this result judged against another threshold (a multiple-testing correction's level)
     */
    public DriftResult withThreshold(double newThreshold, Rule newRule) {
        return new DriftResult(method, statistic, pValue, newThreshold, newRule, referenceSize, currentSize,
                referenceMissing, currentMissing, bins);
    }

    /**
     * @return the verdict: whether the current sample drifted from the reference
     */
    public boolean drifted() {
        return rule.drifted(rule.usesPValue() ? pValue.getAsDouble() : statistic, threshold);
    }
}
