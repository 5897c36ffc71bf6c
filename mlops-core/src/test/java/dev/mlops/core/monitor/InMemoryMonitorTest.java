package dev.mlops.core.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Windows, statistics and bad input of {@link InMemoryMonitor}, on a fake clock that never sleeps. */
class InMemoryMonitorTest {
    private static final long T0 = 1_700_000_040_000L; // a whole minute
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final FakeClock clock = new FakeClock(T0);
    private final FeatureSchema schema = FeatureSchema.builder()
            .numeric("amount", 0, 100)
            .numeric("age")
            .categorical("country", "de", "fr", "us")
            .build();

    private InMemoryMonitor monitor(int keep) {
        return Monitor.builder(schema).window(MINUTE).keepWindows(keep).clock(clock).build();
    }

    @Test
    void records_appearInTheOpenWindow_untilTheClockPassesItsEnd() {
        InMemoryMonitor m = monitor(5);
        m.record(1, 0.5, 1_000_000, new double[] {10, 30}, new int[] {0});
        m.record(2, 0.7, 2_000_000, new double[] {20, 40}, new int[] {1});
        clock.advance(Duration.ofSeconds(30));
        MonitorSnapshot s = m.snapshot();
        assertEquals(List.of(), s.closed());
        assertEquals(2, s.current().predictions());
        assertEquals(Instant.ofEpochMilli(T0), s.current().start());
        assertEquals(Instant.ofEpochMilli(T0 + 30_000), s.current().end());
        assertEquals(2 / 30.0, s.current().throughputPerSecond(), 1e-12);

        clock.advance(Duration.ofSeconds(30));
        s = m.snapshot();
        assertEquals(1, s.closed().size());
        WindowSnapshot w = s.closed().get(0);
        assertEquals(Instant.ofEpochMilli(T0), w.start());
        assertEquals(Instant.ofEpochMilli(T0 + 60_000), w.end());
        assertEquals(2, w.predictions());
        assertEquals(0, s.current().count());
        assertEquals(2, s.cumulative().count());
    }

    @Test
    void aRecordAfterTheWindowEnds_opensTheNextWindow_withoutASnapshot() {
        InMemoryMonitor m = monitor(5);
        m.record(1, 0.5, 1_000, new double[] {1, 1}, new int[] {0});
        clock.advance(MINUTE);
        m.record(2, 0.5, 1_000, new double[] {1, 1}, new int[] {0});
        m.record(3, 0.5, 1_000, new double[] {1, 1}, new int[] {0});
        MonitorSnapshot s = m.snapshot();
        assertEquals(1, s.closed().get(0).predictions());
        assertEquals(2, s.current().predictions());
        assertEquals(3, s.cumulative().predictions());
    }

    @Test
    void onlyTheLastKWindows_areKept_andCumulativeCountsThemAll() {
        InMemoryMonitor m = monitor(3);
        for (int window = 0; window < 10; window++) {
            for (int i = 0; i <= window; i++) {
                m.record(i, 0.1, 1_000, new double[] {1, 2}, new int[] {2});
            }
            clock.advance(MINUTE);
        }
        MonitorSnapshot s = m.snapshot();
        assertEquals(3, s.closed().size());
        assertEquals(List.of(8L, 9L, 10L), s.closed().stream().map(WindowSnapshot::predictions).toList());
        assertEquals(Instant.ofEpochMilli(T0 + 7 * 60_000), s.closed().get(0).start());
        assertEquals(55, s.cumulative().predictions());
        assertEquals(Instant.ofEpochMilli(T0), s.cumulative().start());
        assertEquals(55, s.cumulative().latencyNanos().count());
    }

