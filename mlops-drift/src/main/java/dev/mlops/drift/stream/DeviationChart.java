package dev.mlops.drift.stream;

/**
 * The chart {@link Cusum} and {@link PageHinkley} share: cumulative deviations of the inputs from
 * their running mean, one sum for increases and one for decreases, each compared with a baseline.
 *
 * <p>With x̄ the mean of all inputs since the last reset (updated before the deviation is taken),
 * {@code up ← α·up + ((x - x̄) - δ)} and {@code down ← α·down + (-(x - x̄) - δ)}. An increase is
 * {@code up - baseline(up) > λ}, a decrease {@code down - baseline(down) > λ}, from the
 * {@code minInstances}-th input on; the {@link Direction} says which of them is a drift. The
 * {@link Baseline} is what makes it CUSUM or Page-Hinkley. (Page-Hinkley's textbook decrease sum
 * {@code D = -down} compared as {@code max D - D} is the same number.)
 *
 * <p>O(1) time and memory per input, no allocation. Not thread-safe.
 */
final class DeviationChart {
    /** What each cumulative sum is compared with. */
    enum Baseline {
        /** CUSUM: each sum is clamped at zero and compared with zero. */
        CLAMPED_AT_ZERO,
        /** Page-Hinkley: each sum is compared with its own running minimum. */
        RUNNING_MINIMUM,
        /** MOA's Page-Hinkley: the sums are not clamped and are compared with zero. */
        ZERO
    }

    private final int minInstances;
    private final double delta;
    private final double threshold;
    private final double alpha;
    private final Direction direction;
    private final Baseline baseline;
    private final boolean resetAfterDrift;

    private long n;
    private double mean;
    private double up;
    private double down;
    private double upBaseline;
    private double downBaseline;
    private boolean pendingReset;

    DeviationChart(Builder<?> b, Baseline baseline) {
        this.minInstances = b.minInstances;
        this.delta = b.delta;
        this.threshold = b.threshold;
        this.alpha = b.alpha;
        this.direction = b.direction;
        this.resetAfterDrift = b.resetAfterDrift;
        this.baseline = baseline;
        reset();
    }

    /** @return whether the chart fires on this input; the input after a drift starts afresh if so configured */
    boolean update(double value) {
        Options.realInput(value);
        if (pendingReset) {
            reset();
        }
        n++;
        mean += (value - mean) / n;
        double deviation = value - mean;
        up = alpha * up + (deviation - delta);
        down = alpha * down + (-deviation - delta);
        switch (baseline) {
            case CLAMPED_AT_ZERO -> {
                up = Math.max(0.0, up);
                down = Math.max(0.0, down);
            }
            case RUNNING_MINIMUM -> {
                upBaseline = Math.min(upBaseline, up);
                downBaseline = Math.min(downBaseline, down);
            }
            case ZERO -> {
                // compared with the baselines' constant 0
            }
        }
        boolean drift = n >= minInstances
                && (direction.watchesUp() && up - upBaseline > threshold
                        || direction.watchesDown() && down - downBaseline > threshold);
        pendingReset = drift && resetAfterDrift;
        return drift;
    }

    /** @return the mean of the inputs since the last reset, NaN before any input */
    double estimate() {
        return n == 0 ? Double.NaN : mean;
    }

    void reset() {
        n = 0;
        mean = 0.0;
        up = 0.0;
        down = 0.0;
        boolean tracked = baseline == Baseline.RUNNING_MINIMUM;
        upBaseline = tracked ? Double.POSITIVE_INFINITY : 0.0;
        downBaseline = tracked ? Double.POSITIVE_INFINITY : 0.0;
        pendingReset = false;
    }

    /** @return the options, for the detectors' {@code toString} */
    String describe() {
        return "minInstances=" + minInstances + ", delta=" + delta + ", threshold=" + threshold + ", alpha=" + alpha
                + ", direction=" + direction + ", resetAfterDrift=" + resetAfterDrift;
    }

    /**
     * The options {@link Cusum.Builder} and {@link PageHinkley.Builder} share; each may be set
     * once, a preset first. Not thread-safe.
     *
     * @param <B> the concrete builder, returned by every setter
     */
    abstract static class Builder<B extends Builder<B>> {
        final Options options = new Options();
        int minInstances;
        double delta = 0.005;
        double threshold = 50.0;
        double alpha;
        Direction direction;
        boolean resetAfterDrift = true;

        Builder(int minInstances, double alpha, Direction direction) {
            this.minInstances = minInstances;
            this.alpha = alpha;
            this.direction = direction;
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /**
         * @param minInstances the first input that may signal, counted from 1, in [1, 2^31 - 1]
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public B minInstances(int minInstances) {
            this.minInstances = options.intIn("minInstances", minInstances, 1, Integer.MAX_VALUE);
            return self();
        }

        /**
         * @param delta the tolerated change δ, subtracted from every deviation, in [0, 1e100]
         * @return this builder
         * @throws IllegalArgumentException if out of range or NaN
         */
        public B delta(double delta) {
            this.delta = options.doubleIn("delta", delta, 0.0, true, Options.MAX_MAGNITUDE, true);
            return self();
        }

        /**
         * @param threshold the decision threshold λ, finite and > 0
         * @return this builder
         * @throws IllegalArgumentException if out of range or NaN
         */
        public B threshold(double threshold) {
            this.threshold = options.doubleIn("threshold", threshold, 0.0, false, Double.MAX_VALUE, true);
            return self();
        }

        /**
         * @param alpha the forgetting factor α of the sums, in (0, 1]; 1 is the classical chart
         * @return this builder
         * @throws IllegalArgumentException if out of range or NaN
         */
        public B alpha(double alpha) {
            this.alpha = options.doubleIn("alpha", alpha, 0.0, false, 1.0, true);
            return self();
        }

        /**
         * @param direction which changes are reported: increases, decreases or both
         * @return this builder
         * @throws NullPointerException if {@code direction} is null
         */
        public B direction(Direction direction) {
            this.direction = options.object("direction", direction);
            return self();
        }

        /**
         * @param resetAfterDrift whether the input after a drift starts a fresh detector (MOA and
         *     River do)
         * @return this builder
         */
        public B resetAfterDrift(boolean resetAfterDrift) {
            this.resetAfterDrift = options.flag("resetAfterDrift", resetAfterDrift);
            return self();
        }
    }
}
