package dev.mlops.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.drift.BinCounts;
import dev.mlops.core.drift.DriftResult;
import dev.mlops.core.drift.Reference;
import dev.mlops.core.drift.Sample;
import dev.mlops.core.drift.dataset.ColumnDrift;
import dev.mlops.core.drift.dataset.ColumnProfile;
import dev.mlops.core.drift.dataset.Correction;
import dev.mlops.core.drift.dataset.Dataset;
import dev.mlops.core.drift.dataset.DatasetDriftResult;
import dev.mlops.core.monitor.Alert;
import dev.mlops.core.monitor.AlertRule;
import dev.mlops.core.monitor.DriftPlan;
import dev.mlops.core.monitor.FeatureSchema;
import dev.mlops.core.monitor.InMemoryMonitor;
import dev.mlops.core.monitor.Metric;
import dev.mlops.core.monitor.Monitor;
import dev.mlops.core.monitor.MonitorSnapshot;
import dev.mlops.core.monitor.MonitorSnapshotJson;
import dev.mlops.core.monitor.WindowSignal;
import dev.mlops.core.monitor.WindowSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Drift per monitor window with {@link MonitorDrift}: a window that fits the sample bound gets, bit for
 * bit, the result {@link DatasetDrift} gives on its raw values; columns on reference bins, and categorical
 * columns, get it at any window size from the monitor's counts; a shifted stream raises the drift alert in
 * the window the shift starts and an unshifted one never does. Seeded, on a fake clock, no sleeps.
 */
class MonitorDriftTest {
    private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final String[] COUNTRIES = {"de", "fr", "us"};
    private static final FeatureSchema SCHEMA = FeatureSchema.builder()
            .numeric("amount", 0, 10_000).numeric("age").numeric("items").numeric("income")
            .categorical("country", COUNTRIES).categorical("device", "ios", "android").build();

    private final AtomicLong millis = new AtomicLong(T0.toEpochMilli());
    private final InstantSource clock = () -> Instant.ofEpochMilli(millis.get());

    /** One window's rows, kept raw by the test only, to compare the monitor's result with the raw one. */
    private static final class Rows {
        final List<double[]> numeric = new ArrayList<>();
        final List<String[]> categories = new ArrayList<>();

        Dataset dataset() {
            Dataset.Builder b = Dataset.builder();
            String[] names = {"amount", "age", "items", "income"};
            for (int f = 0; f < names.length; f++) {
                double[] column = new double[numeric.size()];
                for (int i = 0; i < column.length; i++) {
                    column[i] = numeric.get(i)[f];
                }
                b.numeric(names[f], column);
            }
            String[] cats = {"country", "device"};
            for (int f = 0; f < cats.length; f++) {
                String[] column = new String[categories.size()];
                for (int i = 0; i < column.length; i++) {
                    column[i] = categories.get(i)[f];
                }
                b.categorical(cats[f], column);
            }
            return b.build();
        }
    }

    /**
     * The training table: amount small (KS), age with 3 values (chi-square or z), items large with few
     * values (Jensen-Shannon), income large (Wasserstein), country small (chi-square), device large
     * (Jensen-Shannon) under Evidently's automatic choice.
     */
    private static Dataset reference(Random r) {
        int small = 800;
        int large = 4_000;
        double[] amount = new double[large];
        double[] age = new double[large];
        double[] items = new double[large];
        double[] income = new double[large];
        String[] country = new String[large];
        String[] device = new String[large];
        for (int i = 0; i < large; i++) {
            amount[i] = i < small ? 100 + 15 * r.nextGaussian() : Double.NaN;
            age[i] = i < small ? 20 + 10 * r.nextInt(3) : Double.NaN;
            items[i] = r.nextInt(4);
            income[i] = 3_000 + 500 * r.nextGaussian();
            country[i] = i < small ? COUNTRIES[r.nextInt(3)] : null;
            device[i] = r.nextInt(3) == 0 ? "ios" : "android";
        }
        return Dataset.builder().numeric("amount", amount).numeric("age", age).numeric("items", items)
                .numeric("income", income).categorical("country", country).categorical("device", device).build();
    }