    @Test
    void idleWindows_areKeptAsEmptyConsecutiveWindows() {
        InMemoryMonitor m = monitor(4);
        m.record(1, 0.1, 1_000, new double[] {1, 2}, new int[] {2});
        clock.advance(Duration.ofMinutes(10));
        m.record(2, 0.1, 1_000, new double[] {1, 2}, new int[] {2});
        MonitorSnapshot s = m.snapshot();
        assertEquals(4, s.closed().size());
        for (int i = 0; i < 4; i++) {
            WindowSnapshot w = s.closed().get(i);
            assertEquals(Instant.ofEpochMilli(T0 + (6 + i) * 60_000L), w.start());
            assertEquals(0, w.count());
            assertTrue(Double.isNaN(w.latencyNanos().quantile(0.5)));
        }
        assertEquals(2, s.cumulative().predictions());
        assertEquals(Instant.ofEpochMilli(T0 + 10 * 60_000L), s.current().start());
    }

    @Test
    void aSingleRecordingThread_keepsOneStripe_acrossWindowsAndSnapshots() {
        InMemoryMonitor m = monitor(3);
        for (int i = 0; i < 10_000; i++) {
            m.record(i, 0.1, 1_000, new double[] {1, 2}, new int[] {2});
            if (i % 1000 == 0) {
                m.snapshot();
                clock.advance(MINUTE);
            }
        }
        assertEquals(1, m.stripes());
        assertEquals(10_000, m.snapshot().cumulative().predictions());
    }

    @Test
    void windows_areAlignedToTheEpoch() {
        clock.set(T0 + 25_000);
        InMemoryMonitor m = monitor(2);
        assertEquals(Instant.ofEpochMilli(T0), m.snapshot().current().start());
    }

    @Test
    void aSnapshot_isAnImmutableCopy() {
        InMemoryMonitor m = monitor(2);
        m.record(1, 0.1, 1_000, new double[] {1, 2}, new int[] {2});
        MonitorSnapshot before = m.snapshot();
        m.record(2, 0.1, 1_000, new double[] {1, 2}, new int[] {2});
        assertEquals(1, before.current().predictions());
        assertEquals(2, m.snapshot().current().predictions());
        assertThrows(UnsupportedOperationException.class, () -> before.closed().add(before.current()));
    }

    @Test
    void failures_countInRateAndLatency_notInScoresOrFeatures() {
        InMemoryMonitor m = monitor(2);
        m.record(1, 0.1, 1_000, new double[] {1, 2}, new int[] {2});
        m.recordFailure(2, 5_000);
        m.recordFailure(3, 7_000);
        WindowSnapshot w = m.snapshot().current();
        assertEquals(1, w.predictions());
        assertEquals(2, w.failures());
        assertEquals(3, w.count());
        assertEquals(2 / 3.0, w.failureRate(), 1e-12);
        assertEquals(3, w.latencyNanos().count());
        assertEquals(7_000, w.latencyNanos().max());
        assertEquals(1, w.score().count());
        assertEquals(1, w.numeric("amount").count());
    }

    @Test
    void recordClass_countsPredictedClasses_notScores() {
        InMemoryMonitor m = Monitor.builder(schema).window(MINUTE).clock(clock).classes("legit", "fraud").build();
        int[] classes = {0, 0, 1, -1, 5};
        for (int c : classes) {
            m.recordClass(1, c, 1_000, new double[] {1, 1}, new int[] {0});
        }
        m.record(2, 0.5, 1_000, new double[] {1, 1}, new int[] {0});
        WindowSnapshot w = m.snapshot().current();
        assertEquals(6, w.predictions());
        assertEquals(1, w.score().count());
        CategoricalSummary predicted = w.predictedClasses();
        assertEquals(List.of("legit", "fraud"), predicted.categories());
        assertEquals(List.of(2L, 1L), predicted.counts());
        assertEquals(1, predicted.missing());
        assertEquals(1, predicted.unseen());
        assertEquals(6, w.numeric("amount").total());
        assertThrows(IllegalArgumentException.class, () -> Monitor.builder(schema).classes("a", "a"));
    }

