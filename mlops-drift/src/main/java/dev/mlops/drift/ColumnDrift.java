package dev.mlops.drift;

import dev.mlops.core.drift.DriftResult;
import java.util.Objects;
import java.util.Optional;

/**
 * One column's outcome in a {@link DatasetDriftResult}: either a result or the problem that kept the
 * column from being tested. Under a multiple-testing correction the result is the corrected one: its
 * threshold is the corrected level (Bonferroni: {@code threshold / m}; Benjamini-Hochberg: the step-up
 * level {@code k * threshold / m} with rule {@link dev.mlops.core.drift.Rule#P_VALUE_AT_MOST}), so
 * {@code result().get().drifted()} and {@link #drifted()} are one verdict. Immutable and thread-safe.
 *
 * @param column the column's name
 * @param test the method applied (chosen automatically or set for the column)
 * @param result the test's result, corrected for multiple testing; empty when the column could not be tested
 * @param problem why the column could not be tested (for example no values in the current data, or a
 *     test undefined on these values); empty when it was tested
 * @param unseenInReference current observations in categories that the reference never holds (they are
 *     tested, not dropped: see {@link StatTest#CHI_SQUARE_GOODNESS_OF_FIT}); always 0 for numeric columns
 */
public record ColumnDrift(String column, StatTest test, Optional<DriftResult> result, Optional<String> problem,
        long unseenInReference) {
    /** Validates the parts. */
    public ColumnDrift {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(problem, "problem");
        if (result.isPresent() == problem.isPresent()) {
            throw new IllegalArgumentException("column " + column + ": needs either a result or a problem, not "
                    + (result.isPresent() ? "both" : "neither"));
        }
        if (problem.isPresent() && problem.get().isBlank()) {
            throw new IllegalArgumentException("column " + column + ": problem must not be blank");
        }
        if (result.isPresent() && !result.get().method().equals(test.id())) {
            throw new IllegalArgumentException("column " + column + ": result of " + result.get().method()
                    + " does not come from test " + test.id());
        }
        if (unseenInReference < 0) {
            throw new IllegalArgumentException("unseenInReference must be >= 0, was " + unseenInReference);
        }
    }

    /**
     * @param column the column's name
     * @param test the method applied
     * @param result its result, after any correction
     * @param unseenInReference current observations in categories the reference never holds
     * @return a tested column
     */
    public static ColumnDrift tested(String column, StatTest test, DriftResult result, long unseenInReference) {
        return new ColumnDrift(column, test, Optional.of(result), Optional.empty(), unseenInReference);
    }

    /**
     * @param column the column's name
     * @param test the method that would have been applied
     * @param problem why it could not be
     * @param unseenInReference current observations in categories the reference never holds
     * @return a column that was not tested
     */
    public static ColumnDrift untested(String column, StatTest test, String problem, long unseenInReference) {
        return new ColumnDrift(column, test, Optional.empty(), Optional.of(problem), unseenInReference);
    }

    /** @return the verdict of {@link #result()}; false for a column that was not tested */
    public boolean drifted() {
        return result.map(DriftResult::drifted).orElse(false);
    }
}
