package dev.mlops.core.monitor;

import java.util.Objects;
import java.util.Optional;

/**
 * The ground truth side of one window: the outcome metrics of the predictions made in the window, and
 * what the outcomes that arrived during the window could not be joined to.
 *
 * <p><b>Two attributions.</b> The metrics ({@link #classification()} or {@link #regression()}) hold the
 * outcomes joined to predictions <i>made in this window</i>, whenever they arrived: labels arrive late,
 * so a closed window's metrics keep growing while the monitor keeps it (see
 * {@link InMemoryMonitor}). The counts {@link #late()}, {@link #duplicate()}, {@link #unknown()} and
 * {@link #invalidActuals()} are of outcomes that <i>arrived during this window</i> and joined nothing
 * (their prediction's window is not known); {@link #invalidScores()} counts predictions made in this
 * window whose score or class could not be kept for a join. Monitor-wide counts of the pending store
 * are on {@link MonitorSnapshot#outcomes()}.
 *
 * <p><b>Merging</b> adds every count and merges the metric snapshots, exactly for their counts; a
 * window without metrics (no model kind configured) merges as an empty one.
 *
 * <pre>{@code
 * WindowOutcomes o = monitor.snapshot().lastClosed().orElseThrow().outcomes();
 * double auc = o.classification().map(ClassificationSnapshot::auc).orElse(Double.NaN);
 * long labeled = o.labeled();
 * }</pre>
 *
 * @param classification the classification metrics of the joined outcomes, for a binary or multi-class
 *     model; empty otherwise
 * @param regression the regression metrics of the joined outcomes, for a regression model; empty
 *     otherwise
 * @param invalidScores predictions recorded with a score or class the model kind cannot join (a binary
 *     score outside [0, 1] or NaN, a non-finite regression value, a class outside the class list); they
 *     were not kept for a join
 * @param invalidActuals outcomes whose actual value the model kind cannot take (not 0 or 1 for binary,
 *     not a class index for multi-class, not finite for regression); the prediction stays pending
 * @param late outcomes that arrived after their prediction's time to live
 * @param duplicate outcomes for a prediction an earlier outcome had settled
 * @param unknown outcomes for no pending prediction (or, without a model kind, every outcome)
 */
public record WindowOutcomes(
        Optional<ClassificationSnapshot> classification,
        Optional<RegressionSnapshot> regression,
        long invalidScores,
        long invalidActuals,
        long late,
        long duplicate,
        long unknown) {

    /** No metrics and no counts: the outcomes of a monitor without a model kind that saw none. */
    public static final WindowOutcomes NONE =
            new WindowOutcomes(Optional.empty(), Optional.empty(), 0, 0, 0, 0, 0);

    /**
     * Validates the parts.
     *
     * @param classification the classification metrics of the joined outcomes, for a binary or multi-class model;
     *     empty otherwise
     * @param regression the regression metrics of the joined outcomes, for a regression model; empty otherwise
     * @param invalidScores predictions recorded with a score or class the model kind cannot join (a binary score
     *     outside [0, 1] or NaN, a non-finite regression value, a class outside the class list); they were not kept
     *     for a join
     * @param invalidActuals outcomes whose actual value the model kind cannot take (not 0 or 1 for binary, not a
     *     class index for multi-class, not finite for regression); the prediction stays pending
     * @param late outcomes that arrived after their prediction's time to live
     * @param duplicate outcomes for a prediction an earlier outcome had settled
     * @param unknown outcomes for no pending prediction (or, without a model kind, every outcome)
     */
    public WindowOutcomes {
        Objects.requireNonNull(classification, "classification");
        Objects.requireNonNull(regression, "regression");
        if (classification.isPresent() && regression.isPresent()) {
            throw new IllegalArgumentException(
                    "a window has classification or regression metrics, not both; were " + classification.get()
                            + " and " + regression.get());
        }
        if (invalidScores < 0 || invalidActuals < 0 || late < 0 || duplicate < 0 || unknown < 0) {
            throw new IllegalArgumentException("outcome counts must be >= 0, were invalidScores " + invalidScores
                    + ", invalidActuals " + invalidActuals + ", late " + late + ", duplicate " + duplicate
                    + ", unknown " + unknown);
        }
    }

    /** @return how many outcomes were joined to this window's predictions: the metrics' count, 0 without */
    public long labeled() {
        return classification.map(ClassificationSnapshot::count)
                .orElseGet(() -> regression.map(RegressionSnapshot::count).orElse(0L));
    }

    /** @return outcomes that arrived during the window and joined nothing: late, duplicate, unknown, invalid */
    public long unmatched() {
        return late + duplicate + unknown + invalidActuals;
    }

    /**
     * @param other the outcomes of a window over disjoint traffic
     * @return counts added, metrics merged
     * @throws IllegalArgumentException if one has classification and the other regression metrics, or
     *     their classification metrics differ in kind or shape
     */
    public WindowOutcomes merge(WindowOutcomes other) {
        Objects.requireNonNull(other, "other");
        if (classification.isPresent() && other.regression.isPresent()
                || regression.isPresent() && other.classification.isPresent()) {
            throw new IllegalArgumentException(
                    "cannot merge the outcomes of a classifier with those of a regression model");
        }
        Optional<ClassificationSnapshot> c = classification.isEmpty() ? other.classification
                : other.classification.isEmpty() ? classification
                : Optional.of(classification.get().merge(other.classification.get()));
        Optional<RegressionSnapshot> r = regression.isEmpty() ? other.regression
                : other.regression.isEmpty() ? regression
                : Optional.of(regression.get().merge(other.regression.get()));
        return new WindowOutcomes(c, r, Math.addExact(invalidScores, other.invalidScores),
                Math.addExact(invalidActuals, other.invalidActuals), Math.addExact(late, other.late),
                Math.addExact(duplicate, other.duplicate), Math.addExact(unknown, other.unknown));
    }

    /**
     * @param c the classification metrics to carry instead
     * @param r the regression metrics to carry instead
     * @return these counts with other metrics
     */
    WindowOutcomes withMetrics(Optional<ClassificationSnapshot> c, Optional<RegressionSnapshot> r) {
        return new WindowOutcomes(c, r, invalidScores, invalidActuals, late, duplicate, unknown);
    }
}