    @Test
    void recordLatency_countsAPredictionAndItsLatency_only() {
        InMemoryMonitor m = monitor(2);
        m.recordLatency(1, 3_000);
        m.record(2, 0.5, 1_000, new double[] {1, 1}, new int[] {0});
        WindowSnapshot w = m.snapshot().current();
        assertEquals(2, w.predictions());
        assertEquals(2, w.latencyNanos().count());
        assertEquals(1, w.score().count());
        assertEquals(1, w.numeric("amount").total());
        assertEquals(1, w.categorical("country").total());
    }

    @Test
    void numericStatistics_matchAStraightforwardComputation() {
        InMemoryMonitor m = monitor(2);
        Random random = new Random(42);
        int n = 20_000;
        double[] amounts = new double[n];
        long missing = 0;
        long infinite = 0;
        for (int i = 0; i < n; i++) {
            double v = random.nextGaussian() * 40 + 50; // some below 0 and above 100
            if (i % 97 == 0) {
                v = Double.NaN;
                missing++;
            } else if (i % 101 == 0) {
                v = i % 2 == 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
                infinite++;
            }
            amounts[i] = v;
            m.record(i, random.nextDouble(), 1_000 + i, new double[] {v, i}, new int[] {i % 3});
        }
        double[] finite = Arrays.stream(amounts).filter(Double::isFinite).sorted().toArray();
        double mean = Arrays.stream(finite).average().orElseThrow();
        double variance = Arrays.stream(finite).map(v -> (v - mean) * (v - mean)).sum() / (finite.length - 1);
        long outOfRange = Arrays.stream(finite).filter(v -> v < 0 || v > 100).count();

        NumericSummary s = m.snapshot().current().numeric("amount");
        assertEquals(finite.length, s.count());
        assertEquals(missing, s.missing());
        assertEquals(infinite, s.infinite());
        assertEquals(outOfRange, s.outOfRange());
        assertEquals(finite[0], s.min());
        assertEquals(finite[finite.length - 1], s.max());
        assertEquals(mean, s.mean(), 1e-9 * Math.abs(mean));
        assertEquals(variance, s.variance(), 1e-9 * variance);
        double accuracy = InMemoryMonitor.DEFAULT_VALUE_LAYOUT.relativeAccuracy();
        for (double q : new double[] {0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99}) {
            double exact = finite[(int) Math.floor(q * (finite.length - 1))];
            double estimate = s.quantile(q);
            assertTrue(Math.abs(estimate - exact) <= accuracy * Math.abs(exact) + 1e-12,
                    "q" + q + ": " + estimate + " vs exact " + exact);
        }
    }

    @Test
    void scoresAndLatencies_areSketched() {
        InMemoryMonitor m = monitor(2);
        for (int i = 1; i <= 1000; i++) {
            m.record(i, -1 + i / 500.0, i * 1_000L, new double[] {1, 1}, new int[] {0});
        }
        WindowSnapshot w = m.snapshot().current();
        assertEquals(1000, w.latencyNanos().count());
        assertEquals(1_000, w.latencyNanos().min());
        assertEquals(1_000_000, w.latencyNanos().max());
        double p99 = w.latencyNanos().quantile(0.99);
        assertEquals(990_000, p99, 990_000 * SketchLayout.latencyNanos().relativeAccuracy());
        assertEquals(-1 + 1 / 500.0, w.score().min());
        assertEquals(1.0, w.score().max());
        assertEquals(0.0, w.score().quantile(0.5), 0.01);
        assertEquals(1, w.score().values().positive().zeroCount());
    }

