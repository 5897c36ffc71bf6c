package dev.mlops.core.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * Quantiles of {@link QuantileSketch} against exact quantiles of the same values, and merges against
 * one sketch that saw everything.
 *
 * <p>The exact quantile is the one the snapshot promises: the sorted value at 0-based position
 * {@code floor(q · (n - 1))}. Every answer must be within 1% of it (the bound) and within the
 * layout's own {@link SketchLayout#relativeAccuracy()} (0.78% for the latency layout). Each try draws
 * its values from one seed, so a failure is reproduced by the seed jqwik prints.
 */
class QuantileSketchPropertiesTest {
    private static final SketchLayout NANOS = SketchLayout.latencyNanos();
    private static final double[] QUANTILES = {0, 0.001, 0.01, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 0.9999, 1};

    /** Shapes of latency-like data, all inside the latency layout's range. */
    enum Shape {
        UNIFORM, LOG_UNIFORM, LOGNORMAL, HEAVY_LOGNORMAL, BIMODAL, EXPONENTIAL, PARETO, SMALL_INTEGERS, CONSTANT, EDGES
    }

    @Property(tries = 400)
    void quantiles_areWithinTheRelativeAccuracy_ofTheExactLowerQuantile_forEveryShape(
            @ForAll Shape shape, @ForAll @IntRange(min = 1, max = 20_000) int n, @ForAll long seed) {
        Random random = new Random(seed);
        double[] values = draw(shape, n, random);
        QuantileSketch sketch = QuantileSketch.latencyNanos();
        for (double v : values) {
            sketch.record(v);
        }
        QuantileSketchSnapshot s = sketch.snapshot();
        Arrays.sort(values);
        assertEquals(n, s.count());
        assertEquals(values[0], s.min());
        assertEquals(values[n - 1], s.max());
        for (double q : QUANTILES) {
            assertClose(values, s, q);
        }
        for (int i = 0; i < 20; i++) {
            assertClose(values, s, random.nextDouble());
        }
    }

    @Property(tries = 300)
    void tinySamples_ofOneToFiveValues_areAnsweredWithinTheAccuracy(
            @ForAll @Size(min = 1, max = 5) List<@DoubleRange(min = 1.0, max = 3.6e12) Double> drawn,
            @ForAll @DoubleRange(min = 0, max = 1) double q) {
        double[] values = drawn.stream().mapToDouble(Double::doubleValue).toArray();
        QuantileSketch sketch = QuantileSketch.latencyNanos();
        for (double v : values) {
            sketch.record(v);
        }
        Arrays.sort(values);
        QuantileSketchSnapshot s = sketch.snapshot();
        assertClose(values, s, q);
        assertEquals(values[0], s.quantile(0));
        assertEquals(values[values.length - 1], s.quantile(1));
    }

    @Property(tries = 300)
    void arbitraryValuesInRange_areAnsweredWithinTheAccuracy(
            @ForAll @Size(min = 1, max = 300) List<@DoubleRange(min = 1.0, max = 3.6e12) Double> drawn,
            @ForAll @DoubleRange(min = 0, max = 1) double q) {
        double[] values = drawn.stream().mapToDouble(Double::doubleValue).toArray();
        QuantileSketch sketch = QuantileSketch.latencyNanos();
        for (double v : values) {
            sketch.record(v);
        }
        Arrays.sort(values);
        assertClose(values, sketch.snapshot(), q);
    }

    @Property(tries = 300)
    void hugeCounts_keepExactRanks_andTheAccuracy(
            @ForAll @IntRange(min = 1, max = 30) int distinct, @ForAll long seed) {
        Random random = new Random(seed);
        double[][] pairs = new double[distinct][];
        long[] counts = new long[distinct];
        QuantileSketch sketch = QuantileSketch.latencyNanos();
        long total = 0;
        for (int i = 0; i < distinct; i++) {
            double value = Math.exp(random.nextDouble() * Math.log(3.6e12));
            counts[i] = 1 + (long) (random.nextDouble() * 3e14);
            pairs[i] = new double[] {value, i};
            sketch.record(value, counts[i]);
            total += counts[i];
        }
        Arrays.sort(pairs, Comparator.comparingDouble(p -> p[0]));
        QuantileSketchSnapshot s = sketch.snapshot();
        assertEquals(total, s.count());
        for (int k = 0; k < QUANTILES.length + 20; k++) {
            double q = k < QUANTILES.length ? QUANTILES[k] : random.nextDouble();
            long rank = (long) Math.floor(q * (total - 1));
            long seen = 0;
            double exact = Double.NaN;
            for (double[] p : pairs) {
                seen += counts[(int) p[1]];
                if (rank < seen) {
                    exact = p[0];
                    break;
                }
            }
            assertWithin(exact, s.quantile(q), "q " + q + " of " + total + " values");
        }
    }

