package dev.mlops.core.monitor;

import java.util.Objects;

/**
 * A quantile sketch of finite values of either sign (scores, numeric features): the negative values'
 * magnitudes in one {@link QuantileSketchSnapshot}, zeros and positive values in another, both of one
 * {@link SketchLayout}. Quantiles carry the layout's relative error on the value's magnitude, as in
 * {@link QuantileSketchSnapshot}; min and max are exact.
 *
 * <p>Missing and non-finite values are not in a sketch (the {@link NumericSummary} that holds it counts
 * them), so neither part has negative or non-finite counts; the negative part has no zeros.
 *
 * <pre>{@code
 * SignedSketchSnapshot s = window.numeric("amount").values();
 * double median = s.quantile(0.5);
 * SignedSketchSnapshot both = s.merge(otherReplica.numeric("amount").values());
 * }</pre>
 *
 * @param negative magnitudes of the negative values
 * @param positive zeros and positive values
 */
public record SignedSketchSnapshot(QuantileSketchSnapshot negative, QuantileSketchSnapshot positive) {
    /**
     * Validates the parts: one layout, no rejected values, no zeros on the negative side.
     *
     * @param negative magnitudes of the negative values
     * @param positive zeros and positive values
     */
    public SignedSketchSnapshot {
        Objects.requireNonNull(negative, "negative");
        Objects.requireNonNull(positive, "positive");
        if (!negative.layout().equals(positive.layout())) {
            throw new IllegalArgumentException("negative and positive parts need one layout, were " + negative.layout()
                    + " and " + positive.layout());
        }
        if (negative.rejectedCount() != 0 || positive.rejectedCount() != 0) {
            throw new IllegalArgumentException("a signed sketch holds only finite values; the parts rejected "
                    + negative.rejectedCount() + " and " + positive.rejectedCount());
        }
        if (negative.zeroCount() != 0) {
            throw new IllegalArgumentException("zeros belong to the positive part, the negative part had "
                    + negative.zeroCount());
        }
    }

    /**
     * @param layout the buckets of both parts
     * @return a sketch of nothing
     */
    public static SignedSketchSnapshot empty(SketchLayout layout) {
        QuantileSketchSnapshot none = QuantileSketchSnapshot.empty(layout);
        return new SignedSketchSnapshot(none, none);
    }

    /** @return the buckets */
    public SketchLayout layout() {
        return positive.layout();
    }

    /** @return how many values */
    public long count() {
        return negative.count() + positive.count();
    }

    /** @return the sum of the values, 0 when there are none */
    public double sum() {
        return positive.sum() - negative.sum();
    }

    /** @return the smallest value, exact, NaN when there are none */
    public double min() {
        return negative.count() > 0 ? -negative.max() : positive.min();
    }

    /** @return the largest value, exact, NaN when there are none */
    public double max() {
        return positive.count() > 0 ? positive.max() : -negative.min();
    }

    /**
     * Estimates the lower {@code q}-quantile: the value at 0-based position {@code floor(q · (count - 1))}
     * in ascending order, within the layout's relative error of its magnitude (positions 0 and
     * {@code count - 1} answer the exact min and max).
     *
     * @param q the quantile, in [0, 1]
     * @return the estimate, NaN when there are no values
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
        long negatives = negative.count();
        if (rank < negatives) {
            return -atRank(negative, negatives - 1 - rank);
        }
        return atRank(positive, rank - negatives);
    }

    /**
     * @param other a sketch of the same layout
     * @return the sketch of both streams; counts add exactly
     * @throws IllegalArgumentException if the layouts differ
     */
    public SignedSketchSnapshot merge(SignedSketchSnapshot other) {
        Objects.requireNonNull(other, "other");
        return new SignedSketchSnapshot(negative.merge(other.negative), positive.merge(other.positive));
    }

    // The rank-th smallest ranked value of s, as QuantileSketchSnapshot.quantile answers it.
    private static double atRank(QuantileSketchSnapshot s, long rank) {
        long count = s.count();
        if (rank == 0) {
            return s.min();
        }
        if (rank == count - 1) {
            return s.max();
        }
        long seen = s.zeroCount();
        if (rank < seen) {
            return 0.0;
        }
        SketchLayout layout = s.layout();
        seen += s.belowRangeCount();
        if (rank < seen) {
            return clamp(s, layout.lowest());
        }
        int first = s.firstBucket();
        long[] counts = s.bucketCounts();
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (rank < seen) {
                return clamp(s, layout.representative(first + i));
            }
        }
        return clamp(s, layout.highest());
    }

    private static double clamp(QuantileSketchSnapshot s, double estimate) {
        return Math.max(s.min(), Math.min(s.max(), estimate));
    }
}
