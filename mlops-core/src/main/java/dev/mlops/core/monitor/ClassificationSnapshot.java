package dev.mlops.core.monitor;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable copy of a {@link ClassificationMetrics}: the confusion matrix and, for a binary
 * (scored) accumulator, the threshold, the scores binned by actual class and the summed log loss.
 * Every metric is computed from these counts on demand, and {@link #merge(ClassificationSnapshot)}
 * adds counts, so merged snapshots answer exactly what one accumulator that saw both streams would.
 *
 * <p><b>Conventions</b> follow scikit-learn's defaults, so numbers agree with what a data scientist
 * computes offline:
 * <ul>
 *   <li>The confusion matrix has actual classes as rows and predicted classes as columns; for binary,
 *       class 1 is the positive class, {@code [[tn, fp], [fn, tp]]}.
 *   <li>Precision {@code tp / (tp + fp)}, recall {@code tp / (tp + fn)}, F1
 *       {@code 2tp / (2tp + fp + fn)}, per class; a zero denominator gives 0.0 (scikit-learn's
 *       {@code zero_division="warn"} default, which warns and returns 0.0). {@link #precision()},
 *       {@link #recall()} and {@link #f1()} are the positive class's ({@code pos_label=1}).
 *   <li>Macro averages are the unweighted means over the classes that occur as actual or predicted
 *       class at least once (scikit-learn's {@code labels=None}, {@code unique_labels(y_true, y_pred)});
 *       a class declared but never seen does not dilute them.
 *   <li>Log loss is the mean of {@code -ln p̂}, where {@code p̂} is the probability given to the actual
 *       class ({@code score} for a positive, {@code 1 - score} for a negative) clipped to
 *       {@code [ε, 1 - ε]}, ε = 2^-52 = {@code np.finfo(np.float64).eps} (scikit-learn 1.5 and later;
 *       before 1.3 the default was 1e-15). A score of exactly 0 or 1 on the wrong side costs
 *       {@code -ln ε ≈ 36.04}. scikit-learn refuses a single-class {@code y_true} without
 *       {@code labels}; here the loss is computed regardless.
 *   <li>AUC is the area under the ROC curve drawn through the bin edges, trapezoids between them:
 *       {@code Σ_b neg[b] · (pos above b + pos[b] / 2) / (P · N)}. A positive and a negative in the
 *       same bin count half, so it equals the Mann–Whitney {@code U / (P · N)} of the bin indices, and
 *       the exact AUC of the raw scores ({@code roc_auc_score}) whenever no bin holds scores of both
 *       classes. With 1,000 bins it differs from the exact AUC by at most the share of
 *       positive–negative pairs that share a bin, halved. NaN when either class is absent
 *       (scikit-learn raises).
 *   <li>With nothing recorded every rate is NaN (no data), not 0.
 * </ul>
 * Log loss and AUC need scores: for a multi-class snapshot, built from predicted classes, they are
 * NaN.
 *
 * <pre>{@code
 * ClassificationSnapshot s = metrics.snapshot().merge(otherReplica.snapshot());
 * double auc = s.auc();                 // NaN until both classes were seen
 * double f1 = s.f1();                   // positive class; macroF1() over all classes
 * long falseNegatives = s.confusion(1, 0);
 * }</pre>
 */
public final class ClassificationSnapshot {
    static final int MAX_CLASSES = 1024;
    static final int MAX_BINS = 1 << 20;

    private final int classes;
    private final long[] confusion;
    private final boolean binary;
    private final double threshold;
    private final long[] negativeBins;
    private final long[] positiveBins;
    private final double logLossSum;
    private final long count;

    private ClassificationSnapshot(int classes, long[] confusion, boolean binary, double threshold,
            long[] negativeBins, long[] positiveBins, double logLossSum) {
        this.classes = classes;
        this.confusion = confusion;
        this.binary = binary;
        this.threshold = threshold;
        this.negativeBins = negativeBins;
        this.positiveBins = positiveBins;
        this.logLossSum = logLossSum;
        long n = 0;
        for (long c : confusion) {
            n = Math.addExact(n, c);
        }
        this.count = n;
    }

    /**
     * A binary snapshot from its parts, as read back from a stored form. The bins split [0, 1] into
     * {@code bins} equal widths; a score {@code s} lies in bin {@code min(bins - 1, floor(s · bins))}.
     *
     * @param threshold the score at or above which the positive class was predicted, in [0, 1]
     * @param trueNegatives actual 0, predicted 0
     * @param falsePositives actual 0, predicted 1
     * @param falseNegatives actual 1, predicted 0
     * @param truePositives actual 1, predicted 1
     * @param negativeBins the scores of actual negatives, counted per bin; copied
     * @param positiveBins the scores of actual positives, counted per bin; copied, as long as
     *     {@code negativeBins}
     * @param logLossSum the sum of the per-record log losses, finite and {@code >= 0}
     * @return the snapshot
     * @throws IllegalArgumentException when a count is negative, the bins differ in length or are
     *     outside [1, 2^20], a class's bins do not add up to its confusion counts, or the threshold or
     *     log loss is out of range
     */
    public static ClassificationSnapshot binary(double threshold, long trueNegatives, long falsePositives,
            long falseNegatives, long truePositives, long[] negativeBins, long[] positiveBins, double logLossSum) {
        checkThreshold(threshold);
        Objects.requireNonNull(negativeBins, "negativeBins");
        Objects.requireNonNull(positiveBins, "positiveBins");
        checkBins(negativeBins.length);
        if (positiveBins.length != negativeBins.length) {
            throw new IllegalArgumentException("positiveBins and negativeBins must have the same length, were "
                    + positiveBins.length + " and " + negativeBins.length);
        }
        long[] confusion = {trueNegatives, falsePositives, falseNegatives, truePositives};
        String[] names = {"trueNegatives", "falsePositives", "falseNegatives", "truePositives"};
        for (int i = 0; i < confusion.length; i++) {
            checkCount(names[i], confusion[i]);
        }
        long negatives = sum("negativeBins", negativeBins);
        long positives = sum("positiveBins", positiveBins);
        if (negatives != Math.addExact(trueNegatives, falsePositives)) {
            throw new IllegalArgumentException("negativeBins must add up to trueNegatives + falsePositives = "
                    + (trueNegatives + falsePositives) + ", added up to " + negatives);
        }
        if (positives != Math.addExact(falseNegatives, truePositives)) {
            throw new IllegalArgumentException("positiveBins must add up to falseNegatives + truePositives = "
                    + (falseNegatives + truePositives) + ", added up to " + positives);
        }
        if (!(logLossSum >= 0) || Double.isInfinite(logLossSum)) {
            throw new IllegalArgumentException("logLossSum must be finite and >= 0, was " + logLossSum);
        }
        return new ClassificationSnapshot(2, confusion, true, threshold, negativeBins.clone(),
                positiveBins.clone(), logLossSum);
    }

    /**
     * A multi-class snapshot from its confusion matrix, as read back from a stored form.
     *
     * @param confusion {@code confusion[actual][predicted]}, square, 2 to 1,024 classes; copied
     * @return the snapshot
     * @throws IllegalArgumentException when the matrix is not square, has too few or too many classes,
     *     or holds a negative count
     */
    public static ClassificationSnapshot multiClass(long[][] confusion) {
        Objects.requireNonNull(confusion, "confusion");
        int k = confusion.length;
        checkClasses(k);
        long[] flat = new long[k * k];
        for (int a = 0; a < k; a++) {
            Objects.requireNonNull(confusion[a], "confusion row");
            if (confusion[a].length != k) {
                throw new IllegalArgumentException("confusion must be square, " + k + " x " + k + ", but row " + a
                        + " has " + confusion[a].length + " columns");
            }
            for (int p = 0; p < k; p++) {
                checkCount("confusion[" + a + "][" + p + "]", confusion[a][p]);
                flat[a * k + p] = confusion[a][p];
            }
        }
        return new ClassificationSnapshot(k, flat, false, Double.NaN, new long[0], new long[0], 0.0);
    }

    static ClassificationSnapshot ofParts(int classes, long[] confusion, boolean binary, double threshold,
            long[] negativeBins, long[] positiveBins, double logLossSum) {
        return new ClassificationSnapshot(classes, confusion, binary, threshold, negativeBins, positiveBins,
                logLossSum);
    }

    static void checkThreshold(double threshold) {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in [0, 1], was " + threshold);
        }
    }

    static void checkBins(int bins) {
        if (bins < 1 || bins > MAX_BINS) {
            throw new IllegalArgumentException("bins must be in [1, " + MAX_BINS + "], was " + bins);
        }
    }

    static void checkClasses(int classes) {
        if (classes < 2 || classes > MAX_CLASSES) {
            throw new IllegalArgumentException("classes must be in [2, " + MAX_CLASSES + "], was " + classes);
        }
    }

    /**
     * @param score a probability in [0, 1]
     * @param bins how many equal-width bins split [0, 1]
     * @return the bin of {@code score}: {@code min(bins - 1, floor(score · bins))}
     */
    static int binOf(double score, int bins) {
        return Math.min(bins - 1, (int) (score * bins));
    }

    /** @return true for a snapshot of scores against a threshold, false for one of predicted classes */
    public boolean isBinary() {
        return binary;
    }

    /** @return how many classes: 2 for binary */
    public int classes() {
        return classes;
    }

    /** @return how many outcomes were recorded */
    public long count() {
        return count;
    }

    /**
     * @param actual the actual class
     * @param predicted the predicted class
     * @return how many outcomes of that actual class were predicted as that class
     * @throws IndexOutOfBoundsException if a class is outside [0, classes)
     */
    public long confusion(int actual, int predicted) {
        Objects.checkIndex(actual, classes);
        Objects.checkIndex(predicted, classes);
        return confusion[actual * classes + predicted];
    }

    /** @return a copy of the confusion matrix, {@code [actual][predicted]} */
    public long[][] confusionMatrix() {
        long[][] m = new long[classes][];
        for (int a = 0; a < classes; a++) {
            m[a] = Arrays.copyOfRange(confusion, a * classes, (a + 1) * classes);
        }
        return m;
    }

    /** @return the threshold at or above which a score predicts the positive class; NaN for multi-class */
    public double threshold() {
        return threshold;
    }

    /** @return how many equal-width score bins split [0, 1]; 0 for multi-class */
    public int bins() {
        return positiveBins.length;
    }

    /** @return a copy of the per-bin counts of actual positives' scores; empty for multi-class */
    public long[] positiveBinCounts() {
        return positiveBins.clone();
    }

    /** @return a copy of the per-bin counts of actual negatives' scores; empty for multi-class */
    public long[] negativeBinCounts() {
        return negativeBins.clone();
    }

    /** @return the sum of the per-outcome log losses; 0 for multi-class */
    public double logLossSum() {
        return logLossSum;
    }

    /** @return the share of outcomes whose predicted class was the actual class; NaN when empty */
    public double accuracy() {
        if (count == 0) {
            return Double.NaN;
        }
        long correct = 0;
        for (int c = 0; c < classes; c++) {
            correct += confusion[c * classes + c];
        }
        return (double) correct / count;
    }

    /**
     * @param c a class
     * @return {@code tp / (tp + fp)} of class {@code c}; 0.0 when it was never predicted; NaN when empty
     */
    public double precision(int c) {
        Objects.checkIndex(c, classes);
        return ratio(confusion[c * classes + c], predicted(c));
    }

    /**
     * @param c a class
     * @return {@code tp / (tp + fn)} of class {@code c}; 0.0 when it never occurred; NaN when empty
     */
    public double recall(int c) {
        Objects.checkIndex(c, classes);
        return ratio(confusion[c * classes + c], actual(c));
    }

    /**
     * @param c a class
     * @return {@code 2tp / (2tp + fp + fn)} of class {@code c}; 0.0 when it was neither predicted nor
     *     occurred; NaN when empty
     */
    public double f1(int c) {
        Objects.checkIndex(c, classes);
        long tp = confusion[c * classes + c];
        return ratio(2 * tp, predicted(c) + actual(c));
    }

    /**
     * @return the positive class's precision, {@link #precision(int) precision(1)}
     * @throws IllegalStateException for a multi-class snapshot, which has no positive class
     */
    public double precision() {
        requireBinary("precision()", "precision(c) or macroPrecision()");
        return precision(1);
    }

    /**
     * @return the positive class's recall, {@link #recall(int) recall(1)}
     * @throws IllegalStateException for a multi-class snapshot, which has no positive class
     */
    public double recall() {
        requireBinary("recall()", "recall(c) or macroRecall()");
        return recall(1);
    }

    /**
     * @return the positive class's F1, {@link #f1(int) f1(1)}
     * @throws IllegalStateException for a multi-class snapshot, which has no positive class
     */
    public double f1() {
        requireBinary("f1()", "f1(c) or macroF1()");
        return f1(1);
    }

    /** @return the mean precision over the classes seen as actual or predicted; NaN when empty */
    public double macroPrecision() {
        return macro(0);
    }

    /** @return the mean recall over the classes seen as actual or predicted; NaN when empty */
    public double macroRecall() {
        return macro(1);
    }

    /** @return the mean F1 over the classes seen as actual or predicted; NaN when empty */
    public double macroF1() {
        return macro(2);
    }

    /** @return the mean log loss; NaN when empty or multi-class */
    public double logLoss() {
        return binary && count > 0 ? logLossSum / count : Double.NaN;
    }

    /** @return the binned ROC AUC; NaN when either class is absent, or for multi-class */
    public double auc() {
        if (!binary) {
            return Double.NaN;
        }
        long positives = confusion[2] + confusion[3];
        long negatives = confusion[0] + confusion[1];
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        // Pairs counted in double: exact while each product stays below 2^53.
        double pairs = 0;
        long positivesAbove = 0;
        for (int b = positiveBins.length - 1; b >= 0; b--) {
            pairs += negativeBins[b] * (positivesAbove + 0.5 * positiveBins[b]);
            positivesAbove += positiveBins[b];
        }
        return pairs / ((double) positives * negatives);
    }

    /**
     * @param other a snapshot of the same kind: both binary with the same threshold and bins, or both
     *     multi-class with the same classes
     * @return the counts of both added; the log-loss sums added in floating point
     * @throws IllegalArgumentException if the kinds, thresholds, bins or classes differ
     * @throws ArithmeticException if a count overflows a long
     */
    public ClassificationSnapshot merge(ClassificationSnapshot other) {
        requireCompatible(other);
        long[] c = new long[confusion.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = Math.addExact(confusion[i], other.confusion[i]);
        }
        long[] neg = new long[negativeBins.length];
        long[] pos = new long[positiveBins.length];
        for (int b = 0; b < neg.length; b++) {
            neg[b] = Math.addExact(negativeBins[b], other.negativeBins[b]);
            pos[b] = Math.addExact(positiveBins[b], other.positiveBins[b]);
        }
        return new ClassificationSnapshot(classes, c, binary, threshold, neg, pos, logLossSum + other.logLossSum);
    }

    void requireCompatible(ClassificationSnapshot other) {
        Objects.requireNonNull(other, "other");
        if (binary != other.binary || classes != other.classes || positiveBins.length != other.positiveBins.length
                || Double.compare(threshold, other.threshold) != 0) {
            throw new IllegalArgumentException("cannot combine " + describe() + " with " + other.describe());
        }
    }

    String describe() {
        return binary
                ? "a binary snapshot (threshold " + threshold + ", " + positiveBins.length + " bins)"
                : "a multi-class snapshot (" + classes + " classes)";
    }

    long[] confusionCounts() {
        return confusion;
    }

    long[] negativeBinsView() {
        return negativeBins;
    }

    long[] positiveBinsView() {
        return positiveBins;
    }

    private double macro(int metric) {
        if (count == 0) {
            return Double.NaN;
        }
        double total = 0;
        int seen = 0;
        for (int c = 0; c < classes; c++) {
            long predicted = predicted(c);
            long actual = actual(c);
            if (predicted == 0 && actual == 0) {
                continue;
            }
            long tp = confusion[c * classes + c];
            total += switch (metric) {
                case 0 -> ratio(tp, predicted);
                case 1 -> ratio(tp, actual);
                default -> ratio(2 * tp, predicted + actual);
            };
            seen++;
        }
        return total / seen;
    }

    private double ratio(long numerator, long denominator) {
        if (count == 0) {
            return Double.NaN;
        }
        return denominator == 0 ? 0.0 : (double) numerator / denominator;
    }

    private long predicted(int c) {
        long n = 0;
        for (int a = 0; a < classes; a++) {
            n += confusion[a * classes + c];
        }
        return n;
    }

    private long actual(int c) {
        long n = 0;
        for (int p = 0; p < classes; p++) {
            n += confusion[c * classes + p];
        }
        return n;
    }

    private void requireBinary(String method, String instead) {
        if (!binary) {
            throw new IllegalStateException(method + " is the positive class's and needs a binary snapshot; this is "
                    + describe() + ": use " + instead);
        }
    }

    private static void checkCount(String name, long count) {
        if (count < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + count);
        }
    }

    private static long sum(String name, long[] counts) {
        long n = 0;
        for (int i = 0; i < counts.length; i++) {
            checkCount(name + "[" + i + "]", counts[i]);
            n = Math.addExact(n, counts[i]);
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassificationSnapshot s
                && classes == s.classes
                && binary == s.binary
                && Double.compare(threshold, s.threshold) == 0
                && Double.compare(logLossSum, s.logLossSum) == 0
                && Arrays.equals(confusion, s.confusion)
                && Arrays.equals(negativeBins, s.negativeBins)
                && Arrays.equals(positiveBins, s.positiveBins);
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(classes, binary, threshold, logLossSum);
        h = 31 * h + Arrays.hashCode(confusion);
        h = 31 * h + Arrays.hashCode(negativeBins);
        return 31 * h + Arrays.hashCode(positiveBins);
    }

    @Override
    public String toString() {
        return binary
                ? "ClassificationSnapshot[binary, threshold=" + threshold + ", bins=" + positiveBins.length + ", count="
                        + count + ", confusion=" + Arrays.toString(confusion) + ", logLossSum=" + logLossSum + "]"
                : "ClassificationSnapshot[" + classes + " classes, count=" + count + ", confusion="
                        + Arrays.deepToString(confusionMatrix()) + "]";
    }
}
