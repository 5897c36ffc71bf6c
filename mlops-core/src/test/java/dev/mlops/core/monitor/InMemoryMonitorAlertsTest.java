package dev.mlops.core.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Alert rules of {@link InMemoryMonitor}, judged as windows close on a fake clock; never sleeps. */
class InMemoryMonitorAlertsTest {
    private static final long T0 = 1_700_000_040_000L; // a whole minute
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final double[] X = {1.0};
    private static final int[] C = {0};

    private final FakeClock clock = new FakeClock(T0);
    private final FeatureSchema schema = FeatureSchema.builder().numeric("amount", 0, 100)
            .categorical("country", "de", "fr").build();
    private final List<Alert> alerts = new ArrayList<>();

    private InMemoryMonitor monitor() {
        return Monitor.builder(schema).window(MINUTE).keepWindows(10).clock(clock).build();
    }

    // One window: `n` predictions of which `failures` failed; then the clock moves to the next window.
    private void window(InMemoryMonitor m, int n, int failures) {
        for (int i = 0; i < n; i++) {
            if (i < failures) {
                m.recordFailure(i, 1_000);
            } else {
                m.record(i, 0.5, 1_000, X, C);
            }
        }
        clock.advance(MINUTE);
    }

    @Test
    void fires_afterNConsecutiveBreachingWindows_notBefore() {
        InMemoryMonitor m = monitor();
        m.addAlert(AlertRule.when(Metric.FAILURE_RATE).above(0.1).forWindows(3), alerts::add);
        window(m, 10, 5);
        window(m, 10, 5);
        m.snapshot();
        assertEquals(List.of(), alerts, "two windows breached");
        window(m, 10, 0);
        window(m, 10, 5);
        window(m, 10, 5);
        m.snapshot();
        assertEquals(List.of(), alerts, "the clean window ended the run");
        window(m, 10, 5);
        m.snapshot();
        assertEquals(1, alerts.size());
        Alert a = alerts.get(0);
        assertEquals(0.5, a.value());
        assertEquals(3, a.consecutiveWindows());
        assertEquals(Instant.ofEpochMilli(T0 + 5 * 60_000), a.windowStart());
        assertEquals(Instant.ofEpochMilli(T0 + 6 * 60_000), a.windowEnd());
        assertEquals(clock.instant(), a.firedAt());
        window(m, 10, 5);
        m.snapshot();
        assertEquals(2, alerts.size(), "no cooldown: fires again on the next breaching window");
        assertEquals(4, alerts.get(1).consecutiveWindows());
    }

    @Test
    void aRecordingThatClosesTheWindow_judgesIt_withoutASnapshot() {
        InMemoryMonitor m = monitor();
        m.addAlert(AlertRule.when(Metric.PREDICTIONS).above(2), alerts::add);
        window(m, 3, 0);
        m.recordLatency(99, 1_000);
        assertEquals(1, alerts.size());
        assertEquals(3.0, alerts.get(0).value());
    }

    @Test
    void windowsWithTooFewSamples_areSkipped_neitherBreakingNorExtendingTheRun() {
        InMemoryMonitor m = monitor();
        m.addAlert(AlertRule.when(Metric.FAILURE_RATE).above(0.1).minSamples(10).forWindows(2), alerts::add);
        window(m, 10, 5);
        window(m, 2, 2); // judged it would breach; too few samples
        window(m, 0, 0); // empty: skipped too
        m.snapshot();
        assertEquals(List.of(), alerts);
        window(m, 3, 0); // would end the run, but is skipped
        window(m, 10, 5);
        m.snapshot();
        assertEquals(1, alerts.size());
        assertEquals(2, alerts.get(0).consecutiveWindows());
        assertEquals(Instant.ofEpochMilli(T0 + 4 * 60_000), alerts.get(0).windowStart());
    }

    @Test
    void cooldown_suppressesRepeats_untilItHasPassed() {
        InMemoryMonitor m = monitor();
        m.addAlert(AlertRule.when(Metric.LATENCY_MAX).above(500, TimeUnit.NANOSECONDS)
                .cooldown(Duration.ofMinutes(3)), alerts::add);
        for (int w = 0; w < 7; w++) {
            window(m, 1, 0);
        }
        m.snapshot();
        // Windows close at minutes 1..7; fires at 1, then not before 4, then 7.
        assertEquals(List.of(T0 + 60_000, T0 + 4 * 60_000, T0 + 7 * 60_000),
                alerts.stream().map(a -> a.firedAt().toEpochMilli()).toList());
        assertEquals(List.of(1, 4, 7), alerts.stream().map(Alert::consecutiveWindows).toList());
    }

    @Test
    void featureRules_watchOneFeaturesDataQuality() {
        InMemoryMonitor m = monitor();
        m.addAlert(AlertRule.when(WindowSignal.missingRate("amount")).above(0.2), alerts::add);
        List<Alert> unseen = new ArrayList<>();
        m.addAlert(AlertRule.when(WindowSignal.unseenRate("country")).above(0.4), unseen::add);
        List<Alert> quantile = new ArrayList<>();
        m.addAlert(AlertRule.when(WindowSignal.quantile("amount", 0.5)).above(50), quantile::add);
        List<Alert> outOfRange = new ArrayList<>();
        m.addAlert(AlertRule.when(WindowSignal.outOfRangeRate("amount")).above(0.0), outOfRange::add);
        for (int i = 0; i < 10; i++) {
            m.record(i, 0.5, 1_000, new double[] {i < 3 ? Double.NaN : 70 + i}, new int[] {i < 5 ? 7 : 0});
        }
        clock.advance(MINUTE);
        m.snapshot();
        assertEquals(1, alerts.size());
        assertEquals(0.3, alerts.get(0).value(), 1e-12);
        assertEquals("amount.missing_rate above 0.2 for 1 window", alerts.get(0).rule().describe());
        assertEquals(0.5, unseen.get(0).value(), 1e-12);
        assertTrue(quantile.get(0).value() > 70);
        assertEquals(List.of(), outOfRange, "70..79 are in range");
    }

