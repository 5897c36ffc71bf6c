package dev.mlops.drift.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** Bad input is rejected with IllegalArgumentException whose message names the argument. */
class NumericInputValidationTest {
    private static final List<BiConsumer<double[], double[]>> ALL = List.of(
            KolmogorovSmirnov::test,
            CramerVonMises::test,
            AndersonDarling::test,
            MannWhitney::test,
            WelchT::test,
            Wasserstein::distance,
            EnergyDistance::distance);

    private static final double[] OK = {1, 2, 3, 4};

    @Test
    void everyTest_unsortedFirstSample_isRejectedNamingX() {
        for (BiConsumer<double[], double[]> test : ALL) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> test.accept(new double[] {1, 3, 2}, OK));
            assertTrue(e.getMessage().startsWith("x must be ascending"), e.getMessage());
        }
    }

    @Test
    void everyTest_nanInSecondSample_isRejectedNamingY() {
        for (BiConsumer<double[], double[]> test : ALL) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> test.accept(OK, new double[] {1, Double.NaN}));
            assertTrue(e.getMessage().startsWith("y must be ascending"), e.getMessage());
        }
    }

    @Test
    void everyTest_emptySample_isRejected() {
        for (BiConsumer<double[], double[]> test : ALL) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> test.accept(OK, new double[0]));
            assertTrue(e.getMessage().startsWith("y must hold at least"), e.getMessage());
        }
    }

    @Test
    void sortedInput_negativeZeroBeforeZero_isAccepted() {
        // NumericSample sorts -0.0 before 0.0; both compare equal, as in NumPy
        double d = KolmogorovSmirnov.statistic(new double[] {-0.0, 0.0, 1}, new double[] {0.0, -0.0, 1});
        assertEquals(0.0, d, 0.0);
    }

    @Test
    void andersonDarling_oneSample_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AndersonDarling.test(new double[][] {OK}));
        assertTrue(e.getMessage().contains("at least 2 samples"), e.getMessage());
    }

    @Test
    void andersonDarling_twoValuesInAll_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AndersonDarling.test(new double[] {1}, new double[] {2}));
        assertTrue(e.getMessage().contains("at least 3 values"), e.getMessage());
    }

    @Test
    void mannWhitneyExact_samplesTooLargeForTheTable_isRejected() {
        double[] x = new double[20_000];
        double[] y = new double[20_001];
        for (int i = 0; i < y.length; i++) {
            y[i] = i + 0.5;
            if (i < x.length) {
                x[i] = i;
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MannWhitney.test(x, y, MannWhitney.Method.EXACT));
        assertTrue(e.getMessage().contains("use AUTO or ASYMPTOTIC"), e.getMessage());
    }

    @Test
    void cramerVonMisesExact_tooManySplitsForALong_isRejected() {
        double[] x = new double[40];
        double[] y = new double[40];
        for (int i = 0; i < 40; i++) {
            x[i] = i;
            y[i] = i + 0.5;
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CramerVonMises.test(x, y, CramerVonMises.Method.EXACT));
        assertTrue(e.getMessage().contains("use AUTO or ASYMPTOTIC"), e.getMessage());
    }
}