    @Property(tries = 200)
    void otherLayouts_keepTheirOwnAccuracy(
            @ForAll @DoubleRange(min = -30, max = 30) double log10Lowest,
            @ForAll @DoubleRange(min = 0.5, max = 12) double decades,
            @ForAll @DoubleRange(min = -3.3, max = -0.7) double log10Accuracy,
            @ForAll @IntRange(min = 1, max = 3_000) int n,
            @ForAll long seed) {
        double lowest = Math.pow(10, log10Lowest);
        double highest = lowest * Math.pow(10, decades);
        double accuracy = Math.pow(10, log10Accuracy);
        SketchLayout layout = SketchLayout.of(lowest, highest, accuracy);
        assertTrue(layout.relativeAccuracy() <= accuracy);
        Random random = new Random(seed);
        double[] values = new double[n];
        QuantileSketch sketch = QuantileSketch.of(layout);
        for (int i = 0; i < n; i++) {
            double v = lowest * Math.pow(highest / lowest, random.nextDouble());
            values[i] = Math.max(layout.lowest(), Math.min(layout.highest(), v));
            sketch.record(values[i]);
        }
        Arrays.sort(values);
        QuantileSketchSnapshot s = sketch.snapshot();
        for (int k = 0; k < 10; k++) {
            double q = random.nextDouble();
            double exact = values[(int) Math.floor(q * (n - 1))];
            double estimate = s.quantile(q);
            assertTrue(Math.abs(estimate - exact) <= layout.relativeAccuracy() * exact * (1 + 1e-9),
                    "q " + q + ": " + estimate + " vs exact " + exact + " in " + layout);
        }
    }

    @Property(tries = 300)
    void mergingSketchesOfDisjointStreams_givesExactlyTheCountsOfOneSketchOfBoth(
            @ForAll @IntRange(min = 0, max = 3_000) int n, @ForAll long seed) {
        Random random = new Random(seed);
        QuantileSketch left = QuantileSketch.latencyNanos();
        QuantileSketch right = QuantileSketch.latencyNanos();
        QuantileSketch both = QuantileSketch.latencyNanos();
        for (int i = 0; i < n; i++) {
            double v = anyValue(random);
            (random.nextBoolean() ? left : right).record(v);
            both.record(v);
        }
        QuantileSketchSnapshot merged = left.snapshot().merge(right.snapshot());
        QuantileSketchSnapshot whole = both.snapshot();
        assertSameCounts(whole, merged);
        assertEquals(whole.sum(), merged.sum(), Math.abs(whole.sum()) * 1e-10);
        for (double q : QUANTILES) {
            if (whole.count() > 0) {
                assertEquals(whole.quantile(q), merged.quantile(q), "q " + q);
            }
        }
    }

    @Property(tries = 200)
    void merge_isCommutativeAndAssociative_onCounts(@ForAll @IntRange(min = 0, max = 2_000) int n, @ForAll long seed) {
        Random random = new Random(seed);
        QuantileSketch[] parts = {QuantileSketch.latencyNanos(), QuantileSketch.latencyNanos(), QuantileSketch.latencyNanos()};
        for (int i = 0; i < n; i++) {
            parts[random.nextInt(3)].record(anyValue(random));
        }
        QuantileSketchSnapshot a = parts[0].snapshot();
        QuantileSketchSnapshot b = parts[1].snapshot();
        QuantileSketchSnapshot c = parts[2].snapshot();
        assertSameCounts(a.merge(b), b.merge(a));
        assertSameCounts(a.merge(b).merge(c), a.merge(b.merge(c)));
        assertEquals(a.merge(b).merge(c).count(), a.count() + b.count() + c.count());
    }

    @Property(tries = 100)
    void addingSnapshotsIntoOneLiveSketch_equalsMergingThem(@ForAll @IntRange(min = 0, max = 2_000) int n, @ForAll long seed) {
        Random random = new Random(seed);
        QuantileSketch left = QuantileSketch.latencyNanos();
        QuantileSketch right = QuantileSketch.latencyNanos();
        for (int i = 0; i < n; i++) {
            (random.nextBoolean() ? left : right).record(anyValue(random));
        }
        QuantileSketchSnapshot merged = left.snapshot().merge(right.snapshot());
        QuantileSketch collector = QuantileSketch.latencyNanos();
        collector.add(left.snapshot());
        collector.add(right.snapshot());
        assertSameCounts(merged, collector.snapshot());
    }