    @Test
    void valuesOutsideEveryBucket_areCountedAndBoundTheQuantiles() {
        InMemoryMonitor m = monitor(2);
        m.recordLatency(1, 0);
        m.recordLatency(2, 7_200_000_000_000L); // two hours, above the layout
        m.record(3, 0.0, 0, new double[] {-1e-9, 2e12}, new int[] {0});
        WindowSnapshot w = m.snapshot().current();
        assertEquals(3, w.latencyNanos().count());
        assertEquals(2, w.latencyNanos().zeroCount());
        assertEquals(1, w.latencyNanos().aboveRangeCount());
        assertEquals(7.2e12, w.latencyNanos().max());
        assertEquals(0, w.latencyNanos().bucketCounts().length);
        assertEquals(1, w.numeric("amount").values().negative().belowRangeCount());
        assertEquals(-1e-9, w.numeric("amount").quantile(0.5));
        assertEquals(1, w.numeric("age").values().positive().aboveRangeCount());
        assertEquals(2e12, w.numeric("age").max());
        assertEquals(1, w.score().values().positive().zeroCount());
    }

    @Test
    void categories_countKnownMissingAndUnseen() {
        InMemoryMonitor m = monitor(2);
        int[][] rows = {{0}, {0}, {2}, {-1}, {3}, {99}, {-7}};
        for (int[] r : rows) {
            m.record(1, 0.1, 1_000, new double[] {1, 1}, r);
        }
        CategoricalSummary c = m.snapshot().current().categorical("country");
        assertEquals(List.of(2L, 0L, 1L), c.counts());
        assertEquals(2, c.count("de"));
        assertEquals(1, c.missing());
        assertEquals(3, c.unseen());
        assertEquals(Map.of(), c.newCategories());
        assertEquals(7, c.total());
    }

    @Test
    void categoryNames_countNewNamesUpToTheBound_thenOnlyAsUnseen() {
        InMemoryMonitor m = Monitor.builder(schema).window(MINUTE).clock(clock).maxNewCategories(2).build();
        String[] names = {"de", "jp", null, "jp", "br", "cn", "us", "cn"};
        for (String name : names) {
            m.record(1, 0.1, 1_000, new double[] {1, 1}, new String[] {name});
        }
        CategoricalSummary c = m.snapshot().current().categorical("country");
        assertEquals(List.of(1L, 0L, 1L), c.counts());
        assertEquals(1, c.missing());
        assertEquals(5, c.unseen());
        assertEquals(Map.of("jp", 2L, "br", 1L), c.newCategories());
    }

