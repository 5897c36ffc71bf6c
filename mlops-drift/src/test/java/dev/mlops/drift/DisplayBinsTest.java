package dev.mlops.drift;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.drift.BinCounts;
import dev.mlops.core.drift.NumericSample;
import dev.mlops.core.drift.Sample;
import dev.mlops.core.drift.Untestable;
import dev.mlops.core.drift.dataset.ColumnDrift;
import dev.mlops.core.drift.dataset.Dataset;
import dev.mlops.core.drift.dataset.DatasetDriftResult;
import dev.mlops.drift.internal.Binning;
import dev.mlops.drift.internal.Bins;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class DisplayBinsTest {

    /** Counts each bin by reading every value, by the bin's own definition. */
    private static void assertCountsAreDirectCounts(BinCounts bins, double[] values, List<Long> counts) {
        long[] direct = new long[bins.size()];
        for (double v : values) {
            if (!Double.isFinite(v)) {
                continue;
            }
            int hits = 0;
            for (int i = 0; i < bins.size(); i++) {
                boolean in;
                if (bins.intervals()) {
                    double lo = bins.edges().get(i);
                    double hi = bins.edges().get(i + 1);
                    in = lo <= v && (v < hi || (i == bins.size() - 1 && v == hi));
                } else {
                    in = v == Double.parseDouble(bins.labels().get(i));
                }
                if (in) {
                    direct[i]++;
                    hits++;
                }
            }
            assertEquals(1, hits, "value " + v + " lies in exactly one bin of " + bins);
        }
        assertEquals(Arrays.stream(direct).boxed().toList(), counts);
    }

    private static BinCounts bins(double[] ref, double[] cur) {
        NumericSample r = Sample.numeric(ref);
        NumericSample c = Sample.numeric(cur);
        boolean integral = Arrays.stream(ref).filter(Double::isFinite).allMatch(v -> v == Math.rint(v))
                && Arrays.stream(cur).filter(Double::isFinite).allMatch(v -> v == Math.rint(v));
        return DisplayBins.numeric(r, c, integral);
    }

    @Provide
    Arbitrary<double[]> columns() {
        Arbitrary<Double> continuous = Arbitraries.doubles().between(-1e6, 1e6);
        Arbitrary<Double> fewValues = Arbitraries.integers().between(-3, 3).map(i -> i * 0.5);
        Arbitrary<Double> integers = Arbitraries.integers().between(-200, 5000).map(i -> (double) i);
        Arbitrary<Double> wild = Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, -0.0, 0.0, -Double.MAX_VALUE,
                Double.MAX_VALUE, Double.MIN_VALUE, 1e300);
        return Arbitraries.oneOf(continuous, fewValues, integers, Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(9, continuous), net.jqwik.api.Tuple.of(1, wild)))
                .array(double[].class).ofMaxSize(300);
    }

    @Property(tries = 300)
    void numericBins_agreeWithCountingTheValuesDirectly(@ForAll("columns") double[] ref, @ForAll("columns") double[] cur) {
        BinCounts b = bins(ref, cur);
        assertCountsAreDirectCounts(b, ref, b.reference());
        assertCountsAreDirectCounts(b, cur, b.current());
        for (double e : b.edges()) {
            assertTrue(Double.isFinite(e), "edges are finite: " + b.edges());
        }
    }

    @Test
    void manyDistinctValues_getSturgesEdges_bitForBitThoseOfTheBinnedTests() {
        Random r = new Random(3);
        double[] ref = new double[5000];
        double[] cur = new double[3000];
        Arrays.setAll(ref, i -> r.nextGaussian());
        Arrays.setAll(cur, i -> 0.3 + 1.2 * r.nextGaussian());
        BinCounts mine = bins(ref, cur);
        Bins theirs = Binning.numeric(Sample.numeric(ref), Sample.numeric(cur));

        assertArrayEquals(theirs.edges(), mine.edges().stream().mapToDouble(Double::doubleValue).toArray());
        assertEquals(theirs.labels(), mine.labels());
        assertArrayEquals(theirs.reference(), mine.reference().stream().mapToLong(Long::longValue).toArray());
        assertArrayEquals(theirs.current(), mine.current().stream().mapToLong(Long::longValue).toArray());
    }

    @Test
    void fewDistinctValues_getOneBinPerValue_asTheBinnedTestsDo() {
        double[] ref = {1.5, 2.5, 2.5, 7, 7, 7, -0.0};
        double[] cur = {0.0, 2.5, 9, 9};
        BinCounts mine = bins(ref, cur);
        Bins theirs = Binning.numeric(Sample.numeric(ref), Sample.numeric(cur));

        assertEquals(theirs.labels(), mine.labels());
        assertArrayEquals(theirs.reference(), mine.reference().stream().mapToLong(Long::longValue).toArray());
        assertArrayEquals(theirs.current(), mine.current().stream().mapToLong(Long::longValue).toArray());
        assertFalse(mine.intervals());
    }

    @Test
    void aContinuousCurrentAgainstADiscreteReference_getsSturgesBins_notOneBarPerValue() {
        Random r = new Random(5);
        double[] ref = new double[1000];
        Arrays.setAll(ref, i -> i % 3);
        double[] cur = new double[1000];
        Arrays.setAll(cur, i -> 3 * r.nextDouble());

        BinCounts b = bins(ref, cur);
        assertTrue(b.intervals());
        assertTrue(b.size() <= 12, b.size() + " bins");
    }

    @Test
    void wholeNumbers_areBinnedOnWholeNumbers_eachBinHoldingAsManyIntegers() {
        // hours of the day: 24 distinct values, more than 20, so Sturges: 16 bins over 0..23 for 25,000 values,
        // whose width 1.44 would give bins of one and of two hours; whole-number bins are two hours each
        Random r = new Random(8);
        double[] ref = new double[20_000];
        double[] cur = new double[5_000];
        Arrays.setAll(ref, i -> r.nextInt(24));
        Arrays.setAll(cur, i -> r.nextInt(24));

        BinCounts b = bins(ref, cur);
        assertEquals(12, b.size());
        assertEquals(-0.5, b.edges().get(0));
        for (int i = 0; i < b.size(); i++) {
            assertEquals(2.0, b.edges().get(i + 1) - b.edges().get(i), "every bin holds two whole numbers");
        }
        assertEquals(23.5, b.edges().get(12));
        assertEquals("[-0.5, 1.5)", b.labels().get(0));
    }

    @Test
    void hugeMagnitudes_getFiniteEdges() {
        double[] ref = new double[30];
        Arrays.setAll(ref, i -> (i - 15) * 1e307);
        BinCounts b = bins(ref, new double[] {-1.7e308, 1.7e308});
        assertTrue(b.edges().stream().allMatch(Double::isFinite), b.edges().toString());
        assertEquals(30, b.reference().stream().mapToLong(Long::longValue).sum());
        assertEquals(2, b.current().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void detect_givesEachColumnTheTestsOwnBins_orDisplayBins_neverNone() {
        Random r = new Random(21);
        double[] a = new double[3000];
        double[] b = new double[3000];
        double[] hoursA = new double[3000];
        double[] hoursB = new double[3000];
        double[] gone = new double[3000];
        Arrays.setAll(a, i -> r.nextGaussian());
        Arrays.setAll(b, i -> r.nextGaussian() + 0.2);
        Arrays.setAll(hoursA, i -> r.nextInt(24));
        Arrays.setAll(hoursB, i -> r.nextInt(24));
        Arrays.fill(gone, Double.NaN);
        String[] c = new String[3000];
        String[] d = new String[3000];
        Arrays.setAll(c, i -> i % 3 == 0 ? "x" : "y");
        Arrays.setAll(d, i -> i % 4 == 0 ? "x" : i % 5 == 0 ? "new" : "y");
        Dataset ref = Dataset.builder().numeric("psi", a).numeric("wasserstein", a).numeric("hours", hoursA)
                .numeric("gone", a).categorical("js", c).build();
        Dataset cur = Dataset.builder().numeric("psi", b).numeric("wasserstein", b).numeric("hours", hoursB)
                .numeric("gone", gone).categorical("js", d).build();
        DatasetDriftResult result = DatasetDrift.builder(ref).test("psi", StatTest.PSI).build().detect(cur);

        ColumnDrift psi = result.columns().get(0);
        assertTrue(psi.binnedByTest());
        assertEquals(psi.result().orElseThrow().bins().orElseThrow(), psi.bins(), "the verdict's bins");

        ColumnDrift w = result.columns().get(1);
        assertEquals("wasserstein_normed", w.method());
        assertFalse(w.binnedByTest());
        assertEquals(psi.bins().edges(), w.bins().edges(), "display bins follow the binned tests' rule");
        assertCountsAreDirectCounts(w.bins(), a, w.bins().reference());
        assertCountsAreDirectCounts(w.bins(), b, w.bins().current());

        ColumnDrift hours = result.columns().get(2);
        assertEquals(-0.5, hours.bins().edges().get(0), "whole numbers on whole-number bins");

        ColumnDrift gone2 = result.columns().get(3);
        assertTrue(gone2.untestable().isPresent());
        assertEquals(Untestable.Reason.NO_CURRENT_VALUES, gone2.untestable().get().reason());
        assertEquals(3000, gone2.bins().reference().stream().mapToLong(Long::longValue).sum());
        assertEquals(0, gone2.bins().current().stream().mapToLong(Long::longValue).sum());

        ColumnDrift js = result.columns().get(4);
        assertTrue(js.binnedByTest());
        assertEquals(List.of("x", "y", "new"), js.bins().labels());
    }
}
