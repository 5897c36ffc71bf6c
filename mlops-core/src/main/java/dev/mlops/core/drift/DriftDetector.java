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
 * {@link #evaluate(Sample)} is the one method to implement; {@link #detect(Sample)} is the convenience that
 * throws when the data cannot be tested.
 */
public interface DriftDetector {
    /**
     * Tests the current sample against the reference.
     *
     * @param current the data to compare with the reference
     * @return the result (statistic, p-value where the method defines one, threshold, rule, verdict), or
     *     {@link Untestable} when the method is not defined on these data (no values, too few, constant,
     *     not binary): a data problem is a value, not an exception
     * @throws IllegalArgumentException when the sample's kind (numeric, categorical) does not suit the
     *     detector: a programming mistake
     */
    DriftOutcome evaluate(Sample current);

    /**
     * Tests the current sample and insists on an answer.
     *
     * @param current the data to compare with the reference
     * @return the statistic, p-value where the method defines one, threshold, rule and verdict
     * @throws UntestableException when {@link #evaluate(Sample)} gives {@link Untestable}
     * @throws IllegalArgumentException as {@link #evaluate(Sample)}
     */
    default DriftResult detect(Sample current) {
        DriftOutcome outcome = evaluate(current);
        if (outcome instanceof Untestable u) {
            throw new UntestableException(u);
        }
        return (DriftResult) outcome;
    }
}