    @Test
    void wrongArrayLengths_throwNamingTheExpectedLength_andRecordNothing() {
        InMemoryMonitor m = monitor(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.record(1, 0.1, 1_000, new double[] {1}, new int[] {0}));
        assertEquals("numeric: expected 2 values, one per numeric feature [amount, age], was 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> m.record(1, 0.1, 1_000, new double[] {1, 2}, new String[] {"de", "fr"}));
        assertEquals("categories: expected 1 values, one per categorical feature [country], was 2", e.getMessage());
        NullPointerException npe = assertThrows(NullPointerException.class,
                () -> m.record(1, 0.1, 1_000, null, new int[] {0}));
        assertEquals("numeric", npe.getMessage());
        npe = assertThrows(NullPointerException.class, () -> m.record(1, 0.1, 1_000, new double[] {1, 2}, (int[]) null));
        assertEquals("categories", npe.getMessage());
        npe = assertThrows(NullPointerException.class, () -> m.recordClass(1, 0, 1_000, new double[] {1, 2}, null));
        assertEquals("categories", npe.getMessage());
        npe = assertThrows(NullPointerException.class,
                () -> m.record(1, 0.1, 1_000, new double[] {1, 2}, (String[]) null));
        assertEquals("categories", npe.getMessage());
        assertEquals(0, m.snapshot().current().count());
    }

    @Test
    void badData_isCountedNeverThrown() {
        InMemoryMonitor m = monitor(2);
        m.record(1, Double.NaN, -5, new double[] {Double.NaN, Double.NEGATIVE_INFINITY}, new int[] {42});
        m.recordFailure(2, -1);
        WindowSnapshot w = m.snapshot().current();
        assertEquals(1, w.predictions());
        assertEquals(2, w.latencyNanos().negativeCount());
        assertEquals(0, w.latencyNanos().count());
        assertEquals(1, w.score().missing());
        assertEquals(1, w.numeric("amount").missing());
        assertEquals(1, w.numeric("age").infinite());
        assertEquals(1, w.categorical("country").unseen());
        assertEquals(1.0 / 3, w.value(Metric.MISSING_RATE), 1e-12); // NaN amount; -Inf age and 42 are not missing
    }

    @Test
    void hugeLatencies_saturateTheSum_insteadOfBreakingTheWindow() {
        InMemoryMonitor m = monitor(2);
        m.recordLatency(1, Long.MAX_VALUE);
        m.recordLatency(2, Long.MAX_VALUE);
        m.recordFailure(3, 1_000);
        QuantileSketchSnapshot latency = m.snapshot().current().latencyNanos();
        assertEquals(3, latency.count());
        assertEquals((double) Long.MAX_VALUE, latency.sum());
        assertEquals((double) Long.MAX_VALUE, latency.max());
    }

    @Test
    void outcomes_areUnknown_withoutAModelKind() {
        InMemoryMonitor m = monitor(2);
        m.record(1, 0.1, 1_000, new double[] {1, 1}, new int[] {0});
        assertFalse(m.recordOutcome(1, 1.0));
        assertEquals(1, m.snapshot().current().outcomes().unknown());
    }

    @Test
    void metrics_readFromTheWindow() {
        InMemoryMonitor m = monitor(2);
        m.record(1, 0.25, 2_000, new double[] {1, 1}, new int[] {0});
        m.record(2, 0.75, 4_000, new double[] {1, 1}, new int[] {0});
        WindowSnapshot w = m.snapshot().current();
        assertEquals(2, w.value(Metric.PREDICTIONS));
        assertEquals(0.5, w.value(Metric.SCORE_MEAN), 1e-12);
        assertEquals(4_000, w.value(Metric.LATENCY_MAX));
        assertEquals(0, w.value(Metric.FAILURE_RATE));
        assertTrue(Double.isNaN(w.value(Metric.MEAN_ABSOLUTE_ERROR)));
    }

    @Test
    void builder_rejectsBadSettingsNamingThem() {
        InMemoryMonitor.Builder b = Monitor.builder(schema);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.window(Duration.ZERO)).getMessage()
                .contains("window"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.window(Duration.ofNanos(1_500_000)))
                .getMessage().contains("window"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.keepWindows(0)).getMessage()
                .contains("keepWindows"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.maxNewCategories(-1)).getMessage()
                .contains("maxNewCategories"));
    }

    @Test
    void withAScheduler_windowsCloseOnTheSchedulersTask_notOnRecords() {
        ManualScheduler scheduler = new ManualScheduler();
        try {
            clock.set(T0 + 20_000);
            InMemoryMonitor m = Monitor.builder(schema).window(MINUTE).clock(clock).closeWindowsWith(scheduler).build();
            assertEquals(List.of(40_000L), List.copyOf(scheduler.delaysMillis), "first task at the window's end");
            scheduler.delaysMillis.clear();
            m.record(1, 0.1, 1_000, new double[] {1, 1}, new int[] {0});
            clock.advance(MINUTE);
            m.record(2, 0.1, 1_000, new double[] {1, 1}, new int[] {0}); // before the task runs: still the old window
            scheduler.tasks.poll().run();
            m.record(3, 0.1, 1_000, new double[] {1, 1}, new int[] {0});
            assertEquals(List.of(40_000L), List.copyOf(scheduler.delaysMillis), "next task at the next end");

            m.close();
            scheduler.runPending();
            MonitorSnapshot s = m.snapshot();
            assertEquals(2, s.closed().get(0).predictions());
            assertEquals(1, s.current().predictions());
            assertEquals(Instant.ofEpochMilli(T0 + 60_000), s.current().start());
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void noop_snapshotIsEmpty() {
        MonitorSnapshot s = Monitor.noop().snapshot();
        assertEquals(0, s.cumulative().count());
        assertEquals(List.of(), s.closed());
    }
}
