package dev.mlops.drift.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Inputs at the ends of the long and double ranges: every answer is finite and in range, or the call
 * is refused with a one-line IllegalArgumentException; no ArithmeticException escapes.
 */
class OverflowRefusalTest {

    private static void assertRefusedOnOneLine(Executable call, String... mentions) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        for (String m : mentions) {
            assertTrue(e.getMessage().contains(m), e.getMessage());
        }
    }

    @Test
    void chiSquareAndGTest_countsSummingPastALong_areRefusedNotArithmeticException() {
        long[] ref = {Long.MAX_VALUE, 4};
        long[] cur = {1, 1};
        assertRefusedOnOneLine(() -> ChiSquare.homogeneity(ref, cur, true), "counts", "reference");
        assertRefusedOnOneLine(() -> GTest.homogeneity(ref, cur, false), "counts");
        assertRefusedOnOneLine(() -> ChiSquare.goodnessOfFit(ref, cur), "counts");
        assertRefusedOnOneLine(() -> ChiSquare.homogeneity(new long[] {Long.MAX_VALUE - 1, 0},
                new long[] {Long.MAX_VALUE - 1, 1}, true), "counts");
    }

    @Test
    void fisherExact_tablePastALong_isRefusedNotArithmeticException() {
        assertRefusedOnOneLine(() -> FisherExact.test(Long.MAX_VALUE, 1, 1, 1, FisherExact.Alternative.TWO_SIDED),
                "first row");
        assertRefusedOnOneLine(() -> FisherExact.test(1, Long.MAX_VALUE, 1, 1, FisherExact.Alternative.LESS),
                "first row");
        assertRefusedOnOneLine(() -> FisherExact.test(0, Long.MAX_VALUE - 1, 1, 1, FisherExact.Alternative.TWO_SIDED),
                "table");
    }

    @Test
    void fisherExact_tableTooLargeToWalk_isRefusedNamingTheLimit_notOutOfMemory() {
        assertRefusedOnOneLine(() -> FisherExact.test(Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4,
                Long.MAX_VALUE / 4 - 10, FisherExact.Alternative.TWO_SIDED), "at most " + FisherExact.MAX_WALK);
        FisherExact.Result r = FisherExact.test(250_000_000L, 250_000_000L, 250_000_000L, 250_010_000L,
                FisherExact.Alternative.TWO_SIDED);
        assertTrue(r.pValue() >= 0 && r.pValue() <= 1, r.toString());
    }

    @Test
    void poolUnseen_countsPastALong_isRefusedNotArithmeticException() {
        Bins bins = new Bins(new long[] {5, 0, 0}, new long[] {1, Long.MAX_VALUE, 1}, List.of("a", "b", "c"),
                new double[0]);
        assertRefusedOnOneLine(bins::poolUnseen, "unseen");
    }

    @Test
    void sturgesEdges_rangePastTheDoubleRange_areFiniteAscendingAndEndAtTheExtremes() {
        double[] edges = Binning.sturgesEdges(-1.7e308, 1.7e308, 100);
        assertEquals(-1.7e308, edges[0]);
        assertEquals(1.7e308, edges[edges.length - 1]);
        assertEquals(8, edges.length - 1);
        for (int i = 1; i < edges.length; i++) {
            assertTrue(Double.isFinite(edges[i]) && edges[i] > edges[i - 1], i + ": " + edges[i]);
        }
    }

    @Test
    void distances_frequenciesSummingPastTheDoubleRange_giveTheSharesAnswer() {
        double[] huge = {1e308, 1e308, 0};
        double[] small = {1, 1, 0};
        assertEquals(Distances.totalVariation(small, new double[] {1, 3, 0}),
                Distances.totalVariation(huge, new double[] {1, 3, 0}), 1e-15);
        assertEquals(Distances.psi(small, new double[] {1, 3, 1}), Distances.psi(huge, new double[] {1, 3, 1}), 1e-12);
    }

    @Test
    void psiAndKl_zeroFillBelowTheDoubleRange_areRefusedNotInfinite() {
        double[] ref = {1, 1, 1};
        double[] cur = {1, 1e-320, 0};
        assertRefusedOnOneLine(() -> Distances.psi(ref, cur), "psi", "not finite");
        assertRefusedOnOneLine(() -> Distances.kullbackLeibler(ref, cur), "not finite");
    }

    @Test
    void wasserstein_ofFiniteValuesBeyondTheDoubleRange_isRefused_whileNormedAndEnergyStayFinite() {
        double[] x = {-1.7e308};
        double[] y = {1.7e308};
        assertRefusedOnOneLine(() -> Wasserstein.distance(x, y), "exceeds");
        // W = 3.4e308: divided by 1.7e308 it is 2; D = sqrt(2 * 3.4e308) = 2 sqrt(1.7e308)
        assertEquals(2.0, Wasserstein.normed(x, y, 1.7e308), 1e-15);
        double e = EnergyDistance.distance(x, y);
        assertEquals(2 * Math.sqrt(1.7e308), e, 1e-15 * e);
        assertRefusedOnOneLine(() -> Wasserstein.normed(x, y, 0.001), "exceeds");
    }

    @Test
    void welchT_nearTheEndsOfTheDoubleRange_isFiniteAndScaleFree() {
        double[] x = {-1.5, -0.5, 0.25, 1.0};
        double[] y = {-0.75, 0.5, 1.25, 1.75, 1.9};
        NumericTestResult unit = WelchT.test(x, y);
        for (int k : new int[] {-1020, -1000, 500, 1022}) {
            double[] xs = x.clone();
            double[] ys = y.clone();
            for (int i = 0; i < xs.length; i++) {
                xs[i] = Math.scalb(xs[i], k);
            }
            for (int i = 0; i < ys.length; i++) {
                ys[i] = Math.scalb(ys[i], k);
            }
            NumericTestResult r = WelchT.test(xs, ys);
            assertEquals(unit.statistic(), r.statistic(), 1e-15 * Math.abs(unit.statistic()), "2^" + k);
            assertEquals(unit.pValue(), r.pValue(), 1e-15, "2^" + k);
            assertEquals(Moments.populationStd(x), Math.scalb(Moments.populationStd(xs), -k), 1e-15, "2^" + k);
        }
    }
}
