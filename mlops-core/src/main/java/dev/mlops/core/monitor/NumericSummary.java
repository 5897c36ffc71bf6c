package dev.mlops.core.monitor;

import java.util.Objects;

/**
 * What a window saw of one numeric quantity (a numeric feature, or the model's score): how many
 * values, how many were missing or not finite or outside the expected range, mean and variance, and a
 * quantile sketch of the finite values.
 *
 * <p><b>Which values count where.</b> NaN is missing; ±∞ is counted as {@link #infinite()}; neither enters
 * the sketch, the mean or the variance. Every finite value enters the sketch ({@link #count()},
 * {@link #min()}, {@link #max()}, quantiles), the mean and the variance; a finite value outside the
 * schema's expected range is also counted in {@link #outOfRange()}.
 *
 * <p><b>Numerics.</b> Mean and variance are kept as count, mean and M2 (the sum of squared deviations
 * from the mean): each recording stripe updates them with Welford's method, and stripes, windows and
 * replicas are combined with Chan et al.'s parallel formula, which avoids the cancellation of
 * sum-of-squares formulas. Merging is therefore exact for counts, min, max and sketch buckets, and for
 * mean and M2 equal to a single pass up to floating-point rounding (relative differences of the order
 * of 1e-12 in practice).
 *
 * @param name the feature's name, or {@code "score"}
 * @param missing NaN values
 * @param infinite infinite values
 * @param outOfRange finite values outside the schema's expected range (0 when it has none)
 * @param mean the mean of the finite values, NaN when there are none
 * @param m2 the sum of squared deviations of the finite values from their mean, 0 when there are none
 * @param values the sketch of the finite values
 */
public record NumericSummary(
        String name, long missing, long infinite, long outOfRange, double mean, double m2, SignedSketchSnapshot values) {

    /**
     * Validates the parts.
     *
     * @param name the feature's name, or {@code "score"}
     * @param missing NaN values
     * @param infinite infinite values
     * @param outOfRange finite values outside the schema's expected range (0 when it has none)
     * @param mean the mean of the finite values, NaN when there are none
     * @param m2 the sum of squared deviations of the finite values from their mean, 0 when there are none
     * @param values the sketch of the finite values
     */
    public NumericSummary {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(values, "values");
        checkCount(name, "missing", missing);
        checkCount(name, "infinite", infinite);
        checkCount(name, "outOfRange", outOfRange);
        if (outOfRange > values.count()) {
            throw new IllegalArgumentException(name + ": outOfRange " + outOfRange + " exceeds the " + values.count()
                    + " finite values");
        }
        if (values.count() == 0) {
            if (!Double.isNaN(mean) || m2 != 0) {
                throw new IllegalArgumentException(name + ": with no values mean must be NaN and m2 0, were " + mean
                        + " and " + m2);
            }
        } else if (!(m2 >= 0) || Double.isNaN(mean)) {
            throw new IllegalArgumentException(name + ": need a mean and m2 >= 0, were " + mean + " and " + m2);
        }
    }

    /**
     * @param name the quantity's name
     * @param layout the sketch's buckets
     * @return a summary of nothing
     */
    public static NumericSummary empty(String name, SketchLayout layout) {
        return new NumericSummary(name, 0, 0, 0, Double.NaN, 0, SignedSketchSnapshot.empty(layout));
    }

    /** @return how many finite values */
    public long count() {
        return values.count();
    }

    /** @return finite, missing and infinite values together */
    public long total() {
        return values.count() + missing + infinite;
    }

    /** @return the smallest finite value, exact, NaN when there are none */
    public double min() {
        return values.min();
    }

    /** @return the largest finite value, exact, NaN when there are none */
    public double max() {
        return values.max();
    }

    /** @return the sample variance {@code m2 / (count - 1)}, NaN with fewer than two values */
    public double variance() {
        long n = count();
        return n < 2 ? Double.NaN : m2 / (n - 1);
    }

    /** @return the square root of {@link #variance()} */
    public double standardDeviation() {
        return Math.sqrt(variance());
    }

    /**
     * @param q the quantile, in [0, 1]
     * @return the estimate, see {@link SignedSketchSnapshot#quantile(double)}
     */
    public double quantile(double q) {
        return values.quantile(q);
    }

    /**
     * Combines two summaries of the same quantity over disjoint values.
     *
     * @param other a summary of the same name and layout
     * @return the summary of both
     * @throws IllegalArgumentException if the names or layouts differ
     */
    public NumericSummary merge(NumericSummary other) {
        Objects.requireNonNull(other, "other");
        if (!name.equals(other.name)) {
            throw new IllegalArgumentException("cannot merge summaries of " + name + " and " + other.name);
        }
        long n1 = count();
        long n2 = other.count();
        double mergedMean;
        double mergedM2;
        if (n2 == 0) {
            mergedMean = mean;
            mergedM2 = m2;
        } else if (n1 == 0) {
            mergedMean = other.mean;
            mergedM2 = other.m2;
        } else {
            double n = (double) n1 + n2;
            double delta = other.mean - mean;
            mergedMean = mean + delta * (n2 / n);
            mergedM2 = m2 + other.m2 + delta * delta * ((double) n1 * n2 / n);
        }
        return new NumericSummary(name, missing + other.missing, infinite + other.infinite,
                outOfRange + other.outOfRange, mergedMean, mergedM2, values.merge(other.values));
    }

    private static void checkCount(String name, String part, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + ": " + part + " must be >= 0, was " + value);
        }
    }
}
