package dev.mlops.drift.report;

import dev.mlops.core.drift.CategoricalSample;
import dev.mlops.core.drift.NumericSample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Reference and current counts over the same bins, for one column of a {@link DriftReport}: equal-width
 * bins over the finite range of both samples for numeric columns, the most frequent categories (and one
 * bucket for the rest) for categorical ones. A category the reference never holds is labelled with the
 * suffix {@value #NEW_SUFFIX}, for example {@code "pl (new)"}.
 *
 * @param labels one label per bin
 * @param edges bin edges for a numeric column ({@code labels.size() + 1} of them), empty for a categorical one
 * @param reference reference counts per bin
 * @param current current counts per bin
 */
public record Histogram(List<String> labels, List<Double> edges, List<Long> reference, List<Long> current) {
    /** Most bins of a numeric histogram. */
    public static final int NUMERIC_BINS = 30;
    /** Most categories shown; the rest share one bucket. */
    public static final int TOP_CATEGORIES = 12;
    /** Label of the bucket holding the categories not shown. */
    public static final String OTHER = "(other)";
    /** Appended to the label of a category that the reference never holds. */
    public static final String NEW_SUFFIX = " (new)";

    /** Validates and copies the parts. */
    public Histogram {
        labels = List.copyOf(labels);
        edges = List.copyOf(edges);
        reference = List.copyOf(reference);
        current = List.copyOf(current);
        if (reference.size() != labels.size() || current.size() != labels.size()
                || !(edges.isEmpty() || edges.size() == labels.size() + 1)) {
            throw new IllegalArgumentException("histogram parts disagree in length");
        }
    }

    /**
     * @param ref reference sample
     * @param cur current sample
     * @return equal-width bins over the values of both; no bins when both are empty
     */
    public static Histogram numeric(NumericSample ref, NumericSample cur) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (NumericSample s : List.of(ref, cur)) {
            if (s.size() > 0) {
                lo = Math.min(lo, s.valueAt(0));
                hi = Math.max(hi, s.valueAt((int) s.size() - 1));
            }
        }
        if (lo > hi) {
            return new Histogram(List.of(), List.of(), List.of(), List.of());
        }
        int bins = lo == hi ? 1 : NUMERIC_BINS;
        double[] edges = new double[bins + 1];
        for (int i = 0; i <= bins; i++) {
            edges[i] = i == bins ? hi : lo + (hi - lo) * i / bins;
        }
        List<String> labels = new ArrayList<>();
        List<Double> edgeList = new ArrayList<>();
        for (int i = 0; i < bins; i++) {
            labels.add(String.format(java.util.Locale.ROOT, "%.4g..%.4g", edges[i], edges[i + 1]));
        }
        for (double e : edges) {
            edgeList.add(e);
        }
        return new Histogram(labels, edgeList, boxed(count(ref, edges)), boxed(count(cur, edges)));
    }

    /**
     * @param ref reference sample
     * @param cur current sample
     * @return the {@value #TOP_CATEGORIES} categories with the largest share in either sample, then the
     *     rest; categories absent from the reference labelled with {@value #NEW_SUFFIX}
     */
    public static Histogram categorical(CategoricalSample ref, CategoricalSample cur) {
        Map<String, Double> weight = new TreeMap<>();
        ref.counts().forEach((k, v) -> weight.merge(k, v / (double) Math.max(1, ref.size()), Math::max));
        cur.counts().forEach((k, v) -> weight.merge(k, v / (double) Math.max(1, cur.size()), Math::max));
        List<String> ordered = new ArrayList<>(weight.keySet());
        ordered.sort(Comparator.comparing((String k) -> -weight.get(k)).thenComparing(Comparator.naturalOrder()));
        List<String> shown = ordered.subList(0, Math.min(TOP_CATEGORIES, ordered.size()));
        List<String> labels = new ArrayList<>();
        List<Long> r = new ArrayList<>();
        List<Long> c = new ArrayList<>();
        for (String k : shown) {
            labels.add(ref.count(k) == 0 ? k + NEW_SUFFIX : k);
            r.add(ref.count(k));
            c.add(cur.count(k));
        }
        if (ordered.size() > shown.size()) {
            labels.add(OTHER);
            r.add(ref.size() - r.stream().mapToLong(Long::longValue).sum());
            c.add(cur.size() - c.stream().mapToLong(Long::longValue).sum());
        }
        return new Histogram(labels, List.of(), r, c);
    }

    /** Counts per bin by binary search on the sorted sample: {@code [lo, hi)}, the last bin {@code [lo, hi]}. */
    private static long[] count(NumericSample s, double[] edges) {
        long[] out = new long[edges.length - 1];
        int n = (int) s.size();
        for (int b = 0; b < out.length; b++) {
            boolean last = b == out.length - 1;
            int from = lowerBound(s, n, edges[b]);
            int to = last ? upperBound(s, n, edges[b + 1]) : lowerBound(s, n, edges[b + 1]);
            out[b] = Math.max(0, to - from);
        }
        return out;
    }

    private static int lowerBound(NumericSample s, int n, double x) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (s.valueAt(mid) < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int upperBound(NumericSample s, int n, double x) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (s.valueAt(mid) <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static List<Long> boxed(long[] a) {
        return Arrays.stream(a).boxed().toList();
    }

    /** @return reference shares per bin (count over the reference's non-missing size) */
    double[] referenceShares() {
        return shares(reference);
    }

    /** @return current shares per bin */
    double[] currentShares() {
        return shares(current);
    }

    private static double[] shares(List<Long> counts) {
        long total = Objects.requireNonNull(counts).stream().mapToLong(Long::longValue).sum();
        double[] out = new double[counts.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = total == 0 ? 0 : counts.get(i) / (double) total;
        }
        return out;
    }
}
