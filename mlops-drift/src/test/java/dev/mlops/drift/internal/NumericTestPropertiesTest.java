package dev.mlops.drift.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.drift.Sample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;

/**
 * Invariants of the numeric tests on random samples, ties included: ranges of statistics and p-values,
 * symmetry where the mathematics is symmetric, and invariance to the order of the raw input.
 */
class NumericTestPropertiesTest {
    private static final int TRIES = 300;

    /** Two raw samples (unsorted, possibly tied), as a user would hand them over. */
    record Pair(double[] x, double[] y) {
        double[] sx() {
            return Sample.numeric(x).sortedValues();
        }

        double[] sy() {
            return Sample.numeric(y).sortedValues();
        }

        /** The same two samples with their raw values in another order. */
        Pair shuffled(long seed) {
            return new Pair(shuffle(x, seed), shuffle(y, seed + 1));
        }

        private static double[] shuffle(double[] values, long seed) {
            List<Double> list = new ArrayList<>();
            for (double v : values) {
                list.add(v);
            }
            Collections.shuffle(list, new Random(seed));
            return list.stream().mapToDouble(Double::doubleValue).toArray();
        }

        @Override
        public String toString() {
            return "x=" + java.util.Arrays.toString(x) + ", y=" + java.util.Arrays.toString(y);
        }
    }

    private static Arbitrary<Double> values() {
        // a coarse grid gives many ties; the continuous part gives distinct values and scale
        return Arbitraries.oneOf(
                Arbitraries.integers().between(-12, 12).map(i -> i / 4.0),
                Arbitraries.doubles().between(-1e3, 1e3));
    }

    private static Arbitrary<Pair> pairs(int minSize, int maxSize) {
        Arbitrary<double[]> sample = values().list().ofMinSize(minSize).ofMaxSize(maxSize)
                .map(list -> list.stream().mapToDouble(Double::doubleValue).toArray());
        return Combinators.combine(sample, sample).as(Pair::new);
    }

    @Provide
    Arbitrary<Pair> samples() {
        return pairs(1, 60);
    }

    @Provide
    Arbitrary<Pair> atLeastTwo() {
        return pairs(2, 40);
    }

    @Provide
    Arbitrary<Pair> atLeastTwoAndDistinct() {
        return pairs(2, 40).filter(p -> {
            double first = p.x()[0];
            for (double v : p.x()) {
                if (v != first) {
                    return true;
                }
            }
            for (double v : p.y()) {
                if (v != first) {
                    return true;
                }
            }
            return false;
        });
    }

    private static void assertProbability(double p) {
        assertTrue(p >= 0 && p <= 1, () -> "p-value " + p + " outside [0, 1]");
    }

    private static void assertSame(NumericTestResult expected, NumericTestResult actual) {
        assertEquals(expected.statistic(), actual.statistic(), 0.0);
        assertEquals(expected.pValue(), actual.pValue(), 0.0);
    }

    @Property(tries = TRIES)
    void ks_anySamples_statisticInUnitIntervalAndSymmetricTwoSided(@ForAll("samples") Pair p) {
        NumericTestResult xy = KolmogorovSmirnov.test(p.sx(), p.sy());
        NumericTestResult yx = KolmogorovSmirnov.test(p.sy(), p.sx());
        assertTrue(xy.statistic() >= 0 && xy.statistic() <= 1, () -> "D = " + xy.statistic());
        assertProbability(xy.pValue());
        assertSame(xy, yx);
        assertEquals(xy.statistic(), KolmogorovSmirnov.statistic(p.sx(), p.sy()), 1e-15);
    }

    @Property(tries = TRIES)
    void ks_oneSided_lessOfXYIsGreaterOfYX(@ForAll("samples") Pair p) {
        for (KolmogorovSmirnov.Method method : KolmogorovSmirnov.Method.values()) {
            NumericTestResult less = KolmogorovSmirnov.test(p.sx(), p.sy(), KolmogorovSmirnov.Alternative.LESS, method);
            NumericTestResult greater = KolmogorovSmirnov.test(p.sy(), p.sx(),
                    KolmogorovSmirnov.Alternative.GREATER, method);
            assertEquals(less.statistic(), greater.statistic(), 0.0);
            assertTrue(less.statistic() >= 0 && less.statistic() <= 1);
            assertProbability(less.pValue());
            assertEquals(less.pValue(), greater.pValue(), 1e-12);
        }
    }

    @Property(tries = TRIES)
    void ks_shuffledRawInput_givesTheSameResult(@ForAll("samples") Pair p, @ForAll long seed) {
        Pair q = p.shuffled(seed);
        assertSame(KolmogorovSmirnov.test(p.sx(), p.sy()), KolmogorovSmirnov.test(q.sx(), q.sy()));
    }

    @Property(tries = TRIES)
    void cramerVonMises_anySamples_symmetricWithPValueInUnitInterval(@ForAll("atLeastTwo") Pair p) {
        NumericTestResult xy = CramerVonMises.test(p.sx(), p.sy());
        NumericTestResult yx = CramerVonMises.test(p.sy(), p.sx());
        assertProbability(xy.pValue());
        assertEquals(xy.statistic(), yx.statistic(), 1e-12 * Math.max(1, Math.abs(xy.statistic())));
        assertEquals(xy.pValue(), yx.pValue(), 1e-12);
    }

