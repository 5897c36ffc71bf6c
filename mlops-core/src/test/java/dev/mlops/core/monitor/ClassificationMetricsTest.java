package dev.mlops.core.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Examples of {@link ClassificationMetrics} and {@link ClassificationSnapshot}: edges, errors, rebuilding. */
class ClassificationMetricsTest {

    @Test
    void anEmptyAccumulator_answersNaN_forEveryRate() {
        ClassificationSnapshot s = ClassificationMetrics.binary().snapshot();
        assertEquals(0, s.count());
        for (double v : new double[] {s.accuracy(), s.precision(), s.recall(), s.f1(), s.macroF1(), s.logLoss(), s.auc()}) {
            assertTrue(Double.isNaN(v));
        }
        assertEquals(ClassificationMetrics.DEFAULT_BINS, s.bins());
        assertEquals(0.5, s.threshold());
    }

    @Test
    void aScoreAtTheThreshold_predictsPositive_andScoresAtZeroAndOne_areClippedForLogLoss() {
        ClassificationMetrics m = ClassificationMetrics.binary(0.5, 10);
        m.recordScore(0.5, true);
        m.recordScore(1.0, false);
        m.recordScore(0.0, false);
        ClassificationSnapshot s = m.snapshot();
        assertArrayEquals(new long[][] {{1, 1}, {0, 1}}, s.confusionMatrix());
        double worst = -Math.log(Math.ulp(1.0)); // 36.04: a certain score on the wrong side
        double best = -Math.log(1 - Math.ulp(1.0));
        assertEquals((-Math.log(0.5) + worst + best) / 3, s.logLoss(), 1e-15);
        assertEquals(1, s.positiveBinCounts()[5]);
        assertEquals(1, s.negativeBinCounts()[9], "a score of 1 is in the last bin");
        assertEquals(1, s.negativeBinCounts()[0]);
    }

    @Test
    void auc_countsAPositiveAndANegativeInTheSameBinAsHalf() {
        ClassificationMetrics m = ClassificationMetrics.binary(0.5, 10);
        m.recordScore(0.91, true);
        m.recordScore(0.95, false);
        m.recordScore(0.10, false);
        // pairs: (0.91 vs 0.95) same bin, 1/2; (0.91 vs 0.10) 1
        assertEquals(0.75, m.snapshot().auc());
    }

    @Test
    void positiveClassMetrics_ofAMultiClassSnapshot_pointToThePerClassOnes() {
        ClassificationMetrics m = ClassificationMetrics.multiClass(3);
        m.recordClass(2, 1);
        ClassificationSnapshot s = m.snapshot();
        IllegalStateException e = assertThrows(IllegalStateException.class, s::precision);
        assertEquals("precision() is the positive class's and needs a binary snapshot; this is a multi-class"
                + " snapshot (3 classes): use precision(c) or macroPrecision()", e.getMessage());
        assertTrue(Double.isNaN(s.auc()));
        assertEquals(0.0, s.macroF1());
        assertEquals(1, s.confusion(1, 2));
    }

    @Test
    void recording_theWrongKind_orBadValues_isRejected_namingTheInput() {
        ClassificationMetrics binary = ClassificationMetrics.binary();
        ClassificationMetrics multi = ClassificationMetrics.multiClass(4);
        assertThrows(IllegalStateException.class, () -> binary.recordClass(0, 1));
        assertThrows(IllegalStateException.class, () -> multi.recordScore(0.5, true));
        assertMessage("score must be a probability in [0, 1], was NaN", () -> binary.recordScore(Double.NaN, true));
        assertMessage("score must be a probability in [0, 1], was 1.5", () -> binary.recordScore(1.5, true));
        assertMessage("score must be a probability in [0, 1], was -0.1", () -> binary.recordScore(-0.1, false));
        assertMessage("predicted must be a class in [0, 4), was 4", () -> multi.recordClass(4, 0));
        assertMessage("actual must be a class in [0, 4), was -1", () -> multi.recordClass(0, -1));
        assertMessage("threshold must be in [0, 1], was 2.0", () -> ClassificationMetrics.binary(2, 10));
        assertMessage("bins must be in [1, 1048576], was 0", () -> ClassificationMetrics.binary(0.5, 0));
        assertMessage("classes must be in [2, 1024], was 1", () -> ClassificationMetrics.multiClass(1));
        assertEquals(0, binary.snapshot().count());
        assertEquals(0, multi.snapshot().count());
    }