    /** Records {@code n} rows moved by {@code shift} into the monitor and the raw rows, then moves the clock on. */
    private void window(InMemoryMonitor m, Random r, int n, double shift, Rows rows) {
        window(m, r, n, shift, rows, true);
    }

    /**
     * Records {@code n} rows moved by {@code shift}, with a few countries missing or unseen in the reference
     * ({@code es}) when {@code unseen}, into the monitor and the raw rows; then moves the clock on.
     */
    private void window(InMemoryMonitor m, Random r, int n, double shift, Rows rows, boolean unseen) {
        String[] names = {"de", "fr", "us", "es", null};
        for (int i = 0; i < n; i++) {
            double amount = r.nextInt(60) == 0 ? Double.NaN : r.nextInt(200) == 0 ? Double.POSITIVE_INFINITY
                    : 100 + 15 * (r.nextGaussian() + shift);
            double[] x = {amount, 20 + 10 * r.nextInt(3), r.nextInt(4) + (shift > 0 && r.nextBoolean() ? 1 : 0),
                3_000 + 500 * (r.nextGaussian() + shift)};
            String country = shift > 0 && r.nextBoolean() ? "us"
                    : names[r.nextInt(unseen && r.nextInt(50) == 0 ? 5 : 3)];
            String[] c = {country, r.nextInt(3) == 0 ? "ios" : r.nextInt(100) == 0 ? null : "android"};
            m.record(i, 0.5, 1_000, x, c);
            if (rows != null) {
                rows.numeric.add(x);
                rows.categories.add(c);
            }
        }
        millis.addAndGet(MINUTE.toMillis());
    }

    private InMemoryMonitor monitor(MonitorDrift drift) {
        return Monitor.builder(SCHEMA).window(MINUTE).keepWindows(30).clock(clock).drift(drift).build();
    }

    @Test
    void smallWindows_getBitForBitTheResultOfDatasetDriftOnTheRawValues() {
        Random r = new Random(20261201);
        Dataset reference = reference(r);
        DatasetDrift automatic = DatasetDrift.against(reference);
        DatasetDrift explicit = DatasetDrift.builder(reference).test("amount", StatTest.ANDERSON_DARLING)
                .test("income", StatTest.KOLMOGOROV_SMIRNOV).test("items", StatTest.PSI)
                .test("country", StatTest.CHI_SQUARE).correction(Correction.BONFERRONI).build();
        for (DatasetDrift detector : List.of(automatic, explicit)) {
            millis.set(T0.toEpochMilli());
            InMemoryMonitor m = monitor(MonitorDrift.of(detector, 1_500));
            List<Rows> windows = new ArrayList<>();
            double[] shifts = {0, 0.3, 0, 1};
            for (double shift : shifts) {
                Rows rows = new Rows();
                window(m, r, 1_000 + r.nextInt(400), shift, rows);
                windows.add(rows);
            }
            MonitorSnapshot s = m.snapshot();
            assertEquals(shifts.length, s.closed().size());
            boolean someDrift = false;
            for (int w = 0; w < shifts.length; w++) {
                DatasetDriftResult expected = detector.detect(windows.get(w).dataset());
                DatasetDriftResult monitored = s.closed().get(w).drift().orElseThrow();
                assertEquals(expected, monitored, "window " + w + " of " + detector);
                someDrift |= monitored.drifted();
            }
            assertTrue(someDrift, "the shifted windows drifted: the comparison covers verdicts both ways");
            assertFalse(s.closed().get(0).drift().orElseThrow().drifted());
            ColumnDrift country = s.closed().get(0).drift("country").orElseThrow();
            assertTrue(country.unseenInReference() > 0, "a category unseen in the reference, by name: " + country);
        }
    }

