package dev.mlops.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.drift.DriftResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Invariants of Alibi's unbiased MMD² estimator. It is not bounded below by 0 (that is the biased
 * V-statistic); since every kernel value is in (0, 1] and the diagonal is 1, it is at least
 * {@code -(1/n + 1/m)} and at most 2.
 */
class MmdPropertiesTest {

    /** Two tables of the same width: 2 to 25 rows each, 1 to 4 columns, values on a coarse grid. */
    @Provide
    Arbitrary<double[][][]> samples() {
        return Arbitraries.integers().between(1, 4).flatMap(d -> Combinators.combine(table(d), table(d))
                .as((a, b) -> new double[][][] {a, b}));
    }

    private static Arbitrary<double[][]> table(int d) {
        Arbitrary<double[]> row = Arbitraries.integers().between(-40, 40).map(v -> v / 8.0).array(double[].class)
                .ofSize(d);
        return row.array(double[][].class).ofMinSize(2).ofMaxSize(25);
    }

    @Property(tries = 200)
    void statistic_isSymmetricInItsTwoSamples(@ForAll("samples") double[][][] s,
            @ForAll("bandwidths") double sigma) {
        MmdOptions options = MmdOptions.defaults().withSigma(sigma).withPermutations(1);
        double xy = MultivariateDrift.mmd(s[0], options).detect(s[1]).statistic();
        double yx = MultivariateDrift.mmd(s[1], options).detect(s[0]).statistic();
        assertEquals(xy, yx, 1e-12);
    }

    @Property(tries = 200)
    void statistic_isInvariantToRowOrder(@ForAll("samples") double[][][] s, @ForAll long shuffleSeed,
            @ForAll("bandwidths") double sigma) {
        MmdOptions options = MmdOptions.defaults().withSigma(sigma).withPermutations(1);
        double before = MultivariateDrift.mmd(s[0], options).detect(s[1]).statistic();
        double after = MultivariateDrift.mmd(shuffled(s[0], shuffleSeed), options)
                .detect(shuffled(s[1], shuffleSeed + 1)).statistic();
        assertEquals(before, after, 1e-12);
    }

    @Property(tries = 200)
    void medianBandwidth_isInvariantToReferenceRowOrder(@ForAll("samples") double[][][] s, @ForAll long shuffleSeed) {
        double[][] reference = s[0];
        if (!distinctPairsAreAMajority(reference)) {
            return;
        }
        assertEquals(MultivariateDrift.mmd(reference).sigma(),
                MultivariateDrift.mmd(shuffled(reference, shuffleSeed)).sigma());
    }

    @Property(tries = 200)
    void statistic_staysWithinTheBoundsOfTheUnbiasedEstimator(@ForAll("samples") double[][][] s,
            @ForAll("bandwidths") double sigma) {
        int n = s[0].length;
        int m = s[1].length;
        DriftResult r = MultivariateDrift.mmd(s[0], MmdOptions.defaults().withSigma(sigma).withPermutations(20))
                .detect(s[1]);
        double lower = -(1.0 / n + 1.0 / m);
        assertTrue(r.statistic() >= lower - 1e-12 && r.statistic() <= 2 + 1e-12,
                "MMD² " + r.statistic() + " outside [" + lower + ", 2]");
        double p = r.pValue().getAsDouble();
        assertTrue(p >= 0 && p <= 1, "p " + p);
    }

    @Property(tries = 100)
    void statistic_ofASampleWithItself_isAtMostZero(@ForAll("samples") double[][][] s,
            @ForAll("bandwidths") double sigma) {
        // With y = x the estimator is 2 (T - n(n-1)) / (n² (n-1)), T the off-diagonal kernel sum <= n(n-1).
        double self = MultivariateDrift.mmd(s[0], MmdOptions.defaults().withSigma(sigma).withPermutations(1))
                .detect(s[0]).statistic();
        assertTrue(self <= 1e-12, "MMD² of a sample with itself " + self);
    }

    @Provide
    Arbitrary<Double> bandwidths() {
        return Arbitraries.doubles().between(0.05, 20);
    }

    private static boolean distinctPairsAreAMajority(double[][] rows) {
        int same = 0;
        int pairs = 0;
        for (int i = 1; i < rows.length; i++) {
            for (int j = 0; j < i; j++) {
                pairs++;
                if (java.util.Arrays.equals(rows[i], rows[j])) {
                    same++;
                }
            }
        }
        return 2 * same < pairs;
    }

    private static double[][] shuffled(double[][] rows, long seed) {
        List<double[]> list = new ArrayList<>(List.of(rows));
        Collections.shuffle(list, new Random(seed));
        return list.toArray(double[][]::new);
    }
}