    @Test
    void add_ofAnIncompatibleSnapshot_isRejected_andAddsNothing() {
        ClassificationMetrics m = ClassificationMetrics.binary(0.5, 10);
        m.recordScore(0.2, false);
        ClassificationSnapshot before = m.snapshot();
        assertMessage("cannot combine a binary snapshot (threshold 0.5, 10 bins) with a binary snapshot"
                + " (threshold 0.7, 10 bins)", () -> m.add(ClassificationMetrics.binary(0.7, 10).snapshot()));
        assertMessage("cannot combine", () -> m.add(ClassificationMetrics.binary(0.5, 11).snapshot()));
        assertMessage("cannot combine", () -> m.add(ClassificationMetrics.multiClass(2).snapshot()));
        assertEquals(before, m.snapshot());
    }

    @Test
    void aBinarySnapshot_rebuiltFromItsParts_isEqual_andInconsistentPartsAreRejected() {
        ClassificationMetrics m = ClassificationMetrics.binary(0.3, 4);
        m.recordScore(0.1, false);
        m.recordScore(0.35, false);
        m.recordScore(0.8, true);
        ClassificationSnapshot s = m.snapshot();
        ClassificationSnapshot rebuilt = ClassificationSnapshot.binary(s.threshold(), s.confusion(0, 0),
                s.confusion(0, 1), s.confusion(1, 0), s.confusion(1, 1), s.negativeBinCounts(), s.positiveBinCounts(),
                s.logLossSum());
        assertEquals(s, rebuilt);
        assertEquals(s.hashCode(), rebuilt.hashCode());
        assertNotEquals(s, s.merge(s));
        assertMessage("positiveBins must add up to falseNegatives + truePositives = 2, added up to 1",
                () -> ClassificationSnapshot.binary(0.3, 1, 1, 1, 1, new long[] {1, 1}, new long[] {0, 1}, 0));
        assertMessage("positiveBins and negativeBins must have the same length, were 1 and 2",
                () -> ClassificationSnapshot.binary(0.3, 1, 1, 0, 1, new long[] {1, 1}, new long[] {1}, 0));
        assertMessage("logLossSum must be finite and >= 0, was NaN",
                () -> ClassificationSnapshot.binary(0.3, 0, 0, 0, 0, new long[1], new long[1], Double.NaN));
        assertMessage("trueNegatives must be >= 0, was -1",
                () -> ClassificationSnapshot.binary(0.3, -1, 1, 0, 0, new long[1], new long[1], 0));
        assertMessage("confusion must be square, 2 x 2, but row 1 has 3 columns",
                () -> ClassificationSnapshot.multiClass(new long[][] {{1, 2}, {3, 4, 5}}));
        assertMessage("confusion[0][1] must be >= 0, was -2",
                () -> ClassificationSnapshot.multiClass(new long[][] {{1, -2}, {3, 4}}));
    }

    @Test
    void snapshots_areCopies_thatRecordingDoesNotChange() {
        ClassificationMetrics m = ClassificationMetrics.multiClass(2);
        m.recordClass(1, 1);
        ClassificationSnapshot s = m.snapshot();
        long[][] matrix = s.confusionMatrix();
        matrix[1][1] = 99;
        m.recordClass(0, 1);
        assertEquals(1, s.count());
        assertEquals(1, s.confusion(1, 1));
        assertEquals(2, m.snapshot().count());
    }

    private static void assertMessage(String start, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}