    @Test
    void referenceBinsAndCategories_fromTheMonitorsCounts_equalTheDetectorOnTheRawValues_atAnyWindowSize() {
        Random r = new Random(7);
        Dataset reference = reference(r);
        DatasetDrift detector = DatasetDrift.builder(reference)
                .test("amount", StatTest.PSI).referenceBins("amount")
                .test("income", StatTest.JENSEN_SHANNON).referenceBins("income")
                .test("age", StatTest.CHI_SQUARE).referenceBins("age")
                .test("items", StatTest.CHI_SQUARE_GOODNESS_OF_FIT).referenceBins("items")
                .test("country", StatTest.CHI_SQUARE).test("device", StatTest.JENSEN_SHANNON).build();
        InMemoryMonitor m = monitor(MonitorDrift.of(detector, 100));
        Rows unshifted = new Rows();
        window(m, r, 20_000, 0, unshifted);
        Rows shifted = new Rows();
        window(m, r, 20_000, 0.5, shifted);
        MonitorSnapshot s = m.snapshot();
        for (int w = 0; w < 2; w++) {
            DatasetDriftResult expected = detector.detect((w == 0 ? unshifted : shifted).dataset());
            DatasetDriftResult monitored = s.closed().get(w).drift().orElseThrow();
            for (String column : List.of("amount", "income", "age", "items")) {
                ColumnDrift e = column(expected, column);
                ColumnDrift got = column(monitored, column);
                assertEquals(e.outcome(), got.outcome(), column + " in window " + w);
                assertEquals(e.bins(), got.bins(), column);
                assertTrue(got.binnedByTest() && !got.bins().intervals(), "reference bins, open at both ends");
                assertEquals(100, got.current().count(), "the profile is the bounded sample's, the test the counts'");
            }
            for (String column : List.of("country", "device")) {
                assertEquals(column(expected, column), column(monitored, column), column + ": categories whole");
            }
            assertEquals(expected.drifted(), monitored.drifted());
        }
        DriftResult amount = column(s.closed().get(1).drift().orElseThrow(), "amount").result().orElseThrow();
        assertEquals("psi", amount.method());
        assertTrue(amount.drifted(), "half a standard deviation moves PSI past 0.1: " + amount.statistic());
        assertFalse(column(s.closed().get(0).drift().orElseThrow(), "amount").drifted());
        assertTrue(s.closed().get(0).drift("amount").orElseThrow().bins().labels().get(0).startsWith("(-Infinity, "),
                "values below the reference's minimum have their bin");
    }

