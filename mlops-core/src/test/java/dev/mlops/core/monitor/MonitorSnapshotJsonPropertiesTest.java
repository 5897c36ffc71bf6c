package dev.mlops.core.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Snapshots travel: two monitors fed disjoint random traffic over several windows, each snapshot written
 * as JSON and read back (exactly equal to the original), then merged window by window, equal one monitor
 * fed everything: counts, min, max and sketch buckets exactly; means, M2 and sums within the 1e-9
 * relative tolerance of {@link MonitorMergePropertiesTest} (floating-point sums in another order).
 */
class MonitorSnapshotJsonPropertiesTest {
    private static final FeatureSchema SCHEMA = FeatureSchema.builder()
            .numeric("x", -50, 50).numeric("y").categorical("c", "a", "b", "c").build();

    @Property(tries = 60)
    void mergingReadSnapshotsOfDisjointMonitors_equalsOneMonitorThatSawEverything(
            @ForAll @IntRange(min = 0, max = 1500) int n, @ForAll long seed) {
        Random random = new Random(seed);
        FakeClock clock = new FakeClock(1_000_000);
        InMemoryMonitor all = monitor(clock);
        InMemoryMonitor a = monitor(clock);
        InMemoryMonitor b = monitor(clock);
        String[] names = {"a", "b", "c", "new1", "new2", "new3", null};
        for (int i = 0; i < n; i++) {
            if (random.nextInt(200) == 0) {
                clock.advance(Duration.ofSeconds(random.nextInt(150)));
            }
            InMemoryMonitor part = random.nextBoolean() ? a : b;
            switch (random.nextInt(6)) {
                case 0 -> {
                    long latency = random.nextInt(100) - 5;
                    all.recordFailure(i, latency);
                    part.recordFailure(i, latency);
                }
                case 1 -> {
                    int predictedClass = random.nextInt(5) - 1;
                    double[] numeric = {value(random), value(random) * 1e6};
                    int[] categories = {random.nextInt(6) - 1};
                    long latency = latency(random);
                    all.recordClass(i, predictedClass, latency, numeric, categories);
                    part.recordClass(i, predictedClass, latency, numeric, categories);
                }
                case 2 -> {
                    long latency = latency(random);
                    all.recordLatency(i, latency);
                    part.recordLatency(i, latency);
                    all.recordOutcome(i, 1.0);
                    part.recordOutcome(i, 1.0);
                }
                case 3 -> {
                    String[] categories = {names[random.nextInt(names.length)]};
                    double score = score(random);
                    double[] numeric = {value(random), value(random) * 1e6};
                    long latency = latency(random);
                    all.record(i, score, latency, numeric, categories);
                    part.record(i, score, latency, numeric, categories);
                }
                default -> {
                    int[] categories = {random.nextInt(6) - 1};
                    double score = score(random);
                    double[] numeric = {value(random), value(random) * 1e6};
                    long latency = latency(random);
                    all.record(i, score, latency, numeric, categories);
                    part.record(i, score, latency, numeric, categories);
                }
            }
        }
        MonitorSnapshot expected = all.snapshot();
        MonitorSnapshot fromA = travel(a.snapshot());
        MonitorSnapshot fromB = travel(b.snapshot());
        assertEquals(expected.closed().size(), fromA.closed().size());
        for (int i = 0; i < expected.closed().size(); i++) {
            assertSame(expected.closed().get(i), fromA.closed().get(i).merge(fromB.closed().get(i)));
        }
        assertSame(expected.current(), fromA.current().merge(fromB.current()));
        assertSame(expected.cumulative(), fromA.cumulative().merge(fromB.cumulative()));
    }

    /** Written on a replica, read on the collector: the same snapshot, and the same bytes again. */
    private static MonitorSnapshot travel(MonitorSnapshot s) {
        String json = MonitorSnapshotJson.write(s);
        MonitorSnapshot read = MonitorSnapshotJson.read(json);
        assertEquals(s, read);
        assertEquals(json, MonitorSnapshotJson.write(read));
        return read;
    }

    private static InMemoryMonitor monitor(FakeClock clock) {
        return Monitor.builder(SCHEMA).window(Duration.ofMinutes(1)).keepWindows(4).clock(clock)
                .classes("no", "yes", "maybe").build();
    }

    private static long latency(Random random) {
        return (long) Math.exp(random.nextDouble() * 25);
    }

    private static double score(Random random) {
        return random.nextInt(50) == 0 ? Double.NaN : random.nextGaussian();
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

    private static void assertSame(WindowSnapshot expected, WindowSnapshot merged) {
        assertEquals(expected.start(), merged.start());
        assertEquals(expected.predictions(), merged.predictions());
        assertEquals(expected.failures(), merged.failures());
        assertEquals(expected.outcomes().unmatched(), merged.outcomes().unmatched());
        assertEquals(expected.outcomes().labeled(), merged.outcomes().labeled());
        assertEquals(expected.latencyNanos(), merged.latencyNanos());
        assertEquals(expected.categorical(), merged.categorical());
        assertEquals(expected.predictedClasses(), merged.predictedClasses());
        assertSame(expected.score(), merged.score());
        assertEquals(expected.numeric().size(), merged.numeric().size());
        for (int i = 0; i < expected.numeric().size(); i++) {
            assertSame(expected.numeric().get(i), merged.numeric().get(i));
        }
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
            assertEquals(e.layout(), m.layout());
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