    @Property(tries = 200)
    void quantile_isMonotoneInQ(@ForAll Shape shape, @ForAll @IntRange(min = 1, max = 2_000) int n,
            @ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        Random random = new Random(seed);
        QuantileSketch sketch = QuantileSketch.latencyNanos();
        for (double v : draw(shape, n, random)) {
            sketch.record(v);
        }
        QuantileSketchSnapshot s = sketch.snapshot();
        double previous = s.quantile(0);
        for (int i = 1; i <= 1000; i++) {
            double current = s.quantile(i / 1000.0);
            assertTrue(current >= previous, "quantile " + i / 1000.0 + " fell from " + previous + " to " + current);
            previous = current;
        }
    }

    private static double[] draw(Shape shape, int n, Random random) {
        double[] values = new double[n];
        double constant = 1 + random.nextDouble() * 1e9;
        for (int i = 0; i < n; i++) {
            double v = switch (shape) {
                case UNIFORM -> 1 + random.nextDouble() * 1e9;
                case LOG_UNIFORM -> Math.exp(random.nextDouble() * Math.log(3.6e12));
                case LOGNORMAL -> Math.exp(Math.log(2e6) + 0.5 * random.nextGaussian());
                case HEAVY_LOGNORMAL -> Math.exp(Math.log(1e6) + 2.5 * random.nextGaussian());
                case BIMODAL -> random.nextDouble() < 0.9
                        ? Math.exp(Math.log(1e5) + 0.2 * random.nextGaussian())
                        : Math.exp(Math.log(5e7) + 0.3 * random.nextGaussian());
                case EXPONENTIAL -> 1 - 3e5 * Math.log(1 - random.nextDouble());
                case PARETO -> 1e4 / Math.pow(1 - random.nextDouble(), 1 / 1.2);
                case SMALL_INTEGERS -> 1 + random.nextInt(200);
                case CONSTANT -> constant;
                case EDGES -> random.nextBoolean() ? NANOS.lowest() : NANOS.highest();
            };
            values[i] = Math.max(NANOS.lowest(), Math.min(NANOS.highest(), v));
        }
        return values;
    }

    /** Values of every kind: in range, zero, below and above the range, negative, NaN, infinite. */
    private static double anyValue(Random random) {
        int kind = random.nextInt(20);
        return switch (kind) {
            case 0 -> 0.0;
            case 1 -> random.nextDouble() * NANOS.lowest();
            case 2 -> NANOS.highest() * (1 + random.nextDouble() * 100);
            case 3 -> -random.nextDouble() * 1e6;
            case 4 -> random.nextBoolean() ? Double.NaN : Double.POSITIVE_INFINITY;
            default -> Math.exp(random.nextDouble() * Math.log(3.6e12));
        };
    }

    private static void assertClose(double[] sorted, QuantileSketchSnapshot s, double q) {
        double exact = sorted[(int) Math.floor(q * (sorted.length - 1))];
        assertWithin(exact, s.quantile(q), "q " + q + " of " + sorted.length + " values");
    }

    private static void assertWithin(double exact, double estimate, String what) {
        double error = Math.abs(estimate - exact) / exact;
        assertTrue(error <= 0.01, what + ": " + estimate + " vs exact " + exact + ", error " + error);
        assertTrue(error <= NANOS.relativeAccuracy() * (1 + 1e-9),
                what + ": error " + error + " above the layout's " + NANOS.relativeAccuracy());
    }

    private static void assertSameCounts(QuantileSketchSnapshot expected, QuantileSketchSnapshot actual) {
        assertEquals(expected.firstBucket(), actual.firstBucket());
        assertArrayEquals(expected.bucketCounts(), actual.bucketCounts());
        assertEquals(expected.zeroCount(), actual.zeroCount());
        assertEquals(expected.belowRangeCount(), actual.belowRangeCount());
        assertEquals(expected.aboveRangeCount(), actual.aboveRangeCount());
        assertEquals(expected.negativeCount(), actual.negativeCount());
        assertEquals(expected.nonFiniteCount(), actual.nonFiniteCount());
        assertEquals(expected.count(), actual.count());
        assertEquals(expected.min(), actual.min());
        assertEquals(expected.max(), actual.max());
    }
}
