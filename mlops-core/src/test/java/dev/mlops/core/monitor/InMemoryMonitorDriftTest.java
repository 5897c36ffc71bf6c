package dev.mlops.core.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.drift.NumericSample;
import dev.mlops.core.drift.Sample;
import dev.mlops.core.drift.dataset.DatasetDriftResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Drift per window in {@link InMemoryMonitor}, with a fake detector that keeps what it is handed: the
 * monitor hands it every finite value of a small window, exact bin counts of any window, a bounded sample
 * of a large one, the category counts; the result becomes part of the closed window only; a failing
 * detector never reaches recording; drift alerts fire in the right window. Fake clock, no sleeps.
 */
class InMemoryMonitorDriftTest {
    private static final long T0 = 1_700_000_040_000L; // a whole minute
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final List<Double> EDGES = List.of(-1.0, 0.0, 0.5, 2.0);

    private final FakeClock clock = new FakeClock(T0);
    private final FeatureSchema schema = FeatureSchema.builder().numeric("amount").numeric("age", 0, 120)
            .categorical("country", "de", "fr").build();

    private FakeDriftDetector detector(int sampleSize) {
        Map<String, double[]> numeric = new LinkedHashMap<>();
        numeric.put("amount", gaussian(new Random(1), 2_000, 0));
        numeric.put("age", gaussian(new Random(2), 2_000, 40));
        Map<String, List<String>> categorical = new LinkedHashMap<>();
        categorical.put("country", List.of("de", "fr"));
        return new FakeDriftDetector(numeric, categorical, new DriftPlan(List.of(
                new DriftPlan.Numeric("amount", EDGES, sampleSize), DriftPlan.Numeric.sample("age", sampleSize))));
    }

    private InMemoryMonitor monitor(WindowDriftDetector drift) {
        return Monitor.builder(schema).window(MINUTE).keepWindows(20).clock(clock).drift(drift).build();
    }

