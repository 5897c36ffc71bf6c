package dev.mlops.core.drift;

/**
 * A batch drift detector: compares a current sample with a reference fixed (and prepared once: sorted,
 * binned, counted) when the detector was built. {@link #detect(Sample)} never re-processes the reference.
 *
 * <p>Implementations are immutable and thread-safe: one detector may serve many threads.
 *
 * <pre>{@code
 * DriftDetector ks = DriftDetectors.kolmogorovSmirnov(Reference.numeric(trainAmounts));
 * DriftResult r = ks.detect(Sample.numeric(lastHourAmounts));
 * if (r.drifted()) alert(r);
 * }</pre>
 */
public interface DriftDetector {
    /**
     * @param current the data to compare with the reference
     * @return the statistic, p-value where the method defines one, threshold, rule and verdict
     * @throws IllegalArgumentException when the sample's kind (numeric, categorical) does not suit
     *     the detector, or the sample has no usable values and the method defines no result for that
     */
    DriftResult detect(Sample current);
}
