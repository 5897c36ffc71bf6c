package dev.mlops.core.monitor;

import java.util.Objects;

/**
 * Accumulates classification outcomes (a prediction joined to its actual class) into counts from
 * which {@link ClassificationSnapshot} computes accuracy, precision, recall, F1, the confusion
 * matrix, log loss and AUC, with scikit-learn's conventions (stated on the snapshot).
 *
 * <p>Two kinds, fixed at construction:
 * <ul>
 *   <li>{@linkplain #binary(double, int) binary}: {@link #recordScore(double, boolean)} takes the
 *       model's probability of the positive class and the actual class; the positive class is predicted
 *       when {@code score >= threshold}. Scores are also counted in equal-width bins of [0, 1] for the
 *       AUC (1,000 by default: memory is 16 bytes per bin), and each outcome's clipped log loss is
 *       summed.
 *   <li>{@linkplain #multiClass(int) multi-class}: {@link #recordClass(int, int)} takes the predicted and
 *       actual class indexes; there are no scores, so no log loss or AUC.
 * </ul>
 *
 * <p><b>Memory and cost</b> are fixed: a {@code classes²} confusion matrix, the bins, and a compensated
 * log-loss sum (see {@code OutcomeSum}: within a few ulps of the exact sum at any count). Recording is
 * O(1) and allocates nothing; {@link #snapshot()} copies O(bins + classes²).
 *
 * <p><b>Threads.</b> Thread-safe: every method holds a private lock, for O(1) per record. Outcomes
 * arrive on the label path, not the serving path; the {@link PendingOutcomes} join that precedes a
 * record is lock-free. A snapshot is consistent: it holds whole records only.
 *
 * <p><b>Merging.</b> {@link #add(ClassificationSnapshot)} folds another accumulator's snapshot in:
 * the result holds exactly the counts of one accumulator that saw both streams (the log-loss sum up
 * to floating-point rounding), so replicas and windows combine without raw data.
 *
 * <pre>{@code
 * ClassificationMetrics window = ClassificationMetrics.binary();   // threshold 0.5, 1,000 bins
 * window.recordScore(0.83, true);                                  // score of the joined prediction
 * window.recordScore(0.40, false);
 * ClassificationSnapshot s = window.snapshot();
 * double auc = s.auc(), logLoss = s.logLoss(), f1 = s.f1();
 *
 * ClassificationMetrics intents = ClassificationMetrics.multiClass(5);
 * intents.recordClass(predictedIntent, actualIntent);
 * double macroF1 = intents.snapshot().macroF1();
 * }</pre>
 */
public final class ClassificationMetrics {
    /** The default threshold at or above which a score predicts the positive class. */
    public static final double DEFAULT_THRESHOLD = 0.5;
    /** The default number of equal-width score bins for the AUC. */
    public static final int DEFAULT_BINS = 1000;
    /** The clipping of log loss, {@code np.finfo(np.float64).eps}: 2^-52. */
    static final double EPS = Math.ulp(1.0);

    private final Object lock = new Object();
    private final int classes;
    private final boolean binary;
    private final double threshold;
    private final long[] confusion;
    private final long[] negativeBins;
    private final long[] positiveBins;
    private final OutcomeSum logLoss = new OutcomeSum();

    private ClassificationMetrics(int classes, boolean binary, double threshold, int bins) {
        this.classes = classes;
        this.binary = binary;
        this.threshold = threshold;
        this.confusion = new long[classes * classes];
        this.negativeBins = new long[bins];
        this.positiveBins = new long[bins];
    }

    /** @return a binary accumulator with threshold {@value #DEFAULT_THRESHOLD} and {@value #DEFAULT_BINS} bins */
    public static ClassificationMetrics binary() {
        return binary(DEFAULT_THRESHOLD, DEFAULT_BINS);
    }

    /**
     * @param threshold the score at or above which the positive class is predicted, in [0, 1]
     * @param bins how many equal-width bins split [0, 1] for the AUC, in [1, 2^20]
     * @return an empty binary accumulator
     * @throws IllegalArgumentException if the threshold or bins are out of range
     */
    public static ClassificationMetrics binary(double threshold, int bins) {
        ClassificationSnapshot.checkThreshold(threshold);
        ClassificationSnapshot.checkBins(bins);
        return new ClassificationMetrics(2, true, threshold, bins);
    }

