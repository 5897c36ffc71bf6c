package dev.mlops.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.Subscription;
import dev.mlops.core.drift.BinCounts;
import dev.mlops.core.drift.DriftResult;
import dev.mlops.core.drift.Rule;
import dev.mlops.core.drift.Sample;
import dev.mlops.core.drift.dataset.ColumnDrift;
import dev.mlops.core.drift.dataset.ColumnProfile;
import dev.mlops.core.drift.dataset.Correction;
import dev.mlops.core.drift.dataset.DatasetDriftResult;
import dev.mlops.core.monitor.Alert;
import dev.mlops.core.monitor.AlertRule;
import dev.mlops.core.monitor.ClassificationSnapshot;
import dev.mlops.core.monitor.DriftPlan;
import dev.mlops.core.monitor.DriftWindow;
import dev.mlops.core.monitor.FeatureSchema;
import dev.mlops.core.monitor.Metric;
import dev.mlops.core.monitor.Monitor;
import dev.mlops.core.monitor.MonitorSnapshot;
import dev.mlops.core.monitor.WindowDriftDetector;
import dev.mlops.core.monitor.WindowSignal;
import dev.mlops.core.monitor.WindowSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Monitor} keeps. Extend it and implement {@link #newMonitor(Setup)}; every
 * test then runs against your monitor:
 *
 * <pre>{@code
 * class MyMonitorTest extends MonitorContract {
 *     @Override protected Monitor newMonitor(Setup setup) {
 *         return new MyMonitor(setup.schema(), setup.clock(), setup.window(), setup.keepWindows(), setup.outcomeTtl());
 *     }
 * }
 * }</pre>
 *
 * <p>What the kit assumes of the monitor it gets: tumbling windows of {@link Setup#window()} aligned to
 * the epoch, on {@link Setup#clock()} (the kit moves it by hand, never sleeps); at least
 * {@link Setup#keepWindows()} closed windows kept; a window closed at the latest when
 * {@link Monitor#snapshot()} finds the clock past its end, and its alert rules judged then (the kit takes
 * a snapshot after moving the clock, before recording into the next window, since a recording made past
 * a window's end may still count in it until the window closes); scores
 * taken as a binary classifier's probability of the positive class, threshold 0.5, with outcomes 0 or 1
 * joined by prediction id within {@link Setup#outcomeTtl()}. Each test gets a fresh monitor and closes
 * it afterwards.
 *
 * <p><b>Drift</b> is optional: a monitor that tests each closed window against a reference with a
 * {@link WindowDriftDetector} implements {@link #newMonitor(Setup, WindowDriftDetector)} too, and the drift
 * cases then check that each closed window with features is handed to the detector (the plan's samples
 * holding every finite value of a window smaller than the bound, the plan's bins counted exactly, the
 * category counts), that its result is the window's {@link WindowSnapshot#drift()} and nothing else's,
 * that a failing detector never reaches recording, and that drift rules fire. Without it they are skipped.
 */
public abstract class MonitorContract {
    /** A whole hour, so that windows of a minute start on it. */
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final FeatureSchema SCHEMA = FeatureSchema.builder()
            .numeric("amount", 0, 1_000).numeric("age").categorical("country", "de", "fr").build();
    private static final double[] X = {10, 30};
    private static final int[] C = {0};

    private final TestClock clock = new TestClock(T0);
    private final List<Monitor> monitors = new ArrayList<>();

    /**
     * What the kit asks of a monitor under test.
     *
     * @param schema the features recorded
     * @param clock the only source of time
     * @param window the length of a tumbling window
     * @param keepWindows how many closed windows the snapshot must keep, at least
     * @param outcomeTtl how long after its prediction an outcome must still join
     */
    public record Setup(FeatureSchema schema, InstantSource clock, Duration window, int keepWindows,
            Duration outcomeTtl) {
        /**
         * Checks the parts.
         *
         * @param schema the features recorded
         * @param clock the only source of time
         * @param window the length of a tumbling window
         * @param keepWindows how many closed windows the snapshot must keep, at least
         * @param outcomeTtl how long after its prediction an outcome must still join
         */
        public Setup {
            Objects.requireNonNull(schema, "schema");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(outcomeTtl, "outcomeTtl");
        }
    }

    /** For subclasses: one instance per test, as JUnit makes them. */
    protected MonitorContract() {
    }

    /**
     * @param setup what the monitor must be
     * @return a new monitor that has recorded nothing; the kit closes it after the test
     */
    protected abstract Monitor newMonitor(Setup setup);

    /**
     * A monitor that tests drift, for the drift cases; by default none, and those cases are skipped.
     *
     * @param setup what the monitor must be
     * @param drift the detector to hand each closed window to
     * @return a new monitor that has recorded nothing, or empty when the monitor under test has no drift
     */
    protected Optional<Monitor> newMonitor(Setup setup, WindowDriftDetector drift) {
        return Optional.empty();
    }

    private Monitor monitor(int keepWindows) {
        Monitor m = newMonitor(new Setup(SCHEMA, clock, WINDOW, keepWindows, Duration.ofMinutes(30)));
        monitors.add(m);
        return m;
    }

    private Monitor driftMonitor(WindowDriftDetector drift) {
        Optional<Monitor> m = newMonitor(new Setup(SCHEMA, clock, WINDOW, 5, Duration.ofMinutes(30)), drift);
        Assumptions.assumeTrue(m.isPresent(), "the monitor under test tests no drift");
        monitors.add(m.get());
        return m.get();
    }

    @AfterEach
    final void closeMonitors() {
        monitors.forEach(Monitor::close);
    }

    @Test
    void records_countInTheOpenWindow_andRollOverWithTheClock() {
        Monitor m = monitor(5);
        m.record(1, 0.2, 1_000_000, X, C);
        m.record(2, 0.8, 2_000_000, X, C);
        m.recordFailure(3, 500_000);
        clock.advance(Duration.ofSeconds(30));
        MonitorSnapshot s = m.snapshot();
        assertEquals(List.of(), s.closed());
        assertEquals(2, s.current().predictions());
        assertEquals(1, s.current().failures());
        assertEquals(T0, s.current().start());

        clock.advance(Duration.ofSeconds(30));
        m.snapshot();
        m.record(4, 0.5, 1_000_000, X, C);
        s = m.snapshot();
        assertEquals(1, s.closed().size());
        WindowSnapshot w = s.closed().get(0);
        assertEquals(T0, w.start());
        assertEquals(T0.plus(WINDOW), w.end());
        assertEquals(3, w.count());
        assertEquals(1, s.current().count());
        assertEquals(4, s.cumulative().count());
        assertEquals(2, w.numeric("amount").count());
        assertEquals(2, w.categorical("country").count("de"));
    }

    @Test
    void onlyTheLastWindowsAreKept_andEmptyWindowsCount() {
        Monitor m = monitor(3);
        for (int window = 0; window < 6; window++) {
            for (int i = 0; i <= window; i++) {
                m.record(i, 0.5, 1_000, X, C);
            }
            clock.advance(WINDOW);
            m.snapshot();
        }
        clock.advance(WINDOW);
        MonitorSnapshot s = m.snapshot();
        List<WindowSnapshot> closed = s.closed();
        assertTrue(closed.size() >= 3, "at least the 3 windows asked for are kept, were " + closed.size());
        List<WindowSnapshot> last = closed.subList(closed.size() - 3, closed.size());
        assertEquals(List.of(5L, 6L, 0L), last.stream().map(WindowSnapshot::count).toList());
        assertEquals(21, s.cumulative().count());
    }

    @Test
    void outcomes_joinOnce_toThePredictionsWindow_evenAfterItClosed() {
        Monitor m = monitor(5);
        m.record(1, 0.9, 1_000, X, C);
        m.record(2, 0.3, 1_000, X, C);
        clock.advance(WINDOW);
        m.snapshot();
        m.record(3, 0.6, 1_000, X, C);
        assertTrue(m.recordOutcome(1, 1));
        assertFalse(m.recordOutcome(1, 1), "a second outcome for the same prediction is a duplicate");
        assertFalse(m.recordOutcome(42, 1), "no such prediction");
        assertTrue(m.recordOutcome(2, 1));

        MonitorSnapshot s = m.snapshot();
        WindowSnapshot first = s.closed().get(s.closed().size() - 1);
        assertEquals(T0, first.start());
        ClassificationSnapshot c = first.outcomes().classification().orElseThrow();
        assertEquals(2, c.count());
        assertEquals(1, c.confusion(1, 1));
        assertEquals(1, c.confusion(1, 0));
        assertEquals(0.5, first.value(Metric.ACCURACY), 1e-12);
        assertEquals(0, s.current().outcomes().labeled());
        assertEquals(2, s.cumulative().outcomes().labeled());
        assertEquals(2, s.outcomes().joined());
        assertEquals(1, s.outcomes().duplicate());
        assertEquals(1, s.outcomes().unknown());
        assertEquals(3, s.outcomes().offered());
    }

    @Test
    void alerts_fireAfterNConsecutiveWindows_andRespectTheCooldown() {
        Monitor m = monitor(10);
        List<Alert> alerts = new CopyOnWriteArrayList<>();
        m.addAlert(AlertRule.when(Metric.PREDICTIONS).above(1).forWindows(2).cooldown(Duration.ofMinutes(2)),
                alerts::add);
        for (int window = 0; window < 6; window++) {
            m.record(1, 0.5, 1_000, X, C);
            m.record(2, 0.5, 1_000, X, C);
            clock.advance(WINDOW);
            m.snapshot();
            if (window == 0) {
                assertEquals(List.of(), alerts, "one window is not two");
            }
        }
        // Windows 0..5 breach; a run of 2 first at window 1 (closed at minute 2), then the cooldown.
        assertEquals(List.of(T0.plus(WINDOW), T0.plus(WINDOW.multipliedBy(3)), T0.plus(WINDOW.multipliedBy(5))),
                alerts.stream().map(Alert::windowStart).toList());
        assertEquals(2, alerts.get(0).consecutiveWindows());
        assertEquals(2.0, alerts.get(0).value());
        assertEquals(T0.plus(WINDOW.multipliedBy(2)), alerts.get(0).firedAt());
    }

    @Test
    void aFeatureRule_firesOnItsFeature() {
        Monitor m = monitor(5);
        List<Alert> alerts = new CopyOnWriteArrayList<>();
        m.addAlert(AlertRule.when(WindowSignal.missingRate("amount")).above(0.4).minSamples(4), alerts::add);
        for (int i = 0; i < 4; i++) {
            m.record(i, 0.5, 1_000, new double[] {i % 2 == 0 ? Double.NaN : 5, 1}, C);
        }
        clock.advance(WINDOW);
        m.snapshot();
        assertEquals(1, alerts.size());
        assertEquals(0.5, alerts.get(0).value(), 1e-12);
    }

    @Test
    void closingTheSubscription_stopsTheAlerts() {
        Monitor m = monitor(5);
        List<Alert> alerts = new CopyOnWriteArrayList<>();
        Subscription s = m.addAlert(AlertRule.when(Metric.LATENCY_MAX).above(1, TimeUnit.MICROSECONDS), alerts::add);
        m.record(1, 0.5, 5_000, X, C);
        clock.advance(WINDOW);
        m.snapshot();
        assertEquals(1, alerts.size());
        s.close();
        m.record(2, 0.5, 5_000, X, C);
        clock.advance(WINDOW);
        m.snapshot();
        assertEquals(1, alerts.size());
    }

    @Test
    void badData_isCountedNeverThrown() {
        Monitor m = monitor(5);
        m.record(1, Double.NaN, -5, new double[] {Double.NaN, Double.POSITIVE_INFINITY}, new int[] {99});
        m.record(2, 7.5, 1_000, new double[] {-1e300, 1e300}, new int[] {-1});
        m.record(3, 0.5, 1_000, new double[] {1, 1}, new String[] {"never seen"});
        m.record(4, 0.5, 1_000, new double[] {1, 1}, new String[] {null});
        m.recordClass(5, 12, 1_000, X, C);
        m.recordFailure(6, -1);
        m.recordLatency(7, Long.MAX_VALUE);
        assertFalse(m.recordOutcome(1, Double.NaN));
        assertFalse(m.recordOutcome(2, 0.5));
        assertFalse(m.recordOutcome(1234, 1));
        WindowSnapshot w = m.snapshot().current();
        assertEquals(6, w.predictions());
        assertEquals(1, w.failures());
        assertEquals(1, w.numeric("amount").missing());
        assertEquals(1, w.numeric("amount").outOfRange());
        assertEquals(1, w.numeric("age").infinite());
        assertEquals(2, w.categorical("country").unseen());
        assertEquals(2, w.categorical("country").missing());
    }

    @Test
    void arraysOfTheWrongLength_throwIllegalArgumentException_andRecordNothing() {
        Monitor m = monitor(5);
        assertThrows(IllegalArgumentException.class, () -> m.record(1, 0.5, 1_000, new double[] {1}, C));
        assertThrows(IllegalArgumentException.class, () -> m.record(1, 0.5, 1_000, X, new int[] {0, 1}));
        assertThrows(IllegalArgumentException.class, () -> m.record(1, 0.5, 1_000, X, new String[0]));
        assertThrows(IllegalArgumentException.class, () -> m.recordClass(1, 0, 1_000, new double[3], C));
        assertEquals(0, m.snapshot().current().count());
    }

    @Test
    void snapshots_areImmutableCopies() {
        Monitor m = monitor(5);
        m.record(1, 0.5, 1_000, X, C);
        clock.advance(WINDOW);
        m.snapshot();
        m.record(2, 0.5, 1_000, X, C);
        MonitorSnapshot s = m.snapshot();
        assertThrows(UnsupportedOperationException.class, () -> s.closed().clear());
        assertThrows(UnsupportedOperationException.class, () -> s.current().numeric().clear());
        m.record(3, 0.5, 1_000, X, C);
        assertTrue(m.recordOutcome(1, 1));
        clock.advance(WINDOW);
        m.snapshot();
        m.record(4, 0.5, 1_000, X, C);
        assertEquals(1, s.closed().size());
        assertEquals(1, s.current().count(), "a snapshot does not see later records");
        assertEquals(0, s.closed().get(0).outcomes().labeled(), "nor later outcomes");
        assertEquals(2, s.cumulative().count());
        assertEquals(1, m.snapshot().closed().get(0).outcomes().labeled());
    }

    // ---- drift ----------------------------------------------------------------------------------------------

    /**
     * The kit's detector: it keeps each window it is handed and answers one column, {@code amount}, whose
     * statistic is the largest value of the window's sample, drifted at 1,000 or more.
     */
    private static final class KitDrift implements WindowDriftDetector {
        static final List<Double> EDGES = List.of(0.0, 500.0, 1_000.0);
        final List<DriftWindow> seen = new CopyOnWriteArrayList<>();
        final List<DatasetDriftResult> answered = new CopyOnWriteArrayList<>();

        @Override
        public DriftPlan plan(FeatureSchema schema) {
            return new DriftPlan(List.of(new DriftPlan.Numeric("amount", EDGES, 100)));
        }

        @Override
        public DatasetDriftResult detect(DriftWindow window) {
            seen.add(window);
            var sample = window.numeric("amount").sample().orElseThrow();
            double max = sample.size() == 0 ? 0 : sample.valueAt((int) sample.size() - 1);
            BinCounts bins = new BinCounts(List.of("below", "[0, 500)", "[500, 1000]", "above"), List.of(),
                    List.of(0L, 1L, 1L, 0L), window.numeric("amount").binCounts());
            DriftResult r = new DriftResult("max", max, OptionalDouble.empty(), 1_000, Rule.STATISTIC_AT_LEAST, 2,
                    sample.size(), 0, sample.missing(), Optional.of(bins));
            ColumnProfile reference = ColumnProfile.of(Sample.numeric(new double[] {100, 600}));
            DatasetDriftResult result = new DatasetDriftResult(List.of(new ColumnDrift("amount", r, reference,
                    ColumnProfile.of(sample), List.of(), bins)), Correction.NONE, 0.5);
            answered.add(result);
            return result;
        }
    }

    @Test
    void drift_eachClosedWindowIsHandedToTheDetector_andCarriesItsResult() {
        KitDrift drift = new KitDrift();
        Monitor m = driftMonitor(drift);
        double[] amounts = {10, 30, 2_000, Double.NaN, 500, Double.POSITIVE_INFINITY};
        for (int i = 0; i < amounts.length; i++) {
            m.record(i, 0.5, 1_000, new double[] {amounts[i], 1}, new String[] {i % 2 == 0 ? "fr" : "es"});
        }
        clock.advance(WINDOW);
        MonitorSnapshot s = m.snapshot();
        assertEquals(1, drift.seen.size(), "one closed window with features, one test");
        DriftWindow w = drift.seen.get(0);
        assertEquals(T0, w.start());
        assertEquals(Sample.numeric(amounts), w.numeric("amount").sample().orElseThrow(),
                "a window smaller than the sample bound: every finite value, NaN and infinity as missing");
        assertEquals(List.of(0L, 2L, 1L, 1L), w.numeric("amount").binCounts(),
                "below 0, [0, 500), [500, 1000] and above: 10 and 30, then 500, then 2000");
        assertEquals(3, w.categorical("country").count("fr"));
        assertEquals(3, w.categorical("country").unseen());
        WindowSnapshot closed = s.closed().get(0);
        assertEquals(Optional.of(drift.answered.get(0)), closed.drift());
        assertEquals(2_000, closed.drift("amount").orElseThrow().result().orElseThrow().statistic());
        assertTrue(s.current().drift().isEmpty(), "the open window has no drift result");
        assertTrue(s.cumulative().drift().isEmpty(), "the cumulative view has none");
        assertEquals(1.0, closed.value(Metric.DATASET_DRIFT));
    }

    @Test
    void drift_rulesFireOnTheDetectorsVerdict() {
        Monitor m = driftMonitor(new KitDrift());
        List<Alert> alerts = new CopyOnWriteArrayList<>();
        m.addAlert(AlertRule.when(Metric.DATASET_DRIFT).above(0.5).minSamples(2), alerts::add);
        m.addAlert(AlertRule.when(WindowSignal.driftStatistic("amount")).above(1_500), alerts::add);
        m.record(1, 0.5, 1_000, new double[] {10, 1}, C);
        m.record(2, 0.5, 1_000, new double[] {20, 1}, C);
        clock.advance(WINDOW);
        m.snapshot();
        assertEquals(List.of(), alerts, "no drift in the first window");
        m.record(3, 0.5, 1_000, new double[] {10, 1}, C);
        m.record(4, 0.5, 1_000, new double[] {2_000, 1}, C);
        clock.advance(WINDOW);
        m.snapshot();
        assertEquals(2, alerts.size(), "both rules fire on the second window: " + alerts);
        assertTrue(alerts.stream().allMatch(a -> a.windowStart().equals(T0.plus(WINDOW))));
    }

    @Test
    void drift_aFailingDetector_neverReachesRecording() {
        WindowDriftDetector failing = new WindowDriftDetector() {
            @Override
            public DriftPlan plan(FeatureSchema schema) {
                return new DriftPlan(List.of(DriftPlan.Numeric.sample("amount", 10)));
            }

            @Override
            public DatasetDriftResult detect(DriftWindow window) {
                throw new IllegalStateException("the kit's detector fails on purpose");
            }
        };
        Monitor m = driftMonitor(failing);
        m.record(1, 0.5, 1_000, X, C);
        clock.advance(WINDOW);
        m.snapshot();
        m.record(2, 0.5, 1_000, X, C);
        MonitorSnapshot s = m.snapshot();
        assertTrue(s.closed().get(0).drift().isEmpty());
        assertEquals(1, s.closed().get(0).count());
        assertEquals(1, s.current().count());
    }
}
