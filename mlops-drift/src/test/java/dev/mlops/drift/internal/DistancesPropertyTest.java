package dev.mlops.drift.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.drift.CategoricalSample;
import dev.mlops.core.drift.Sample;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class DistancesPropertyTest {

    private static final double SQRT_LN2 = Math.sqrt(Math.log(2));

    @Provide
    Arbitrary<double[][]> pairs() {
        return Arbitraries.integers().between(1, 40).flatMap(k -> Combinators.combine(counts(k), counts(k))
                .as((a, b) -> new double[][] {a, b})).filter(t -> positive(t[0]) && positive(t[1]));
    }

    @Provide
    Arbitrary<double[]> frequencies() {
        return Arbitraries.integers().between(1, 40).flatMap(DistancesPropertyTest::counts)
                .filter(DistancesPropertyTest::positive);
    }

    private static Arbitrary<double[]> counts(int k) {
        Arbitrary<Long> count = Arbitraries.oneOf(Arbitraries.longs().between(0, 20),
                Arbitraries.longs().between(0, 1_000_000));
        return count.list().ofSize(k).map(l -> l.stream().mapToDouble(Long::doubleValue).toArray());
    }

    private static boolean positive(double[] f) {
        return Arrays.stream(f).sum() > 0;
    }

    @Property
    void distances_stayWithinTheirRanges(@ForAll("pairs") double[][] t) {
        double[] p = t[0];
        double[] q = t[1];
        double js = Distances.jensenShannon(p, q);
        assertTrue(js >= 0 && js <= SQRT_LN2, "jensen-shannon " + js);
        double js2 = Distances.jensenShannon(p, q, 2);
        assertTrue(js2 >= 0 && js2 <= 1, "jensen-shannon base 2 " + js2);
        double h = Distances.hellinger(p, q);
        assertTrue(h >= 0 && h <= 1, "hellinger " + h);
        double tv = Distances.totalVariation(p, q);
        assertTrue(tv >= 0 && tv <= 1, "total variation " + tv);
        double linf = Distances.lInfinity(p, q);
        assertTrue(linf >= 0 && linf <= 1, "l-infinity " + linf);
        double kl = Distances.kullbackLeibler(p, q);
        assertTrue(kl >= 0 && Double.isFinite(kl), "kl " + kl);
        double psi = Distances.psi(p, q);
        assertTrue(psi >= 0 && Double.isFinite(psi), "psi " + psi);
    }

    @Property
    void distances_symmetricOnes_ignoreArgumentOrder(@ForAll("pairs") double[][] t) {
        double[] p = t[0];
        double[] q = t[1];
        assertEquals(Distances.jensenShannon(p, q), Distances.jensenShannon(q, p));
        assertEquals(Distances.hellinger(p, q), Distances.hellinger(q, p));
        assertEquals(Distances.totalVariation(p, q), Distances.totalVariation(q, p));
        assertEquals(Distances.lInfinity(p, q), Distances.lInfinity(q, p));
        // q / p and p / q round separately, so PSI is symmetric up to rounding only.
        double psi = Distances.psi(p, q);
        assertEquals(psi, Distances.psi(q, p), 1e-12 * psi + 1e-300);
    }

    @Property
    void distances_identicalInputs_areExactlyZero(@ForAll("frequencies") double[] p) {
        double[] q = p.clone();
        assertEquals(0.0, Distances.psi(p, q));
        assertEquals(0.0, Distances.kullbackLeibler(p, q));
        assertEquals(0.0, Distances.jensenShannon(p, q));
        assertEquals(0.0, Distances.hellinger(p, q));
        assertEquals(0.0, Distances.totalVariation(p, q));
        assertEquals(0.0, Distances.lInfinity(p, q));
    }

    @Property
    void distances_proportionalInputs_areZeroUpToRounding(@ForAll("frequencies") double[] p) {
        double[] q = Arrays.stream(p).map(v -> 7 * v).toArray();
        assertEquals(0.0, Distances.psi(p, q), 1e-12);
        assertEquals(0.0, Distances.kullbackLeibler(p, q), 1e-12);
        assertEquals(0.0, Distances.jensenShannon(p, q), 1e-7);
        assertEquals(0.0, Distances.hellinger(p, q), 1e-7);
        assertEquals(0.0, Distances.totalVariation(p, q), 1e-12);
        assertEquals(0.0, Distances.lInfinity(p, q), 1e-12);
    }

    @Property
    void totalVariation_liesBetweenHellingerSquaredAndRootTwoHellinger(@ForAll("pairs") double[][] t) {
        double h = Distances.hellinger(t[0], t[1]);
        double tv = Distances.totalVariation(t[0], t[1]);
        assertTrue(h * h <= tv + 1e-12 && tv <= Math.sqrt(2) * h + 1e-12, "hellinger " + h + ", tv " + tv);
        assertTrue(Distances.lInfinity(t[0], t[1]) <= tv + 1e-12);
    }

    @Provide
    Arbitrary<CategoricalSample[]> categoricalPairs() {
        Arbitrary<CategoricalSample> sample = Arbitraries.maps(Arbitraries.of("a", "b", "c", "d", "e", "f", "g"),
                Arbitraries.longs().between(1, 500)).ofMinSize(1).ofMaxSize(7)
                .map(m -> Sample.categoricalCounts(new HashMap<String, Long>(m), 0));
        return Combinators.combine(sample, sample).as((r, c) -> new CategoricalSample[] {r, c});
    }

    @Property
    void poolUnseen_leavesTheDistancesLinearInUnseenSharesUnchanged(@ForAll("categoricalPairs") CategoricalSample[] s) {
        Bins bins = Binning.categorical(s[0], s[1]);
        Bins pooled = bins.poolUnseen();
        assertTrue(pooled.unseen() <= 1);
        assertEquals(Arrays.stream(bins.current()).sum(), Arrays.stream(pooled.current()).sum());
        // Where the reference share is 0, these distances add a term proportional to the current share.
        assertEquals(Distances.jensenShannon(bins.referenceFrequencies(), bins.currentFrequencies()),
                Distances.jensenShannon(pooled.referenceFrequencies(), pooled.currentFrequencies()), 1e-12);
        assertEquals(Distances.totalVariation(bins.referenceFrequencies(), bins.currentFrequencies()),
                Distances.totalVariation(pooled.referenceFrequencies(), pooled.currentFrequencies()), 1e-12);
        assertEquals(Distances.hellinger(bins.referenceFrequencies(), bins.currentFrequencies()),
                Distances.hellinger(pooled.referenceFrequencies(), pooled.currentFrequencies()), 1e-12);
    }

    @Property
    void categoricalBins_holdEveryObservationOnce(@ForAll("categoricalPairs") CategoricalSample[] s) {
        Bins bins = Binning.categorical(s[0], s[1]);
        assertEquals(s[0].size(), Arrays.stream(bins.reference()).sum());
        assertEquals(s[1].size(), Arrays.stream(bins.current()).sum());
        Map<String, Long> seen = new HashMap<>();
        for (int i = 0; i < bins.size(); i++) {
            seen.put(bins.labels().get(i), bins.current()[i]);
        }
        assertEquals(bins.size(), seen.size(), "one bin per category");
        s[1].counts().forEach((k, v) -> assertEquals(v, seen.get(k)));
    }

    @Provide
    Arbitrary<double[][]> numericPairs() {
        Arbitrary<double[]> values = Arbitraries.oneOf(
                Arbitraries.integers().between(-10, 10).map(Integer::doubleValue),
                Arbitraries.doubles().between(-1e6, 1e6)).list().ofMinSize(1).ofMaxSize(300)
                .map(l -> l.stream().mapToDouble(Double::doubleValue).toArray());
        return Combinators.combine(values, values).as((a, b) -> new double[][] {a, b});
    }

    @Property
    void numericBins_holdEveryValueOnceWithinAscendingEdges(@ForAll("numericPairs") double[][] v) {
        Bins bins = Binning.numeric(Sample.numeric(v[0]), Sample.numeric(v[1]));
        assertEquals(v[0].length, Arrays.stream(bins.reference()).sum());
        assertEquals(v[1].length, Arrays.stream(bins.current()).sum());
        if (bins.isHistogram()) {
            double[] e = bins.edges();
            double min = Math.min(Arrays.stream(v[0]).min().getAsDouble(), Arrays.stream(v[1]).min().getAsDouble());
            double max = Math.max(Arrays.stream(v[0]).max().getAsDouble(), Arrays.stream(v[1]).max().getAsDouble());
            assertEquals(min, e[0]);
            assertEquals(max, e[e.length - 1]);
            for (int i = 1; i < e.length; i++) {
                assertTrue(e[i - 1] < e[i]);
            }
            assertEquals(0, bins.unseen());
        }
    }
}
