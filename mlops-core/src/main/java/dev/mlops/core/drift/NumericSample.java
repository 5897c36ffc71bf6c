package dev.mlops.core.drift;

import java.util.Arrays;
import java.util.Objects;

/**
 * A numeric {@link Sample}: the finite values in ascending order, and how many were missing. A value is
 * missing when it is not finite: NaN, and also positive or negative infinity, which no distance or
 * test can place (Evidently likewise replaces infinities by NaN and drops them before testing).
 *
 * <p>Immutable and thread-safe.
 */
public final class NumericSample implements Sample {
    private final double[] sorted;
    private final long missing;

    private NumericSample(double[] sorted, long missing) {
        this.sorted = sorted;
        this.missing = missing;
    }

    static NumericSample of(double[] values) {
        Objects.requireNonNull(values, "values");
        int n = 0;
        double[] copy = new double[values.length];
        for (double v : values) {
            if (Double.isFinite(v)) {
                copy[n++] = v;
            }
        }
        double[] sorted = n == values.length ? copy : Arrays.copyOf(copy, n);
        Arrays.sort(sorted);
        return new NumericSample(sorted, values.length - n);
    }

    /**
     * Rebuilds a sample from values already sorted (for example read back from JSON), checking the order.
     *
     * @param sorted ascending values without NaN; copied
     * @param missing the number of missing values
     * @return the sample
     * @throws IllegalArgumentException when the values are not ascending or contain NaN
     */
    public static NumericSample ofSorted(double[] sorted, long missing) {
        Objects.requireNonNull(sorted, "sorted");
        if (missing < 0) {
            throw new IllegalArgumentException("missing must be >= 0, was " + missing);
        }
        double[] copy = sorted.clone();
        for (int i = 0; i < copy.length; i++) {
            if (!Double.isFinite(copy[i]) || (i > 0 && copy[i - 1] > copy[i])) {
                throw new IllegalArgumentException("sorted values must be ascending and finite; index " + i
                        + " holds " + copy[i]);
            }
        }
        return new NumericSample(copy, missing);
    }

    @Override
    public long size() {
        return sorted.length;
    }

    @Override
    public long missing() {
        return missing;
    }

    /**
     * @return a copy of the finite values, ascending
     */
    public double[] sortedValues() {
        return sorted.clone();
    }

    /**
     * @param i an index in {@code [0, size())}
     * @return the {@code i}-th smallest value
     */
    public double valueAt(int i) {
        return sorted[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NumericSample other && missing == other.missing && Arrays.equals(sorted, other.sorted);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(sorted) + Long.hashCode(missing);
    }

    @Override
    public String toString() {
        return "NumericSample[size=" + sorted.length + ", missing=" + missing + "]";
    }
}