    /**
     * @param classes how many classes, indexed 0 to {@code classes - 1}; in [2, 1024]
     * @return an empty multi-class accumulator
     * @throws IllegalArgumentException if {@code classes} is out of range
     */
    public static ClassificationMetrics multiClass(int classes) {
        ClassificationSnapshot.checkClasses(classes);
        return new ClassificationMetrics(classes, false, Double.NaN, 0);
    }

    /** @return true for a binary accumulator of scores, false for a multi-class one */
    public boolean isBinary() {
        return binary;
    }

    /** @return how many classes: 2 for binary */
    public int classes() {
        return classes;
    }

    /**
     * Records one binary outcome.
     *
     * @param score the predicted probability of the positive class, in [0, 1]
     * @param actual whether the actual class is the positive one
     * @throws IllegalArgumentException if {@code score} is NaN or outside [0, 1]
     * @throws IllegalStateException if this accumulator is multi-class
     */
    public void recordScore(double score, boolean actual) {
        if (!binary) {
            throw new IllegalStateException("recordScore needs a binary accumulator; this one is multi-class with "
                    + classes + " classes: use recordClass(predicted, actual)");
        }
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("score must be a probability in [0, 1], was " + score);
        }
        int predicted = score >= threshold ? 1 : 0;
        int cell = (actual ? 2 : 0) + predicted;
        int bin = ClassificationSnapshot.binOf(score, positiveBins.length);
        // The probability given to the actual class, clipped as scikit-learn clips it.
        double p = Math.min(1 - EPS, Math.max(EPS, actual ? score : 1 - score));
        double loss = -Math.log(p);
        synchronized (lock) {
            confusion[cell]++;
            (actual ? positiveBins : negativeBins)[bin]++;
            logLoss.add(loss);
        }
    }

    /**
     * Records one multi-class outcome.
     *
     * @param predicted the predicted class, in [0, classes)
     * @param actual the actual class, in [0, classes)
     * @throws IllegalArgumentException if a class is out of range
     * @throws IllegalStateException if this accumulator is binary
     */
    public void recordClass(int predicted, int actual) {
        if (binary) {
            throw new IllegalStateException(
                    "recordClass needs a multi-class accumulator; this one is binary: use recordScore(score, actual)");
        }
        if (predicted < 0 || predicted >= classes) {
            throw new IllegalArgumentException("predicted must be a class in [0, " + classes + "), was " + predicted);
        }
        if (actual < 0 || actual >= classes) {
            throw new IllegalArgumentException("actual must be a class in [0, " + classes + "), was " + actual);
        }
        synchronized (lock) {
            confusion[actual * classes + predicted]++;
        }
    }

    /**
     * Adds another accumulator's snapshot, as if its outcomes had been recorded here.
     *
     * @param snapshot a snapshot of the same kind, threshold, bins and classes
     * @throws IllegalArgumentException if the snapshot is of another kind or shape
     * @throws ArithmeticException if a count overflows a long; nothing is added then
     */
    public void add(ClassificationSnapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        synchronized (lock) {
            // Merged into a copy first, so that a mismatch or an overflow adds nothing.
            ClassificationSnapshot merged = snapshotLocked().merge(snapshot);
            System.arraycopy(merged.confusionCounts(), 0, confusion, 0, confusion.length);
            System.arraycopy(merged.negativeBinsView(), 0, negativeBins, 0, negativeBins.length);
            System.arraycopy(merged.positiveBinsView(), 0, positiveBins, 0, positiveBins.length);
            logLoss.add(snapshot.logLossSum());
        }
    }

    /** @return an immutable copy of the counts so far */
    public ClassificationSnapshot snapshot() {
        synchronized (lock) {
            return snapshotLocked();
        }
    }

    private ClassificationSnapshot snapshotLocked() {
        return ClassificationSnapshot.ofParts(classes, confusion.clone(), binary, threshold, negativeBins.clone(),
                positiveBins.clone(), logLoss.value());
    }

    @Override
    public String toString() {
        return "ClassificationMetrics[" + snapshot() + "]";
    }
}
