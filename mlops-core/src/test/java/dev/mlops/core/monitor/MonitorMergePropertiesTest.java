package dev.mlops.core.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Two monitors that saw disjoint parts of the traffic, merged, equal one monitor that saw all of it:
 * counts, min, max, sketch buckets, outcome counts and confusion matrices exactly; sums, means and
 * variances within 1e-9 relative (they are floating-point sums in a different order).
 */
class MonitorMergePropertiesTest {
    private static final FeatureSchema SCHEMA = FeatureSchema.builder()
            .numeric("x", -50, 50).numeric("y").categorical("c", "a", "b", "c").build();

    @Property(tries = 200)
    void mergingDisjointMonitors_equalsOneMonitorThatSawEverything(
            @ForAll @IntRange(min = 0, max = 3000) int n, @ForAll long seed) {
        Random random = new Random(seed);
        FakeClock clock = new FakeClock(1_000_000);
        InMemoryMonitor all = monitor(clock);
        InMemoryMonitor a = monitor(clock);
        InMemoryMonitor b = monitor(clock);
        String[] names = {"a", "b", "c", "new1", "new2", null};
        InMemoryMonitor[] recordedBy = new InMemoryMonitor[n];
        for (int i = 0; i < n; i++) {
            InMemoryMonitor part = random.nextBoolean() ? a : b;
            recordedBy[i] = part;
            if (random.nextInt(20) == 0) {
                long latency = random.nextInt(100) - 5;
                all.recordFailure(i, latency);
                part.recordFailure(i, latency);
                continue;
            }
            double score = random.nextInt(50) == 0 ? Double.NaN
                    : random.nextInt(20) == 0 ? random.nextGaussian() : random.nextDouble();
            long latency = (long) Math.exp(random.nextDouble() * 25);
            double[] numeric = {value(random), value(random) * 1e6};
            if (random.nextInt(10) == 0) {
                int predictedClass = random.nextInt(5) - 1;
                int[] categories = {random.nextInt(6) - 1};
                all.recordClass(i, predictedClass, latency, numeric, categories);
                part.recordClass(i, predictedClass, latency, numeric, categories);
            } else if (random.nextInt(10) == 0) {
                all.recordLatency(i, latency);
                part.recordLatency(i, latency);
            } else if (random.nextBoolean()) {
                int[] categories = {random.nextInt(6) - 1};
                all.record(i, score, latency, numeric, categories);
                part.record(i, score, latency, numeric, categories);
            } else {
                String[] categories = {names[random.nextInt(names.length)]};
                all.record(i, score, latency, numeric, categories);
                part.record(i, score, latency, numeric, categories);
            }
        }
        // Outcomes: some joined, some repeated, some for ids never recorded, some not a class.
        for (int k = 0; k < n / 2; k++) {
            int i = random.nextInt(n + 10);
            double actual = random.nextInt(30) == 0 ? 0.5 : random.nextInt(2);
            InMemoryMonitor part = i < n ? recordedBy[i] : random.nextBoolean() ? a : b;
            assertEquals(all.recordOutcome(i, actual), part.recordOutcome(i, actual));
        }
        WindowSnapshot expected = all.snapshot().current();
        WindowSnapshot merged = a.snapshot().current().merge(b.snapshot().current());
        assertEquals(expected.predictions(), merged.predictions());
        assertEquals(expected.failures(), merged.failures());
        assertEquals(expected.latencyNanos(), merged.latencyNanos());
        assertSame(expected.score(), merged.score());
        for (int i = 0; i < expected.numeric().size(); i++) {
            assertSame(expected.numeric().get(i), merged.numeric().get(i));
        }
        assertEquals(expected.categorical(), merged.categorical());
        assertEquals(expected.predictedClasses(), merged.predictedClasses());
        assertEquals(expected.start(), merged.start());
        assertSame(expected.outcomes(), merged.outcomes());
        assertEquals(all.snapshot().outcomes(), a.snapshot().outcomes().plus(b.snapshot().outcomes()));
    }

    private static InMemoryMonitor monitor(FakeClock clock) {
        return Monitor.builder(SCHEMA).window(Duration.ofMinutes(1)).clock(clock).classes("no", "yes", "maybe")
                .binaryClassifier().build();
    }

    private static double value(Random random) {
        return switch (random.nextInt(12)) {
            case 0 -> Double.NaN;
            case 1 -> Double.POSITIVE_INFINITY;
            case 2 -> 0.0;
            case 3 -> 1e-9 * random.nextGaussian();
            case 4 -> 1e12 * random.nextGaussian();
            default -> random.nextGaussian() * 30;
        };
    }

    private static void assertSame(WindowOutcomes expected, WindowOutcomes actual) {
        ClassificationSnapshot e = expected.classification().orElseThrow();
        ClassificationSnapshot m = actual.classification().orElseThrow();
        assertEquals(expected.withMetrics(Optional.empty(), Optional.empty()),
                actual.withMetrics(Optional.empty(), Optional.empty()));
        assertArrayEquals(e.confusionMatrix(), m.confusionMatrix());
        assertArrayEquals(e.positiveBinCounts(), m.positiveBinCounts());
        assertArrayEquals(e.negativeBinCounts(), m.negativeBinCounts());
        assertClose(e.logLossSum(), m.logLossSum(), e.logLossSum());
    }

    private static void assertSame(NumericSummary expected, NumericSummary actual) {
        assertEquals(expected.name(), actual.name());
        assertEquals(expected.count(), actual.count());
        assertEquals(expected.missing(), actual.missing());
        assertEquals(expected.infinite(), actual.infinite());
        assertEquals(expected.outOfRange(), actual.outOfRange());
        assertEquals(expected.min(), actual.min());
        assertEquals(expected.max(), actual.max());
        assertClose(expected.mean(), actual.mean(), Math.max(Math.abs(expected.min()), Math.abs(expected.max())));
        assertClose(expected.m2(), actual.m2(), expected.m2());
        for (QuantileSketchSnapshot[] parts : List.of(
                new QuantileSketchSnapshot[] {expected.values().negative(), actual.values().negative()},
                new QuantileSketchSnapshot[] {expected.values().positive(), actual.values().positive()})) {
            QuantileSketchSnapshot e = parts[0];
            QuantileSketchSnapshot m = parts[1];
            assertEquals(e.zeroCount(), m.zeroCount());
            assertEquals(e.belowRangeCount(), m.belowRangeCount());
            assertEquals(e.aboveRangeCount(), m.aboveRangeCount());
            assertEquals(e.firstBucket(), m.firstBucket());
            assertArrayEquals(e.bucketCounts(), m.bucketCounts());
            assertEquals(e.min(), m.min());
            assertEquals(e.max(), m.max());
            assertClose(e.sum(), m.sum(), e.sum());
        }
    }

    private static void assertClose(double expected, double actual, double scale) {
        if (Double.isNaN(expected)) {
            assertEquals(expected, actual);
            return;
        }
        assertEquals(expected, actual, 1e-9 * Math.max(Math.abs(scale), Double.MIN_NORMAL));
    }
}