    private static double[] gaussian(Random r, int n, double mean) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = mean + r.nextGaussian();
        }
        return out;
    }

    /** The bin of {@code v} by the documented rule, counted the slow way. */
    private static int slowBin(List<Double> edges, double v) {
        int k = edges.size() - 1;
        if (v < edges.get(0)) {
            return 0;
        }
        if (v > edges.get(k)) {
            return k + 1;
        }
        for (int i = k - 1; i >= 0; i--) {
            if (edges.get(i) <= v) {
                return i + 1;
            }
        }
        throw new AssertionError(v);
    }

    @Test
    void smallWindow_theDetectorGetsEveryFiniteValue_exactBinCounts_andTheCategoryCounts() {
        FakeDriftDetector fake = detector(1_000);
        InMemoryMonitor m = monitor(fake);
        double[] amounts = {0.0, -0.0, 0.5, 2.0, -1.0, -1.5, 7.25, Double.NaN, Double.POSITIVE_INFINITY, 0.25, 0.5,
            Double.NEGATIVE_INFINITY, 1e-300, -3.0};
        double[] ages = {30, 31, Double.NaN, 200, -4, 45, 45, 45, 18, 99, 0, 120, 65, 64};
        String[] countries = {"de", "fr", null, "es", "de", "de", "fr", "pt", "es", null, "de", "fr", "fr", "de"};
        for (int i = 0; i < amounts.length; i++) {
            m.record(i, 0.5, 1_000, new double[] {amounts[i], ages[i]}, new String[] {countries[i]});
        }
        m.record(99, 0.5, 1_000, new double[] {1.0, 2.0}, new int[] {7});
        clock.advance(MINUTE);
        MonitorSnapshot s = m.snapshot();

        assertEquals(1, fake.seen.size(), "one window closed, one test");
        DriftWindow w = fake.seen.get(0);
        assertEquals(Instant.ofEpochMilli(T0), w.start());
        double[] allAmounts = Arrays.copyOf(amounts, amounts.length + 1);
        allAmounts[amounts.length] = 1.0;
        double[] allAges = Arrays.copyOf(ages, ages.length + 1);
        allAges[ages.length] = 2.0;
        assertEquals(Sample.numeric(allAmounts), w.numeric("amount").sample().orElseThrow(),
                "every finite value, NaN and infinities counted as missing, -0.0 kept");
        assertEquals(Sample.numeric(allAges), w.numeric("age").sample().orElseThrow());
        assertTrue(w.numeric("amount").sampleIsWholeWindow() && w.numeric("age").sampleIsWholeWindow());
        long[] expected = new long[EDGES.size() + 1];
        for (double v : allAmounts) {
            if (Double.isFinite(v)) {
                expected[slowBin(EDGES, v)]++;
            }
        }
        assertEquals(Arrays.stream(expected).boxed().toList(), w.numeric("amount").binCounts());
        assertEquals(List.of(), w.numeric("age").binCounts(), "no edges planned for age");
        WindowSnapshot closed = s.closed().get(0);
        assertEquals(closed.categorical("country"), w.categorical("country"));
        assertEquals(Map.of("es", 2L, "pt", 1L), w.categorical("country").newCategories());
        assertEquals(closed.numeric("amount"), w.numeric("amount").summary());

        DatasetDriftResult result = closed.drift().orElseThrow();
        assertEquals(3, result.columns().size());
        assertEquals(List.of("amount", "age", "country"), result.columns().stream().map(c -> c.column()).toList());
        assertTrue(s.current().drift().isEmpty(), "the open window has no drift result");
        assertTrue(s.cumulative().drift().isEmpty(), "the cumulative view has none");
        assertTrue(closed.merge(closed).drift().isEmpty(), "a merged window has none");
    }

    @Test
    void largeWindow_sampleIsBoundedAndDrawnFromTheValues_binsStayExact() {
        FakeDriftDetector fake = detector(100);
        InMemoryMonitor m = monitor(fake);
        Random r = new Random(7);
        Map<Double, Integer> recorded = new HashMap<>();
        long[] expected = new long[EDGES.size() + 1];
        for (int i = 0; i < 20_000; i++) {
            double v = Math.round(r.nextGaussian() * 1e6) / 1e6;
            recorded.merge(v, 1, Integer::sum);
            expected[slowBin(EDGES, v)]++;
            m.record(i, 0.5, 1_000, new double[] {v, 30}, new int[] {0});
        }
        clock.advance(MINUTE);
        m.snapshot();
        DriftWindow.Numeric amount = fake.seen.get(0).numeric("amount");
        NumericSample sample = amount.sample().orElseThrow();
        assertEquals(100, sample.size());
        assertFalse(amount.sampleIsWholeWindow());
        Map<Double, Integer> left = new HashMap<>(recorded);
        for (double v : sample.sortedValues()) {
            assertTrue(left.merge(v, -1, Integer::sum) >= 0, v + " was drawn more often than recorded");
        }
        assertEquals(Arrays.stream(expected).boxed().toList(), amount.binCounts(), "bins count every value");
        assertEquals(20_000, amount.binCounts().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void windowsOfMonitorsThatSawTheSameValues_getTheSameSample() {
        double[] values = gaussian(new Random(3), 5_000, 0);
        List<NumericSample> samples = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            FakeClock c = new FakeClock(T0);
            FakeDriftDetector fake = detector(50);
            InMemoryMonitor m = Monitor.builder(schema).window(MINUTE).clock(c).drift(fake).build();
            for (int i = 0; i < values.length; i++) {
                m.record(i, 0.5, 1, new double[] {values[i], 1}, new int[] {0});
            }
            c.advance(MINUTE);
            m.snapshot();
            samples.add(fake.seen.get(0).numeric("amount").sample().orElseThrow());
        }
        assertEquals(samples.get(0), samples.get(1), "a window's sample is reproducible: seeded, not by wall time");
    }

    @Test
    void manyThreads_binsCountEveryValue_andTheSampleIsBounded() throws InterruptedException {
        FakeDriftDetector fake = detector(64);
        InMemoryMonitor m = monitor(fake);
        int threads = 4;
        int perThread = 25_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> running = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                double[] x = new double[2];
                int[] c = {0};
                try {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        x[0] = id + (i % 100) / 100.0;
                        x[1] = i % 90;
                        m.record((long) id << 32 | i, 0.5, 1, x, c);
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            thread.start();
            running.add(thread);
        }
        start.countDown();
        for (Thread t : running) {
            t.join();
        }
        assertEquals(null, failure.get());
        clock.advance(MINUTE);
        m.snapshot();
        DriftWindow.Numeric amount = fake.seen.get(0).numeric("amount");
        assertEquals((long) threads * perThread, amount.binCounts().stream().mapToLong(Long::longValue).sum());
        assertEquals(64, amount.sample().orElseThrow().size());
        for (double v : amount.sample().orElseThrow().sortedValues()) {
            assertTrue(v >= 0 && v < threads, "every sampled value was recorded: " + v);
        }
    }

    /**
     * The bytes this thread has allocated, by {@code com.sun.management.ThreadMXBean}: called reflectively,
     * as the module this test is compiled into does not read {@code jdk.management} (tests run on the class
     * path, which does).
     */
    private static long allocatedBytes() {
        try {
            return (long) ALLOCATED.invoke(THREADS);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("this JVM does not count allocated bytes", e);
        }
    }

    private static final Object THREADS;
    private static final java.lang.reflect.Method ALLOCATED;

    static {
        try {
            THREADS = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            ALLOCATED = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Test
    void recording_withDriftBinsAndSamples_allocatesNothing() {
        InMemoryMonitor m = monitor(detector(256));
        double[] x = new double[2];
        int[] c = {0};
        double[] values = gaussian(new Random(5), 4_096, 0);
        List<Long> rounds = new ArrayList<>();
        // Rounds of 300,000 records until the compilers are done (class loading and JIT allocate at first):
        // in the steady state a record allocates nothing.
        for (int round = 0; round < 10; round++) {
            long before = allocatedBytes();
            for (int i = 0; i < 300_000; i++) {
                x[0] = values[i & 4_095];
                x[1] = 40 + values[(i + 7) & 4_095];
                m.record(i, 0.5, 1_000, x, c);
            }
            long allocated = allocatedBytes() - before;
            long measuring = -(allocatedBytes() - allocatedBytes()); // what reading the counter allocates
            rounds.add(allocated - measuring);
            if (allocated - measuring < 64) {
                return;
            }
        }
        throw new AssertionError("records with drift on kept allocating, bytes per round of 300,000: " + rounds);
    }

    @Test
    void aFailingDetector_leavesTheWindowWithoutResult_andNeverReachesRecording() {
        WindowDriftDetector failing = new WindowDriftDetector() {
            @Override
            public DriftPlan plan(FeatureSchema s) {
                return new DriftPlan(List.of(DriftPlan.Numeric.sample("amount", 10)));
            }

            @Override
            public DatasetDriftResult detect(DriftWindow window) {
                throw new IllegalStateException("detector bug");
            }
        };
        InMemoryMonitor m = monitor(failing);
        m.record(1, 0.5, 1, new double[] {1, 2}, new int[] {0});
        clock.advance(MINUTE);
        m.record(2, 0.5, 1, new double[] {1, 2}, new int[] {0}); // closes the window: the detector throws here
        MonitorSnapshot s = m.snapshot();
        assertEquals(1, s.closed().size());
        assertTrue(s.closed().get(0).drift().isEmpty());
        assertEquals(1, s.current().count(), "the recording that closed the window was recorded");
    }

    @Test
    void idleWindows_areNotTested() {
        FakeDriftDetector fake = detector(10);
        InMemoryMonitor m = monitor(fake);
        m.recordLatency(1, 1_000); // a prediction without features
        clock.advance(MINUTE.multipliedBy(3));
        MonitorSnapshot s = m.snapshot();
        assertEquals(3, s.closed().size());
        assertTrue(s.closed().stream().allMatch(w -> w.drift().isEmpty()));
        assertEquals(0, fake.seen.size());
    }

    @Test
    void withAScheduler_theTestRunsOnTheSchedulersTask_neverOnARecordingThread() {
        ManualScheduler scheduler = new ManualScheduler();
        List<String> threads = new ArrayList<>();
        FakeDriftDetector fake = detector(10);
        WindowDriftDetector watching = new WindowDriftDetector() {
            @Override
            public DriftPlan plan(FeatureSchema s) {
                return fake.plan(s);
            }

            @Override
            public DatasetDriftResult detect(DriftWindow window) {
                threads.add(Thread.currentThread().getName());
                return fake.detect(window);
            }
        };
        InMemoryMonitor m = Monitor.builder(schema).window(MINUTE).clock(clock).drift(watching)
                .closeWindowsWith(scheduler).build();
        Thread recorder = new Thread(() -> {
            for (int i = 0; i < 100; i++) {
                m.record(i, 0.5, 1, new double[] {i, 30}, new int[] {0});
            }
            clock.advance(MINUTE);
            for (int i = 0; i < 100; i++) {
                m.record(i, 0.5, 1, new double[] {i, 30}, new int[] {0});
            }
        }, "serving-thread");
        recorder.start();
        assertDoesNotThrow(recorder::join);
        assertEquals(List.of(), threads, "recording never closes a window with a scheduler");
        Thread task = new Thread(() -> scheduler.tasks.poll().run(), "window-closer"); // it schedules the next
        task.start();
        assertDoesNotThrow(task::join);
        assertEquals(List.of("window-closer"), threads);
        WindowSnapshot closed = m.snapshot().closed().get(0);
        assertEquals(200, closed.count(), "a recording after the window's end but before the task still counts");
        assertTrue(closed.drift().isPresent());
        m.close();
        scheduler.shutdownNow();
    }

    private static void assertDoesNotThrow(ThrowingRunnable r) {
        try {
            r.run();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private interface ThrowingRunnable {
        void run() throws InterruptedException;
    }

    @Test
    void aPlanNamingAnotherFeature_isRefusedWhenTheMonitorIsBuilt() {
        WindowDriftDetector wrong = new WindowDriftDetector() {
            @Override
            public DriftPlan plan(FeatureSchema s) {
                return new DriftPlan(List.of(DriftPlan.Numeric.sample("country", 10)));
            }

            @Override
            public DatasetDriftResult detect(DriftWindow window) {
                throw new AssertionError();
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> monitor(wrong));
        assertTrue(e.getMessage().contains("country") && e.getMessage().contains("[amount, age]"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> Monitor.builder(schema).drift(wrong).drift(wrong));
    }

    @Test
    void driftPlans_refuseWhatCannotBeKept_namingTheFeature() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new DriftPlan.Numeric("amount", List.of(2.0, 1.0),
                0)).getMessage().contains("amount"));
        assertThrows(IllegalArgumentException.class, () -> new DriftPlan.Numeric("amount", List.of(1.0), 10));
        assertThrows(IllegalArgumentException.class, () -> new DriftPlan.Numeric("amount", List.of(0.0,
                Double.NaN), 10));
        assertThrows(IllegalArgumentException.class, () -> new DriftPlan.Numeric("amount", List.of(), 0));
        assertThrows(IllegalArgumentException.class, () -> DriftPlan.Numeric.sample("amount",
                DriftPlan.MAX_SAMPLE_SIZE + 1));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> new DriftPlan(List.of(
                DriftPlan.Numeric.sample("amount", 1), DriftPlan.Numeric.sample("amount", 2))));
        assertTrue(twice.getMessage().contains("amount appears twice"), twice.getMessage());
        assertEquals(4, new DriftPlan.Numeric("a", List.of(1.0, 1.0, 2.0), 0).binCount());
    }

    @Test
    void binsFollowTheDocumentedRule_bySlowCount() {
        Random r = new Random(11);
        for (int round = 0; round < 200; round++) {
            int k = 1 + r.nextInt(6);
            List<Double> edges = new ArrayList<>();
            double e = r.nextInt(5) - 2;
            for (int i = 0; i <= k; i++) {
                edges.add(e);
                e += r.nextInt(3) * 0.5; // equal neighbours too
            }
            double[] array = edges.stream().mapToDouble(Double::doubleValue).toArray();
            for (int i = 0; i < 50; i++) {
                double v = r.nextBoolean() ? edges.get(r.nextInt(edges.size())) : (r.nextInt(20) - 10) * 0.25;
                assertEquals(slowBin(edges, v), DriftStripes.bin(array, v), edges + " " + v);
            }
        }
    }

    // ---- alerts -------------------------------------------------------------------------------------------

    /** Records a window of {@code n} rows with amounts and ages moved by {@code shift}, then moves the clock on. */
    private void window(InMemoryMonitor m, Random r, int n, double shift) {
        for (int i = 0; i < n; i++) {
            m.record(i, 0.5, 1_000, new double[] {shift + r.nextGaussian(), 40 + shift + r.nextGaussian()},
                    new int[] {r.nextInt(2)});
        }
        clock.advance(MINUTE);
    }

    @Test
    void driftAlerts_fireInTheShiftedWindows_afterForWindows_andRespectMinSamplesAndCooldown() {
        InMemoryMonitor m = monitor(detector(500));
        List<Alert> dataset = new ArrayList<>();
        List<Alert> feature = new ArrayList<>();
        List<Alert> statistic = new ArrayList<>();
        m.addAlert(AlertRule.when(Metric.DATASET_DRIFT).above(0.5).minSamples(100).forWindows(2)
                .cooldown(Duration.ofMinutes(10)), dataset::add);
        m.addAlert(AlertRule.when(WindowSignal.drifted("amount")).above(0.5).minSamples(100), feature::add);
        m.addAlert(AlertRule.when(WindowSignal.driftStatistic("age")).above(0.5).minSamples(100), statistic::add);
        Random r = new Random(42);
        window(m, r, 300, 0);
        window(m, r, 300, 0);
        window(m, r, 50, 3); // shifted, but too few samples to judge: skipped
        window(m, r, 300, 0);
        m.snapshot();
        assertEquals(List.of(), dataset, "no drift in unshifted windows");
        assertEquals(List.of(), feature);
        Instant shiftStart = clock.instant();
        window(m, r, 300, 3);
        window(m, r, 300, 3);
        window(m, r, 300, 3);
        m.snapshot();
        assertEquals(1, dataset.size(), "fires on the 2nd shifted window, then the cooldown holds it: " + dataset);
        Alert a = dataset.get(0);
        assertEquals(shiftStart.plus(MINUTE), a.windowStart(), "the second consecutive shifted window");
        assertEquals(1.0, a.value());
        assertEquals(2, a.consecutiveWindows());
        assertEquals(3, feature.size(), "the feature rule fires on each shifted window");
        assertEquals(shiftStart, feature.get(0).windowStart());
        assertEquals(3, statistic.size(), "age shifted too");
        WindowSnapshot shifted = m.snapshot().closed().get(5);
        assertEquals(2.0 / 3, shifted.value(Metric.DRIFTED_SHARE), 1e-12, "amount and age drifted, country did not");
        assertEquals(300, shifted.samples(Metric.DATASET_DRIFT));
        assertTrue(WindowSignal.driftStatistic("amount").value(shifted) > 2);
        assertTrue(Double.isNaN(WindowSignal.driftPValue("amount").value(shifted)), "a distance has no p-value");
        assertTrue(WindowSignal.driftPValue("country").value(shifted) > 0.05);
        assertEquals(0.0, WindowSignal.drifted("country").value(shifted));
        assertTrue(Double.isNaN(WindowSignal.drifted("nothing").value(shifted)));
        assertNotEquals(shifted.drift(), m.snapshot().closed().get(0).drift());
    }

    @Test
    void driftSignals_onAMonitorWithoutDrift_areRefused_andWindowsWithoutDriftAnswerNaN() {
        InMemoryMonitor plain = Monitor.builder(schema).window(MINUTE).clock(clock).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> plain.addAlert(AlertRule.when(Metric.DATASET_DRIFT).above(0.5), a -> { }));
        assertTrue(e.getMessage().contains("drift(detector)"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> plain.addAlert(AlertRule.when(WindowSignal.drifted("amount")).above(0.5), a -> { }));
        assertThrows(IllegalArgumentException.class, () -> monitor(detector(10))
                .addAlert(AlertRule.when(WindowSignal.driftPValue("height")).below(0.01), a -> { }));
        WindowSnapshot w = plain.snapshot().current();
        assertTrue(Double.isNaN(w.value(Metric.DRIFTED_SHARE)) && Double.isNaN(w.value(Metric.DATASET_DRIFT)));
        assertTrue(Double.isNaN(WindowSignal.driftStatistic("amount").value(w)));
        assertTrue(Metric.DATASET_DRIFT.isDriftMetric() && !Metric.DATASET_DRIFT.isOutcomeMetric());
        assertEquals("amount.drifted", WindowSignal.drifted("amount").name());
    }
}
