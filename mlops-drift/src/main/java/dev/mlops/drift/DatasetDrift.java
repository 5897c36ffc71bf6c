package dev.mlops.drift;

import dev.mlops.core.drift.CategoricalSample;
import dev.mlops.core.drift.DriftDetector;
import dev.mlops.core.drift.DriftResult;
import dev.mlops.core.drift.NumericSample;
import dev.mlops.core.drift.Reference;
import dev.mlops.core.drift.Sample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Drift of a whole table: one test per column, chosen automatically or set per column, multiple-testing
 * correction, and the share-of-drifted-columns rule.
 *
 * <p><b>Automatic choice</b> (Evidently's rule; unique values counted over both samples, reference size
 * without missing values):
 * <ul>
 *   <li>reference of at most 1000 values: a numeric column with more than 5 unique values gets
 *       {@link StatTest#KOLMOGOROV_SMIRNOV}; otherwise {@link StatTest#CHI_SQUARE} with more than 2 unique
 *       values, else {@link StatTest#Z_PROPORTION};</li>
 *   <li>larger references: a numeric column with more than 5 unique values gets
 *       {@link StatTest#WASSERSTEIN_NORMED} (drift at 0.1 reference standard deviations), otherwise
 *       {@link StatTest#JENSEN_SHANNON} (drift at 0.1).</li>
 * </ul>
 * So large samples are judged by effect sizes, which do not flag harmless shifts the way a p-value does
 * at a million rows. The dataset drifts when at least half the tested columns drift.
 *
 * <p><b>Missing values</b> (NaN, null) are counted in each result and never tested; categories unseen in
 * the reference get their own bins; a column with no values in the current data is reported with a
 * problem, not tested, and not counted.
 *
 * <p>The reference is prepared once, when {@link Builder#build()} runs (columns sorted or counted).
 * With an {@link Executor}, columns are prepared and tested in parallel on it; without one, on the
 * calling thread. Immutable and thread-safe.
 *
 * <pre>{@code
 * DatasetDrift drift = DatasetDrift.builder(referenceTable)
 *         .test("country", StatTest.CHI_SQUARE)
 *         .correction(Correction.BENJAMINI_HOCHBERG)
 *         .executor(pool)
 *         .build();
 * DatasetDriftResult result = drift.detect(currentTable);
 * }</pre>
 */
public final class DatasetDrift {
    /** Evidently's boundary between small and large references. */
    static final int SMALL_REFERENCE = 1000;

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
     * @param reference the reference table
     * @return a builder
     */
    public static Builder builder(Dataset reference) {
        return new Builder(reference);
    }

    /** A column's prepared reference and the detectors made for it, one per method. */
    private static final class ColumnPlan {
        final String name;
        final Reference reference;
        final Optional<StatTest> fixed;
        final Optional<Double> threshold;
        /**
         * For a numeric column, its distinct reference values while there are at most 5 of them, else
         * empty with {@code manyValues} set: the automatic rule only asks "more than 5 unique values?".
         */
        final Set<Double> fewValues = new HashSet<>();
        final boolean manyValues;
        final Map<StatTest, DriftDetector> detectors = new ConcurrentHashMap<>();

        ColumnPlan(String name, Reference reference, Optional<StatTest> fixed, Optional<Double> threshold) {
            this.name = name;
            this.reference = reference;
            this.fixed = fixed;
            this.threshold = threshold;
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
            fixed.ifPresent(this::detector);
        }

        DriftDetector detector(StatTest test) {
            return detectors.computeIfAbsent(test, t -> threshold.isPresent()
                    ? DriftDetectors.of(t, reference, threshold.get())
                    : DriftDetectors.of(t, reference));
        }

        StatTest choose(Sample current) {
            if (fixed.isPresent()) {
                return fixed.get();
            }
            Sample ref = reference.sample();
            boolean numeric = ref instanceof NumericSample;
            long unique = numeric ? numericUnionUnique((NumericSample) current)
                    : unionUnique((CategoricalSample) ref, (CategoricalSample) current);
            if (ref.size() <= SMALL_REFERENCE) {
                if (numeric && unique > 5) {
                    return StatTest.KOLMOGOROV_SMIRNOV;
                }
                return unique > 2 ? StatTest.CHI_SQUARE : StatTest.Z_PROPORTION;
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
    }

    private static long unionUnique(CategoricalSample ref, CategoricalSample cur) {
        Set<String> all = new HashSet<>(ref.counts().keySet());
        all.addAll(cur.counts().keySet());
        return all.size();
    }

    /** A column's raw outcome before correction. */
    private record Raw(ColumnPlan plan, StatTest test, Optional<DriftResult> result, String problem) {
    }

    /**
     * @param current the current table; must hold every reference column, with the same kind
     * @return every column's outcome and the dataset verdict
     * @throws IllegalArgumentException when a reference column is missing or of the other kind
     */
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
        List<Supplier<Raw>> tasks = new ArrayList<>();
        for (ColumnPlan p : plans) {
            tasks.add(() -> {
                Sample sample = current.sample(p.name);
                StatTest test = p.choose(sample);
                if (sample.size() == 0) {
                    return new Raw(p, test, Optional.empty(), "no values in the current data (" + sample.missing()
                            + " missing)");
                }
                return new Raw(p, test, Optional.of(p.detector(test).detect(sample)), "");
            });
        }
        List<Raw> raws = run(tasks, executor);
        return new DatasetDriftResult(correct(raws), correction, driftShare);
    }

    private List<ColumnDrift> correct(List<Raw> raws) {
        List<Raw> withP = new ArrayList<>();
        for (Raw r : raws) {
            if (r.result.isPresent() && r.result.get().pValue().isPresent()) {
                withP.add(r);
            }
        }
        int m = withP.size();
        Map<Raw, Double> adjusted = new HashMap<>();
        if (correction == Correction.BONFERRONI) {
            for (Raw r : withP) {
                adjusted.put(r, r.result.get().threshold() / m);
            }
        } else if (correction == Correction.BENJAMINI_HOCHBERG && m > 0) {
            double alpha = withP.get(0).result.get().threshold();
            for (Raw r : withP) {
                if (r.result.get().threshold() != alpha) {
                    throw new IllegalStateException("Benjamini-Hochberg needs one threshold for all p-value columns; "
                            + r.plan.name + " has " + r.result.get().threshold() + ", others " + alpha);
                }
            }
            Raw[] sorted = withP.toArray(new Raw[0]);
            Arrays.sort(sorted, (a, b) -> Double.compare(a.result.get().pValue().getAsDouble(),
                    b.result.get().pValue().getAsDouble()));
            int k = 0;
            for (int i = 0; i < m; i++) {
                if (sorted[i].result.get().pValue().getAsDouble() <= (i + 1) * alpha / m) {
                    k = i + 1;
                }
            }
            // Every column among the k smallest drifts; the level that says so is the k-th step's.
            double level = k == 0 ? 0 : k * alpha / m;
            for (Raw r : withP) {
                adjusted.put(r, level);
            }
        }
        List<ColumnDrift> out = new ArrayList<>();
        for (Raw r : raws) {
            if (r.result.isEmpty()) {
                out.add(new ColumnDrift(r.plan.name, r.test, Optional.empty(), Double.NaN, false, r.problem));
                continue;
            }
            DriftResult result = r.result.get();
            Double level = adjusted.get(r);
            if (level == null) {
                out.add(new ColumnDrift(r.plan.name, r.test, r.result, result.threshold(), result.drifted(), ""));
            } else {
                double p = result.pValue().getAsDouble();
                boolean drifted = correction == Correction.BENJAMINI_HOCHBERG ? p <= level && level > 0
                        : result.rule().drifted(p, level);
                out.add(new ColumnDrift(r.plan.name, r.test, r.result, level, drifted, ""));
            }
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

    /** Builds a {@link DatasetDrift}; {@link #build()} prepares the reference. Not thread-safe. */
    public static final class Builder {
        private final Dataset reference;
        private final Map<String, StatTest> tests = new HashMap<>();
        private final Map<String, Double> thresholds = new HashMap<>();
        private Correction correction = Correction.NONE;
        private double driftShare = 0.5;
        private Optional<Executor> executor = Optional.empty();

        private Builder(Dataset reference) {
            this.reference = Objects.requireNonNull(reference, "reference");
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
         * @param column a reference column
         * @param threshold its threshold instead of the method's default
         * @return this
         */
        public Builder threshold(String column, double threshold) {
            requireColumn(column);
            thresholds.put(column, threshold);
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
            if (!reference.columns().contains(column)) {
                throw new IllegalArgumentException("no column " + column + " in the reference; columns are "
                        + reference.columns());
            }
        }

        /**
         * @return the detector, with every reference column prepared
         * @throws IllegalArgumentException when a column's method does not suit its data
         */
        public DatasetDrift build() {
            List<Supplier<ColumnPlan>> tasks = new ArrayList<>();
            for (String column : reference.columns()) {
                tasks.add(() -> new ColumnPlan(column, new Reference(reference.sample(column)),
                        Optional.ofNullable(tests.get(column)), Optional.ofNullable(thresholds.get(column))));
            }
            return new DatasetDrift(run(tasks, executor), correction, driftShare, executor);
        }
    }
}
