package dev.mlops.core.drift;

import java.util.Objects;
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
        long currentMissing) {

    /** Validates the parts. */
    public DriftResult {
        Objects.requireNonNull(method, "method");
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
     * @return the verdict: whether the current sample drifted from the reference
     */
    public boolean drifted() {
        return rule.drifted(rule.usesPValue() ? pValue.getAsDouble() : statistic, threshold);
    }
}
