package dev.mlops.drift;

import dev.mlops.core.drift.BinCounts;
import dev.mlops.core.drift.CategoricalSample;
import dev.mlops.core.drift.NumericSample;
import dev.mlops.core.drift.Sample;
import dev.mlops.drift.internal.Binning;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The bins a chart draws for a column whose test did not count bins (Kolmogorov-Smirnov, Wasserstein and
 * the other tests that read values) or that was not tested. The rule is Evidently's, which the binned
 * tests use too ({@link Binning}): with more than {@value Binning#DISCRETE_LIMIT} distinct reference
 * values, Sturges bins over the combined range; otherwise one bin per distinct value of either sample.
 * Two changes suit a chart and change no verdict:
 * <ul>
 *   <li>one bin per value only while both samples together hold at most {@value #MAX_VALUE_BINS} distinct
 *       values (a continuous current sample against a discrete reference gets Sturges bins, not one bar
 *       per value);</li>
 *   <li>when every value of both samples is a whole number (and within 2^50, where halves are exact),
 *       each bin holds the same number of whole numbers: the Sturges bin count is kept, the width rounded
 *       up to a whole number, and the edges put halfway between integers, so no value sits on an edge.</li>
 * </ul>
 * Otherwise the edges are NumPy's {@code histogram_bin_edges(..., bins="sturges")}, bit for bit those of
 * {@link Binning}. Labels follow {@link Binning} too: {@code Double.toString} of the value, or
 * {@code "[lo, hi)"} (the last bin {@code "[lo, hi]"}).
 *
 * <p>Cost: the samples come sorted, so each edge or value is placed by binary search:
 * {@code O(bins * log n)}, never a pass over the values. Categorical bins cost one look-up per category.
 * Stateless and thread-safe.
 */
final class DisplayBins {
    /** The most bins of one value each; beyond it, Sturges bins. */
    static final int MAX_VALUE_BINS = 40;
    /** Whole numbers up to this magnitude have exact halves, so integer bins can have edges at halves. */
    private static final double EXACT_HALVES = 0x1p50;

    private DisplayBins() {
    }

    /**
     * @param reference the reference sample
     * @param current the current sample, of the same kind
     * @param integral whether every value of both numeric samples is a whole number (from their profiles)
     * @return the bins; none when both samples are empty
     */
    static BinCounts of(Sample reference, Sample current, boolean integral) {
        if (reference instanceof NumericSample r) {
            return numeric(r, (NumericSample) current, integral);
        }
        return categorical((CategoricalSample) reference, (CategoricalSample) current);
    }

    /** One bin per category: the reference's in natural order, then the ones only the current sample holds. */
    static BinCounts categorical(CategoricalSample reference, CategoricalSample current) {
        List<String> labels = new ArrayList<>();
        List<Long> ref = new ArrayList<>();
        List<Long> cur = new ArrayList<>();
        for (Map.Entry<String, Long> e : reference.counts().entrySet()) {
            labels.add(e.getKey());
            ref.add(e.getValue());
            cur.add(current.count(e.getKey()));
        }
        for (Map.Entry<String, Long> e : current.counts().entrySet()) {
            if (reference.count(e.getKey()) == 0) {
                labels.add(e.getKey());
                ref.add(0L);
                cur.add(e.getValue());
            }
        }
        return new BinCounts(labels, List.of(), ref, cur);
    }

    static BinCounts numeric(NumericSample reference, NumericSample current, boolean integral) {
        int nr = (int) reference.size();
        int nc = (int) current.size();
        if (nr == 0 && nc == 0) {
            return new BinCounts(List.of(), List.of(), List.of(), List.of());
        }
        double[] refValues = distinct(reference, Binning.DISCRETE_LIMIT + 1);
        if (refValues.length <= Binning.DISCRETE_LIMIT) {
            double[] values = union(refValues, distinct(current, MAX_VALUE_BINS + 1));
            if (values.length <= MAX_VALUE_BINS) {
                return perValue(reference, current, values);
            }
        }
        double min = Math.min(nr == 0 ? Double.POSITIVE_INFINITY : reference.valueAt(0),
                nc == 0 ? Double.POSITIVE_INFINITY : current.valueAt(0));
        double max = Math.max(nr == 0 ? Double.NEGATIVE_INFINITY : reference.valueAt(nr - 1),
                nc == 0 ? Double.NEGATIVE_INFINITY : current.valueAt(nc - 1));
        long n = (long) nr + nc;
        double[] edges = integral && Math.abs(min) <= EXACT_HALVES && Math.abs(max) <= EXACT_HALVES
                ? integerEdges(min, max, n)
                : Binning.sturgesEdges(min, max, n);
        List<String> labels = new ArrayList<>(edges.length - 1);
        List<Double> edgeList = new ArrayList<>(edges.length);
        for (int i = 0; i + 1 < edges.length; i++) {
            labels.add("[" + edges[i] + ", " + edges[i + 1] + (i + 2 == edges.length ? "]" : ")"));
        }
        for (double e : edges) {
            edgeList.add(e);
        }
        return new BinCounts(labels, edgeList, histogram(reference, edges), histogram(current, edges));
    }

    /**
     * Sturges' bin count for whole numbers from {@code min} to {@code max}, with the width rounded up to
     * a whole number and the edges at halves: bin {@code i} holds {@code min + i * width} to
     * {@code min + (i + 1) * width - 1}.
     */
    static double[] integerEdges(double min, double max, long n) {
        double values = max - min + 1;
        double width = Math.ceil(values / Binning.sturgesBinCount(max - min, n));
        int bins = (int) Math.ceil(values / width);
        double[] edges = new double[bins + 1];
        for (int i = 0; i <= bins; i++) {
            edges[i] = min - 0.5 + i * width;
        }
        return edges;
    }

    private static BinCounts perValue(NumericSample reference, NumericSample current, double[] values) {
        List<String> labels = new ArrayList<>(values.length);
        List<Long> ref = new ArrayList<>(values.length);
        List<Long> cur = new ArrayList<>(values.length);
        for (double v : values) {
            labels.add(Double.toString(v));
            ref.add((long) (upperBound(reference, v) - lowerBound(reference, v)));
            cur.add((long) (upperBound(current, v) - lowerBound(current, v)));
        }
        return new BinCounts(labels, List.of(), ref, cur);
    }

    /**
     * {@code numpy.histogram}'s counting: bin {@code i} holds {@code edges[i] <= x < edges[i + 1]}, the last
     * bin also {@code x == edges[last]}.
     */
    private static List<Long> histogram(NumericSample s, double[] edges) {
        int bins = edges.length - 1;
        List<Long> counts = new ArrayList<>(bins);
        int previous = lowerBound(s, edges[0]);
        for (int i = 0; i < bins; i++) {
            int next = i + 1 == bins ? upperBound(s, edges[bins]) : lowerBound(s, edges[i + 1]);
            counts.add((long) (next - previous));
            previous = next;
        }
        return counts;
    }

    /**
     * The distinct values of a sorted sample, ascending, at most {@code limit} of them, found by jumping
     * from one value to the next larger one. {@code -0.0} and {@code 0.0} are one value, as in {@link Binning}.
     */
    private static double[] distinct(NumericSample s, int limit) {
        int n = (int) s.size();
        double[] out = new double[limit];
        int k = 0;
        int i = 0;
        while (i < n && k < limit) {
            double v = s.valueAt(i);
            out[k++] = v;
            i = upperBound(s, v);
        }
        return java.util.Arrays.copyOf(out, k);
    }

    private static double[] union(double[] a, double[] b) {
        double[] out = new double[a.length + b.length];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < a.length || j < b.length) {
            double v = j == b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j];
            out[k++] = v;
            while (i < a.length && a[i] == v) {
                i++;
            }
            while (j < b.length && b[j] == v) {
                j++;
            }
        }
        return java.util.Arrays.copyOf(out, k);
    }

    private static int lowerBound(NumericSample s, double key) {
        int lo = 0;
        int hi = (int) s.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (s.valueAt(mid) < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int upperBound(NumericSample s, double key) {
        int lo = 0;
        int hi = (int) s.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (s.valueAt(mid) <= key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
