package dev.mlops.core.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Outcomes joined by {@link InMemoryMonitor}: attributed to the prediction's window even after it
 * closed, counted once, and equal to metrics computed directly from the same data; on a fake clock.
 */
class InMemoryMonitorOutcomesTest {
    private static final long T0 = 1_700_000_040_000L; // a whole minute
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final double[] X = {1.0};
    private static final int[] C = {0};

    private final FakeClock clock = new FakeClock(T0);
    private final FeatureSchema schema = FeatureSchema.builder().numeric("x").categorical("c", "a", "b").build();

    private InMemoryMonitor.Builder builder(int keep) {
        return Monitor.builder(schema).window(MINUTE).keepWindows(keep).clock(clock);
    }

    @Test
    void outcomesArrivingAfterTheWindowClosed_areAttributedToThePredictionsWindow() {
        InMemoryMonitor m = builder(5).binaryClassifier().build();
        m.record(1, 0.9, 1_000, X, C);
        m.record(2, 0.2, 1_000, X, C);
        m.record(3, 0.7, 1_000, X, C);
        clock.advance(MINUTE);
        m.record(4, 0.6, 1_000, X, C);
        assertTrue(m.recordOutcome(1, 1));
        assertTrue(m.recordOutcome(2, 0));
        assertTrue(m.recordOutcome(3, 0));

        MonitorSnapshot s = m.snapshot();
        WindowSnapshot first = s.closed().get(0);
        ClassificationSnapshot c = first.outcomes().classification().orElseThrow();
        assertEquals(3, c.count());
        assertEquals(1, c.confusion(1, 1));
        assertEquals(1, c.confusion(0, 1));
        assertEquals(2.0 / 3, first.value(Metric.ACCURACY), 1e-12);
        assertEquals(3, first.value(Metric.LABELED));
        assertEquals(0, s.current().outcomes().labeled(), "outcomes count where their prediction was made");
        assertEquals(3, s.cumulative().outcomes().labeled());

        clock.advance(MINUTE);
        assertTrue(m.recordOutcome(4, 1));
        s = m.snapshot();
        assertEquals(List.of(3L, 1L), s.closed().stream().map(w -> w.outcomes().labeled()).toList());
        assertEquals(4, s.cumulative().outcomes().labeled());
        assertEquals(new OutcomeCounts(4, 4, 0, 0, 0, 0, 0), s.outcomes());
    }

    @Test
    void lateDuplicateAndUnknownOutcomes_areCountedOnce_andNeverJoined() {
        InMemoryMonitor m = builder(60).binaryClassifier().pendingOutcomes(1_000, Duration.ofMinutes(10)).build();
        m.record(1, 0.9, 1_000, X, C);
        m.record(2, 0.1, 1_000, X, C);
        assertTrue(m.recordOutcome(1, 1));
        assertFalse(m.recordOutcome(1, 1), "duplicate");
        assertFalse(m.recordOutcome(1, 0), "duplicate, whatever the value");
        assertFalse(m.recordOutcome(99, 1), "unknown");
        clock.advance(Duration.ofMinutes(11));
        assertFalse(m.recordOutcome(2, 0), "late");
        assertFalse(m.recordOutcome(2, 0), "settled as late, then a duplicate");

        MonitorSnapshot s = m.snapshot();
        WindowSnapshot first = s.closed().get(0);
        assertEquals(1, first.outcomes().labeled());
        assertEquals(2, first.outcomes().duplicate());
        assertEquals(1, first.outcomes().unknown());
        assertEquals(0, first.outcomes().late());
        assertEquals(1, s.current().outcomes().late());
        assertEquals(1, s.current().outcomes().duplicate());
        assertEquals(1, s.cumulative().outcomes().labeled());
        assertEquals(3, s.cumulative().outcomes().duplicate());
        assertEquals(1, s.cumulative().outcomes().late());
        assertEquals(5, s.cumulative().outcomes().unmatched());
        OutcomeCounts counts = s.outcomes();
        assertEquals(new OutcomeCounts(2, 1, 1, 3, 1, 1, 0), counts);
        assertEquals(6, counts.outcomes());
    }

