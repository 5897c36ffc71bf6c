package dev.mlops.core.drift.dataset;

import dev.mlops.core.drift.BinCounts;
import dev.mlops.core.drift.DriftOutcome;
import dev.mlops.core.drift.DriftResult;
import dev.mlops.core.drift.Untestable;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One column's outcome in a {@link DatasetDriftResult}: the test's {@link DriftResult}, or the
 * {@link Untestable} reason it could not be tested, with profiles of both sides and the categories the
 * reference never saw. Under a multiple-testing correction the result is the corrected one: its threshold
 * is the corrected level (Bonferroni: {@code threshold / m}; Benjamini-Hochberg: the step-up level
 * {@code k * threshold / m} with rule {@link dev.mlops.core.drift.Rule#P_VALUE_AT_MOST}), so
 * {@code result().get().drifted()} and {@link #drifted()} are one verdict.
 *
 * <p>{@code bins} are what a chart of the column draws, always present: the test's own bins when the test
 * counted bins ({@link #binnedByTest()}; the constructor checks that they are the result's bins, so a
 * chart shows exactly what the verdict came from), otherwise display bins that the detector counted for
 * the chart alone (for tests that read the values, such as Kolmogorov-Smirnov, and for untested columns).
 * Immutable and thread-safe.
 *
 * @param column the column's name
 * @param outcome the test's result, corrected for multiple testing, or why the column could not be tested
 * @param reference the reference side's profile
 * @param current the current side's profile
 * @param unseen current categories that the reference never holds, most frequent first (they are tested,
 *     not dropped); always empty for numeric columns
 * @param bins reference and current counts per bin for a chart: the test's bins when it binned, else
 *     display bins
 */
public record ColumnDrift(String column, DriftOutcome outcome, ColumnProfile reference, ColumnProfile current,
        List<ColumnProfile.CategoryCount> unseen, BinCounts bins) {
    /**
     * Validates the parts.
     *
     * @param column the column's name
     * @param outcome the test's result, corrected for multiple testing, or why the column could not be tested
     * @param reference the reference side's profile
     * @param current the current side's profile
     * @param unseen current categories that the reference never holds, most frequent first (they are tested, not
     *     dropped); always empty for numeric columns
     * @param bins reference and current counts per bin for a chart: the test's bins when it binned, else display bins
     */
    public ColumnDrift {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(current, "current");
        unseen = List.copyOf(unseen);
        if (reference.getClass() != current.getClass()) {
            throw new IllegalArgumentException("column " + column + ": reference and current profiles must be of one kind");
        }
        Objects.requireNonNull(bins, "bins");
        if (outcome instanceof DriftResult r && r.bins().isPresent() && !r.bins().get().equals(bins)) {
            throw new IllegalArgumentException("column " + column + ": bins must be the bins its test counted, "
                    + r.bins().get().size() + " of them, so that a chart shows what the verdict came from");
        }
    }

    /**
     * @return whether {@link #bins()} are the bins the test counted (chi-square, G, Fisher, z, PSI, KL,
     *     Jensen-Shannon, Hellinger, total variation, L-infinity), rather than bins counted for display
     */
    public boolean binnedByTest() {
        return outcome instanceof DriftResult r && r.bins().isPresent();
    }

    /** @return the method applied (chosen automatically or set for the column), for example {@code "ks"} */
    public String method() {
        return outcome.method();
    }

    /** @return the test's result; empty when the column could not be tested */
    public Optional<DriftResult> result() {
        return outcome instanceof DriftResult r ? Optional.of(r) : Optional.empty();
    }

    /** @return why the column could not be tested; empty when it was tested */
    public Optional<Untestable> untestable() {
        return outcome instanceof Untestable u ? Optional.of(u) : Optional.empty();
    }

    /** @return whether the column is numeric */
    public boolean numeric() {
        return reference instanceof ColumnProfile.Numeric;
    }

    /** @return current observations in categories the reference never holds; 0 for numeric columns */
    public long unseenInReference() {
        return unseen.stream().mapToLong(ColumnProfile.CategoryCount::count).sum();
    }

    /** @return the verdict of {@link #result()}; false for a column that was not tested */
    public boolean drifted() {
        return result().map(DriftResult::drifted).orElse(false);
    }
}
