package dev.mlops.drift.internal;

import static dev.mlops.drift.internal.CategoricalKnownAnswers.assertPValue;
import static dev.mlops.drift.internal.CategoricalKnownAnswers.assertStatistic;
import static dev.mlops.drift.internal.CategoricalKnownAnswers.longs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.drift.internal.FisherExact.Alternative;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FisherExactTest {

    static Stream<Named<JsonNode>> tables() {
        return CategoricalKnownAnswers.cases("fisher.json");
    }

    private static FisherExact.Result run(JsonNode c, Alternative alternative) {
        long[] top = longs(c.get("table").get(0));
        long[] bottom = longs(c.get("table").get(1));
        return FisherExact.test(top[0], top[1], bottom[0], bottom[1], alternative);
    }

    @ParameterizedTest
    @MethodSource("tables")
    void test_twoSided_matchesScipyFisherExact(JsonNode c) {
        FisherExact.Result r = run(c, Alternative.TWO_SIDED);
        assertStatistic(c.get("odds_ratio").asDouble(), r.oddsRatio(), 0, "odds ratio");
        assertPValue(c.get("two-sided").asDouble(), r.pValue(), "two-sided");
    }

    @ParameterizedTest
    @MethodSource("tables")
    void test_less_matchesScipyFisherExact(JsonNode c) {
        assertPValue(c.get("less").asDouble(), run(c, Alternative.LESS).pValue(), "less");
    }

    @ParameterizedTest
    @MethodSource("tables")
    void test_greater_matchesScipyFisherExact(JsonNode c) {
        assertPValue(c.get("greater").asDouble(), run(c, Alternative.GREATER).pValue(), "greater");
    }

    @Test
    void test_hugeCounts_staysFastAndFinite() {
        FisherExact.Result r = FisherExact.test(2_000_000_000L, 2_000_000_000L, 1_999_000_000L, 2_001_000_000L,
                Alternative.TWO_SIDED);
        assertTrue(r.pValue() < 1e-100, "a 0.025% shift on 8e9 observations is far beyond chance, was " + r.pValue());
        FisherExact.Result same = FisherExact.test(2_000_000_000L, 2_000_000_000L, 2_000_000_000L, 2_000_000_000L,
                Alternative.TWO_SIDED);
        assertEquals(1.0, same.pValue());
    }

    @Test
    void test_negativeCell_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FisherExact.test(1, 2, -3, 4, Alternative.TWO_SIDED));
        assertTrue(e.getMessage().contains("table cells"), e.getMessage());
    }
}
