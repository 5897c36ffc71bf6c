package dev.mlops.drift;

import dev.mlops.core.drift.BinCounts;
import dev.mlops.core.drift.CategoricalSample;
import dev.mlops.core.drift.DriftDetector;
import dev.mlops.core.drift.DriftOutcome;
import dev.mlops.core.drift.DriftResult;
import dev.mlops.core.drift.NumericSample;
import dev.mlops.core.drift.Reference;
import dev.mlops.core.drift.Rule;
import dev.mlops.core.drift.Sample;
import dev.mlops.core.drift.dataset.ColumnDrift;
import dev.mlops.core.drift.dataset.ColumnProfile;
import dev.mlops.core.drift.dataset.Correction;
import dev.mlops.core.drift.dataset.Dataset;
import dev.mlops.core.drift.dataset.DatasetDriftDetector;
import dev.mlops.core.drift.dataset.DatasetDriftResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Drift of a whole table: one test per column, chosen automatically or set per column, multiple-testing
 * correction, and the share-of-drifted-columns rule.
 *
 * <p><b>Automatic choice</b> (Evidently's rule; unique values counted over both samples, reference size
 * without missing values):
 * <ul>
 *   <li>reference of at most 1000 values: a numeric column with more than 5 unique values gets
 *       {@link StatTest#KOLMOGOROV_SMIRNOV}; otherwise {@link StatTest#CHI_SQUARE_GOODNESS_OF_FIT} with more
 *       than 2 unique values (Evidently's {@code chisquare}: {@code scipy.stats.chisquare} of the current
 *       counts against the reference counts scaled to the current size), else {@link StatTest#Z_PROPORTION};</li>
 *   <li>larger references: a numeric column with more than 5 unique values gets
 *       {@link StatTest#WASSERSTEIN_NORMED} (drift at 0.1 reference standard deviations), otherwise
 *       {@link StatTest#JENSEN_SHANNON} (drift at 0.1).</li>
 * </ul>
 * So large samples are judged by effect sizes, which do not flag harmless shifts the way a p-value does
 * at a million rows. The dataset drifts when at least half the tested columns drift. Set
 * {@code test(column, StatTest.CHI_SQUARE)} for the homogeneity test, which treats the reference as a
 * sample too.
 *
 * <p><b>Missing values</b> (NaN, null) are counted in each result and never tested. <b>Categories
 * unseen in the reference</b> get their own bins and are counted in
 * {@link ColumnDrift#unseenInReference()}; under the goodness-of-fit test a single one of them gives an
 * infinite statistic and p-value 0, that is drift, as in Evidently (under the null hypothesis such an
 * observation is impossible). A column that cannot be tested (no values in the current data, or a test
 * undefined on its values, such as Welch's t on two equal constants) is reported with its problem, not
 * tested and not counted; the other columns are tested as usual.
 *
 * <p><b>Bins for charts</b>: every {@link ColumnDrift} carries {@link ColumnDrift#bins()}, the bins its test
 * counted when the test bins, otherwise display bins by the same rule (Sturges bins over the combined
 * range with more than 20 distinct reference values, else one bin per value; whole-number columns on
 * whole-number bins), placed by binary search on the sorted samples, so they cost no pass over the values.
 *
 * <p><b>Reference bins</b> ({@link Builder#referenceBins(String)}): a numeric column with a binned test can be
 * counted on bins fixed by its reference alone (Sturges over the reference's range, plus a bin below and
 * one above it) instead of Evidently's bins over both samples, so that its current counts need no values:
 * {@link MonitorDrift} tests monitor windows from such counts, exactly at any window size.
 *
 * <p><b>Configuration</b> is checked by {@link Builder#build()}: thresholds only for columns with an
 * explicit test and within that test's range, and one p-value threshold for all columns under
 * Benjamini-Hochberg.
 *
 * <p>The reference is prepared once, when {@link Builder#build()} runs (columns sorted or counted), or
 * comes prepared as a {@link DatasetReference} (for example read from JSON on a replica). With an
 * {@link Executor}, columns are prepared and tested in parallel on it; without one, on the calling
 * thread. Immutable and thread-safe.
 *
 * <pre>{@code
 * DatasetDrift drift = DatasetDrift.builder(referenceTable)
 *         .test("country", StatTest.CHI_SQUARE)
 *         .correction(Correction.BENJAMINI_HOCHBERG)
 *         .executor(pool)
 *         .build();
 * DatasetDriftResult result = drift.detect(currentTable);
 * String saved = drift.reference().toJson();
 * }</pre>
 */
public final class DatasetDrift implements DatasetDriftDetector {
    /** Evidently's boundary between small and large references. */
    static final int SMALL_REFERENCE = 1000;

    /** The tests the automatic choice may give a small reference: all have p-values. */
    private static final List<StatTest> SMALL_AUTOMATIC = List.of(StatTest.KOLMOGOROV_SMIRNOV,
            StatTest.CHI_SQUARE_GOODNESS_OF_FIT, StatTest.Z_PROPORTION);

    private final List<ColumnPlan> plans;
    private final Correction correction;
    private final double driftShare;
    private final Optional<Executor> executor;

    private DatasetDrift(List<ColumnPlan> plans, Correction correction, double driftShare, Optional<Executor> executor) {
        this.plans = plans;
        this.correction = correction;
        this.driftShare = driftShare;
        this.executor = executor;
    }

    /**
     * @param reference the reference table
     * @return a detector with every default: automatic tests, no correction, drift share 0.5
     */
    public static DatasetDrift against(Dataset reference) {
        return builder(reference).build();
    }

    /**
     * @param reference the prepared reference columns
     * @return a detector with every default: automatic tests, no correction, drift share 0.5
     */
    public static DatasetDrift against(DatasetReference reference) {
        return builder(reference).build();
    }

    /**
     * @param reference the reference table; {@link Builder#build()} prepares its columns
     * @return a builder
     */
    public static Builder builder(Dataset reference) {
        Objects.requireNonNull(reference, "reference");
        return new Builder(reference.columns(), Optional.of(reference), Optional.empty());
    }

    /**
     * @param reference the prepared reference columns, used as they are (nothing is sorted again)
     * @return a builder
     */
    public static Builder builder(DatasetReference reference) {
        Objects.requireNonNull(reference, "reference");
        return new Builder(reference.columnNames(), Optional.empty(), Optional.of(reference));
    }

    /**
     * @return the prepared reference columns this detector tests against, in column order; save them
     *     with {@link DatasetReference#toJson()}
     */
    public DatasetReference reference() {
        Map<String, Reference> out = new LinkedHashMap<>();
        for (ColumnPlan p : plans) {
            out.put(p.name, p.reference);
        }
        return new DatasetReference(out);
    }

    /** A column's prepared reference and the detectors made for it, one per method. */
    private static final class ColumnPlan {
        final String name;
        final Reference reference;
        final Optional<StatTest> fixed;
        final Optional<Double> threshold;
        /** Whether the column's numeric values are counted on bins fixed by the reference alone. */
        final boolean referenceBins;
        /**
         * For a numeric column, its distinct reference values while there are at most 5 of them, else
         * empty with {@code manyValues} set: the automatic rule only asks "more than 5 unique values?".
         */
        final Set<Double> fewValues = new HashSet<>();
        final boolean manyValues;
        final Map<StatTest, DriftDetector> detectors = new ConcurrentHashMap<>();
        final ColumnProfile profile;

        ColumnPlan(String name, Reference reference, Optional<StatTest> fixed, Optional<Double> threshold,
                boolean referenceBins) {
            this.name = name;
            this.reference = reference;
            this.fixed = fixed;
            this.threshold = threshold;
            this.referenceBins = referenceBins;
            Sample s = reference.sample();
            if (s.size() == 0) {
                throw new IllegalArgumentException("reference column " + name + " has no values (" + s.missing()
                        + " missing)");
            }
            boolean many = false;
            if (s instanceof NumericSample n) {
                for (int i = 0; i < n.size() && !many; i++) {
                    if (i == 0 || n.valueAt(i) != n.valueAt(i - 1)) {
                        fewValues.add(n.valueAt(i) == 0 ? 0.0 : n.valueAt(i));
                        many = fewValues.size() > 5;
                    }
                }
                if (many) {
                    fewValues.clear();
                }
            }
            this.manyValues = many;
            this.profile = ColumnProfile.of(s);
            fixed.ifPresent(t -> {
                try {
                    detector(t);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("column " + name + ": " + e.getMessage(), e);
                }
            });
        }

        DriftDetector detector(StatTest test) {
            return detectors.computeIfAbsent(test, t -> {
                DriftDetectors.Builder b = DriftDetectors.builder(t, reference);
                threshold.ifPresent(b::threshold);
                if (referenceBins) {
                    b.referenceBins();
                }
                return b.build();
            });
        }

        /** @return the fixed edges the column's values are counted on, or empty */
        Optional<double[]> referenceEdges() {
            return referenceBins ? ((StatTestDetector) detector(fixed.orElseThrow())).referenceEdges() : Optional.empty();
        }

        boolean smallReference() {
            return reference.sample().size() <= SMALL_REFERENCE;
        }

        StatTest choose(Sample current) {
            if (fixed.isPresent()) {
                return fixed.get();
            }
            Sample ref = reference.sample();
            boolean numeric = ref instanceof NumericSample;
            long unique = numeric ? numericUnionUnique((NumericSample) current)
                    : unionUnique((CategoricalSample) ref, (CategoricalSample) current);
            if (smallReference()) {
                if (numeric && unique > 5) {
                    return StatTest.KOLMOGOROV_SMIRNOV;
                }
                return unique > 2 ? StatTest.CHI_SQUARE_GOODNESS_OF_FIT : StatTest.Z_PROPORTION;
            }
            return numeric && unique > 5 ? StatTest.WASSERSTEIN_NORMED : StatTest.JENSEN_SHANNON;
        }

        /** Unique values of reference and current together, counted up to 6; never re-reads the reference. */
        long numericUnionUnique(NumericSample cur) {
            if (manyValues) {
                return 6;
            }
            Set<Double> values = new HashSet<>(fewValues);
            for (int i = 0; i < cur.size() && values.size() <= 5; i++) {
                if (i == 0 || cur.valueAt(i) != cur.valueAt(i - 1)) {
                    values.add(cur.valueAt(i) == 0 ? 0.0 : cur.valueAt(i));
                }
            }
            return values.size();
        }

        /** Current categories the reference never holds, most frequent first; empty for numeric columns. */
        List<ColumnProfile.CategoryCount> unseen(Sample current) {
            if (!(current instanceof CategoricalSample cur)) {
                return List.of();
            }
            CategoricalSample ref = (CategoricalSample) reference.sample();
            List<ColumnProfile.CategoryCount> out = new ArrayList<>();
            for (Map.Entry<String, Long> e : cur.counts().entrySet()) {
                if (ref.count(e.getKey()) == 0) {
                    out.add(new ColumnProfile.CategoryCount(e.getKey(), e.getValue()));
                }
            }
            out.sort(Comparator.comparingLong(ColumnProfile.CategoryCount::count).reversed()
                    .thenComparing(ColumnProfile.CategoryCount::category));
            return out;
        }
    }

    private static long unionUnique(CategoricalSample ref, CategoricalSample cur) {
        Set<String> all = new HashSet<>(ref.counts().keySet());
        all.addAll(cur.counts().keySet());
        return all.size();
    }

    /** A column's outcome before correction. */
    private record Raw(ColumnPlan plan, DriftOutcome outcome, ColumnProfile current,
            List<ColumnProfile.CategoryCount> unseen, BinCounts bins) {
        Optional<DriftResult> result() {
            return outcome instanceof DriftResult r ? Optional.of(r) : Optional.empty();
        }
    }

    /**
     * Tests every column. A column that cannot be tested (no values in the current data, or a test that
     * is undefined on its values) is reported as {@link dev.mlops.core.drift.Untestable}; the others are
     * tested all the same. Each column carries profiles of both sides.
     *
     * @param current the current table; must hold every reference column, with the same kind
     * @return every column's outcome and the dataset verdict
     * @throws IllegalArgumentException when a reference column is missing or of the other kind
     */
    @Override
    public DatasetDriftResult detect(Dataset current) {
        Objects.requireNonNull(current, "current");
        for (ColumnPlan p : plans) {
            if (!current.columns().contains(p.name)) {
                throw new IllegalArgumentException("current data has no column " + p.name);
            }
            if (current.isNumeric(p.name) != (p.reference.sample() instanceof NumericSample)) {
                throw new IllegalArgumentException("column " + p.name + " is " + (current.isNumeric(p.name)
                        ? "numeric" : "categorical") + " in the current data but not in the reference");
            }
        }
        return detect(current::sample, column -> null);
    }

    /**
     * Tests every column from prepared samples, and for the columns on reference bins from their counts
     * when given: {@link MonitorDrift}'s way in, with a window's bounded samples and exact counts. A column
     * tested from counts has the counts' verdict; its profile is its sample's.
     *
     * @param samples each column's current sample
     * @param counts each column's counts on its reference bins, or null to count the sample
     */
    DatasetDriftResult detect(Function<String, Sample> samples, Function<String, long[]> counts) {
        List<Supplier<Raw>> tasks = new ArrayList<>();
        for (ColumnPlan p : plans) {
            tasks.add(() -> {
                Sample sample = samples.apply(p.name);
                StatTest test = p.choose(sample);
                long[] binned = p.referenceBins ? counts.apply(p.name) : null;
                DriftOutcome outcome = binned != null
                        ? ((StatTestDetector) p.detector(test)).evaluateCounts(binned, sample.missing())
                        : p.detector(test).evaluate(sample);
                ColumnProfile profile = ColumnProfile.of(sample);
                return new Raw(p, outcome, profile, p.unseen(sample), chartBins(p, outcome, sample, profile));
            });
        }
        List<Raw> raws = run(tasks, executor);
        return new DatasetDriftResult(correct(raws), correction, driftShare);
    }

    /** @return the reference columns, in order */
    List<String> columnNames() {
        return plans.stream().map(p -> p.name).toList();
    }

    /**
     * @param column a reference column
     * @return whether it is numeric
     */
    boolean isNumeric(String column) {
        return plan(column).reference.sample() instanceof NumericSample;
    }

    /**
     * @param column a reference column
     * @return the fixed edges its values are counted on ({@link Builder#referenceBins(String)}), or empty
     */
    Optional<double[]> referenceEdges(String column) {
        return plan(column).referenceEdges();
    }

    private ColumnPlan plan(String column) {
        for (ColumnPlan p : plans) {
            if (p.name.equals(column)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no column " + column + " in the reference; columns are " + columnNames());
    }

    /**
     * The test's bins when it counted some; otherwise {@link DisplayBins}, placed by binary search on the
     * sorted samples ({@code O(bins * log n)}), so a chart costs the detector no pass over the values.
     */
    private static BinCounts chartBins(ColumnPlan plan, DriftOutcome outcome, Sample current, ColumnProfile profile) {
        if (outcome instanceof DriftResult r && r.bins().isPresent()) {
            return r.bins().get();
        }
        boolean integral = plan.profile instanceof ColumnProfile.Numeric ref && ref.integral()
                && profile instanceof ColumnProfile.Numeric cur && cur.integral();
        return DisplayBins.of(plan.reference.sample(), current, integral);
    }

    /**
     * Replaces each p-value result by its corrected one, so that a column carries one verdict. The
     * Benjamini-Hochberg level is {@code max(k, 1) * alpha / m}, judged with "at most": exactly the
     * columns with the {@code k} smallest p-values are at or below {@code k * alpha / m} (a larger p-value
     * at or below it would raise {@code k}), and with {@code k = 0} none is at or below {@code alpha / m}.
     */
    private List<ColumnDrift> correct(List<Raw> raws) {
        List<Raw> withP = new ArrayList<>();
        for (Raw r : raws) {
            if (r.result().isPresent() && r.result().get().rule().usesPValue()) {
                withP.add(r);
            }
        }
        int m = withP.size();
        Map<Raw, DriftResult> corrected = new HashMap<>();
        if (correction == Correction.BONFERRONI) {
            for (Raw r : withP) {
                DriftResult d = r.result().get();
                corrected.put(r, d.withThreshold(d.threshold() / m, d.rule()));
            }
        } else if (correction == Correction.BENJAMINI_HOCHBERG && m > 0) {
            double alpha = withP.get(0).result().get().threshold();
            Raw[] sorted = withP.toArray(new Raw[0]);
            Arrays.sort(sorted, (a, b) -> Double.compare(a.result().get().pValue().getAsDouble(),
                    b.result().get().pValue().getAsDouble()));
            int k = 0;
            for (int i = 0; i < m; i++) {
                if (sorted[i].result().get().pValue().getAsDouble() <= (i + 1) * alpha / m) {
                    k = i + 1;
                }
            }
            // The same expression as the step test above, so the k-th p-value is at or below it exactly.
            double level = Math.max(k, 1) * alpha / m;
            for (Raw r : withP) {
                corrected.put(r, r.result().get().withThreshold(level, Rule.P_VALUE_AT_MOST));
            }
        }
        List<ColumnDrift> out = new ArrayList<>();
        for (Raw r : raws) {
            DriftOutcome outcome = corrected.containsKey(r) ? corrected.get(r) : r.outcome;
            out.add(new ColumnDrift(r.plan.name, outcome, r.plan.profile, r.current, r.unseen, r.bins));
        }
        return out;
    }

    private static <T> List<T> run(List<Supplier<T>> tasks, Optional<Executor> executor) {
        List<T> out = new ArrayList<>(tasks.size());
        if (executor.isEmpty()) {
            for (Supplier<T> t : tasks) {
                out.add(t.get());
            }
            return out;
        }
        List<CompletableFuture<T>> futures = new ArrayList<>();
        for (Supplier<T> t : tasks) {
            futures.add(CompletableFuture.supplyAsync(t, executor.get()));
        }
        try {
            for (CompletableFuture<T> f : futures) {
                out.add(f.join());
            }
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
        return out;
    }

    /**
     * Builds a {@link DatasetDrift}; {@link #build()} checks the configuration and prepares the
     * reference. Not thread-safe.
     */
    public static final class Builder {
        private final List<String> columns;
        private final Optional<Dataset> table;
        private final Optional<DatasetReference> prepared;
        private final Map<String, StatTest> tests = new HashMap<>();
        private final Map<String, Double> thresholds = new HashMap<>();
        private final Set<String> referenceBins = new HashSet<>();
        private Correction correction = Correction.NONE;
        private double driftShare = 0.5;
        private Optional<Executor> executor = Optional.empty();

        private Builder(List<String> columns, Optional<Dataset> table, Optional<DatasetReference> prepared) {
            this.columns = columns;
            this.table = table;
            this.prepared = prepared;
        }

        /**
         * @param column a reference column
         * @param test the method to use for it
         * @return this
         */
        public Builder test(String column, StatTest test) {
            requireColumn(column);
            tests.put(column, Objects.requireNonNull(test, "test"));
            return this;
        }

        /**
         * Sets a column's threshold instead of its test's default. Only a column whose test is set with
         * {@link #test(String, StatTest)} may have one, since one number cannot be a p-value level for
         * the automatic choice on small references and a distance on large ones; {@link #build()} checks
         * that, and that the threshold is in the test's range (a p-value level in [0, 1], a distance in
         * [0, {@link StatTest#maxStatistic()}]).
         *
         * @param column a reference column
         * @param threshold its threshold, finite and at least 0
         * @return this
         * @throws IllegalArgumentException when the threshold is NaN, infinite or negative
         */
        public Builder threshold(String column, double threshold) {
            requireColumn(column);
            if (!(threshold >= 0) || Double.isInfinite(threshold)) {
                throw new IllegalArgumentException("threshold of column " + column + " must be finite and >= 0, was "
                        + threshold);
            }
            thresholds.put(column, threshold);
            return this;
        }

        /**
         * Counts a numeric column on bins fixed by its reference alone (see
         * {@link DriftDetectors.Builder#referenceBins()}), so that {@link MonitorDrift} tests each monitor
         * window from exact counts, whatever its size, instead of from a bounded sample. The column needs a
         * binned test set with {@link #test(String, StatTest)} (PSI, Jensen-Shannon, chi-square, ...);
         * {@link #build()} checks that.
         *
         * @param column a numeric reference column
         * @return this
         */
        public Builder referenceBins(String column) {
            requireColumn(column);
            referenceBins.add(column);
            return this;
        }

        /**
         * @param value the multiple-testing correction
         * @return this
         */
        public Builder correction(Correction value) {
            correction = Objects.requireNonNull(value, "correction");
            return this;
        }

        /**
         * @param share the share of drifted columns at which the dataset drifts, in (0, 1]
         * @return this
         */
        public Builder driftShare(double share) {
            if (!(share > 0 && share <= 1)) {
                throw new IllegalArgumentException("driftShare must be in (0, 1], was " + share);
            }
            driftShare = share;
            return this;
        }

        /**
         * @param pool runs column preparation and tests in parallel
         * @return this
         */
        public Builder executor(Executor pool) {
            executor = Optional.of(Objects.requireNonNull(pool, "executor"));
            return this;
        }

        private void requireColumn(String column) {
            if (!columns.contains(Objects.requireNonNull(column, "column"))) {
                throw new IllegalArgumentException("no column " + column + " in the reference; columns are " + columns);
            }
        }

        /**
         * @return the detector, with every reference column prepared
         * @throws IllegalArgumentException naming the column, when a threshold is set for a column without
         *     an explicit test or is out of its test's range, when a column's method does not suit its data,
         *     or when Benjamini-Hochberg would get different p-value thresholds
         */
        public DatasetDrift build() {
            for (String column : referenceBins) {
                StatTest test = tests.get(column);
                if (test == null) {
                    throw new IllegalArgumentException("column " + column + " has referenceBins but no test: set "
                            + "test(\"" + column + "\", ...) to a binned test, such as StatTest.PSI");
                }
                try {
                    StatTestDetector.checkReferenceBins(test);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("column " + column + ": " + e.getMessage(), e);
                }
            }
            for (String column : columns) {
                Double t = thresholds.get(column);
                if (t == null) {
                    continue;
                }
                StatTest test = tests.get(column);
                if (test == null) {
                    throw new IllegalArgumentException("column " + column + " has a threshold but no test: set "
                            + "test(\"" + column + "\", ...) too, since the automatic choice may give it a p-value test"
                            + " or a distance and one threshold cannot mean both");
                }
                try {
                    StatTestDetector.checkThreshold(test, test.defaultRule(), t);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("column " + column + ": " + e.getMessage(), e);
                }
            }
            List<Supplier<ColumnPlan>> tasks = new ArrayList<>();
            for (String column : columns) {
                tasks.add(() -> new ColumnPlan(column, prepared.isPresent() ? prepared.get().reference(column)
                        : DatasetReference.prepare(table.orElseThrow(), column), Optional.ofNullable(tests.get(column)),
                        Optional.ofNullable(thresholds.get(column)), referenceBins.contains(column)));
            }
            List<ColumnPlan> plans = run(tasks, executor);
            if (correction == Correction.BENJAMINI_HOCHBERG) {
                requireOnePValueThreshold(plans);
            }
            return new DatasetDrift(plans, correction, driftShare, executor);
        }

        /** Every p-value threshold a column can be judged at, so that Benjamini-Hochberg gets one alpha. */
        private static void requireOnePValueThreshold(List<ColumnPlan> plans) {
            Map<String, Set<Double>> levels = new TreeMap<>();
            for (ColumnPlan p : plans) {
                Set<Double> mine = new HashSet<>();
                if (p.fixed.isPresent()) {
                    if (p.fixed.get().hasPValue()) {
                        mine.add(p.threshold.orElse(p.fixed.get().defaultThreshold()));
                    }
                } else if (p.smallReference()) {
                    SMALL_AUTOMATIC.forEach(t -> mine.add(t.defaultThreshold()));
                }
                if (!mine.isEmpty()) {
                    levels.put(p.name, mine);
                }
            }
            Set<Double> all = new HashSet<>();
            levels.values().forEach(all::addAll);
            if (all.size() > 1) {
                throw new IllegalArgumentException("Benjamini-Hochberg needs one p-value threshold for all p-value "
                        + "columns, got " + levels);
            }
        }
    }
}