    @Property(tries = TRIES)
    void cramerVonMises_shuffledRawInput_givesTheSameResult(@ForAll("atLeastTwo") Pair p, @ForAll long seed) {
        Pair q = p.shuffled(seed);
        assertSame(CramerVonMises.test(p.sx(), p.sy()), CramerVonMises.test(q.sx(), q.sy()));
    }

    @Property(tries = TRIES)
    void andersonDarling_anySamples_symmetricWithPValueWithinTable(@ForAll("atLeastTwoAndDistinct") Pair p) {
        NumericTestResult xy = AndersonDarling.test(p.sx(), p.sy());
        NumericTestResult yx = AndersonDarling.test(p.sy(), p.sx());
        assertEquals(xy.statistic(), yx.statistic(), 1e-9 * Math.max(1, Math.abs(xy.statistic())));
        assertTrue(xy.pValue() >= AndersonDarling.P_VALUE_FLOOR && xy.pValue() <= AndersonDarling.P_VALUE_CAP,
                () -> "p = " + xy.pValue());
    }

    @Property(tries = TRIES)
    void andersonDarling_shuffledRawInput_givesTheSameResult(@ForAll("atLeastTwoAndDistinct") Pair p,
            @ForAll long seed) {
        Pair q = p.shuffled(seed);
        assertSame(AndersonDarling.test(p.sx(), p.sy()), AndersonDarling.test(q.sx(), q.sy()));
    }

    @Property(tries = TRIES)
    void mannWhitney_anySamples_uStatisticsAddUpAndPValueSymmetric(@ForAll("samples") Pair p) {
        NumericTestResult xy = MannWhitney.test(p.sx(), p.sy());
        NumericTestResult yx = MannWhitney.test(p.sy(), p.sx());
        double mn = (double) p.x().length * p.y().length;
        assertEquals(mn, xy.statistic() + yx.statistic(), 0.0);
        assertTrue(xy.statistic() >= 0 && xy.statistic() <= mn);
        assertProbability(xy.pValue());
        assertEquals(xy.pValue(), yx.pValue(), 1e-12);
    }

    @Property(tries = TRIES)
    void mannWhitney_shuffledRawInput_givesTheSameResult(@ForAll("samples") Pair p, @ForAll long seed) {
        Pair q = p.shuffled(seed);
        assertSame(MannWhitney.test(p.sx(), p.sy()), MannWhitney.test(q.sx(), q.sy()));
    }

    @Property(tries = TRIES)
    void welchT_anySamples_antisymmetricStatisticSymmetricPValue(@ForAll("atLeastTwo") Pair p) {
        NumericTestResult xy = WelchT.test(p.sx(), p.sy());
        NumericTestResult yx = WelchT.test(p.sy(), p.sx());
        assertEquals(xy.statistic(), -yx.statistic(), 0.0);
        if (!Double.isNaN(xy.pValue())) {
            assertProbability(xy.pValue());
        }
        assertEquals(xy.pValue(), yx.pValue(), 0.0);
    }

    @Property(tries = TRIES)
    void welchT_shuffledRawInput_givesTheSameResult(@ForAll("atLeastTwo") Pair p, @ForAll long seed) {
        Pair q = p.shuffled(seed);
        assertSame(WelchT.test(p.sx(), p.sy()), WelchT.test(q.sx(), q.sy()));
    }

    @Property(tries = TRIES)
    void wasserstein_anySamples_nonNegativeSymmetricZeroOnItself(@ForAll("samples") Pair p) {
        double xy = Wasserstein.distance(p.sx(), p.sy());
        assertTrue(xy >= 0);
        assertEquals(xy, Wasserstein.distance(p.sy(), p.sx()), 1e-12 * Math.max(1, xy));
        assertEquals(0.0, Wasserstein.distance(p.sx(), p.sx()), 0.0);
    }

    @Property(tries = TRIES)
    void wasserstein_shiftedCopy_isTheShift(@ForAll("samples") Pair p, @ForAll @DoubleRange(min = -50, max = 50)
            double shift) {
        double[] x = p.sx();
        double[] moved = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            moved[i] = x[i] + shift;
        }
        assertEquals(Math.abs(shift), Wasserstein.distance(x, moved), 1e-9);
    }

    @Property(tries = TRIES)
    void energyDistance_anySamples_nonNegativeSymmetricZeroOnItself(@ForAll("samples") Pair p) {
        double xy = EnergyDistance.distance(p.sx(), p.sy());
        assertTrue(xy >= 0);
        assertEquals(xy, EnergyDistance.distance(p.sy(), p.sx()), 1e-12 * Math.max(1, xy));
        assertEquals(0.0, EnergyDistance.distance(p.sx(), p.sx()), 0.0);
    }

    @Property(tries = TRIES)
    void distances_shuffledRawInput_giveTheSameResult(@ForAll("samples") Pair p, @ForAll long seed) {
        Pair q = p.shuffled(seed);
        assertEquals(Wasserstein.distance(p.sx(), p.sy()), Wasserstein.distance(q.sx(), q.sy()), 0.0);
        assertEquals(EnergyDistance.distance(p.sx(), p.sy()), EnergyDistance.distance(q.sx(), q.sy()), 0.0);
    }
}
