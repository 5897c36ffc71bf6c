package dev.mlops.drift.internal;

import static dev.mlops.drift.internal.CategoricalKnownAnswers.assertPValue;
import static dev.mlops.drift.internal.CategoricalKnownAnswers.assertStatistic;
import static dev.mlops.drift.internal.CategoricalKnownAnswers.longs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ChiSquareTest {

    static Stream<Named<JsonNode>> tables() {
        return CategoricalKnownAnswers.cases("tables.json");
    }

    /** SciPy sums its terms in another order; its rounding error grows with the grand total. */
    static double rounding(long[] reference, long[] current) {
        long total = 0;
        for (int i = 0; i < reference.length; i++) {
            total += reference[i] + current[i];
        }
        return 1e-13 * total;
    }

    static void assertMatches(JsonNode expected, ContingencyResult actual, double rounding, String what) {
        assertStatistic(expected.get("statistic").asDouble(), actual.statistic(), rounding, what + " statistic");
        assertPValue(expected.get("pvalue").asDouble(), actual.pValue(), what);
        assertEquals(expected.get("dof").asInt(), actual.degreesOfFreedom(), what + " degrees of freedom");
    }

    @ParameterizedTest
    @MethodSource("tables")
    void homogeneity_withYates_matchesScipyChi2Contingency(JsonNode c) {
        long[] ref = longs(c.get("reference"));
        long[] cur = longs(c.get("current"));
        assertMatches(c.get("chi2_homogeneity_yates"), ChiSquare.homogeneity(ref, cur, true), rounding(ref, cur),
                "chi2_contingency(correction=True)");
    }

    @ParameterizedTest
    @MethodSource("tables")
    void homogeneity_withoutYates_matchesScipyChi2Contingency(JsonNode c) {
        long[] ref = longs(c.get("reference"));
        long[] cur = longs(c.get("current"));
        assertMatches(c.get("chi2_homogeneity_plain"), ChiSquare.homogeneity(ref, cur, false), rounding(ref, cur),
                "chi2_contingency(correction=False)");
    }

    @ParameterizedTest
    @MethodSource("tables")
    void goodnessOfFit_matchesScipyChisquareWithScaledReference(JsonNode c) {
        long[] ref = longs(c.get("reference"));
        long[] cur = longs(c.get("current"));
        ContingencyResult actual = ChiSquare.goodnessOfFit(ref, cur);
        if (c.get("chi2_gof").isNull()) {
            // SciPy answers NaN for a single category; we answer "no evidence of drift".
            assertEquals(new ContingencyResult(0.0, 1.0, 0), actual);
        } else {
            assertMatches(c.get("chi2_gof"), actual, rounding(ref, cur), "chisquare");
        }
    }

    @Test
    void homogeneity_unseenCategory_isAnOrdinaryColumn() {
        ContingencyResult r = ChiSquare.homogeneity(new long[] {50, 50, 0}, new long[] {50, 50, 0}, true);
        ContingencyResult withUnseen = ChiSquare.homogeneity(new long[] {50, 50, 0}, new long[] {45, 45, 10}, true);
        assertEquals(1, r.degreesOfFreedom());
        assertEquals(2, withUnseen.degreesOfFreedom());
        assertTrue(Double.isFinite(withUnseen.statistic()));
        assertTrue(withUnseen.pValue() < 0.01, "ten observations of a new category are evidence of drift");
    }

    @Test
    void goodnessOfFit_unseenCategory_givesInfiniteStatisticAndZeroPValue() {
        ContingencyResult r = ChiSquare.goodnessOfFit(new long[] {50, 50, 0}, new long[] {49, 50, 1});
        assertEquals(Double.POSITIVE_INFINITY, r.statistic());
        assertEquals(0.0, r.pValue());
        assertEquals(2, r.degreesOfFreedom());
    }

    @Test
    void homogeneity_categoriesEmptyInBoth_areLeftOut() {
        assertEquals(ChiSquare.homogeneity(new long[] {4, 6}, new long[] {3, 9}, false),
                ChiSquare.homogeneity(new long[] {0, 4, 0, 6}, new long[] {0, 3, 0, 9}, false));
    }

    @Test
    void homogeneity_emptyCurrent_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChiSquare.homogeneity(new long[] {1, 2}, new long[] {0, 0}, true));
        assertTrue(e.getMessage().contains("current"), e.getMessage());
    }

    @Test
    void homogeneity_negativeCount_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChiSquare.homogeneity(new long[] {1, -2}, new long[] {1, 1}, true));
        assertTrue(e.getMessage().contains(">= 0"), e.getMessage());
    }

    @Test
    void goodnessOfFit_mismatchedLengths_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChiSquare.goodnessOfFit(new long[] {1, 2, 3}, new long[] {1, 1}));
        assertTrue(e.getMessage().contains("same positive number"), e.getMessage());
    }
}
