package dev.mlops.core.monitor;

/**
 * A compensated (Kahan–Babuška–Neumaier) running sum, shared by the outcome metrics so that they
 * round the same way. For n terms the error is at most about {@code 2u · Σ|x_i|} (u = 2^-53) plus
 * terms of order {@code n·u²}, so a sum of non-negative losses or errors is within a few ulps of the
 * exact sum whatever the count, where naive summation drifts by up to {@code n·u}. A sum that
 * overflows stays infinite. Not thread-safe: its owners guard it.
 */
final class OutcomeSum {
    private double sum;
    private double compensation;

    void add(double x) {
        double t = sum + x;
        if (Double.isInfinite(t)) {
            // Overflowed (a squared error past 1.8e308): the sum is infinite from here on, and the
            // compensation would turn it into NaN.
            sum = t;
            compensation = 0;
            return;
        }
        if (Math.abs(sum) >= Math.abs(x)) {
            compensation += (sum - t) + x;
        } else {
            compensation += (x - t) + sum;
        }
        sum = t;
    }

    double value() {
        return sum + compensation;
    }
}
