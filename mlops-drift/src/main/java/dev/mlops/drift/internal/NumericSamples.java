package dev.mlops.drift.internal;

import java.util.Objects;

/**
 * Checks on the prepared inputs of the numeric tests: ascending arrays without NaN, as
 * {@code NumericSample.sortedValues()} returns them. Stateless and thread-safe.
 */
final class NumericSamples {
    private NumericSamples() {
    }

    /**
     * @param name the argument name for the error message
     * @param sorted the values
     * @param minSize the fewest values the test needs
     * @throws IllegalArgumentException when the array is too short, holds NaN or is not ascending
     */
    static void check(String name, double[] sorted, int minSize) {
        Objects.requireNonNull(sorted, name);
        if (sorted.length < minSize) {
            throw new IllegalArgumentException(name + " must hold at least " + minSize + " value"
                    + (minSize == 1 ? "" : "s") + ", had " + sorted.length);
        }
        for (int i = 0; i < sorted.length; i++) {
            // !(a <= b) also catches NaN; -0.0 and 0.0 compare equal here, as they do in NumPy
            if (Double.isNaN(sorted[i]) || (i > 0 && !(sorted[i - 1] <= sorted[i]))) {
                throw new IllegalArgumentException(name + " must be ascending without NaN; index " + i
                        + " holds " + sorted[i]);
            }
        }
    }

    /**
     * @return the number of values of {@code sorted} that are {@code <= v}, searching from {@code from}
     */
    static int advancePast(double[] sorted, int from, double v) {
        int i = from;
        while (i < sorted.length && sorted[i] <= v) {
            i++;
        }
        return i;
    }
}
