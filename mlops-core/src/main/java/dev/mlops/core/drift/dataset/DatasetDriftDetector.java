package dev.mlops.core.drift.dataset;

/**
 * Drift of a table, column by column, against a reference table prepared once: each column's test (or
 * the reason it could not be tested), summaries of both sides, a multiple-testing correction and a
 * dataset-level verdict. Implementations are immutable and thread-safe.
 *
 * <pre>{@code
 * DatasetDriftDetector drift = DatasetDrift.against(trainingTable);     // mlops-drift
 * DatasetDriftResult r = drift.detect(lastHour);
 * if (r.drifted()) alert(r.driftedColumns() + " of " + r.testedColumns() + " columns drifted");
 * }</pre>
 */
public interface DatasetDriftDetector {
    /**
     * @param current the current table; it must hold every reference column, of the same kind
     * @return every column's outcome and the dataset's verdict; a column that cannot be tested is
     *     reported as such, never thrown
     * @throws IllegalArgumentException when a reference column is missing from {@code current} or is of
     *     the other kind (numeric, categorical)
     */
    DatasetDriftResult detect(Dataset current);
}
