package dev.mlops.drift.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.drift.ChangeDetector;
import dev.mlops.core.drift.Signal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Invariants every detector must keep, whatever the stream. */
class ChangeDetectorPropertiesTest {

    @Property(tries = 150)
    void reset_afterAnyPrefix_behavesAsNew(@ForAll DetectorKind kind, @ForAll long prefixSeed,
            @ForAll long streamSeed, @ForAll @IntRange(min = 0, max = 400) int prefixLength,
            @ForAll @IntRange(min = 1, max = 700) int length, @ForAll @IntRange(min = 1, max = 9) int stepAt) {
        double[] prefix = stream(kind.input, prefixSeed, prefixLength, stepAt);
        double[] values = stream(kind.input, streamSeed, length, stepAt);
        ChangeDetector used = kind.create();
        for (double v : prefix) {
            used.update(v);
        }
        used.reset();
        ChangeDetector fresh = kind.create();
        assertEquals(Double.doubleToLongBits(fresh.estimate()), Double.doubleToLongBits(used.estimate()));
        for (int i = 0; i < values.length; i++) {
            assertEquals(fresh.update(values[i]), used.update(values[i]), "signal at " + i);
            assertEquals(Double.doubleToLongBits(fresh.estimate()), Double.doubleToLongBits(used.estimate()),
                    "estimate at " + i);
        }
    }

    @Property(tries = 150)
    void estimate_isAlwaysWithinTheRangeOfTheInputs(@ForAll DetectorKind kind, @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 700) int length, @ForAll @IntRange(min = 1, max = 9) int stepAt) {
        double[] values = stream(kind.input, seed, length, stepAt);
        ChangeDetector detector = kind.create();
        assertTrue(Double.isNaN(detector.estimate()), "NaN before any input");
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < values.length; i++) {
            detector.update(values[i]);
            min = Math.min(min, values[i]);
            max = Math.max(max, values[i]);
            double estimate = detector.estimate();
            if (kind.estimatesAMeanOfInputs()) {
                double slack = 1e-9 * Math.max(1.0, Math.abs(max) + Math.abs(min));
                assertTrue(estimate >= min - slack && estimate <= max + slack,
                        kind + " estimate " + estimate + " outside [" + min + ", " + max + "] at " + i);
            } else {
                // EDDM estimates the mean distance between errors (before the first error, the
                // inputs seen): between 1 and the inputs seen.
                assertTrue(estimate >= 1.0 && estimate <= i + 1,
                        kind + " estimate " + estimate + " at " + i);
            }
        }
    }

    @Property(tries = 60)
    void update_withRejectedInput_leavesTheDetectorUnchanged(@ForAll DetectorKind kind, @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 500) int length, @ForAll("rejected") double bad) {
        double[] values = stream(kind.input, seed, length + 200, 5);
        ChangeDetector probed = kind.create();
        ChangeDetector clean = kind.create();
        for (int i = 0; i < values.length; i++) {
            if (i == length) {
                double badValue = kind.input == DetectorKind.Input.REAL && Double.isFinite(bad) ? Double.NaN : bad;
                assertThrows(IllegalArgumentException.class, () -> probed.update(badValue));
            }
            assertEquals(clean.update(values[i]), probed.update(values[i]), "signal at " + i);
        }
    }

    @Property(tries = 60)
    void update_isDeterministicForEqualStreams(@ForAll DetectorKind kind, @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 800) int length) {
        double[] values = stream(kind.input, seed, length, 4);
        assertEquals(signals(kind.create(), values), signals(kind.create(), values));
    }

    @Provide
    Arbitrary<Double> rejected() {
        return Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.5, 1.5, 7.0);
    }

    private static List<Signal> signals(ChangeDetector detector, double[] values) {
        List<Signal> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(detector.update(v));
        }
        return out;
    }

    /**
     * A stream with a step in the middle, so that detectors do fire and resets are exercised;
     * {@code stepAt} tenths set the probabilities.
     */
    private static double[] stream(DetectorKind.Input input, long seed, int length, int stepAt) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[length];
        double before = stepAt / 10.0;
        double after = 1.0 - before;
        for (int i = 0; i < length; i++) {
            double p = i < length / 2 ? before : after;
            values[i] = switch (input) {
                case BINARY -> random.nextDouble() < p ? 1.0 : 0.0;
                case UNIT -> random.nextDouble() < 0.5 ? (random.nextDouble() < p ? 1.0 : 0.0) : random.nextDouble() * p;
                case REAL -> random.nextGaussian() * 2 + 10 * p;
            };
        }
        return values;
    }
}
