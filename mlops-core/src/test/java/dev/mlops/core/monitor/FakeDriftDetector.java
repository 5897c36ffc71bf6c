package dev.mlops.core.monitor;

import dev.mlops.core.drift.BinCounts;
import dev.mlops.core.drift.DriftOutcome;
import dev.mlops.core.drift.DriftResult;
import dev.mlops.core.drift.NumericSample;
import dev.mlops.core.drift.Rule;
import dev.mlops.core.drift.Sample;
import dev.mlops.core.drift.Untestable;
import dev.mlops.core.drift.dataset.ColumnDrift;
import dev.mlops.core.drift.dataset.ColumnProfile;
import dev.mlops.core.drift.dataset.Correction;
import dev.mlops.core.drift.dataset.DatasetDriftResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A drift detector for testing the monitor without mlops-drift: it keeps every window it is handed and
 * answers by fixed rules. A numeric feature's statistic is the shift of its sample's mean from the
 * reference mean in reference standard deviations (drift at 0.5 or more; untestable without values), with
 * the plan's bins when it has edges; a categorical feature's statistic is its unseen share, with the
 * p-value {@code exp(-100 share)} (drift below 0.05) and its categories as bins.
 */
final class FakeDriftDetector implements WindowDriftDetector {
    final List<DriftWindow> seen = new CopyOnWriteArrayList<>();
    private final Map<String, double[]> numericReference;
    private final Map<String, List<String>> categoricalReference;
    private final DriftPlan plan;

    FakeDriftDetector(Map<String, double[]> numericReference, Map<String, List<String>> categoricalReference,
            DriftPlan plan) {
        this.numericReference = new LinkedHashMap<>(numericReference);
        this.categoricalReference = new LinkedHashMap<>(categoricalReference);
        this.plan = plan;
    }

    @Override
    public DriftPlan plan(FeatureSchema schema) {
        for (String f : numericReference.keySet()) {
            if (!schema.numericNames().contains(f)) {
                throw new IllegalArgumentException("no numeric feature " + f);
            }
        }
        return plan;
    }

    @Override
    public DatasetDriftResult detect(DriftWindow window) {
        seen.add(window);
        List<ColumnDrift> columns = new ArrayList<>();
        for (Map.Entry<String, double[]> e : numericReference.entrySet()) {
            columns.add(numeric(e.getKey(), e.getValue(), window.numeric(e.getKey())));
        }
        for (Map.Entry<String, List<String>> e : categoricalReference.entrySet()) {
            columns.add(categorical(e.getKey(), e.getValue(), window.categorical(e.getKey())));
        }
        return new DatasetDriftResult(columns, Correction.NONE, 0.5);
    }

    private ColumnDrift numeric(String name, double[] reference, DriftWindow.Numeric n) {
        NumericSample ref = Sample.numeric(reference);
        NumericSample cur = n.sample().orElse(NumericSample.ofSorted(new double[0], n.summary().missing()
                + n.summary().infinite()));
        BinCounts bins;
        List<Long> refBins = new ArrayList<>();
        DriftPlan.Numeric entry = plan.numeric().stream().filter(p -> p.feature().equals(name)).findFirst().orElse(null);
        if (entry != null && !entry.edges().isEmpty()) {
            double[] edges = entry.edges().stream().mapToDouble(Double::doubleValue).toArray();
            long[] counts = new long[edges.length + 1];
            for (double v : reference) {
                counts[DriftStripes.bin(edges, v)]++;
            }
            List<String> labels = new ArrayList<>();
            for (int i = 0; i < counts.length; i++) {
                labels.add("bin " + i);
                refBins.add(counts[i]);
            }
            bins = new BinCounts(labels, List.of(), refBins, n.binCounts());
        } else {
            double lo = ref.valueAt(0);
            double hi = ref.valueAt((int) ref.size() - 1);
            bins = new BinCounts(List.of("[" + lo + ", " + hi + "]"), List.of(lo, hi), List.of(ref.size()),
                    List.of(cur.size()));
        }
        DriftOutcome outcome;
        if (cur.size() == 0) {
            outcome = new Untestable("mean_shift", Untestable.Reason.NO_CURRENT_VALUES, "the current sample of " + name
                    + " has no values", ref.size(), 0, ref.missing(), cur.missing());
        } else {
            double refMean = mean(ref);
            double std = Math.max(1e-9, Math.sqrt(variance(ref, refMean)));
            double shift = Math.abs(mean(cur) - refMean) / std;
            outcome = new DriftResult("mean_shift", shift, OptionalDouble.empty(), 0.5, Rule.STATISTIC_AT_LEAST,
                    ref.size(), cur.size(), ref.missing(), cur.missing(),
                    refBins.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(bins));
        }
        return new ColumnDrift(name, outcome, ColumnProfile.of(ref), ColumnProfile.of(cur), List.of(), bins);
    }

    private static ColumnDrift categorical(String name, List<String> reference, CategoricalSummary c) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int i = 0; i < c.categories().size(); i++) {
            counts.put(c.categories().get(i), c.counts().get(i));
        }
        counts.putAll(c.newCategories());
        Map<String, Long> refCounts = new LinkedHashMap<>();
        for (String r : reference) {
            refCounts.merge(r, 1L, Long::sum);
        }
        List<ColumnProfile.CategoryCount> unseen = new ArrayList<>();
        for (Map.Entry<String, Long> e : c.newCategories().entrySet()) {
            unseen.add(new ColumnProfile.CategoryCount(e.getKey(), e.getValue()));
        }
        unseen.sort(Comparator.comparingLong(ColumnProfile.CategoryCount::count).reversed()
                .thenComparing(ColumnProfile.CategoryCount::category));
        List<String> labels = new ArrayList<>(refCounts.keySet());
        List<Long> ref = new ArrayList<>(refCounts.values());
        List<Long> cur = new ArrayList<>();
        for (String label : labels) {
            cur.add(counts.getOrDefault(label, 0L));
        }
        for (ColumnProfile.CategoryCount u : unseen) {
            labels.add(u.category());
            ref.add(0L);
            cur.add(u.count());
        }
        long total = c.total() - c.missing();
        double share = total == 0 ? 0 : (double) c.unseen() / total;
        BinCounts bins = new BinCounts(labels, List.of(), ref, cur);
        DriftResult r = new DriftResult("unseen_share", share, OptionalDouble.of(Math.exp(-100 * share)), 0.05,
                Rule.P_VALUE_BELOW, reference.size(), total, 0, c.missing(), java.util.Optional.of(bins));
        return new ColumnDrift(name, r, ColumnProfile.of(Sample.categoricalCounts(refCounts, 0)),
                ColumnProfile.of(Sample.categoricalCounts(counts, c.missing())), unseen, bins);
    }

    private static double mean(NumericSample s) {
        double sum = 0;
        for (int i = 0; i < s.size(); i++) {
            sum += s.valueAt(i);
        }
        return sum / s.size();
    }

    private static double variance(NumericSample s, double mean) {
        double sum = 0;
        for (int i = 0; i < s.size(); i++) {
            double d = s.valueAt(i) - mean;
            sum += d * d;
        }
        return sum / s.size();
    }
}