    @Test
    void featureRules_mustNameAFeatureOfTheRightKind() {
        InMemoryMonitor m = monitor();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.addAlert(AlertRule.when(WindowSignal.mean("country")).above(1), alerts::add));
        assertTrue(e.getMessage().contains("numeric feature, one of [amount]; was country"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> m.addAlert(AlertRule.when(WindowSignal.unseenRate("amount")).above(1), alerts::add));
        assertThrows(IllegalArgumentException.class,
                () -> m.addAlert(AlertRule.when(WindowSignal.missingRate("nope")).above(1), alerts::add));
        assertThrows(IllegalArgumentException.class,
                () -> m.addAlert(AlertRule.when(Metric.ACCURACY).below(1).lagWindows(10), alerts::add));
        assertThrows(IllegalArgumentException.class, () -> WindowSignal.quantile("amount", 1.5));
    }

    @Test
    void outcomeRules_withALag_judgeAWindowOnceItsLabelsArrived() {
        InMemoryMonitor m = Monitor.builder(schema).window(MINUTE).keepWindows(10).clock(clock).binaryClassifier()
                .build();
        List<Alert> now = new ArrayList<>();
        m.addAlert(AlertRule.when(Metric.ACCURACY).below(0.9).minSamples(4), now::add);
        m.addAlert(AlertRule.when(Metric.ACCURACY).below(0.9).minSamples(4).lagWindows(1), alerts::add);
        for (int i = 0; i < 4; i++) {
            m.record(i, 0.9, 1_000, X, C);
        }
        clock.advance(MINUTE);
        m.snapshot(); // window 0 closes without labels: too few samples for either rule
        for (int i = 0; i < 4; i++) {
            m.recordOutcome(i, i % 2);
        }
        clock.advance(MINUTE);
        m.snapshot(); // window 1 closes; the lagged rule judges window 0, now labeled
        assertEquals(List.of(), now);
        assertEquals(1, alerts.size());
        assertEquals(0.5, alerts.get(0).value());
        assertEquals(Instant.ofEpochMilli(T0), alerts.get(0).windowStart());
    }

    @Test
    void unsubscribing_stopsTheRule() {
        InMemoryMonitor m = monitor();
        Subscription s = m.addAlert(AlertRule.when(Metric.PREDICTIONS).above(0), alerts::add);
        window(m, 1, 0);
        m.snapshot();
        assertEquals(1, alerts.size());
        s.close();
        s.close();
        window(m, 1, 0);
        m.snapshot();
        assertEquals(1, alerts.size());
    }

    @Test
    void aFailingListener_isLoggedAndDoesNotStopTheOthersNorTheMonitor() {
        InMemoryMonitor m = monitor();
        m.addAlert(AlertRule.when(Metric.PREDICTIONS).above(0), a -> {
            throw new IllegalStateException("listener broke, as the test asked");
        });
        m.addAlert(AlertRule.when(Metric.PREDICTIONS).above(0), AlertListener.logging());
        m.addAlert(AlertRule.when(Metric.PREDICTIONS).above(0), alerts::add);
        window(m, 1, 0);
        m.record(1, 0.5, 1_000, X, C);
        assertEquals(1, alerts.size());
        assertEquals(1, m.snapshot().current().predictions());
    }

    @Test
    void aListener_mayTakeASnapshot() {
        InMemoryMonitor m = monitor();
        List<MonitorSnapshot> seen = new ArrayList<>();
        m.addAlert(AlertRule.when(Metric.PREDICTIONS).above(0), a -> seen.add(m.snapshot()));
        window(m, 2, 0);
        m.record(1, 0.5, 1_000, X, C);
        assertEquals(1, seen.size());
        assertEquals(2, seen.get(0).lastClosed().orElseThrow().predictions());
    }

    @Test
    void withAScheduler_theSchedulersTaskJudgesTheWindows() {
        ManualScheduler scheduler = new ManualScheduler();
        try {
            InMemoryMonitor m = Monitor.builder(schema).window(MINUTE).keepWindows(10).clock(clock)
                    .closeWindowsWith(scheduler).build();
            m.addAlert(AlertRule.when(Metric.PREDICTIONS).above(1), alerts::add);
            m.record(1, 0.5, 1_000, X, C);
            m.record(2, 0.5, 1_000, X, C);
            clock.advance(MINUTE);
            assertEquals(List.of(), alerts);
            scheduler.tasks.poll().run();
            assertEquals(1, alerts.size());
            m.close();
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void rules_describeThemselves() {
        AlertRule r = AlertRule.when(Metric.LATENCY_P99).above(50, TimeUnit.MILLISECONDS).forWindows(3)
                .minSamples(100).cooldown(Duration.ofMinutes(30)).lagWindows(1);
        assertEquals("LATENCY_P99 above 5.0E7 for 3 windows, at least 100 samples, cooldown PT30M, judged 1 windows"
                + " late", r.describe());
        assertThrows(IllegalArgumentException.class, () -> AlertRule.when(Metric.F1).below(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> AlertRule.when(Metric.F1).below(1).forWindows(0));
        assertThrows(IllegalArgumentException.class, () -> AlertRule.when(Metric.F1).below(1).minSamples(-1));
    }
}
