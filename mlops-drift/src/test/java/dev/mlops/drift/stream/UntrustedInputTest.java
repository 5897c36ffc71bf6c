package dev.mlops.drift.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.drift.ChangeDetector;
import dev.mlops.core.drift.Signal;
import dev.mlops.drift.stream.DetectorEvaluation.BernoulliStep;
import dev.mlops.drift.stream.DetectorEvaluation.GaussianShift;
import dev.mlops.drift.stream.DetectorEvaluation.GradualDrift;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Issue 7 for the streaming detectors: every option value either builds a detector that works or
 * is refused by an {@link IllegalArgumentException} naming the option; every input either leaves
 * a finite estimate or is refused naming the value, with the detector unchanged. Seeded, so a
 * failure repeats.
 */
class UntrustedInputTest {

    private static IllegalArgumentException assertRefused(String name, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(name), "message names " + name + ": " + e.getMessage());
        assertOneLine(e.getMessage());
        return e;
    }

    private static void assertOneLine(String message) {
        assertFalse(message.contains("\n") || message.contains("\r"), "one line: " + message);
    }

    // ---- the examples of issue 7, each failing before the ranges existed

    @Test
    void adwin_maxBucketsNearIntMax_isRefusedNamingTheRange() {
        IllegalArgumentException e = assertRefused("maxBuckets", () -> Adwin.builder().maxBuckets(2147483639));
        assertEquals("maxBuckets must be in [2, 1000], was 2147483639", e.getMessage());
        assertRefused("maxBuckets", () -> Adwin.builder().maxBuckets(Integer.MAX_VALUE));
        assertRefused("maxBuckets", () -> Adwin.builder().maxBuckets(1001));
        Adwin largest = Adwin.builder().maxBuckets(1000).clock(1).build();
        for (int i = 0; i < 5000; i++) {
            largest.update(i % 2);
        }
        assertEquals(0.5, largest.estimate(), 0.01);
    }

    @Test
    void kswin_hugeWindow_isRefusedBeforeAllocating() {
        assertRefused("windowSize", () -> Kswin.builder().windowSize(2147483639));
        assertRefused("windowSize", () -> Kswin.builder().windowSize(1_000_001));
        assertRefused("statSize", () -> Kswin.builder().statSize(10_001));
        assertRefused("statSize", () -> Kswin.builder().windowSize(100).statSize(51).build());
    }

    @Test
    void kswin_largestWindowAndSample_buildAndWork() {
        Kswin kswin = Kswin.builder().windowSize(1_000_000).statSize(10_000).build();
        for (int i = 0; i < 1000; i++) {
            kswin.update(i);
        }
        assertEquals(499.5, kswin.estimate(), 1e-9);
    }

    @Test
    void adwin_subWindowBelowMinWindowLength_isRefused() {
        // n - L + 1 <= 0 in the bound made it negative or infinite: no cut could ever hold.
        assertRefused("minSubWindowLength", () -> Adwin.builder().minSubWindowLength(3).build());
        assertRefused("minSubWindowLength", () -> Adwin.builder().minWindowLength(20).minSubWindowLength(10).build());
        assertRefused("minSubWindowLength", () -> Adwin.builder().moa().minWindowLength(10).build());
        Adwin ok = Adwin.builder().minWindowLength(20).minSubWindowLength(20).build();
        assertEquals(Signal.NONE, ok.update(1.0));
    }

    @Test
    void confidences_thatHaveNoFiniteLogarithm_areRefused() {
        assertRefused("delta", () -> Adwin.builder().delta(Double.MIN_VALUE));
        assertRefused("driftConfidence", () -> HddmA.builder().driftConfidence(1e-320));
        assertRefused("warningConfidence", () -> HddmW.builder().warningConfidence(0.0));
        assertRefused("delta", () -> PageHinkley.builder().delta(1e300));
        assertRefused("delta", () -> Cusum.builder().delta(Double.POSITIVE_INFINITY));
    }

    @Test
    void evaluation_hugeStreamsAndRuns_areRefusedBeforeAllocating() {
        assertRefused("length", () -> new BernoulliStep(2147483639, 10, 0.1, 0.2));
        assertRefused("length", () -> new GradualDrift(10_000_001, 10, 5, 0.1, 0.2));
        assertRefused("runs", () -> new DetectorEvaluation(1_000_001, 1, 10));
        assertRefused("meanAfter", () -> new GaussianShift(10, 5, 0, 1e300, 1));
        assertRefused("sd", () -> new GaussianShift(10, 5, 0, 1, Double.MAX_VALUE));
        assertRefused("meanBefore", () -> new GaussianShift(10, 5, Double.NaN, 1, 1));
    }

    @Test
    void realValuedDetectors_valuesNearDoubleMax_areRefusedAndTheEstimateStaysFinite() {
        for (Supplier<ChangeDetector> kind : List.<Supplier<ChangeDetector>>of(
                () -> Adwin.builder().build(), () -> Adwin.builder().moa().build(),
                () -> PageHinkley.builder().build(), () -> Cusum.builder().build(), () -> Kswin.builder().build())) {
            ChangeDetector d = kind.get();
            d.update(1e100);
            d.update(-1e100);
            IllegalArgumentException e = assertRefused("value", () -> d.update(1e308));
            assertTrue(e.getMessage().contains("1e100"), e.getMessage());
            assertRefused("value", () -> d.update(-Double.MAX_VALUE));
            assertEquals(0.0, d.estimate(), 1e85, d.toString());
        }
    }

    @Test
    void eddm_beforeTheFirstError_estimatesTheInputsSeen() {
        Eddm eddm = Eddm.builder().build();
        assertTrue(Double.isNaN(eddm.estimate()), "NaN before any input");
        for (int i = 1; i <= 50; i++) {
            eddm.update(0.0);
            assertEquals(i, eddm.estimate(), "after " + i + " correct predictions");
        }
        eddm.update(1.0);
        assertEquals(51.0, eddm.estimate(), "the first distance");
    }

    @Test
    void adwin_alternatingExtremes_keepTheEstimateAndTheVarianceFinite() {
        Adwin adwin = Adwin.builder().clock(1).build();
        for (int i = 0; i < 100_000; i++) {
            adwin.update(i % 2 == 0 ? 1e100 : -1e100);
            assertTrue(Double.isFinite(adwin.estimate()) && Double.isFinite(adwin.windowVariance()), "at " + i);
        }
        assertTrue(adwin.windowVariance() >= 0.0);
    }

    // ---- properties

    @Property(tries = 400, seed = "20260417")
    void update_anyFiniteOrNonFiniteValue_isAcceptedWithAFiniteEstimateOrRefusedUnchanged(
            @ForAll DetectorKind kind, @ForAll("values") List<Double> values) {
        ChangeDetector probed = kind.create();
        ChangeDetector clean = kind.create();
        for (double v : values) {
            double value = v;
            boolean accepted;
            Signal signal = null;
            try {
                signal = probed.update(value);
                accepted = true;
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().startsWith("value must be"), e.getMessage());
                assertOneLine(e.getMessage());
                accepted = false;
            }
            if (accepted) {
                assertEquals(clean.update(value), signal, kind + " signal after " + value);
                assertTrue(Double.isFinite(probed.estimate()),
                        kind + " estimate " + probed.estimate() + " after " + value);
            }
            assertEquals(Double.doubleToLongBits(clean.estimate()), Double.doubleToLongBits(probed.estimate()), kind.name());
        }
    }

    @Property(tries = 300, seed = "20260417")
    void realValuedDetectors_anySequenceWithinTheLimit_keepAFiniteEstimate(
            @ForAll("realDetectors") Supplier<ChangeDetector> kind,
            @ForAll("withinLimit") List<Double> values) {
        ChangeDetector detector = kind.get();
        for (double v : values) {
            detector.update(v);
            assertTrue(Double.isFinite(detector.estimate()), detector + " estimate " + detector.estimate());
        }
    }

    @Property(tries = 1000, seed = "20260417")
    void builders_anyIntOption_buildAWorkingDetectorOrAreRefusedNamingIt(
            @ForAll("intOptions") Map.Entry<String, Function<Integer, Supplier<ChangeDetector>>> option,
            @ForAll("ints") int value) {
        check(option.getKey(), () -> option.getValue().apply(value).get());
    }

    @Property(tries = 1000, seed = "20260417")
    void builders_anyDoubleOption_buildAWorkingDetectorOrAreRefusedNamingIt(
            @ForAll("doubleOptions") Map.Entry<String, Function<Double, Supplier<ChangeDetector>>> option,
            @ForAll("doubles") double value) {
        check(option.getKey(), () -> option.getValue().apply(value).get());
    }

    @Property(tries = 300, seed = "20260417")
    void evaluation_anyShape_evaluatesOrIsRefusedNamingTheArgument(@ForAll("ints") int length,
            @ForAll("ints") int changeAt, @ForAll("doubles") double mean, @ForAll("doubles") double sd,
            @ForAll("ints") int runs) {
        DetectorEvaluation.Scenario scenario;
        DetectorEvaluation evaluation;
        try {
            scenario = new GaussianShift(Math.min(length, 5_000), changeAt, 0.0, mean, sd);
            evaluation = new DetectorEvaluation(Math.min(runs, 3), 7, 1_000);
        } catch (IllegalArgumentException e) {
            assertOneLine(e.getMessage());
            assertTrue(e.getMessage().matches("(length|changeAt|meanAfter|sd|runs) must .*"), e.getMessage());
            return;
        }
        DetectorEvaluation.Result result = evaluation.evaluate("ph", () -> PageHinkley.builder().build(), scenario);
        assertTrue(result.detected() + result.missed() == result.runsWithChange());
    }

    private static void check(String option, Supplier<ChangeDetector> build) {
        ChangeDetector detector;
        try {
            detector = build.get();
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().startsWith(option + " must"), "names " + option + ": " + e.getMessage());
            assertOneLine(e.getMessage());
            return;
        }
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 400; i++) {
            double p = i < 200 ? 0.2 : 0.7;
            detector.update(random.nextDouble() < p ? 1.0 : 0.0);
            assertTrue(Double.isFinite(detector.estimate()),
                    detector + " estimate " + detector.estimate());
        }
    }

    @Provide
    Arbitrary<List<Double>> values() {
        return Arbitraries.oneOf(
                Arbitraries.doubles(),
                Arbitraries.doubles().between(-1e100, 1e100),
                Arbitraries.doubles().between(0.0, 1.0),
                Arbitraries.of(0.0, 1.0, -0.0, 0.5, 1e100, -1e100, Math.nextUp(1e100), 1e308, -1e308,
                        Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, Double.NaN,
                        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)).list().ofMinSize(1).ofMaxSize(300);
    }

    @Provide
    Arbitrary<List<Double>> withinLimit() {
        return Arbitraries.oneOf(
                Arbitraries.doubles().between(-1e100, 1e100),
                Arbitraries.of(1e100, -1e100, 9.99e99, -9.99e99, 0.0, Double.MIN_VALUE)).list().ofMinSize(1).ofMaxSize(400);
    }

    @Provide
    Arbitrary<Supplier<ChangeDetector>> realDetectors() {
        return Arbitraries.of(List.of(
                () -> Adwin.builder().clock(1).build(),
                () -> Adwin.builder().moa().build(),
                () -> PageHinkley.builder().build(),
                () -> PageHinkley.builder().moa().alpha(1.0).delta(1e100).build(),
                () -> Cusum.builder().direction(Direction.BOTH).delta(1e100).build(),
                () -> Kswin.builder().windowSize(60).statSize(30).build()));
    }

    @Provide
    Arbitrary<Integer> ints() {
        return Arbitraries.oneOf(
                Arbitraries.integers(),
                Arbitraries.integers().between(-5, 1100),
                Arbitraries.of(Integer.MIN_VALUE, Integer.MAX_VALUE, 2147483639, 1_000_000, 1_000_001, 10_000, 10_001));
    }

    @Provide
    Arbitrary<Double> doubles() {
        return Arbitraries.oneOf(
                Arbitraries.doubles(),
                Arbitraries.doubles().between(-2.0, 2.0),
                Arbitraries.of(0.0, -0.0, 1.0, 0.5, 1e-100, 1e-101, Double.MIN_VALUE, 1e100, 1e300,
                        Double.MAX_VALUE, -1.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
    }

    @Provide
    Arbitrary<Map.Entry<String, Function<Integer, Supplier<ChangeDetector>>>> intOptions() {
        // A list, not Map.ofEntries: its iteration order changes between JVMs, and the seed must repeat.
        List<Map.Entry<String, Function<Integer, Supplier<ChangeDetector>>>> options = List.of(
                Map.entry("clock", v -> () -> Adwin.builder().clock(v).build()),
                Map.entry("maxBuckets", v -> () -> Adwin.builder().clock(1).maxBuckets(v).build()),
                Map.entry("minWindowLength", v -> () -> Adwin.builder().minWindowLength(v).minSubWindowLength(Integer.MAX_VALUE).build()),
                Map.entry("minSubWindowLength", v -> () -> Adwin.builder().minSubWindowLength(v).build()),
                Map.entry("gracePeriod", v -> () -> Adwin.builder().gracePeriod(v).build()),
                Map.entry("warmStart", v -> () -> Ddm.builder().warmStart(v).build()),
                Map.entry("minErrors", v -> () -> Eddm.builder().minErrors(v).build()),
                Map.entry("minInstances", v -> () -> PageHinkley.builder().minInstances(v).build()),
                Map.entry("windowSize", v -> () -> Kswin.builder().windowSize(v).statSize(1).build()),
                Map.entry("statSize", v -> () -> Kswin.builder().windowSize(1_000_000).statSize(v).build()));
        return Arbitraries.of(options);
    }

    @Provide
    Arbitrary<Map.Entry<String, Function<Double, Supplier<ChangeDetector>>>> doubleOptions() {
        List<Map.Entry<String, Function<Double, Supplier<ChangeDetector>>>> options = List.of(
                Map.entry("delta", v -> () -> Adwin.builder().clock(1).delta(v).build()),
                Map.entry("warningLevel", v -> () -> Ddm.builder().warningLevel(v).driftLevel(Double.MAX_VALUE).build()),
                Map.entry("driftLevel", v -> () -> Ddm.builder().driftLevel(v).build()),
                Map.entry("alpha", v -> () -> Eddm.builder().alpha(v).beta(Double.MIN_NORMAL).build()),
                Map.entry("beta", v -> () -> Eddm.builder().beta(v).build()),
                Map.entry("driftConfidence", v -> () -> HddmA.builder().twoSided(true).driftConfidence(v).warningConfidence(0.999).build()),
                Map.entry("warningConfidence", v -> () -> HddmW.builder().warningConfidence(v).build()),
                Map.entry("lambda", v -> () -> HddmW.builder().twoSided(true).lambda(v).build()),
                Map.entry("threshold", v -> () -> PageHinkley.builder().threshold(v).build()),
                Map.entry("minStatistic", v -> () -> Kswin.builder().minStatistic(v).build()),
                Map.entry("controlLimit", v -> () -> EwmaChart.builder().controlLimit(v).build()),
                Map.entry("warningFraction", v -> () -> EwmaChart.builder().warningFraction(v).build()));
        return Arbitraries.of(options);
    }
}
