package dev.mlops.drift.internal;

import static dev.mlops.drift.internal.CategoricalKnownAnswers.assertStatistic;
import static dev.mlops.drift.internal.CategoricalKnownAnswers.longs;
import static dev.mlops.drift.internal.CategoricalKnownAnswers.toDouble;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DistancesTest {

    /** Absolute slack for results that are 0 in exact arithmetic, where SciPy returns its own rounding. */
    private static final double ZERO = 1e-12;

    static Stream<Named<JsonNode>> tables() {
        return CategoricalKnownAnswers.cases("tables.json");
    }

    static void assertDistances(JsonNode expected, double[] ref, double[] cur) {
        assertStatistic(expected.get("psi").asDouble(), Distances.psi(ref, cur), ZERO, "psi");
        assertStatistic(expected.get("kl").asDouble(), Distances.kullbackLeibler(ref, cur), ZERO, "kl");
        assertStatistic(expected.get("jensen_shannon").asDouble(), Distances.jensenShannon(ref, cur), ZERO,
                "jensen-shannon");
        assertStatistic(expected.get("jensen_shannon_base2").asDouble(), Distances.jensenShannon(ref, cur, 2), ZERO,
                "jensen-shannon base 2");
        assertStatistic(expected.get("hellinger").asDouble(), Distances.hellinger(ref, cur), ZERO, "hellinger");
        assertStatistic(expected.get("total_variation").asDouble(), Distances.totalVariation(ref, cur), ZERO,
                "total variation");
        assertStatistic(expected.get("l_infinity").asDouble(), Distances.lInfinity(ref, cur), ZERO, "l-infinity");
    }

    @ParameterizedTest
    @MethodSource("tables")
    void distances_onCountTables_matchScipyAndEvidentlyFormulas(JsonNode c) {
        assertDistances(c, toDouble(longs(c.get("reference"))), toDouble(longs(c.get("current"))));
    }

    @Test
    void filledShares_smallestShareAboveThreshold_fillsWithOneInTenThousand() {
        assertArrayEquals(new double[] {0.5, 1e-4, 0.5}, Distances.filledShares(new double[] {1, 0, 1}));
    }

    @Test
    void filledShares_smallestShareAtThreshold_fillsWithAMillionthOfIt() {
        double[] s = Distances.filledShares(new double[] {1, 0, 9999});
        assertEquals(1e-4, s[0]);
        assertEquals(1e-10, s[1], 1e-25);
    }

    @Test
    void psi_disjointSupports_isFiniteAndLarge() {
        double psi = Distances.psi(new double[] {5, 5, 0, 0}, new double[] {0, 0, 5, 5});
        assertTrue(Double.isFinite(psi) && psi > 10, "psi was " + psi);
    }

    @Test
    void jensenShannon_disjointSupports_reachesItsBound() {
        assertEquals(Math.sqrt(Math.log(2)), Distances.jensenShannon(new double[] {1, 0}, new double[] {0, 1}), 1e-15);
        assertEquals(1.0, Distances.jensenShannon(new double[] {1, 0}, new double[] {0, 1}, 2), 1e-15);
    }

    @Test
    void jensenShannon_baseOne_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Distances.jensenShannon(new double[] {1}, new double[] {1}, 1));
        assertTrue(e.getMessage().contains("base"), e.getMessage());
    }

    @Test
    void hellinger_allZeroReference_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Distances.hellinger(new double[] {0, 0}, new double[] {1, 1}));
        assertTrue(e.getMessage().contains("reference"), e.getMessage());
    }

    @Test
    void totalVariation_negativeFrequency_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Distances.totalVariation(new double[] {1, 2}, new double[] {3, -1}));
        assertTrue(e.getMessage().contains("current"), e.getMessage());
    }

    @Test
    void lInfinity_differentBinCounts_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> Distances.lInfinity(new double[] {1, 2}, new double[] {3}));
    }
}
