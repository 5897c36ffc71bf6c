package dev.mlops.drift.internal;

import dev.mlops.core.drift.CategoricalSample;
import dev.mlops.core.drift.NumericSample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Puts a reference and a current sample into common bins, following Evidently's
 * {@code get_binned_data} ({@code evidently/calculations/stattests/utils.py}), which its PSI, KL and
 * Jensen-Shannon stattests share:
 *
 * <ul>
 *   <li><b>Categorical</b>: one bin per category of either sample. The reference's categories come first
 *       in their natural order, then the categories only the current sample holds, in natural order,
 *       each in its own bin with a zero reference count ({@link Bins#unseen()} counts them; Evidently
 *       keeps them the same way, in no set order). A category unseen in the reference therefore never
 *       makes anything fail: the homogeneity tests and every distance take it as it is, and
 *       {@link Bins#poolUnseen()} merges such bins into one explicit bucket when wanted.
 *   <li><b>Numeric with more than {@value #DISCRETE_LIMIT} distinct reference values</b>: equal-width
 *       histogram bins over the combined data, as NumPy's
 *       {@code histogram_bin_edges(concat(reference, current), bins="sturges")}: with {@code n} values
 *       in both samples together over the range {@code [min, max]}, the width is
 *       {@code (max - min) / (log2(n) + 1)}, the bin count {@code ceil((max - min) / width)}, the edges
 *       {@code min + i * (max - min) / bins} with the last edge exactly {@code max}. Values are counted
 *       as by {@code numpy.histogram}: each bin holds {@code [lo, hi)}, the last {@code [lo, hi]}. The
 *       same floating-point operations are done in the same order, so the edges equal NumPy's bit for bit.
 *   <li><b>Numeric with at most {@value #DISCRETE_LIMIT} distinct reference values</b>: one bin per
 *       distinct value of either sample, ascending; values only the current sample holds are unseen bins.
 *       {@code -0.0} and {@code 0.0} are one value, as in pandas.
 * </ul>
 *
 * <p>Missing values were already set apart by the samples and are not binned. Shares are taken later
 * by the {@link Distances}, relative to each sample's non-missing size, as Evidently does.
 *
 * <p>Stateless and thread-safe. Cost: linear in the number of categories, or
 * {@code O((n_ref + n_cur) + bins * log n)} for numeric samples, which come sorted.
 */
public final class Binning {

    /** Numeric samples with more distinct reference values than this get histogram bins. */
    public static final int DISCRETE_LIMIT = 20;

    private Binning() {
    }

    /**
     * Bins two categorical samples, one bin per category of either.
     *
     * @param reference the reference sample, with at least one non-missing value
     * @param current the current sample, with at least one non-missing value
     * @return the bins: the reference's categories in natural order, then the unseen ones
     * @throws IllegalArgumentException when a sample has no non-missing value
     */
    public static Bins categorical(CategoricalSample reference, CategoricalSample current) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(current, "current");
        requireNotEmpty(reference.size(), "reference");
        requireNotEmpty(current.size(), "current");
        Map<String, Long> ref = reference.counts();
        Map<String, Long> cur = current.counts();
        int size = ref.size();
        for (String category : cur.keySet()) {
            if (!ref.containsKey(category)) {
                size++;
            }
        }
        long[] refCounts = new long[size];
        long[] curCounts = new long[size];
        List<String> labels = new ArrayList<>(size);
        int i = 0;
        for (Map.Entry<String, Long> e : ref.entrySet()) {
            refCounts[i] = e.getValue();
            curCounts[i] = current.count(e.getKey());
            labels.add(e.getKey());
            i++;
        }
        for (Map.Entry<String, Long> e : cur.entrySet()) {
            if (!ref.containsKey(e.getKey())) {
                curCounts[i] = e.getValue();
                labels.add(e.getKey());
                i++;
            }
        }
        return new Bins(refCounts, curCounts, labels, new double[0]);
    }

    /**
     * Bins two numeric samples by Evidently's rule: histogram bins (Sturges, over the combined data)
     * when the reference has more than {@value #DISCRETE_LIMIT} distinct values, else one bin per value.
     *
     * @param reference the reference sample, with at least one non-missing value
     * @param current the current sample, with at least one non-missing value
     * @return the bins
     * @throws IllegalArgumentException when a sample has no non-missing value (samples hold finite values
     *     only: infinities are counted as missing, so the histogram range is always finite)
     */
    public static Bins numeric(NumericSample reference, NumericSample current) {
        Objects.requireNonNull(reference, "reference");
        requireNotEmpty(reference.size(), "reference");
        return NumericReference.ofSorted(reference.sortedValues()).bins(current);
    }

    /**
     * A numeric reference prepared once for {@link #numeric}: its sorted values and whether it has more
     * than {@value #DISCRETE_LIMIT} distinct values, so that binning a current sample never re-reads it.
     * Immutable and thread-safe.
     */
    public static final class NumericReference {
        private final double[] sorted;
        private final boolean histogram;

        private NumericReference(double[] sorted) {
            this.sorted = sorted;
            int distinct = sorted.length == 0 ? 0 : 1;
            for (int i = 1; i < sorted.length && distinct <= DISCRETE_LIMIT; i++) {
                if (sorted[i] != sorted[i - 1]) {
                    distinct++;
                }
            }
            this.histogram = distinct > DISCRETE_LIMIT;
        }

        /**
         * @param sorted ascending finite reference values, at least one; kept, not copied, so it must not change
         * @return the prepared reference
         */
        public static NumericReference ofSorted(double[] sorted) {
            requireNotEmpty(sorted.length, "reference");
            return new NumericReference(sorted);
        }

        /**
         * @param current the current sample, with at least one non-missing value
         * @return the bins of this reference and {@code current}, by Evidently's rule
         * @throws IllegalArgumentException when the current sample has no non-missing value
         */
        public Bins bins(NumericSample current) {
            Objects.requireNonNull(current, "current");
            requireNotEmpty(current.size(), "current");
            double[] ref = sorted;
            double[] cur = current.sortedValues();
            if (histogram) {
                double[] edges = sturgesEdges(Math.min(ref[0], cur[0]), Math.max(ref[ref.length - 1], cur[cur.length - 1]),
                        (long) ref.length + cur.length);
                List<String> labels = new ArrayList<>(edges.length - 1);
                for (int i = 0; i + 1 < edges.length; i++) {
                    labels.add("[" + edges[i] + ", " + edges[i + 1] + (i + 2 == edges.length ? "]" : ")"));
                }
                return new Bins(histogram(ref, edges), histogram(cur, edges), labels, edges);
            }
            return perValue(ref, cur);
        }
    }

    /**
     * The edges of NumPy's {@code histogram_bin_edges(a, bins="sturges")} for data with the given range
     * and size; {@code min < max} here, as more than one distinct value is binned.
     *
     * @param min the smallest value
     * @param max the largest value
     * @param n the number of values
     * @return the edges, ascending, the first {@code min} and the last {@code max}
     */
    public static double[] sturgesEdges(double min, double max, long n) {
        double range = max - min;
        if (Double.isInfinite(range)) {
            // NumPy fails here (its range overflows); the same operations on the halved values, doubled
            // back: halving and doubling are exact, so these are the edges NumPy would compute unbounded
            double[] edges = sturgesEdges(min / 2, max / 2, n);
            for (int i = 0; i < edges.length; i++) {
                edges[i] *= 2;
            }
            return edges;
        }
        int bins = sturgesBinCount(range, n);
        double[] edges = new double[bins + 1];
        double step = range / bins;
        for (int i = 0; i < bins; i++) {
            // NumPy's linspace: i * step + start, then the last edge set to stop exactly.
            edges[i] = i * step + min;
        }
        edges[bins] = max;
        return edges;
    }

    /**
     * NumPy's Sturges bin count for {@code n} values over a finite {@code range}:
     * {@code ceil(range / (range / (log2(n) + 1)))}, at least 1.
     *
     * @param range the data's range, finite and at least 0
     * @param n the number of values
     * @return the number of bins
     */
    public static int sturgesBinCount(double range, long n) {
        double width = range / (log2(n) + 1.0);
        return width != 0 ? (int) Math.ceil(range / width) : 1;
    }

    /**
     * {@code numpy.histogram(sorted, edges)}: bin {@code i} counts {@code edges[i] <= x < edges[i + 1]},
     * the last bin also {@code x == edges[last]}; values outside the edges are not counted.
     */
    static long[] histogram(double[] sorted, double[] edges) {
        int bins = edges.length - 1;
        long[] counts = new long[bins];
        int previous = lowerBound(sorted, edges[0]);
        for (int i = 0; i < bins; i++) {
            int next = i + 1 == bins ? upperBound(sorted, edges[bins]) : lowerBound(sorted, edges[i + 1]);
            counts[i] = next - previous;
            previous = next;
        }
        return counts;
    }

    /**
     * The fixed edges of reference bins: NumPy's {@code histogram_bin_edges(reference, bins="sturges")} of
     * the reference alone (Sturges' count over its range), or {@code [v, v]} for a constant reference. A
     * current sample is counted on them in {@code edges + 1} bins by {@link #countOnEdges}.
     *
     * @param sorted ascending finite reference values, at least one
     * @return the edges, ascending, the first the reference's minimum and the last its maximum
     */
    public static double[] referenceEdges(double[] sorted) {
        requireNotEmpty(sorted.length, "reference");
        double min = sorted[0];
        double max = sorted[sorted.length - 1];
        return min == max ? new double[] {min, max} : sturgesEdges(min, max, sorted.length);
    }

    /**
     * Counts values on fixed edges {@code e0 <= ... <= ek}: bin 0 below {@code e0}; bin {@code i} holds
     * {@code [e(i-1), e(i))} for {@code i < k} and {@code [e(k-1), ek]} for {@code i = k}, as
     * {@code numpy.histogram}; bin {@code k + 1} above {@code ek}. The rule of
     * {@code dev.mlops.core.monitor.DriftPlan.Numeric}, by which a monitor counts each window.
     *
     * @param sorted ascending finite values
     * @param edges at least two ascending finite edges
     * @return {@code edges.length + 1} counts
     */
    public static long[] countOnEdges(double[] sorted, double[] edges) {
        int k = edges.length - 1;
        long[] counts = new long[k + 2];
        int below = lowerBound(sorted, edges[0]);
        counts[0] = below;
        int previous = below;
        for (int i = 1; i <= k; i++) {
            int next = i == k ? upperBound(sorted, edges[k]) : lowerBound(sorted, edges[i]);
            counts[i] = next - previous;
            previous = next;
        }
        counts[k + 1] = sorted.length - previous;
        return counts;
    }

    /**
     * Reference and current counts on fixed edges as bins: the {@code edges + 1} bins of
     * {@link #countOnEdges}, labelled {@code "(-Infinity, e0)"}, {@code "[lo, hi)"}, {@code "[lo, hi]"},
     * {@code "(ek, Infinity)"}, without the bins empty in both samples (a homogeneity test has no
     * expected count there, and no distance changes). The bins carry no edges: with the two open bins
     * they are not the intervals between consecutive edges.
     *
     * @param edges the fixed edges
     * @param reference the reference's counts on them
     * @param current the current sample's counts on them
     * @return the bins
     */
    public static Bins onEdges(double[] edges, long[] reference, long[] current) {
        int k = edges.length - 1;
        List<String> labels = new ArrayList<>();
        long[] ref = new long[k + 2];
        long[] cur = new long[k + 2];
        int n = 0;
        for (int i = 0; i <= k + 1; i++) {
            if (reference[i] == 0 && current[i] == 0) {
                continue;
            }
            labels.add(i == 0 ? "(-Infinity, " + edges[0] + ")"
                    : i == k + 1 ? "(" + edges[k] + ", Infinity)"
                    : "[" + edges[i - 1] + ", " + edges[i] + (i == k ? "]" : ")"));
            ref[n] = reference[i];
            cur[n] = current[i];
            n++;
        }
        return new Bins(Arrays.copyOf(ref, n), Arrays.copyOf(cur, n), labels, new double[0]);
    }

    /**
     * Base-2 logarithm as C's {@code log2}, which NumPy calls: exact for powers of two, where the bin
     * count {@code ceil(range / width)} would otherwise be pushed over an integer by a rounding error.
     * Elsewhere {@code log2(n) + 1} is at least {@code 1 / (n ln 2)} from an integer, far more than the
     * last-place difference between this quotient and C's {@code log2}, so the ceiling agrees.
     */
    static double log2(long n) {
        if (Long.bitCount(n) == 1) {
            return Long.numberOfTrailingZeros(n);
        }
        return Math.log(n) / Math.log(2);
    }

    private static Bins perValue(double[] ref, double[] cur) {
        List<String> labels = new ArrayList<>();
        List<long[]> rows = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < ref.length || j < cur.length) {
            double v;
            if (j == cur.length || (i < ref.length && ref[i] <= cur[j])) {
                v = ref[i];
            } else {
                v = cur[j];
            }
            // The comparisons are ==, so -0.0 and 0.0, which sort apart, land in one bin.
            long r = 0;
            while (i < ref.length && ref[i] == v) {
                r++;
                i++;
            }
            long c = 0;
            while (j < cur.length && cur[j] == v) {
                c++;
                j++;
            }
            labels.add(Double.toString(v));
            rows.add(new long[] {r, c});
        }
        long[] refCounts = new long[rows.size()];
        long[] curCounts = new long[rows.size()];
        for (int k = 0; k < rows.size(); k++) {
            refCounts[k] = rows.get(k)[0];
            curCounts[k] = rows.get(k)[1];
        }
        return new Bins(refCounts, curCounts, labels, new double[0]);
    }

    private static int lowerBound(double[] sorted, double key) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int upperBound(double[] sorted, double key) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static void requireNotEmpty(long size, String name) {
        if (size == 0) {
            throw new IllegalArgumentException(name + " must hold at least one non-missing value");
        }
    }
}
