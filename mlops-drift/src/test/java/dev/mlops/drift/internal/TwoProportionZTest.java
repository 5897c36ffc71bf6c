package dev.mlops.drift.internal;

import static dev.mlops.drift.internal.CategoricalKnownAnswers.assertPValue;
import static dev.mlops.drift.internal.CategoricalKnownAnswers.assertStatistic;
import static dev.mlops.drift.internal.CategoricalKnownAnswers.longs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.drift.internal.TwoProportionZ.Alternative;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TwoProportionZTest {

    static Stream<Named<JsonNode>> tables() {
        return CategoricalKnownAnswers.cases("tables.json");
    }

    @ParameterizedTest
    @MethodSource("tables")
    void test_firstCategoryAgainstTheRest_matchesPooledFormulaWithScipyNormal(JsonNode c) {
        long[] ref = longs(c.get("reference"));
        long[] cur = longs(c.get("current"));
        long n1 = Arrays.stream(ref).sum();
        long n2 = Arrays.stream(cur).sum();
        JsonNode expected = c.get("two_proportion_z");
        TwoProportionZ.Result two = TwoProportionZ.test(ref[0], n1, cur[0], n2);
        assertStatistic(expected.get("statistic").asDouble(), two.z(), 1e-12, "z");
        assertPValue(expected.get("pvalue").asDouble(), two.pValue(), "two-sided");
        assertPValue(expected.get("less").asDouble(), TwoProportionZ.test(ref[0], n1, cur[0], n2, Alternative.LESS)
                .pValue(), "less");
        assertPValue(expected.get("greater").asDouble(), TwoProportionZ.test(ref[0], n1, cur[0], n2,
                Alternative.GREATER).pValue(), "greater");
    }

    @Test
    void test_bothSamplesOneCategory_reportsNoDifference() {
        assertEquals(new TwoProportionZ.Result(0.0, 1.0), TwoProportionZ.test(0, 40, 0, 7));
        assertEquals(new TwoProportionZ.Result(0.0, 1.0), TwoProportionZ.test(40, 40, 7, 7));
    }

    @Test
    void test_farTail_keepsRelativeAccuracyBelowDoubleEpsilon() {
        TwoProportionZ.Result r = TwoProportionZ.test(700, 1000, 300, 1000);
        assertTrue(r.pValue() > 0 && r.pValue() < 1e-60, "p-value was " + r.pValue());
    }

    @Test
    void test_hitsAboveSize_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TwoProportionZ.test(5, 4, 1, 2));
        assertTrue(e.getMessage().contains("referenceHits"), e.getMessage());
    }
}
