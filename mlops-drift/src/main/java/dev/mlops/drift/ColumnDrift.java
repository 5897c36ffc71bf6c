package dev.mlops.drift;

import dev.mlops.core.drift.DriftResult;
import java.util.Objects;
import java.util.Optional;

/**
 * One column's outcome in a {@link DatasetDriftResult}.
 *
 * @param column the column's name
 * @param test the method applied (chosen automatically or set for the column)
 * @param result the test's result; empty when the column could not be tested (see {@code problem})
 * @param threshold the threshold the verdict used, after multiple-testing correction
 * @param drifted the verdict after correction; false for a column that could not be tested
 * @param problem why the column could not be tested (for example no values in the current data); empty otherwise
 */
public record ColumnDrift(String column, StatTest test, Optional<DriftResult> result, double threshold, boolean drifted,
        String problem) {
    /** Validates the parts. */
    public ColumnDrift {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(problem, "problem");
        if (result.isEmpty() == problem.isEmpty()) {
            throw new IllegalArgumentException("column " + column + ": either a result or a problem, not both");
        }
        if (result.isEmpty() && drifted) {
            throw new IllegalArgumentException("column " + column + " was not tested and cannot have drifted");
        }
    }
}