    @Test
    void windowsClosing_expirePendingPredictionsPastTheirTtl() {
        InMemoryMonitor m = builder(60).regression().pendingOutcomes(1_000, Duration.ofMinutes(2)).build();
        m.record(1, 10, 1_000, X, C);
        clock.advance(Duration.ofMinutes(3));
        m.record(2, 10, 1_000, X, C);
        OutcomeCounts counts = m.snapshot().outcomes();
        assertEquals(1, counts.expired());
        assertEquals(1, counts.pending());
    }

    @Test
    void outcomesForWindowsNoLongerKept_countInTheCumulativeViewOnly() {
        InMemoryMonitor m = builder(2).regression().build();
        m.record(1, 10, 1_000, X, C);
        clock.advance(MINUTE.multipliedBy(5));
        m.record(2, 20, 1_000, X, C);
        assertTrue(m.recordOutcome(1, 12));
        MonitorSnapshot s = m.snapshot();
        assertEquals(2, s.closed().size());
        for (WindowSnapshot w : s.closed()) {
            assertEquals(Optional.of(RegressionSnapshot.EMPTY), w.outcomes().regression());
        }
        assertEquals(0, s.current().outcomes().labeled());
        assertEquals(1, s.cumulative().outcomes().labeled());
        assertEquals(2, s.cumulative().value(Metric.MEAN_ABSOLUTE_ERROR), 1e-12);
    }

    @Test
    void invalidScoresAndActuals_areCountedNeverThrown_andLeaveNothingHalfJoined() {
        InMemoryMonitor m = builder(5).binaryClassifier().build();
        m.record(1, 1.5, 1_000, X, C);
        m.record(2, Double.NaN, 1_000, X, C);
        m.record(3, 0.4, 1_000, X, C);
        assertFalse(m.recordOutcome(1, 1), "a score outside [0, 1] was never offered");
        assertFalse(m.recordOutcome(3, 0.5), "not a class");
        assertFalse(m.recordOutcome(3, Double.NaN));
        assertTrue(m.recordOutcome(3, 0), "still pending after the invalid actuals");
        WindowSnapshot w = m.snapshot().current();
        assertEquals(2, w.outcomes().invalidScores());
        assertEquals(2, w.outcomes().invalidActuals());
        assertEquals(1, w.outcomes().unknown());
        assertEquals(1, w.outcomes().labeled());
        assertEquals(3, w.predictions());
    }

    @Test
    void multiClass_joinsPredictedClassesToActualClasses() {
        InMemoryMonitor m = builder(5).classes("cat", "dog", "owl").multiClassClassifier().build();
        m.recordClass(1, 0, 1_000, X, C);
        m.recordClass(2, 1, 1_000, X, C);
        m.recordClass(3, 2, 1_000, X, C);
        m.recordClass(4, 7, 1_000, X, C);
        m.record(5, 0.3, 1_000, X, C);
        assertTrue(m.recordOutcome(1, 0));
        assertTrue(m.recordOutcome(2, 2));
        assertTrue(m.recordOutcome(3, 2));
        assertFalse(m.recordOutcome(4, 0), "an unknown class was not offered");
        assertFalse(m.recordOutcome(5, 0), "a score is not a class");
        assertFalse(m.recordOutcome(1, 3), "no class 3");
        WindowSnapshot w = m.snapshot().current();
        ClassificationSnapshot c = w.outcomes().classification().orElseThrow();
        assertEquals(3, c.classes());
        assertEquals(1, c.confusion(2, 1));
        assertEquals(2.0 / 3, w.value(Metric.ACCURACY), 1e-12);
        assertEquals(c.macroF1(), w.value(Metric.F1), 0);
        assertTrue(Double.isNaN(w.value(Metric.AUC)));
        assertTrue(Double.isNaN(w.value(Metric.MEAN_ABSOLUTE_ERROR)));
        assertEquals(1, w.outcomes().invalidScores());
        assertEquals(1, w.outcomes().invalidActuals());
    }

