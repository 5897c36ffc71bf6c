package dev.mlops.core.drift.dataset;

import java.util.List;
import java.util.Objects;

/**
 * Dataset-level drift: every column's outcome, and the verdict of the share rule (the dataset drifts
 * when the share of drifted columns among the tested ones is at least {@code driftShare}, Evidently's
 * rule with 0.5 by default).
 *
 * @param columns each column's outcome, in the dataset's column order
 * @param correction the multiple-testing correction applied
 * @param driftShare the share of drifted columns at which the dataset drifts
 */
public record DatasetDriftResult(List<ColumnDrift> columns, Correction correction, double driftShare) {
    /**
     * Copies and validates the parts.
     *
     * @param columns each column's outcome, in the dataset's column order
     * @param correction the multiple-testing correction applied
     * @param driftShare the share of drifted columns at which the dataset drifts
     */
    public DatasetDriftResult {
        columns = List.copyOf(columns);
        Objects.requireNonNull(correction, "correction");
        if (!(driftShare > 0 && driftShare <= 1)) {
            throw new IllegalArgumentException("driftShare must be in (0, 1], was " + driftShare);
        }
    }

    /** @return how many columns were tested */
    public long testedColumns() {
        return columns.stream().filter(c -> c.result().isPresent()).count();
    }

    /** @return how many columns drifted */
    public long driftedColumns() {
        return columns.stream().filter(ColumnDrift::drifted).count();
    }

    /** @return drifted over tested columns; 0 when none was tested */
    public double share() {
        long tested = testedColumns();
        return tested == 0 ? 0 : (double) driftedColumns() / tested;
    }

    /**
     * @return whether the dataset drifted: the share is at least {@link #driftShare()}
     */
    public boolean drifted() {
        return testedColumns() > 0 && share() >= driftShare;
    }
}
