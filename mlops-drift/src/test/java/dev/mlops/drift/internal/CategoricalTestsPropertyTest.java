package dev.mlops.drift.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

class CategoricalTestsPropertyTest {

    @Provide
    Arbitrary<long[][]> tables() {
        return Arbitraries.integers().between(1, 30).flatMap(k -> Combinators.combine(counts(k), counts(k))
                .as((a, b) -> new long[][] {a, b}))
                .filter(t -> Arrays.stream(t[0]).sum() > 0 && Arrays.stream(t[1]).sum() > 0);
    }

    private static Arbitrary<long[]> counts(int k) {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 10), Arbitraries.longs().between(0, 100_000))
                .array(long[].class).ofSize(k);
    }

    private static void assertProbability(double p, String what) {
        assertTrue(p >= 0 && p <= 1, what + " p-value " + p);
    }

    @Property
    void contingencyTests_giveProbabilitiesAndNonNegativeStatistics(@ForAll("tables") long[][] t) {
        for (boolean yates : new boolean[] {true, false}) {
            ContingencyResult chi2 = ChiSquare.homogeneity(t[0], t[1], yates);
            ContingencyResult g = GTest.homogeneity(t[0], t[1], yates);
            assertProbability(chi2.pValue(), "chi-square homogeneity");
            assertProbability(g.pValue(), "G homogeneity");
            assertTrue(chi2.statistic() >= 0 && Double.isFinite(chi2.statistic()));
            assertTrue(g.statistic() >= 0 && Double.isFinite(g.statistic()));
        }
        assertProbability(ChiSquare.goodnessOfFit(t[0], t[1]).pValue(), "chi-square goodness of fit");
        assertProbability(GTest.goodnessOfFit(t[0], t[1]).pValue(), "G goodness of fit");
    }

    @Property
    void homogeneity_swappingReferenceAndCurrent_givesTheSameTest(@ForAll("tables") long[][] t) {
        ContingencyResult forward = ChiSquare.homogeneity(t[0], t[1], true);
        ContingencyResult backward = ChiSquare.homogeneity(t[1], t[0], true);
        assertEquals(forward.degreesOfFreedom(), backward.degreesOfFreedom());
        assertEquals(forward.statistic(), backward.statistic(), 1e-12 * forward.statistic());
        ContingencyResult g = GTest.homogeneity(t[0], t[1], false);
        assertEquals(g.statistic(), GTest.homogeneity(t[1], t[0], false).statistic(), 1e-12 * g.statistic() + 1e-12);
    }

    @Property
    void fisherExact_givesProbabilitiesWhoseTailsOverlapInTheObservedTable(
            @ForAll @LongRange(max = 3000) long a, @ForAll @LongRange(max = 3000) long b,
            @ForAll @LongRange(max = 3000) long c, @ForAll @LongRange(max = 3000) long d) {
        double two = FisherExact.test(a, b, c, d, FisherExact.Alternative.TWO_SIDED).pValue();
        double less = FisherExact.test(a, b, c, d, FisherExact.Alternative.LESS).pValue();
        double greater = FisherExact.test(a, b, c, d, FisherExact.Alternative.GREATER).pValue();
        assertProbability(two, "two-sided");
        assertProbability(less, "less");
        assertProbability(greater, "greater");
        // Both one-sided tails hold the observed table, so together they cover everything at least once.
        assertTrue(less + greater >= 1 - 1e-12, "less " + less + " + greater " + greater);
    }

    @Property
    void twoProportionZ_twoSidedIsTwiceTheSmallerTail(
            @ForAll @LongRange(min = 1, max = 1_000_000) long n1, @ForAll @LongRange(min = 1, max = 1_000_000) long n2,
            @ForAll @LongRange(max = 1_000_000) long x1, @ForAll @LongRange(max = 1_000_000) long x2) {
        long h1 = x1 % (n1 + 1);
        long h2 = x2 % (n2 + 1);
        double two = TwoProportionZ.test(h1, n1, h2, n2).pValue();
        double less = TwoProportionZ.test(h1, n1, h2, n2, TwoProportionZ.Alternative.LESS).pValue();
        double greater = TwoProportionZ.test(h1, n1, h2, n2, TwoProportionZ.Alternative.GREATER).pValue();
        assertProbability(two, "two-sided");
        assertProbability(less, "less");
        assertProbability(greater, "greater");
        assertEquals(two, 2 * Math.min(less, greater), 1e-14 + 1e-12 * two);
    }
}