    @Test
    void withoutAModelKind_everyOutcomeIsUnknown() {
        InMemoryMonitor m = builder(5).build();
        m.record(1, 0.1, 1_000, X, C);
        assertFalse(m.recordOutcome(1, 1.0));
        MonitorSnapshot s = m.snapshot();
        assertEquals(1, s.current().outcomes().unknown());
        assertEquals(Optional.empty(), s.current().outcomes().classification());
        assertEquals(0, s.current().value(Metric.LABELED));
        assertTrue(Double.isNaN(s.current().value(Metric.ACCURACY)));
        assertEquals(new OutcomeCounts(0, 0, 0, 0, 1, 0, 0), s.outcomes());
    }

    @Test
    void perWindowMetrics_equalMetricsComputedDirectlyFromTheSameData() {
        Random random = new Random(42);
        InMemoryMonitor binary = builder(10).binaryClassifier(0.3, 50).build();
        InMemoryMonitor regression = builder(10).regression().build();
        Map<Integer, ClassificationMetrics> expectedBinary = new HashMap<>();
        Map<Integer, RegressionMetrics> expectedRegression = new HashMap<>();
        List<long[]> labels = new ArrayList<>();
        long id = 0;
        for (int window = 0; window < 6; window++) {
            expectedBinary.put(window, ClassificationMetrics.binary(0.3, 50));
            expectedRegression.put(window, RegressionMetrics.create());
            for (int i = 0; i < 200; i++) {
                id++;
                double score = random.nextDouble();
                double value = random.nextGaussian() * 10;
                binary.record(id, score, 1_000, X, C);
                regression.record(id, value, 1_000, X, C);
                boolean actual = random.nextDouble() < score;
                double actualValue = value + random.nextGaussian();
                expectedBinary.get(window).recordScore(score, actual);
                expectedRegression.get(window).record(value, actualValue);
                labels.add(new long[] {id, actual ? 1 : 0, Double.doubleToLongBits(actualValue)});
            }
            clock.advance(MINUTE);
            // Half of the earlier labels arrive now, in a later window.
            for (int k = labels.size() - 1; k >= 0; k -= 2) {
                long[] l = labels.remove(k);
                assertTrue(binary.recordOutcome(l[0], l[1]));
                assertTrue(regression.recordOutcome(l[0], Double.longBitsToDouble(l[2])));
            }
        }
        for (long[] l : labels) {
            assertTrue(binary.recordOutcome(l[0], l[1]));
            assertTrue(regression.recordOutcome(l[0], Double.longBitsToDouble(l[2])));
        }
        List<WindowSnapshot> b = binary.snapshot().closed();
        List<WindowSnapshot> r = regression.snapshot().closed();
        ClassificationMetrics allBinary = ClassificationMetrics.binary(0.3, 50);
        for (int window = 0; window < 6; window++) {
            ClassificationSnapshot expected = expectedBinary.get(window).snapshot();
            ClassificationSnapshot actual = b.get(window).outcomes().classification().orElseThrow();
            assertEquals(expected.count(), actual.count());
            assertEquals(java.util.Arrays.deepToString(expected.confusionMatrix()),
                    java.util.Arrays.deepToString(actual.confusionMatrix()));
            assertEquals(java.util.Arrays.toString(expected.positiveBinCounts()),
                    java.util.Arrays.toString(actual.positiveBinCounts()));
            assertEquals(expected.auc(), b.get(window).value(Metric.AUC), 0);
            assertEquals(expected.logLoss(), b.get(window).value(Metric.LOG_LOSS), 1e-12);
            assertEquals(expected.f1(), b.get(window).value(Metric.F1), 0);
            RegressionSnapshot expectedR = expectedRegression.get(window).snapshot();
            assertEquals(expectedR.count(), r.get(window).outcomes().labeled());
            assertEquals(expectedR.mae(), r.get(window).value(Metric.MEAN_ABSOLUTE_ERROR), 1e-12);
            assertEquals(expectedR.rmse(), r.get(window).value(Metric.ROOT_MEAN_SQUARED_ERROR), 1e-12);
            assertEquals(expectedR.mape(), r.get(window).value(Metric.MEAN_ABSOLUTE_PERCENTAGE_ERROR), 1e-9);
            allBinary.add(expected);
        }
        assertEquals(allBinary.snapshot().count(), binary.snapshot().cumulative().outcomes().labeled());
        assertEquals(allBinary.snapshot().auc(), binary.snapshot().cumulative().value(Metric.AUC), 1e-12);
    }

