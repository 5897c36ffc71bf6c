package dev.mlops.core.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several threads record while another moves the clock window after window and another takes
 * snapshots: every record must land in exactly one window, whole (its count, latency, score and features
 * in the same window), and the totals must be exact. Without a scheduler the recording threads close
 * windows themselves; with one (whose task never runs here) the snapshots close them.
 */
class InMemoryMonitorConcurrencyTest {
    private static final int THREADS = 4;
    private static final int PER_THREAD = 100_000;
    private static final FeatureSchema SCHEMA = FeatureSchema.builder()
            .numeric("x").numeric("y", 0, 10).categorical("c", "a", "b").build();

    @ParameterizedTest(name = "closed by a scheduler: {0}")
    @ValueSource(booleans = {false, true})
    void recordsRacingRollovers_landWholeInExactlyOneWindow(boolean scheduled) throws Exception {
        FakeClock clock = new FakeClock(0);
        ManualScheduler scheduler = new ManualScheduler();
        InMemoryMonitor.Builder builder = Monitor.builder(SCHEMA).window(Duration.ofMillis(10)).keepWindows(100_000)
                .clock(clock);
        if (scheduled) {
            builder.closeWindowsWith(scheduler);
        }
        InMemoryMonitor m = builder.build();
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            writers.add(new Thread(() -> {
                double[] numeric = new double[2];
                int[] categories = new int[1];
                try {
                    start.await();
                    for (int i = 0; i < PER_THREAD; i++) {
                        long latency = 1 + (i % 1000);
                        if (i % 10 == 0) {
                            m.recordFailure(i, latency);
                        } else {
                            numeric[0] = i;
                            numeric[1] = thread;
                            categories[0] = i % 3 == 2 ? -1 : i % 2;
                            m.record(i, i % 7, latency, numeric, categories);
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        Thread ticker = new Thread(() -> {
            try {
                start.await();
                for (int i = 0; i < 20_000 && !done.get(); i++) {
                    clock.advance(Duration.ofMillis(i % 3 == 0 ? 25 : 10));
                    for (int spin = 0; spin < 200; spin++) {
                        Thread.onSpinWait();
                    }
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        });
        Thread reader = new Thread(() -> {
            try {
                start.await();
                long last = 0;
                while (!done.get()) {
                    MonitorSnapshot s = m.snapshot();
                    assertWhole(s.current());
                    s.lastClosed().ifPresent(w -> assertEquals(w.end(), s.current().start(), "closed up to the open window"));
                    long total = s.cumulative().count();
                    assertTrue(total >= last, "cumulative count went back from " + last + " to " + total);
                    last = total;
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        });
        writers.forEach(Thread::start);
        ticker.start();
        reader.start();
        start.countDown();
        for (Thread w : writers) {
            w.join();
        }
        done.set(true);
        ticker.join();
        reader.join();
        scheduler.shutdownNow();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }

        clock.advance(Duration.ofMillis(10));
        MonitorSnapshot s = m.snapshot();
        long failures = THREADS * (long) (PER_THREAD / 10);
        long predictions = THREADS * (long) PER_THREAD - failures;
        assertEquals(predictions, s.cumulative().predictions());
        assertEquals(failures, s.cumulative().failures());
        assertWhole(s.cumulative());
        assertTrue(s.closed().size() > 10, "only " + s.closed().size() + " windows");

        long windowPredictions = 0;
        long windowFailures = 0;
        double latencySum = 0;
        for (WindowSnapshot w : s.closed()) {
            assertWhole(w);
            windowPredictions += w.predictions();
            windowFailures += w.failures();
            latencySum += w.latencyNanos().sum();
        }
        windowPredictions += s.current().predictions();
        windowFailures += s.current().failures();
        assertEquals(predictions, windowPredictions);
        assertEquals(failures, windowFailures);
        long expectedLatencySum = 0;
        for (int i = 0; i < PER_THREAD; i++) {
            expectedLatencySum += 1 + (i % 1000);
        }
        assertEquals(THREADS * (double) expectedLatencySum, latencySum + s.current().latencyNanos().sum());
        assertEquals(THREADS * (double) expectedLatencySum, s.cumulative().latencyNanos().sum());
        for (int i = 1; i < s.closed().size(); i++) {
            assertEquals(s.closed().get(i - 1).end(), s.closed().get(i).start(), "windows are consecutive");
        }
    }

    // Every part of a record is in the same window as its count.
    private static void assertWhole(WindowSnapshot w) {
        assertEquals(w.count(), w.latencyNanos().count(), "latencies in " + w.start());
        assertEquals(w.predictions(), w.score().count(), "scores in " + w.start());
        for (NumericSummary n : w.numeric()) {
            assertEquals(w.predictions(), n.total(), n.name() + " in " + w.start());
        }
        assertEquals(w.predictions(), w.categorical("c").total(), "categories in " + w.start());
    }
}