    private static ColumnDrift column(DatasetDriftResult r, String name) {
        return r.columns().stream().filter(c -> c.column().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void referenceBins_onRawValues_countOnTheReferencesSturgesEdges_plusTwoOpenBins() {
        double[] ref = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        var detector = (StatTestDetector) DriftDetectors.builder(StatTest.PSI, Reference.numeric(ref)).referenceBins()
                .build();
        double[] edges = detector.referenceEdges().orElseThrow();
        assertEquals(List.of(0.0, 1.8, 3.6, 5.4, 7.2, 9.0), java.util.Arrays.stream(edges).boxed().toList(),
                "numpy.histogram_bin_edges(range(10), bins='sturges'): log2(10) + 1 = 4.3, so 5 bins");
        DriftResult r = detector.detect(Sample.numeric(new double[] {-1, 0, 1.8, 9, 9.5, Double.NaN}));
        BinCounts bins = r.bins().orElseThrow();
        assertEquals(List.of("(-Infinity, 0.0)", "[0.0, 1.8)", "[1.8, 3.6)", "[3.6, 5.4)", "[5.4, 7.2)", "[7.2, 9.0]",
                "(9.0, Infinity)"), bins.labels());
        assertEquals(List.of(0L, 2L, 2L, 2L, 2L, 2L, 0L), bins.reference());
        assertEquals(List.of(1L, 1L, 1L, 0L, 0L, 1L, 1L), bins.current());
        assertEquals(5, r.currentSize());
        assertEquals(1, r.currentMissing());
        assertEquals(r, detector.evaluateCounts(new long[] {1, 1, 1, 0, 0, 1, 1}, 1));
        DriftResult inside = detector.detect(Sample.numeric(new double[] {0.5, 8}));
        assertEquals(List.of("[0.0, 1.8)", "[1.8, 3.6)", "[3.6, 5.4)", "[5.4, 7.2)", "[7.2, 9.0]"),
                inside.bins().orElseThrow().labels(), "bins empty in both samples are left out");
        var constant = (StatTestDetector) DriftDetectors.builder(StatTest.CHI_SQUARE_GOODNESS_OF_FIT, Reference.numeric(
                new double[] {4, 4, 4})).referenceBins().build();
        assertEquals(List.of(4.0, 4.0), java.util.Arrays.stream(constant.referenceEdges().orElseThrow()).boxed().toList());
        assertTrue(constant.detect(Sample.numeric(new double[] {4, 5})).drifted());
    }

    @Test
    void misconfiguration_isRefusedNamingTheColumn() {
        Dataset reference = reference(new Random(1));
        IllegalArgumentException noTest = assertThrows(IllegalArgumentException.class,
                () -> DatasetDrift.builder(reference).referenceBins("amount").build());
        assertTrue(noTest.getMessage().contains("amount") && noTest.getMessage().contains("no test"), noTest.getMessage());
        IllegalArgumentException ks = assertThrows(IllegalArgumentException.class, () -> DatasetDrift.builder(reference)
                .test("amount", StatTest.KOLMOGOROV_SMIRNOV).referenceBins("amount").build());
        assertTrue(ks.getMessage().contains("column amount") && ks.getMessage().contains("not ks"), ks.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DatasetDrift.builder(reference)
                .test("age", StatTest.Z_PROPORTION).referenceBins("age").build());
        IllegalArgumentException categorical = assertThrows(IllegalArgumentException.class, () -> DatasetDrift
                .builder(reference).test("country", StatTest.PSI).referenceBins("country").build());
        assertTrue(categorical.getMessage().contains("column country"), categorical.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DatasetDrift.builder(reference).referenceBins("nothing"));
        assertThrows(IllegalArgumentException.class, () -> MonitorDrift.of(DatasetDrift.against(reference), 0));

        MonitorDrift drift = MonitorDrift.against(DatasetReference.of(reference));
        FeatureSchema lacking = FeatureSchema.builder().numeric("amount").numeric("age").numeric("items")
                .categorical("income", "x").categorical("country", "de").categorical("device", "ios").build();
        IllegalArgumentException wrongKind = assertThrows(IllegalArgumentException.class,
                () -> Monitor.builder(lacking).drift(drift).build());
        assertTrue(wrongKind.getMessage().contains("income is numeric") && wrongKind.getMessage().contains(
                "has it as categorical"), wrongKind.getMessage());
        FeatureSchema missing = FeatureSchema.builder().numeric("amount").categorical("country", "de").build();
        IllegalArgumentException lacks = assertThrows(IllegalArgumentException.class,
                () -> Monitor.builder(missing).drift(drift).build());
        assertTrue(lacks.getMessage().contains("lacks it"), lacks.getMessage());
    }

    @Test
    void thePlan_keepsASampleOfEachNumericColumn_andCountsOnReferenceBinsWhereAsked() {
        Dataset reference = reference(new Random(2));
        DatasetDrift detector = DatasetDrift.builder(reference).test("income", StatTest.PSI).referenceBins("income")
                .build();
        DriftPlan plan = MonitorDrift.of(detector, 321).plan(SCHEMA);
        assertEquals(List.of("amount", "age", "items", "income"), plan.numeric().stream().map(DriftPlan.Numeric::feature)
                .toList());
        assertTrue(plan.numeric().stream().allMatch(n -> n.sampleSize() == 321));
        assertEquals(List.of(), plan.numeric().get(0).edges());
        assertTrue(plan.numeric().get(3).edges().size() > 2);
        assertEquals(MonitorDrift.DEFAULT_SAMPLE_SIZE, MonitorDrift.against(DatasetReference.of(reference)).sampleSize());
    }

    @Test
    void unnamedUnseenCategories_arePooledInOneCategory() {
        Random r = new Random(5);
        InMemoryMonitor m = Monitor.builder(SCHEMA).window(MINUTE).clock(clock).maxNewCategories(0)
                .drift(MonitorDrift.against(DatasetReference.of(reference(r)))).build();
        m.record(1, 0.5, 1, new double[] {1, 2, 3, 4}, new int[] {7, 0}); // an index outside the schema's categories
        window(m, r, 500, 0, null);
        ColumnDrift country = m.snapshot().closed().get(0).drift("country").orElseThrow();
        assertEquals(MonitorDrift.UNNAMED_UNSEEN, country.unseen().get(0).category());
        assertTrue(country.unseen().get(0).count() > 1, country.unseen().toString());
        assertFalse(country.unseen().stream().anyMatch(u -> u.category().equals("es")), "names beyond the bound are lost");
    }

    // ---- alerts -------------------------------------------------------------------------------------------

    /** A stream of {@code windows} windows of 1,000 rows, shifted from window {@code shiftAt} on (never if negative). */
    private List<Alert> stream(long seed, int windows, int shiftAt, List<WindowSnapshot> closed) {
        millis.set(T0.toEpochMilli());
        Random r = new Random(seed);
        InMemoryMonitor m = monitor(MonitorDrift.against(DatasetReference.of(reference(new Random(seed + 1)))));
        List<Alert> alerts = new ArrayList<>();
        m.addAlert(AlertRule.when(Metric.DATASET_DRIFT).above(0.5).minSamples(200).forWindows(1)
                .cooldown(Duration.ofHours(1)), alerts::add);
        for (int w = 0; w < windows; w++) {
            window(m, r, 1_000, shiftAt >= 0 && w >= shiftAt ? 1.5 : 0, null, false);
        }
        closed.addAll(m.snapshot().closed());
        return alerts;
    }

    @Test
    void aShiftedStream_raisesTheDriftAlertInTheWindowTheShiftStarts_andAnUnshiftedOneNever() {
        for (long seed = 1; seed <= 3; seed++) {
            List<WindowSnapshot> closed = new ArrayList<>();
            List<Alert> alerts = stream(seed, 10, 6, closed);
            assertEquals(1, alerts.size(), "one alert, the cooldown holds the rest: " + alerts);
            assertEquals(closed.get(6).start(), alerts.get(0).windowStart(), "the first shifted window");
            for (int w = 0; w < 6; w++) {
                assertEquals(0.0, closed.get(w).value(Metric.DATASET_DRIFT), "window " + w + " is unshifted");
            }
            assertTrue(closed.get(7).value(Metric.DRIFTED_SHARE) >= 0.5);
            assertEquals(1.0, WindowSignal.drifted("income").value(closed.get(6)));

            List<WindowSnapshot> quiet = new ArrayList<>();
            assertEquals(List.of(), stream(seed, 10, -1, quiet), "an unshifted stream never alerts");
            assertTrue(quiet.stream().allMatch(w -> w.drift().isPresent() && !w.drift().get().drifted()));
        }
    }

    @Test
    void aWindowsDriftResult_travelsInTheSnapshotJson() {
        Random r = new Random(9);
        InMemoryMonitor m = monitor(MonitorDrift.against(DatasetReference.of(reference(r))));
        window(m, r, 300, 1, null);
        MonitorSnapshot s = m.snapshot();
        String json = MonitorSnapshotJson.write(s);
        assertEquals(s, MonitorSnapshotJson.read(json));
        assertTrue(json.contains("\"method\":\"ks\"") && json.contains("\"method\":\"wasserstein_normed\""), json);
        ColumnProfile income = s.closed().get(0).drift("income").orElseThrow().current();
        assertEquals(300, income.count());
    }
}