    @Test
    void recordersAndOutcomeThreads_joinEveryOutcomeExactlyOnce() throws Exception {
        InMemoryMonitor m = builder(1_000).binaryClassifier().pendingOutcomes(1 << 20, Duration.ofHours(1)).build();
        int recorders = 2;
        int perRecorder = 50_000;
        ConcurrentLinkedQueue<long[]> labels = new ConcurrentLinkedQueue<>();
        AtomicLong joinedCount = new AtomicLong();
        AtomicLong positives = new AtomicLong();
        AtomicBoolean recording = new AtomicBoolean(true);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < recorders; t++) {
            int base = t * perRecorder;
            threads.add(new Thread(() -> run(failure, start, () -> {
                Random random = new Random(base);
                for (int i = 0; i < perRecorder; i++) {
                    long id = base + i;
                    double score = random.nextDouble();
                    m.record(id, score, 1_000, X, C);
                    labels.add(new long[] {id, score >= 0.5 ? 1 : 0});
                    if (i % 5_000 == 0 && base == 0) {
                        clock.advance(Duration.ofSeconds(20));
                    }
                }
            })));
        }
        for (int t = 0; t < 2; t++) {
            threads.add(new Thread(() -> run(failure, start, () -> {
                while (true) {
                    long[] l = labels.poll();
                    if (l == null) {
                        if (!recording.get()) {
                            return;
                        }
                        Thread.onSpinWait();
                        continue;
                    }
                    if (m.recordOutcome(l[0], l[1])) {
                        joinedCount.incrementAndGet();
                        positives.addAndGet(l[1]);
                    }
                    // Every outcome sent twice: the second is always a duplicate.
                    assertFalse(m.recordOutcome(l[0], l[1]));
                }
            })));
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (int t = 0; t < recorders; t++) {
            threads.get(t).join();
        }
        recording.set(false);
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        MonitorSnapshot s = m.snapshot();
        long total = (long) recorders * perRecorder;
        assertEquals(total, joinedCount.get());
        assertEquals(new OutcomeCounts(total, total, 0, total, 0, 0, 0), s.outcomes());
        long perWindow = 0;
        long truePositives = 0;
        for (WindowSnapshot w : s.closed()) {
            perWindow += w.outcomes().labeled();
            truePositives += w.outcomes().classification().orElseThrow().confusion(1, 1);
        }
        perWindow += s.current().outcomes().labeled();
        truePositives += s.current().outcomes().classification().orElseThrow().confusion(1, 1);
        assertEquals(total, perWindow);
        assertEquals(positives.get(), truePositives, "scores at or above 0.5 labeled positive: all true positives");
        ClassificationSnapshot all = s.cumulative().outcomes().classification().orElseThrow();
        assertEquals(total, all.count());
        assertEquals(1.0, all.accuracy());
        assertEquals(total, s.cumulative().outcomes().duplicate());
    }

    @Test
    void builder_rejectsAModelKindSetTwice_andBadBounds() {
        InMemoryMonitor.Builder b = builder(5).binaryClassifier();
        assertTrue(assertThrows(IllegalStateException.class, b::regression).getMessage().contains("model kind"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> builder(5).binaryClassifier(1.5, 10)).getMessage().contains("threshold"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> builder(5).pendingOutcomes(0, Duration.ofMinutes(1))).getMessage().contains("maxEntries"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> builder(5).pendingOutcomes(10, Duration.ZERO)).getMessage().contains("ttl"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> builder(5).classes("one").multiClassClassifier().build()).getMessage().contains("2 classes"));
    }

    private static void run(AtomicReference<Throwable> failure, CountDownLatch start, Runnable body) {
        try {
            start.await();
            body.run();
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }
}
