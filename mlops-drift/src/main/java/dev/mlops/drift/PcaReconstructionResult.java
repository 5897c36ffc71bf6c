package dev.mlops.drift;

import dev.mlops.core.drift.DriftResult;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The outcome of one {@link PcaReconstructionDetector#evaluate(double[][])}: the verdict and the
 * band it was judged against.
 *
 * @param result method {@code "pca_reconstruction"}, the mean reconstruction error as statistic, no
 *     p-value, the upper band as threshold and {@link dev.mlops.core.drift.Rule#STATISTIC_AT_LEAST};
 *     sizes count all rows (imputed ones too), missing counts rows with at least one NaN
 * @param lowerThreshold the lower band, absent when it would be at or below 0 (NannyML drops it then)
 * @param components the number of principal components the reference kept
 * @param imputedValues NaN cells of the current rows replaced by reference column means
 */
public record PcaReconstructionResult(DriftResult result, OptionalDouble lowerThreshold, int components,
        long imputedValues) {
    /**
     * Checks the parts.
     *
     * @param result method {@code "pca_reconstruction"}, the mean reconstruction error as statistic, no p-value, the
     *     upper band as threshold and {@link dev.mlops.core.drift.Rule#STATISTIC_AT_LEAST}; sizes count all rows
     *     (imputed ones too), missing counts rows with at least one NaN
     * @param lowerThreshold the lower band, absent when it would be at or below 0 (NannyML drops it then)
     * @param components the number of principal components the reference kept
     * @param imputedValues NaN cells of the current rows replaced by reference column means
     */
    public PcaReconstructionResult {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(lowerThreshold, "lowerThreshold");
        if (components < 1) {
            throw new IllegalArgumentException("components must be >= 1, was " + components);
        }
        if (imputedValues < 0) {
            throw new IllegalArgumentException("imputedValues must be >= 0, was " + imputedValues);
        }
    }

    /** @return the upper band: the result's threshold */
    public double upperThreshold() {
        return result.threshold();
    }

    /** @return whether the error is at or above the upper band: the result's verdict */
    public boolean drifted() {
        return result.drifted();
    }

    /**
     * NannyML's alert: {@code not (lower < value < upper)}, the lower band taken as -∞ when absent.
     * An error at or below the lower band means the current rows follow the reference's main
     * directions more closely than the reference did (for example a column stuck at a constant),
     * which is a change too, though not a growth of the error.
     *
     * @return whether the error is not strictly inside the band: at or above the upper band, or at or
     *     below the lower band
     */
    public boolean outsideBand() {
        double statistic = result.statistic();
        return drifted() || (lowerThreshold.isPresent() && statistic <= lowerThreshold.getAsDouble());
    }
}
