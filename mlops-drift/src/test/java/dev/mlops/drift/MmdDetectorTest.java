package dev.mlops.drift;

import static dev.mlops.drift.MultivariateKnownAnswers.assertClose;
import static dev.mlops.drift.MultivariateKnownAnswers.correlated;
import static dev.mlops.drift.MultivariateKnownAnswers.gaussian;
import static dev.mlops.drift.MultivariateKnownAnswers.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.drift.DriftResult;
import dev.mlops.core.drift.Rule;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MmdDetectorTest {

    static Stream<Named<JsonNode>> mmdCases() {
        return MultivariateKnownAnswers.cases("mmd.json");
    }

    @ParameterizedTest
    @MethodSource("mmdCases")
    void detect_matchesAlibiStatisticAndMedianBandwidth(JsonNode c) {
        double[][] reference = rows(c.get("reference"));
        double[][] current = rows(c.get("current"));
        MmdOptions options = c.get("sigma").isNull() ? MmdOptions.defaults()
                : MmdOptions.defaults().withSigma(c.get("sigma").asDouble());
        MmdDetector detector = MultivariateDrift.mmd(reference, options);
        MmdResult result = detector.test(current, 1L);
        JsonNode expected = c.get("expected");
        assertClose(expected.get("sigma").asDouble(), result.sigma(), "sigma");
        assertClose(expected.get("mmd2").asDouble(), result.result().statistic(), "mmd2");
        assertEquals(MmdDetector.METHOD, result.result().method());
        assertEquals(Rule.P_VALUE_BELOW, result.result().rule());
        assertEquals(0.05, result.result().threshold());
        assertEquals(reference.length, result.result().referenceSize());
        assertEquals(current.length, result.result().currentSize());
    }

    @Test
    void detect_identicalSamples_givesNegativeUnbiasedStatisticAndNoDrift() {
        double[][] reference = gaussian(11, 40, 3, 0);
        DriftResult r = MultivariateDrift.mmd(reference).detect(reference);
        assertTrue(r.statistic() < 0, "unbiased MMD² of a sample with itself is below 0, was " + r.statistic());
        assertTrue(r.pValue().getAsDouble() > 0.5, "p " + r.pValue());
        assertFalse(r.drifted());
    }

    @Test
    void detect_clearMeanShift_givesPValueZeroAndDrift() {
        MmdDetector detector = MultivariateDrift.mmd(gaussian(21, 60, 3, 0));
        MmdResult r = detector.test(gaussian(22, 50, 3, 1.0), 5L);
        assertEquals(0.0, r.result().pValue().getAsDouble());
        assertTrue(r.drifted());
        assertTrue(r.result().statistic() > r.distanceThreshold(),
                "statistic " + r.result().statistic() + " vs threshold " + r.distanceThreshold());
    }

    @Test
    void detect_correlationBreak_isSeenByTheJointTest() {
        MmdDetector detector = MultivariateDrift.mmd(correlated(31, 100, false));
        DriftResult r = detector.detect(correlated(32, 100, true));
        assertTrue(r.drifted(), "p " + r.pValue());
    }

    @Test
    void detect_sameSeed_repeatsExactly_andOtherSeedsDrawOtherPermutations() {
        MmdDetector detector = MultivariateDrift.mmd(gaussian(41, 30, 2, 0));
        double[][] current = gaussian(42, 25, 2, 0.2);
        MmdResult first = detector.test(current, 99L);
        MmdResult again = detector.test(current, 99L);
        assertEquals(first, again);
        assertEquals(detector.detect(current), detector.detect(current));
        Set<Double> pValues = new HashSet<>();
        for (long seed = 0; seed < 10; seed++) {
            MmdResult r = detector.test(current, seed);
            assertEquals(first.result().statistic(), r.result().statistic(), "the statistic does not depend on the seed");
            pValues.add(r.result().pValue().getAsDouble());
        }
        assertTrue(pValues.size() > 1, "p-values over 10 seeds: " + pValues);
    }

    @Test
    void detect_optionsSeed_isTheDefaultSeed() {
        double[][] reference = gaussian(43, 30, 2, 0);
        double[][] current = gaussian(44, 25, 2, 0.2);
        MmdDetector seeded = MultivariateDrift.mmd(reference, MmdOptions.defaults().withSeed(7));
        assertEquals(seeded.test(current, 7L).result(), seeded.detect(current));
    }

    @Test
    void detect_pValue_isAMultipleOfOneOverPermutationsWithinTheUnitInterval() {
        MmdDetector detector = MultivariateDrift.mmd(gaussian(51, 20, 2, 0), MmdOptions.defaults().withPermutations(37));
        for (long seed = 0; seed < 20; seed++) {
            double p = detector.test(gaussian(1000 + seed, 15, 2, 0.3), seed).result().pValue().getAsDouble();
            assertTrue(p >= 0 && p <= 1, "p " + p);
            double scaled = p * 37;
            assertEquals(Math.rint(scaled), scaled, 1e-9, "p " + p + " is not k / 37");
        }
    }

    @Test
    void detect_sameDistribution_flagsAboutFivePercentOfSamples() {
        int samples = 200;
        int drifted = 0;
        double sum = 0;
        for (int s = 0; s < samples; s++) {
            MmdDetector detector = MultivariateDrift.mmd(gaussian(10_000 + s, 20, 2, 0));
            DriftResult r = detector.test(gaussian(20_000 + s, 20, 2, 0), s).result();
            drifted += r.drifted() ? 1 : 0;
            sum += r.pValue().getAsDouble();
        }
        // Under the null the verdict is Bernoulli(5/101): mean 9.9 of 200, P(outside [3, 20]) < 0.002.
        assertTrue(drifted >= 3 && drifted <= 20, drifted + " of " + samples + " flagged");
        double mean = sum / samples;
        assertTrue(mean > 0.4 && mean < 0.6, "mean p-value " + mean + " (uniform: 0.5)");
    }

    @Test
    void test_distanceThreshold_liesBelowEveryDriftedStatistic() {
        MmdDetector detector = MultivariateDrift.mmd(gaussian(61, 30, 2, 0), MmdOptions.defaults().withPValue(0.2)
                .withPermutations(10));
        int drifted = 0;
        for (int s = 0; s < 40; s++) {
            MmdResult r = detector.test(gaussian(600 + s, 20, 2, 0.02 * s), s);
            // Alibi's threshold is the permuted value at descending index int(0.2 * 10) = 2; drift needs
            // fewer than 2 permuted values at or above the statistic, so the statistic tops index 1.
            if (r.drifted()) {
                drifted++;
                assertTrue(r.result().statistic() > r.distanceThreshold(), "sample " + s);
            }
        }
        assertTrue(drifted > 0 && drifted < 40, drifted + " of 40 drifted");
    }

    @Test
    void detect_rowsWithNaN_areLeftOutAndCounted() {
        double[][] reference = gaussian(71, 30, 2, 0);
        double[][] current = gaussian(72, 20, 2, 0.5);
        double[][] referenceWithGaps = append(reference, new double[][] {{Double.NaN, 1}, {2, Double.NaN}});
        double[][] currentWithGaps = append(current, new double[][] {{Double.NaN, Double.NaN}});
        DriftResult clean = MultivariateDrift.mmd(reference).detect(current);
        DriftResult gaps = MultivariateDrift.mmd(referenceWithGaps).detect(currentWithGaps);
        assertEquals(clean.statistic(), gaps.statistic());
        assertEquals(clean.pValue(), gaps.pValue());
        assertEquals(30, gaps.referenceSize());
        assertEquals(2, gaps.referenceMissing());
        assertEquals(20, gaps.currentSize());
        assertEquals(1, gaps.currentMissing());
    }

    @Test
    void detect_isThreadSafe_parallelCallsGiveTheSerialResults() {
        MmdDetector detector = MultivariateDrift.mmd(gaussian(81, 40, 3, 0));
        List<double[][]> batches = IntStream.range(0, 16).mapToObj(i -> gaussian(500 + i, 20, 3, 0.1 * i)).toList();
        List<MmdResult> serial = IntStream.range(0, 16).mapToObj(i -> detector.test(batches.get(i), i)).toList();
        List<MmdResult> parallel = IntStream.range(0, 16).parallel().mapToObj(i -> detector.test(batches.get(i), i))
                .toList();
        assertEquals(serial, parallel);
    }

    @Test
    void of_badInput_failsWithMessagesNamingTheArgument() {
        double[][] ok = gaussian(91, 10, 2, 0);
        assertMessage(() -> MultivariateDrift.mmd(new double[0][]), "referenceRows");
        assertMessage(() -> MultivariateDrift.mmd(new double[][] {{1, 2}}), "at least 2 complete rows");
        assertMessage(() -> MultivariateDrift.mmd(new double[][] {{1, 2}, {3}}), "referenceRows[1] must have 2");
        assertMessage(() -> MultivariateDrift.mmd(new double[][] {{}, {}}), "at least one column");
        assertMessage(() -> MultivariateDrift.mmd(new double[][] {{1, Double.POSITIVE_INFINITY}, {1, 2}}),
                "referenceRows[0][1] must be finite");
        assertMessage(() -> MultivariateDrift.mmd(new double[][] {{1, 2}, {Double.NaN, 2}}), "(1 left out for NaN)");
        assertMessage(() -> MultivariateDrift.mmd(new double[][] {{1, 1}, {1, 1}, {1, 1}, {5, 5}}),
                "median distance between its rows is 0");
        MmdDetector detector = MultivariateDrift.mmd(ok);
        assertMessage(() -> detector.detect(new double[][] {{1, 2, 3}, {4, 5, 6}}), "currentRows[0] must have 2");
        assertMessage(() -> detector.detect(new double[][] {{1, 2}}), "currentRows must have at least 2 complete");
        assertThrows(NullPointerException.class, () -> detector.detect((double[][]) null));
    }

    @Test
    void of_medianDistanceOverflowing_failsInsteadOfGivingAnInfiniteBandwidth() {
        double[][] huge = {{1e200, 0}, {-1e200, 0}, {0, 1e200}};
        assertMessage(() -> MultivariateDrift.mmd(huge), "the median heuristic gives bandwidth Infinity, outside [1.0E-150, 1.0E150]");
        MmdDetector fixed = MultivariateDrift.mmd(huge, MmdOptions.defaults().withSigma(1.0));
        assertTrue(Double.isFinite(fixed.detect(huge).statistic()));
    }

    @Test
    void of_coincidingRows_canStillBeTestedWithAGivenBandwidth() {
        double[][] reference = {{1, 1}, {1, 1}, {1, 1}, {5, 5}};
        MmdDetector detector = MultivariateDrift.mmd(reference, MmdOptions.defaults().withSigma(2.0));
        assertEquals(2.0, detector.sigma());
        assertTrue(Double.isFinite(detector.detect(new double[][] {{1, 1}, {4, 4}}).statistic()));
    }

    @Test
    void options_outOfRange_failWithMessagesNamingTheSetting() {
        assertMessage(() -> MmdOptions.defaults().withPValue(0), "pValue must be in (0, 1)");
        assertMessage(() -> MmdOptions.defaults().withPValue(Double.NaN), "pValue must be in (0, 1)");
        assertMessage(() -> MmdOptions.defaults().withPermutations(0), "permutations must be in [1, 10000], was 0");
        assertMessage(() -> MmdOptions.defaults().withPermutations(MmdOptions.MAX_PERMUTATIONS + 1),
                "permutations must be in [1, 10000], was 10001");
        assertMessage(() -> MmdOptions.defaults().withSigma(-1), "sigma must be in [1.0E-150, 1.0E150], was -1.0");
        assertMessage(() -> MmdOptions.defaults().withSigma(1e-151), "sigma must be in [1.0E-150, 1.0E150]");
        assertMessage(() -> MmdOptions.defaults().withSigma(1e151), "sigma must be in [1.0E-150, 1.0E150]");
        assertMessage(() -> new MmdOptions(0.05, 100, 0, OptionalDouble.of(Double.POSITIVE_INFINITY)),
                "sigma must be in [1.0E-150, 1.0E150], was Infinity");
        assertEquals(MmdOptions.MAX_PERMUTATIONS, MmdOptions.defaults().withPermutations(10_000).permutations());
        MmdOptions defaults = MmdOptions.defaults();
        assertEquals(0.05, defaults.pValue());
        assertEquals(100, defaults.permutations());
        assertEquals(OptionalDouble.empty(), defaults.sigma());
        assertNotEquals(defaults, defaults.withSeed(1));
    }

    /**
     * Issue 7: on tie-heavy data one running double over the ~n² kernel values was off by up to
     * 1.5e-7 relative (2,000 rows a side on a 0.5 grid, the case below with shift 0); compensated
     * sums per row and over the rows bring it to about 3e-12. The exact value sums the same kernel
     * doubles in BigDecimal, once per distinct squared distance times its pair count.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(doubles = {0.0, 0.3})
    void statistic_onTieHeavyData_matchesTheExactSumOfItsKernelValues(double shift) {
        double[][] x = grid(1, 2000, shift == 0 ? 1 : 2, 0);
        double[][] y = grid(2, 2000, x[0].length, shift);
        MmdDetector detector = MultivariateDrift.mmd(x, MmdOptions.defaults().withPermutations(1));
        double statistic = detector.detect(y).statistic();
        double gamma = 1.0 / (2.0 * detector.sigma() * detector.sigma());
        java.math.MathContext mc = new java.math.MathContext(40);
        long n = x.length;
        long m = y.length;
        java.math.BigDecimal exact = exactPairSum(x, x, gamma).divide(java.math.BigDecimal.valueOf(n * (n - 1)), mc)
                .add(exactPairSum(y, y, gamma).divide(java.math.BigDecimal.valueOf(m * (m - 1)), mc))
                .subtract(exactPairSum(x, y, gamma).multiply(java.math.BigDecimal.valueOf(2))
                        .divide(java.math.BigDecimal.valueOf(n * m), mc));
        double relative = new java.math.BigDecimal(statistic).subtract(exact).abs().divide(exact.abs(), mc).doubleValue();
        assertTrue(relative <= 1e-11, "MMD² " + statistic + " vs exact " + exact + ": relative error " + relative);
    }

    /** Values on a 0.5 grid: a few hundred distinct squared distances among millions of pairs. */
    private static double[][] grid(long seed, int n, int d, double shift) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        double[][] out = new double[n][d];
        for (double[] row : out) {
            for (int j = 0; j < d; j++) {
                row[j] = Math.rint((2 * random.nextGaussian() + shift) * 2) / 2;
            }
        }
        return out;
    }

    /** Σ k over ordered pairs of distinct rows (a == b) or over all pairs (a != b), exactly. */
    private static java.math.BigDecimal exactPairSum(double[][] a, double[][] b, double gamma) {
        java.util.Map<Double, long[]> counts = new java.util.HashMap<>();
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < (a == b ? i : b.length); j++) {
                double s = 0;
                for (int k = 0; k < a[i].length; k++) {
                    double diff = a[i][k] - b[j][k];
                    s += diff * diff;
                }
                counts.computeIfAbsent(s, key -> new long[1])[0]++;
            }
        }
        java.math.BigDecimal sum = java.math.BigDecimal.ZERO;
        for (java.util.Map.Entry<Double, long[]> e : counts.entrySet()) {
            sum = sum.add(new java.math.BigDecimal(Math.exp(-gamma * e.getKey()))
                    .multiply(java.math.BigDecimal.valueOf(e.getValue()[0])));
        }
        return a == b ? sum.multiply(java.math.BigDecimal.valueOf(2)) : sum;
    }

    @Test
    void of_andTest_tablesBeyondTheLimits_areRefusedNamingTheLimit() {
        assertMessage(() -> MultivariateDrift.mmd(gaussian(1, MmdDetector.MAX_ROWS + 1, 1, 0)),
                "referenceRows must have at most 10000 complete rows (MAX_ROWS");
        assertMessage(() -> MultivariateDrift.mmd(gaussian(1, 2, MmdDetector.MAX_DIMENSION + 1, 0)),
                "referenceRows rows must have at most 10000 columns (MAX_DIMENSION), had 10001");
        assertMessage(() -> MultivariateDrift.mmd(gaussian(1, 1001, 1000, 0)),
                "referenceRows must hold at most 1000000 values in its complete rows (MAX_VALUES), had 1001 x 1000");
        MmdDetector detector = MultivariateDrift.mmd(gaussian(1, 20, 1, 0));
        assertMessage(() -> detector.detect(gaussian(2, MmdDetector.MAX_ROWS + 1, 1, 0)),
                "currentRows must have at most 10000 complete rows (MAX_ROWS");
        // Rows left out for NaN do not count against the limit.
        double[][] gappy = gaussian(3, MmdDetector.MAX_ROWS + 5, 1, 0);
        for (int i = 0; i < 5; i++) {
            gappy[i][0] = Double.NaN;
        }
        assertEquals(5, detector.detect(gappy).currentMissing());
    }

    @Test
    void detect_hugeOrTinyMagnitudes_giveFiniteAnswersInRangeOrARefusal() {
        double[][] huge = {{Double.MAX_VALUE, -Double.MAX_VALUE}, {-Double.MAX_VALUE, 0}, {1e300, 1e-300}, {0, 0}};
        MmdDetector fixed = MultivariateDrift.mmd(huge, MmdOptions.defaults().withSigma(1.0));
        MmdResult r = fixed.test(new double[][] {{Double.MAX_VALUE, Double.MAX_VALUE}, {0, 0}, {1, 1}}, 1L);
        assertInRange(r, 4, 3);
        MmdDetector wide = MultivariateDrift.mmd(huge, MmdOptions.defaults().withSigma(MmdOptions.MAX_SIGMA));
        assertInRange(wide.test(huge, 2L), 4, 4);
        double[][] tiny = {{Double.MIN_VALUE}, {0}, {-Double.MIN_VALUE}, {2 * Double.MIN_VALUE}};
        // Squared distances of subnormal values underflow to 0: no median bandwidth, but a given one works.
        assertMessage(() -> MultivariateDrift.mmd(tiny), "the median distance between its rows is 0");
        MmdDetector narrow = MultivariateDrift.mmd(tiny, MmdOptions.defaults().withSigma(MmdOptions.MIN_SIGMA));
        assertInRange(narrow.test(tiny, 3L), 4, 4);
    }

    private static void assertInRange(MmdResult r, int n, int m) {
        double statistic = r.result().statistic();
        assertTrue(statistic >= -(1.0 / n + 1.0 / m) - 1e-12 && statistic <= 2 + 1e-12, "MMD² " + statistic);
        double p = r.result().pValue().getAsDouble();
        assertTrue(p >= 0 && p <= 1, "p " + p);
        assertTrue(Double.isFinite(r.distanceThreshold()), "threshold " + r.distanceThreshold());
        assertTrue(Double.isFinite(r.sigma()) && r.sigma() > 0, "sigma " + r.sigma());
    }

    private static double[][] append(double[][] a, double[][] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(double[][]::new);
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), () -> "message \"" + e.getMessage() + "\" lacks " + fragment);
    }
}
