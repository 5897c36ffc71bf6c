package dev.mlops.core.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Invariants of {@link ClassificationMetrics}: merging accumulators that saw disjoint streams equals
 * one that saw all (counts exactly, the log-loss sum to 1e-12 relative), and the binned AUC equals a
 * brute-force count over all positive–negative pairs (half for a shared bin), which is the exact AUC
 * of the raw scores when no bin holds both classes. Each try draws from one seed.
 */
class ClassificationMetricsPropertiesTest {

    @Property(tries = 300)
    void mergingBinaryAccumulatorsOfDisjointStreams_equalsOneAccumulatorOfAll(
            @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 3_000) int n,
            @ForAll @IntRange(min = 1, max = 2_000) int bins,
            @ForAll @IntRange(min = 0, max = 100) int thresholdPercent) {
        Random random = new Random(seed);
        double threshold = thresholdPercent / 100.0;
        ClassificationMetrics all = ClassificationMetrics.binary(threshold, bins);
        ClassificationMetrics a = ClassificationMetrics.binary(threshold, bins);
        ClassificationMetrics b = ClassificationMetrics.binary(threshold, bins);
        for (int i = 0; i < n; i++) {
            double score = random.nextInt(20) == 0 ? random.nextInt(2) : random.nextDouble();
            boolean actual = random.nextDouble() < score * 0.8 + 0.1;
            all.recordScore(score, actual);
            (random.nextBoolean() ? a : b).recordScore(score, actual);
        }
        ClassificationSnapshot expected = all.snapshot();
        ClassificationSnapshot merged = a.snapshot().merge(b.snapshot());
        a.add(b.snapshot());
        for (ClassificationSnapshot s : new ClassificationSnapshot[] {merged, a.snapshot()}) {
            assertArrayEquals(expected.confusionMatrix(), s.confusionMatrix());
            assertArrayEquals(expected.positiveBinCounts(), s.positiveBinCounts());
            assertArrayEquals(expected.negativeBinCounts(), s.negativeBinCounts());
            assertEquals(expected.logLossSum(), s.logLossSum(), 1e-12 * expected.logLossSum());
            assertEquals(expected.auc(), s.auc(), 0.0);
            assertEquals(expected.f1(), s.f1(), 0.0);
        }
    }

    @Property(tries = 300)
    void mergingMultiClassAccumulatorsOfDisjointStreams_equalsOneAccumulatorOfAll(
            @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 3_000) int n,
            @ForAll @IntRange(min = 2, max = 12) int classes) {
        Random random = new Random(seed);
        ClassificationMetrics all = ClassificationMetrics.multiClass(classes);
        ClassificationMetrics a = ClassificationMetrics.multiClass(classes);
        ClassificationMetrics b = ClassificationMetrics.multiClass(classes);
        for (int i = 0; i < n; i++) {
            int actual = random.nextInt(classes);
            int predicted = random.nextBoolean() ? actual : random.nextInt(classes);
            all.recordClass(predicted, actual);
            (random.nextBoolean() ? a : b).recordClass(predicted, actual);
        }
        ClassificationSnapshot merged = a.snapshot().merge(b.snapshot());
        assertEquals(all.snapshot(), merged);
        assertEquals(merged, b.snapshot().merge(a.snapshot()));
        double f1 = merged.macroF1();
        assertTrue(n == 0 ? Double.isNaN(f1) : f1 >= 0 && f1 <= 1, "macro F1 " + f1);
    }

    @Property(tries = 300)
    void binnedAuc_equalsABruteForcePairCount_andTheExactAucWhenNoBinHoldsBothClasses(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 400) int n,
            @ForAll @IntRange(min = 1, max = 1_000) int bins,
            @ForAll boolean distinctBins) {
        Random random = new Random(seed);
        double[] scores = new double[n];
        boolean[] actual = new boolean[n];
        for (int i = 0; i < n; i++) {
            actual[i] = random.nextBoolean();
            if (distinctBins) {
                // positives in even bins, negatives in odd ones, scores at bin centres
                int half = Math.max(1, bins / 2);
                int bin = Math.min(bins - 1, 2 * random.nextInt(half) + (actual[i] ? 0 : 1));
                scores[i] = (bin + 0.5) / bins;
                if (bins == 1) {
                    actual[i] = true;
                }
            } else {
                scores[i] = random.nextDouble();
            }
        }
        ClassificationMetrics m = ClassificationMetrics.binary(0.5, bins);
        for (int i = 0; i < n; i++) {
            m.recordScore(scores[i], actual[i]);
        }
        double binned = pairCount(scores, actual, s -> ClassificationSnapshot.binOf(s, bins));
        double auc = m.snapshot().auc();
        if (Double.isNaN(binned)) {
            assertTrue(Double.isNaN(auc));
            return;
        }
        assertEquals(binned, auc, 1e-12);
        if (distinctBins) {
            assertEquals(pairCount(scores, actual, s -> s), auc, 1e-12);
        }
    }

    private static double pairCount(double[] scores, boolean[] actual, java.util.function.DoubleUnaryOperator key) {
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < scores.length; i++) {
            if (!actual[i]) {
                continue;
            }
            for (int j = 0; j < scores.length; j++) {
                if (actual[j]) {
                    continue;
                }
                double p = key.applyAsDouble(scores[i]);
                double q = key.applyAsDouble(scores[j]);
                wins += p > q ? 1 : p == q ? 0.5 : 0;
                pairs++;
            }
        }
        return pairs == 0 ? Double.NaN : wins / pairs;
    }
}
