package dev.mlops.drift.internal;

import static dev.mlops.drift.internal.CategoricalKnownAnswers.doubles;
import static dev.mlops.drift.internal.CategoricalKnownAnswers.longs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.drift.CategoricalSample;
import dev.mlops.core.drift.NumericSample;
import dev.mlops.core.drift.Sample;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BinningTest {

    static Stream<Named<JsonNode>> samples() {
        return CategoricalKnownAnswers.cases("binned.json");
    }

    private static Bins bin(JsonNode c) {
        return Binning.numeric(Sample.numeric(doubles(c.get("reference"))), Sample.numeric(doubles(c.get("current"))));
    }

    @ParameterizedTest
    @MethodSource("samples")
    void numeric_matchesEvidentlyBinningWithNumpyEdgesAndCounts(JsonNode c) {
        Bins bins = bin(c);
        assertEquals("sturges".equals(c.get("mode").asText()), bins.isHistogram(), "histogram or one bin per value");
        // Same IEEE operations in the same order as NumPy: the edges agree exactly.
        assertArrayEquals(doubles(c.get("edges")), bins.edges(), 0.0, "edges");
        assertArrayEquals(longs(c.get("reference_counts")), bins.reference(), "reference counts");
        assertArrayEquals(longs(c.get("current_counts")), bins.current(), "current counts");
        if (!bins.isHistogram()) {
            double[] values = doubles(c.get("values"));
            for (int i = 0; i < values.length; i++) {
                assertEquals(values[i], Double.parseDouble(bins.labels().get(i)), 0.0, "value of bin " + i);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void numeric_distancesOnTheBins_matchEvidentlyAndScipy(JsonNode c) {
        Bins bins = bin(c);
        DistancesTest.assertDistances(c, bins.referenceFrequencies(), bins.currentFrequencies());
    }

    @Test
    void categorical_unseenCategories_comeLastInTheirOwnBins() {
        CategoricalSample ref = Sample.categoricalCounts(Map.of("fr", 3L, "de", 5L), 2);
        CategoricalSample cur = Sample.categoricalCounts(Map.of("it", 1L, "de", 4L, "at", 2L), 0);
        Bins bins = Binning.categorical(ref, cur);
        assertEquals(List.of("de", "fr", "at", "it"), bins.labels());
        assertArrayEquals(new long[] {5, 3, 0, 0}, bins.reference());
        assertArrayEquals(new long[] {4, 0, 2, 1}, bins.current());
        assertEquals(2, bins.unseen());
        assertEquals(0, bins.edges().length);
    }

    @Test
    void categorical_unseenCategories_neverBreakTheTestsOrDistances() {
        Bins bins = Binning.categorical(Sample.categorical(new String[] {"a", "a", "b"}),
                Sample.categorical(new String[] {"c", "d", "d", null}));
        long[] ref = bins.reference();
        long[] cur = bins.current();
        ContingencyResult chi2 = ChiSquare.homogeneity(ref, cur, true);
        assertEquals(3, chi2.degreesOfFreedom());
        assertTrue(Double.isFinite(chi2.statistic()) && chi2.pValue() > 0 && chi2.pValue() < 1);
        ContingencyResult g = GTest.homogeneity(ref, cur, false);
        assertTrue(Double.isFinite(g.statistic()) && g.pValue() > 0 && g.pValue() < chi2.pValue());
        assertEquals(0.0, ChiSquare.goodnessOfFit(ref, cur).pValue());
        double[] p = bins.referenceFrequencies();
        double[] q = bins.currentFrequencies();
        assertEquals(Math.sqrt(Math.log(2)), Distances.jensenShannon(p, q), 1e-15);
        assertTrue(Double.isFinite(Distances.psi(p, q)));
        assertTrue(Double.isFinite(Distances.kullbackLeibler(p, q)));
        assertEquals(1.0, Distances.totalVariation(p, q), 1e-15);
    }

    @Test
    void poolUnseen_mergesUnseenCategoriesIntoOneTrailingBucket() {
        Bins bins = Binning.categorical(Sample.categoricalCounts(Map.of("de", 5L, "fr", 3L), 0),
                Sample.categoricalCounts(Map.of("at", 2L, "de", 4L, "it", 1L), 0));
        Bins pooled = bins.poolUnseen();
        assertEquals(List.of("de", "fr", Bins.UNSEEN_LABEL), pooled.labels());
        assertArrayEquals(new long[] {5, 3, 0}, pooled.reference());
        assertArrayEquals(new long[] {4, 0, 3}, pooled.current());
        assertEquals(1, pooled.unseen());
        assertEquals(pooled, pooled.poolUnseen());
    }

    @Test
    void poolUnseen_histogramBins_areLeftAsTheyAre() {
        Bins bins = new Bins(new long[] {0, 4}, new long[] {1, 1}, List.of("[0, 1)", "[1, 2]"),
                new double[] {0, 1, 2});
        assertEquals(0, bins.unseen());
        assertEquals(bins, bins.poolUnseen());
    }

    @Test
    void numeric_signedZeros_shareOneBin() {
        Bins bins = Binning.numeric(Sample.numeric(new double[] {-0.0, 0.0, 1.0}), Sample.numeric(new double[] {0.0}));
        assertArrayEquals(new long[] {2, 1}, bins.reference());
        assertArrayEquals(new long[] {1, 0}, bins.current());
    }

    @Test
    void numeric_missingValues_areNotBinned() {
        Bins bins = Binning.numeric(Sample.numeric(new double[] {1, 2, Double.NaN}),
                Sample.numeric(new double[] {Double.NaN, 2}));
        assertArrayEquals(new long[] {1, 1}, bins.reference());
        assertArrayEquals(new long[] {0, 1}, bins.current());
    }

    @Test
    void numeric_infiniteValues_areMissingInTheSample_soNeverBinned() {
        NumericSample cur = Sample.numeric(new double[] {1, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY});
        Bins bins = Binning.numeric(Sample.numeric(new double[] {1, 2}), cur);
        assertEquals(List.of("1.0", "2.0"), bins.labels());
        assertArrayEquals(new long[] {1, 0}, bins.current());
        assertEquals(2, cur.missing());
    }

    @Test
    void categorical_emptyReference_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Binning.categorical(Sample.categorical(new String[] {null}), Sample.categorical(new String[] {"a"})));
        assertTrue(e.getMessage().startsWith("reference"), e.getMessage());
    }

    @Test
    void log2_powersOfTwo_areExact() {
        for (int k = 0; k < 62; k++) {
            assertEquals(k, Binning.log2(1L << k), 0.0);
        }
    }

    @Test
    void bins_arraysHandedInAndOut_areCopies() {
        long[] ref = {1, 2};
        Bins bins = new Bins(ref, new long[] {3, 4}, List.of("a", "b"), new double[0]);
        ref[0] = 99;
        bins.reference()[1] = 99;
        assertArrayEquals(new long[] {1, 2}, bins.reference());
    }

    @Test
    void bins_mismatchedLengths_areRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new Bins(new long[] {1, 2}, new long[] {1}, List.of("a", "b"), new double[0]));
    }
}
