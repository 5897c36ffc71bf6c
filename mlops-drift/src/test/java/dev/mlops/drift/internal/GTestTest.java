package dev.mlops.drift.internal;

import static dev.mlops.drift.internal.ChiSquareTest.assertMatches;
import static dev.mlops.drift.internal.ChiSquareTest.rounding;
import static dev.mlops.drift.internal.CategoricalKnownAnswers.longs;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GTestTest {

    static Stream<Named<JsonNode>> tables() {
        return CategoricalKnownAnswers.cases("tables.json");
    }

    @ParameterizedTest
    @MethodSource("tables")
    void homogeneity_withYates_matchesScipyLogLikelihoodContingency(JsonNode c) {
        long[] ref = longs(c.get("reference"));
        long[] cur = longs(c.get("current"));
        assertMatches(c.get("g_homogeneity_yates"), GTest.homogeneity(ref, cur, true), rounding(ref, cur),
                "chi2_contingency(lambda_=log-likelihood, correction=True)");
    }

    @ParameterizedTest
    @MethodSource("tables")
    void homogeneity_withoutYates_matchesScipyLogLikelihoodContingency(JsonNode c) {
        long[] ref = longs(c.get("reference"));
        long[] cur = longs(c.get("current"));
        assertMatches(c.get("g_homogeneity_plain"), GTest.homogeneity(ref, cur, false), rounding(ref, cur),
                "chi2_contingency(lambda_=log-likelihood, correction=False)");
    }

    @ParameterizedTest
    @MethodSource("tables")
    void goodnessOfFit_matchesScipyPowerDivergence(JsonNode c) {
        long[] ref = longs(c.get("reference"));
        long[] cur = longs(c.get("current"));
        ContingencyResult actual = GTest.goodnessOfFit(ref, cur);
        if (c.get("g_gof").isNull()) {
            assertEquals(new ContingencyResult(0.0, 1.0, 0), actual);
        } else {
            assertMatches(c.get("g_gof"), actual, rounding(ref, cur), "power_divergence(lambda_=log-likelihood)");
        }
    }

    @Test
    void goodnessOfFit_unseenCategory_givesInfiniteStatisticAndZeroPValue() {
        ContingencyResult r = GTest.goodnessOfFit(new long[] {10, 0}, new long[] {9, 1});
        assertEquals(Double.POSITIVE_INFINITY, r.statistic());
        assertEquals(0.0, r.pValue());
    }

    @Test
    void homogeneity_identicalShares_givesExactlyZero() {
        ContingencyResult r = GTest.homogeneity(new long[] {1000, 2000, 3000}, new long[] {3, 6, 9}, false);
        assertEquals(0.0, r.statistic());
        assertEquals(1.0, r.pValue());
    }
}
