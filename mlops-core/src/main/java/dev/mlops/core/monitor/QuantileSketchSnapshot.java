package dev.mlops.core.monitor;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable copy of a {@link QuantileSketch}: exact counts per bucket, the values outside the
 * buckets counted by kind, the sum, and the exact min and max.
 *
 * <p><b>Ranked values</b> are the finite values {@code >= 0}: zeros, values below the range, values in
 * the buckets and values above the range, in that order; {@link #count()}, {@link #sum()},
 * {@link #min()}, {@link #max()} and {@link #quantile(double)} are over them. Negative values and
 * NaN or infinite values are only counted ({@link #negativeCount()}, {@link #nonFiniteCount()}).
 *
 * <p><b>Quantiles</b> are the lower quantile that DDSketch answers: {@code quantile(q)} estimates the
 * ranked value at 0-based position {@code r = floor(q · (count - 1))} in ascending order (with
 * {@code q · (count - 1)} computed in double arithmetic). When position {@code r} holds a value in the
 * buckets, the answer is that bucket's {@linkplain SketchLayout#representative(int) representative}
 * clamped to {@code [min, max]}, within {@link SketchLayout#relativeAccuracy()} of the exact value,
 * whatever the distribution. Position 0 answers {@link #min()} and position {@code count - 1}
 * {@link #max()}, both exact. A zero answers 0 exactly. Another position below the range answers
 * {@link SketchLayout#lowest()} and one above it {@link SketchLayout#highest()} (each clamped to
 * {@code [min, max]}): bounds, not estimates.
 *
 * <p><b>Merging</b> snapshots of the same layout adds counts bucket by bucket, so the merge of
 * sketches that saw disjoint streams has exactly the counts of one sketch that saw both; the sum is
 * the floating-point sum of the two sums.
 *
 * <p>The buckets are stored trimmed: {@code bucketCounts[i]} is the count of bucket
 * {@code firstBucket + i}, with no zero at either end (an empty one has {@code firstBucket} 0).
 *
 * <pre>{@code
 * QuantileSketchSnapshot a = replicaA.snapshot();
 * QuantileSketchSnapshot all = a.merge(replicaB.snapshot());
 * double p99 = all.quantile(0.99);        // NaN when nothing was recorded
 * long slow = all.aboveRangeCount();
 * }</pre>
 *
 * @param layout the buckets
 * @param zeroCount how many zeros were recorded (including {@code -0.0})
 * @param belowRangeCount positive values below {@code layout.lowest()}
 * @param firstBucket the index of the bucket that {@code bucketCounts[0]} counts
 * @param bucketCounts counts of consecutive buckets from {@code firstBucket}; copied, and trimmed of
 *     zeros at both ends
 * @param aboveRangeCount finite values above {@code layout.highest()}
 * @param negativeCount finite negative values, not ranked
 * @param nonFiniteCount NaN and infinite values, not ranked
 * @param sum the sum of the ranked values, 0 when there are none
 * @param min the smallest ranked value, NaN when there are none
 * @param max the largest ranked value, NaN when there are none
 */
public record QuantileSketchSnapshot(
        SketchLayout layout,
        long zeroCount,
        long belowRangeCount,
        int firstBucket,
        long[] bucketCounts,
        long aboveRangeCount,
        long negativeCount,
        long nonFiniteCount,
        double sum,
        double min,
        double max) {

    /**
     * Validates the parts, copies and trims the bucket counts.
     *
     * @throws IllegalArgumentException when a count is negative, the buckets leave the layout, the
     *     counts overflow a long, or sum, min and max disagree with the count
     *
     * @param layout the buckets
     * @param zeroCount how many zeros were recorded (including {@code -0.0})
     * @param belowRangeCount positive values below {@code layout.lowest()}
     * @param firstBucket the index of the bucket that {@code bucketCounts[0]} counts
     * @param bucketCounts counts of consecutive buckets from {@code firstBucket}; copied, and trimmed of zeros at
     *     both ends
     * @param aboveRangeCount finite values above {@code layout.highest()}
     * @param negativeCount finite negative values, not ranked
     * @param nonFiniteCount NaN and infinite values, not ranked
     * @param sum the sum of the ranked values, 0 when there are none
     * @param min the smallest ranked value, NaN when there are none
     * @param max the largest ranked value, NaN when there are none
     */
    public QuantileSketchSnapshot {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(bucketCounts, "bucketCounts");
        checkCount("zeroCount", zeroCount);
        checkCount("belowRangeCount", belowRangeCount);
        checkCount("aboveRangeCount", aboveRangeCount);
        checkCount("negativeCount", negativeCount);
        checkCount("nonFiniteCount", nonFiniteCount);
        if (firstBucket < 0 || (long) firstBucket + bucketCounts.length > layout.bucketCount()) {
            throw new IllegalArgumentException("buckets [" + firstBucket + ", " + ((long) firstBucket + bucketCounts.length)
                    + ") leave the layout's [0, " + layout.bucketCount() + ")");
        }
        int from = 0;
        int to = bucketCounts.length;
        for (int i = 0; i < bucketCounts.length; i++) {
            if (bucketCounts[i] < 0) {
                checkCount("bucketCounts[" + i + "]", bucketCounts[i]);
            }
        }
        while (from < to && bucketCounts[from] == 0) {
            from++;
        }
        while (to > from && bucketCounts[to - 1] == 0) {
            to--;
        }
        firstBucket = from == to ? 0 : firstBucket + from;
        bucketCounts = Arrays.copyOfRange(bucketCounts, from, to);
        long count = ranked(zeroCount, belowRangeCount, bucketCounts, aboveRangeCount);
        if (count == 0) {
            if (sum != 0 || !Double.isNaN(min) || !Double.isNaN(max)) {
                throw new IllegalArgumentException(
                        "with no ranked values sum must be 0 and min, max NaN, were " + sum + ", " + min + ", " + max);
            }
        } else if (!(min >= 0 && min <= max && sum >= max)) {
            throw new IllegalArgumentException("with " + count + " ranked values need 0 <= min <= max <= sum, were min "
                    + min + ", max " + max + ", sum " + sum);
        }
    }

    /**
     * @param layout the buckets
     * @return a snapshot of nothing
     */
    public static QuantileSketchSnapshot empty(SketchLayout layout) {
        return new QuantileSketchSnapshot(layout, 0, 0, 0, new long[0], 0, 0, 0, 0, Double.NaN, Double.NaN);
    }

    /** @return a copy of the trimmed bucket counts, from {@link #firstBucket()} */
    @Override
    public long[] bucketCounts() {
        return bucketCounts.clone();
    }

    /**
     * @param index a bucket index of the layout
     * @return how many values that bucket holds
     */
    public long bucketCount(int index) {
        if (index < 0 || index >= layout.bucketCount()) {
            throw new IndexOutOfBoundsException("bucket index " + index + " outside [0, " + layout.bucketCount() + ")");
        }
        int i = index - firstBucket;
        return i >= 0 && i < bucketCounts.length ? bucketCounts[i] : 0;
    }

    /** @return the number of ranked values: zeros, below range, in the buckets and above range */
    public long count() {
        return ranked(zeroCount, belowRangeCount, bucketCounts, aboveRangeCount);
    }

    /** @return values recorded but not ranked: negative, NaN and infinite */
    public long rejectedCount() {
        return negativeCount + nonFiniteCount;
    }

    /** @return the mean of the ranked values, NaN when there are none */
    public double mean() {
        long count = count();
        return count == 0 ? Double.NaN : sum / count;
    }

    /**
     * Estimates the lower {@code q}-quantile of the ranked values; see the class description for the
     * rank definition and the error bound.
     *
     * @param q the quantile, in [0, 1]
     * @return the estimate, NaN when there are no ranked values
     * @throws IllegalArgumentException if {@code q} is outside [0, 1]
     */
    public double quantile(double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile must be in [0, 1], was " + q);
        }
        long count = count();
        if (count == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.floor(q * (count - 1));
        if (rank == 0) {
            return min;
        }
        if (rank == count - 1) {
            return max;
        }
        long seen = zeroCount;
        if (rank < seen) {
            return 0.0;
        }
        seen += belowRangeCount;
        if (rank < seen) {
            return clamp(layout.lowest());
        }
        for (int i = 0; i < bucketCounts.length; i++) {
            seen += bucketCounts[i];
            if (rank < seen) {
                return clamp(layout.representative(firstBucket + i));
            }
        }
        return clamp(layout.highest());
    }

    /**
     * Adds two snapshots of the same layout, bucket by bucket.
     *
     * @param other a snapshot of the same layout
     * @return the snapshot of both streams
     * @throws IllegalArgumentException if the layouts differ or a count overflows
     */
    public QuantileSketchSnapshot merge(QuantileSketchSnapshot other) {
        Objects.requireNonNull(other, "other");
        if (!layout.equals(other.layout)) {
            throw new IllegalArgumentException("cannot merge snapshots of different layouts: " + layout + " and " + other.layout);
        }
        if (other.count() == 0 && other.rejectedCount() == 0) {
            return this;
        }
        if (count() == 0 && rejectedCount() == 0) {
            return other;
        }
        long[] merged;
        int first;
        if (bucketCounts.length == 0 || other.bucketCounts.length == 0) {
            first = bucketCounts.length == 0 ? other.firstBucket : firstBucket;
            merged = bucketCounts.length == 0 ? other.bucketCounts : bucketCounts;
        } else {
            first = Math.min(firstBucket, other.firstBucket);
            int end = Math.max(firstBucket + bucketCounts.length, other.firstBucket + other.bucketCounts.length);
            merged = new long[end - first];
            addInto(merged, firstBucket - first, bucketCounts);
            addInto(merged, other.firstBucket - first, other.bucketCounts);
        }
        return new QuantileSketchSnapshot(
                layout,
                add(zeroCount, other.zeroCount),
                add(belowRangeCount, other.belowRangeCount),
                first,
                merged,
                add(aboveRangeCount, other.aboveRangeCount),
                add(negativeCount, other.negativeCount),
                add(nonFiniteCount, other.nonFiniteCount),
                sum + other.sum,
                minOf(min, other.min),
                maxOf(max, other.max));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuantileSketchSnapshot s
                && layout.equals(s.layout)
                && zeroCount == s.zeroCount
                && belowRangeCount == s.belowRangeCount
                && firstBucket == s.firstBucket
                && Arrays.equals(bucketCounts, s.bucketCounts)
                && aboveRangeCount == s.aboveRangeCount
                && negativeCount == s.negativeCount
                && nonFiniteCount == s.nonFiniteCount
                && Double.compare(sum, s.sum) == 0
                && Double.compare(min, s.min) == 0
                && Double.compare(max, s.max) == 0;
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(layout, zeroCount, belowRangeCount, firstBucket, aboveRangeCount, negativeCount,
                nonFiniteCount, sum, min, max);
        return 31 * h + Arrays.hashCode(bucketCounts);
    }

    @Override
    public String toString() {
        return "QuantileSketchSnapshot[count=" + count() + ", sum=" + sum + ", min=" + min + ", max=" + max
                + ", zero=" + zeroCount + ", belowRange=" + belowRangeCount + ", aboveRange=" + aboveRangeCount
                + ", negative=" + negativeCount + ", nonFinite=" + nonFiniteCount + ", buckets " + firstBucket
                + ".." + (firstBucket + bucketCounts.length) + " of " + layout + "]";
    }

    private double clamp(double estimate) {
        return Math.max(min, Math.min(max, estimate));
    }

    private static long ranked(long zeroCount, long belowRangeCount, long[] bucketCounts, long aboveRangeCount) {
        try {
            long count = Math.addExact(Math.addExact(zeroCount, belowRangeCount), aboveRangeCount);
            for (long c : bucketCounts) {
                count = Math.addExact(count, c);
            }
            return count;
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("the counts add up to more than " + Long.MAX_VALUE, e);
        }
    }

    private static void addInto(long[] target, int offset, long[] counts) {
        for (int i = 0; i < counts.length; i++) {
            target[offset + i] = add(target[offset + i], counts[i]);
        }
    }

    private static long add(long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("merged count overflows: " + a + " + " + b, e);
        }
    }

    private static double minOf(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.min(a, b);
    }

    private static double maxOf(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }

    private static void checkCount(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + value);
        }
    }
}
