package dev.mlops.core.drift.dataset;

import dev.mlops.core.drift.DriftResult;

/**
 * A batch drift detector over rows of several numeric columns: compares a current table with a
 * reference table fixed, and prepared once, when the detector was built. Tables are row-major
 * {@code double[][]}, {@code n × d}: one array per observation, every row of the same length
 * {@code d}. NaN marks a missing value; each implementation says how it treats one. The
 * {@code dev.mlops.core.drift.DriftDetector} contract takes a one-column
 * {@code dev.mlops.core.drift.Sample}, so tables get this interface of their own; results are the
 * same {@link DriftResult}.
 *
 * <p>Implementations are immutable and thread-safe: one detector may serve many threads.
 *
 * <pre>{@code
 * MultivariateDriftDetector detector = MultivariateDrift.reconstruction(trainingRows);
 * DriftResult r = detector.detect(lastHourRows);
 * if (r.drifted()) alert(r);
 * }</pre>
 */
public interface MultivariateDriftDetector {
    /**
     * @param currentRows the rows to compare with the reference, each of length {@link #dimension()};
     *     the arrays are read, not kept
     * @return the statistic, p-value where the method defines one, threshold, rule and verdict
     * @throws IllegalArgumentException when a row has the wrong length or an infinite value, or there
     *     are too few usable rows for the method
     */
    DriftResult detect(double[][] currentRows);

    /** @return the number of columns every row must have */
    int dimension();

    /**
     * Tests a table whose columns are all numeric, taken in the table's column order as the row's
     * coordinates.
     *
     * @param current the current table, with {@link #dimension()} numeric columns
     * @return as {@link #detect(double[][])}
     * @throws IllegalArgumentException when a column is categorical or the number of columns differs
     */
    default DriftResult detect(Dataset current) {
        return detect(current.numericRows(dimension()));
    }
}
