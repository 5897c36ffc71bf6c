package dev.mlops.drift;

import dev.mlops.core.drift.Sample;
import dev.mlops.core.drift.dataset.DatasetDriftResult;
import dev.mlops.core.monitor.CategoricalSummary;
import dev.mlops.core.monitor.DriftPlan;
import dev.mlops.core.monitor.DriftWindow;
import dev.mlops.core.monitor.FeatureSchema;
import dev.mlops.core.monitor.WindowDriftDetector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Drift per monitor window with this library's detectors: each closed window of an
 * {@code InMemoryMonitor} is tested column by column against a {@link DatasetReference} by a
 * {@link DatasetDrift}, with its tests, thresholds, correction and share rule, and the result becomes part
 * of the window ({@code WindowSnapshot.drift()}).
 *
 * <pre>{@code
 * DatasetReference reference = DatasetReference.fromJson(savedAtTraining);
 * InMemoryMonitor monitor = Monitor.builder(schema)
 *         .drift(MonitorDrift.against(reference))              // Evidently's automatic tests
 *         .closeWindowsWith(scheduler)                         // tests run on the scheduler
 *         .build();
 * monitor.addAlert(AlertRule.when(Metric.DATASET_DRIFT).above(0.5).minSamples(500).forWindows(2), listener);
 *
 * MonitorDrift psi = MonitorDrift.of(DatasetDrift.builder(reference)
 *         .test("amount", StatTest.PSI).referenceBins("amount")   // exact counts, any window size
 *         .build(), 5_000);
 * }</pre>
 *
 * <p><b>What the monitor keeps</b> ({@link #plan(FeatureSchema)}): for each numeric reference column a
 * uniform sample of at most {@link #sampleSize()} of the window's finite values, and, for a column the
 * {@link DatasetDrift} counts on reference bins ({@link DatasetDrift.Builder#referenceBins(String)}), the
 * window's counts on those bins' fixed edges; for a categorical column nothing more than the counts every
 * window has. No raw row.
 *
 * <p><b>How each column is tested</b>, by the {@link DatasetDrift} as it tests a table:
 * <ul>
 *   <li>a numeric column on reference bins: from the window's counts, exact whatever the window's size,
 *       and equal to the detector's answer on the raw values;</li>
 *   <li>any other numeric column (Kolmogorov-Smirnov, Wasserstein, and the binned methods whose bins
 *       depend on both samples, as Evidently's do): on the bounded sample. While the window holds at most
 *       {@link #sampleSize()} finite values the sample is every value, and the result equals, bit for bit,
 *       what the {@link DatasetDrift} gives on the raw values; beyond it the test sees a uniform sample of
 *       that size (a p-value then speaks of the sample: with {@code n} values a KS test detects shifts of
 *       about {@code 1.36 sqrt(1/n + 1/m)} in the CDF);</li>
 *   <li>a categorical column: from the window's counts, exact at any size. Categories are matched by
 *       name; values recorded by name beyond the monitor's {@code maxNewCategories}, or by an index outside
 *       the schema's categories, have no name and are pooled in one category,
 *       {@value #UNNAMED_UNSEEN}.</li>
 * </ul>
 * Profiles of numeric columns are the sample's. Schema features without a reference column are not
 * tested; a reference column the schema lacks (or has as the other kind) is refused when the monitor is
 * built.
 *
 * <p>Immutable and thread-safe; {@link #detect(DriftWindow)} runs on the thread that closes the window
 * (with an {@code Executor} given to the {@link DatasetDrift}, its columns run there in parallel).
 */
public final class MonitorDrift implements WindowDriftDetector {
    /**
     * The default bound on each numeric column's sample per window: 2,000 values (16 KB per column and
     * recording stripe). A window with fewer values is tested whole.
     */
    public static final int DEFAULT_SAMPLE_SIZE = 2_000;
    /** The category that pools a window's values outside the schema's categories that have no name. */
    public static final String UNNAMED_UNSEEN = "(unseen, unnamed)";

    private final DatasetDrift drift;
    private final int sampleSize;

    private MonitorDrift(DatasetDrift drift, int sampleSize) {
        this.drift = drift;
        this.sampleSize = sampleSize;
    }

    /**
     * @param reference the prepared reference columns (the training data's)
     * @return drift per window with every default: {@link DatasetDrift}'s automatic tests, no correction,
     *     drift share 0.5, samples of {@link #DEFAULT_SAMPLE_SIZE}
     */
    public static MonitorDrift against(DatasetReference reference) {
        return of(DatasetDrift.against(reference), DEFAULT_SAMPLE_SIZE);
    }

    /**
     * @param detector the dataset detector to test each window with
     * @param sampleSize the bound on each numeric column's sample per window, in [1,
     *     {@link DriftPlan#MAX_SAMPLE_SIZE}]
     * @return drift per window with that detector
     * @throws IllegalArgumentException when the sample size is out of range
     */
    public static MonitorDrift of(DatasetDrift detector, int sampleSize) {
        Objects.requireNonNull(detector, "detector");
        if (sampleSize < 1 || sampleSize > DriftPlan.MAX_SAMPLE_SIZE) {
            throw new IllegalArgumentException("sampleSize must be in [1, " + DriftPlan.MAX_SAMPLE_SIZE + "], was "
                    + sampleSize);
        }
        return new MonitorDrift(detector, sampleSize);
    }

    /** @return the dataset detector each window is tested with */
    public DatasetDrift detector() {
        return drift;
    }

    /** @return the bound on each numeric column's sample per window */
    public int sampleSize() {
        return sampleSize;
    }

    /**
     * @param schema the monitor's features
     * @return a sample of each numeric reference column, and counts on the reference bins of those that
     *     have them
     * @throws IllegalArgumentException naming a reference column the schema lacks or has as the other kind
     */
    @Override
    public DriftPlan plan(FeatureSchema schema) {
        Objects.requireNonNull(schema, "schema");
        List<DriftPlan.Numeric> numeric = new ArrayList<>();
        for (String column : drift.columnNames()) {
            boolean isNumeric = drift.isNumeric(column);
            List<String> ofKind = isNumeric ? schema.numericNames() : schema.categoricalNames();
            if (!ofKind.contains(column)) {
                List<String> other = isNumeric ? schema.categoricalNames() : schema.numericNames();
                throw new IllegalArgumentException("reference column " + column + " is "
                        + (isNumeric ? "numeric" : "categorical") + ", and the monitor's schema "
                        + (other.contains(column) ? "has it as " + (isNumeric ? "categorical" : "numeric")
                        : "lacks it; its " + (isNumeric ? "numeric" : "categorical") + " features are " + ofKind));
            }
            if (isNumeric) {
                List<Double> edges = new ArrayList<>();
                drift.referenceEdges(column).ifPresent(e -> {
                    for (double v : e) {
                        edges.add(v);
                    }
                });
                numeric.add(new DriftPlan.Numeric(column, edges, sampleSize));
            }
        }
        return new DriftPlan(numeric);
    }

    /**
     * Tests one window, as the class description says.
     *
     * @param window the window's samples, counts and category counts
     * @return each reference column's outcome and the dataset's verdict
     * @throws IllegalArgumentException when the window lacks a reference column or its sample (a window
     *     that did not come from a monitor built with this detector's plan)
     */
    @Override
    public DatasetDriftResult detect(DriftWindow window) {
        Objects.requireNonNull(window, "window");
        Map<String, Sample> samples = new HashMap<>();
        Map<String, long[]> counts = new HashMap<>();
        for (String column : drift.columnNames()) {
            if (drift.isNumeric(column)) {
                DriftWindow.Numeric n = window.numeric(column);
                samples.put(column, n.sample().orElseThrow(() -> new IllegalArgumentException("the window holds no "
                        + "sample of " + column + ": it does not come from a monitor built with this detector")));
                if (!n.binCounts().isEmpty()) {
                    counts.put(column, n.binCounts().stream().mapToLong(Long::longValue).toArray());
                }
            } else {
                samples.put(column, categories(window.categorical(column)));
            }
        }
        return drift.detect(samples::get, counts::get);
    }

    /** A window's category counts by name, the unnamed unseen values pooled under {@link #UNNAMED_UNSEEN}. */
    private static Sample categories(CategoricalSummary summary) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int i = 0; i < summary.categories().size(); i++) {
            counts.put(summary.categories().get(i), summary.counts().get(i));
        }
        long named = 0;
        for (Map.Entry<String, Long> e : summary.newCategories().entrySet()) {
            counts.merge(e.getKey(), e.getValue(), Long::sum);
            named += e.getValue();
        }
        if (summary.unseen() > named) {
            counts.merge(UNNAMED_UNSEEN, summary.unseen() - named, Long::sum);
        }
        return Sample.categoricalCounts(counts, summary.missing());
    }

    @Override
    public String toString() {
        return "MonitorDrift[columns=" + drift.columnNames() + ", sampleSize=" + sampleSize + "]";
    }
}
