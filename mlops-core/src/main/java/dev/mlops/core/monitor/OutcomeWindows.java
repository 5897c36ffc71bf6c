package dev.mlops.core.monitor;

import java.util.Arrays;
import java.util.Optional;

/**
 * The outcome metrics of a monitor, per prediction window and in total: where a joined outcome is
 * attributed. One accumulator per window, in a ring of {@code keep + 2} slots indexed by the window's
 * number (its start over the window length): the open window, the {@code keep} closed windows the
 * monitor reports, and one more for a recording that races a close. A slot is reused, and its window's
 * metrics dropped, when an outcome arrives for a window {@code keep + 2} windows newer; by then the old
 * window has left the monitor's history. Every outcome also goes into the total, so the cumulative view
 * holds the outcomes of windows no longer kept.
 *
 * <p><b>Threads.</b> One private lock, held for O(1) per outcome and O(keep · bins) per
 * {@link #views}: outcomes arrive on the label path, not the serving path (the join before, in
 * {@link PendingOutcomes}, is lock-free). Reading every window and the total under the one lock makes
 * a snapshot consistent: each outcome is in its window's view and in the total, or in neither.
 */
final class OutcomeWindows {
    /** What the monitor's model predicts, which fixes the metrics its outcomes feed. */
    enum Kind {
        BINARY, MULTI_CLASS, REGRESSION
    }

    private final Kind kind;
    private final double threshold;
    private final int bins;
    private final int classes;
    private final long windowMillis;
    private final long[] starts;
    private final Object[] metrics;
    private final Object total;
    private final Optional<ClassificationSnapshot> emptyClassification;
    private final Optional<RegressionSnapshot> emptyRegression;
    private final Object lock = new Object();

    OutcomeWindows(Kind kind, double threshold, int bins, int classes, long windowMillis, int keep) {
        this.kind = kind;
        this.threshold = threshold;
        this.bins = bins;
        this.classes = classes;
        this.windowMillis = windowMillis;
        this.starts = new long[keep + 2];
        Arrays.fill(starts, Long.MIN_VALUE);
        this.metrics = new Object[keep + 2];
        this.total = newMetrics();
        this.emptyClassification = kind == Kind.REGRESSION ? Optional.empty()
                : Optional.of(((ClassificationMetrics) newMetrics()).snapshot());
        this.emptyRegression = kind == Kind.REGRESSION ? Optional.of(RegressionSnapshot.EMPTY) : Optional.empty();
    }

    Kind kind() {
        return kind;
    }

    /**
     * Whether a prediction's score (or class index, for multi-class) can be joined later: checked on the
     * serving thread before the offer, so that the label path never meets a value its metrics refuse.
     */
    boolean validPrediction(double score) {
        return switch (kind) {
            case BINARY -> score >= 0 && score <= 1;
            case MULTI_CLASS -> score >= 0 && score < classes;
            case REGRESSION -> Double.isFinite(score);
        };
    }

    /** Whether an actual value is one the model kind takes: 0 or 1, a class index, a finite number. */
    boolean validActual(double actual) {
        return switch (kind) {
            case BINARY -> actual == 0 || actual == 1;
            case MULTI_CLASS -> actual >= 0 && actual < classes && actual == Math.rint(actual);
            case REGRESSION -> Double.isFinite(actual);
        };
    }

    /**
     * Attributes a joined outcome to its prediction's window (if still kept) and to the total.
     *
     * @param windowStart the start of the prediction's window, epoch millis
     * @param predicted the prediction's score, or class index for multi-class, valid for the kind
     * @param actual the outcome, valid for the kind
     */
    void record(long windowStart, double predicted, double actual) {
        int slot = slotOf(windowStart);
        synchronized (lock) {
            if (starts[slot] < windowStart) {
                starts[slot] = windowStart;
                metrics[slot] = newMetrics();
            }
            if (starts[slot] == windowStart) {
                recordInto(metrics[slot], predicted, actual);
            }
            recordInto(total, predicted, actual);
        }
    }

    /**
     * Attaches the metrics of several windows and of the total, read at one moment, to their counts.
     *
     * @param windowStarts the windows' starts, epoch millis
     * @param into receives each window's outcomes, in order, then the total's at index
     *     {@code windowStarts.length}
     * @param counts the windows' counts, then the total's, as {@code into}
     */
    void views(long[] windowStarts, WindowOutcomes[] into, WindowOutcomes[] counts) {
        synchronized (lock) {
            for (int i = 0; i < windowStarts.length; i++) {
                int slot = slotOf(windowStarts[i]);
                Object m = starts[slot] == windowStarts[i] ? metrics[slot] : null;
                into[i] = attach(counts[i], m);
            }
            into[windowStarts.length] = attach(counts[windowStarts.length], total);
        }
    }

    private WindowOutcomes attach(WindowOutcomes counts, Object m) {
        if (m == null) {
            return counts.withMetrics(emptyClassification, emptyRegression);
        }
        if (m instanceof ClassificationMetrics c) {
            return counts.withMetrics(Optional.of(c.snapshot()), Optional.empty());
        }
        return counts.withMetrics(Optional.empty(), Optional.of(((RegressionMetrics) m).snapshot()));
    }

    private int slotOf(long windowStart) {
        return (int) Math.floorMod(Math.floorDiv(windowStart, windowMillis), (long) starts.length);
    }

    private Object newMetrics() {
        return switch (kind) {
            case BINARY -> ClassificationMetrics.binary(threshold, bins);
            case MULTI_CLASS -> ClassificationMetrics.multiClass(classes);
            case REGRESSION -> RegressionMetrics.create();
        };
    }

    private void recordInto(Object m, double predicted, double actual) {
        switch (kind) {
            case BINARY -> ((ClassificationMetrics) m).recordScore(predicted, actual == 1);
            case MULTI_CLASS -> ((ClassificationMetrics) m).recordClass((int) predicted, (int) actual);
            case REGRESSION -> ((RegressionMetrics) m).record(predicted, actual);
        }
    }
}
