package dev.mlops.core.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** {@link RegressionMetrics}: edges, precision of the compensated sums, and merge equals union. */
class RegressionMetricsTest {

    @Test
    void anEmptyAccumulator_answersNaN() {
        RegressionSnapshot s = RegressionMetrics.create().snapshot();
        assertEquals(RegressionSnapshot.EMPTY, s);
        assertTrue(Double.isNaN(s.mae()) && Double.isNaN(s.rmse()) && Double.isNaN(s.mape()) && Double.isNaN(s.mse()));
    }

    @Test
    void aZeroActual_dividesByEps_likeScikitLearn_andAZeroErrorOnItAddsNothing() {
        RegressionMetrics m = RegressionMetrics.create();
        m.record(0.0, 0.0);
        m.record(1.0, 0.0);
        RegressionSnapshot s = m.snapshot();
        assertEquals(1 / Math.ulp(1.0) / 2, s.mape());
        assertEquals(0.5, s.mae());
        assertEquals(Math.sqrt(0.5), s.rmse());
    }

    @Test
    void aMillionEqualErrors_sumToTheExactMean_whereNaiveSummationDrifts() {
        RegressionMetrics m = RegressionMetrics.create();
        double naive = 0;
        for (int i = 0; i < 1_000_000; i++) {
            m.record(0.0, 0.1);
            naive += 0.1;
        }
        assertEquals(0.1, m.snapshot().mae(), Math.ulp(0.1));
        assertEquals(1.0, m.snapshot().mape(), Math.ulp(1.0));
        assertTrue(Math.abs(naive / 1_000_000 - 0.1) > 100 * Math.ulp(0.1), "naive summation drifts: " + naive);
    }

    @Test
    void aSquaredErrorPastTheDoubleRange_makesMseInfinite_notNaN() {
        RegressionMetrics m = RegressionMetrics.create();
        m.record(-1e200, 1e200);
        m.record(0, 1);
        RegressionSnapshot s = m.snapshot();
        assertEquals(Double.POSITIVE_INFINITY, s.mse());
        assertEquals(Double.POSITIVE_INFINITY, s.rmse());
        assertEquals(1e200, s.mae(), 1e186);
    }

    @Test
    void badValues_areRejected_namingTheInput() {
        RegressionMetrics m = RegressionMetrics.create();
        assertMessage("predicted must be finite, was NaN", () -> m.record(Double.NaN, 1));
        assertMessage("actual must be finite, was Infinity", () -> m.record(1, Double.POSITIVE_INFINITY));
        assertMessage("count must be >= 0, was -1", () -> new RegressionSnapshot(-1, 0, 0, 0));
        assertMessage("squaredErrorSum must be >= 0, was NaN", () -> new RegressionSnapshot(1, 0, Double.NaN, 0));
        assertMessage("absoluteErrorSum must be 0 when count is 0, was 1.0", () -> new RegressionSnapshot(0, 1, 0, 0));
        assertEquals(RegressionSnapshot.EMPTY, m.snapshot());
    }

    @Property(tries = 300)
    void mergingAccumulatorsOfDisjointStreams_equalsOneAccumulatorOfAll_withinRounding(
            @ForAll long seed, @ForAll @IntRange(min = 0, max = 3_000) int n) {
        Random random = new Random(seed);
        RegressionMetrics all = RegressionMetrics.create();
        RegressionMetrics a = RegressionMetrics.create();
        RegressionMetrics b = RegressionMetrics.create();
        double scale = Math.pow(10, random.nextInt(13) - 6);
        for (int i = 0; i < n; i++) {
            double actual = random.nextInt(10) == 0 ? 0.0 : random.nextGaussian() * scale;
            double predicted = actual + random.nextGaussian() * scale * 0.1;
            all.record(predicted, actual);
            (random.nextBoolean() ? a : b).record(predicted, actual);
        }
        RegressionSnapshot expected = all.snapshot();
        RegressionSnapshot merged = a.snapshot().merge(b.snapshot());
        a.add(b.snapshot());
        for (RegressionSnapshot s : new RegressionSnapshot[] {merged, a.snapshot()}) {
            assertEquals(expected.count(), s.count());
            assertEquals(expected.absoluteErrorSum(), s.absoluteErrorSum(), 1e-12 * expected.absoluteErrorSum());
            assertEquals(expected.squaredErrorSum(), s.squaredErrorSum(), 1e-12 * expected.squaredErrorSum());
            assertEquals(expected.absolutePercentageErrorSum(), s.absolutePercentageErrorSum(),
                    1e-12 * expected.absolutePercentageErrorSum());
        }
        if (n > 0) {
            assertTrue(expected.mae() <= expected.rmse() * (1 + 1e-12), expected.toString());
        }
    }

    private static void assertMessage(String start, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}
