package dev.mlops.drift.stream;

import dev.mlops.core.drift.ChangeDetector;
import dev.mlops.core.drift.Signal;

/**
 * CUSUM, Page's cumulative-sum chart against the running mean of the stream, with sums clamped at
 * zero.
 *
 * <p><b>Test.</b> With x̄ the mean of all inputs since the last reset,
 * {@code S⁺ ← max(0, αS⁺ + (x - x̄ - δ))} and {@code S⁻ ← max(0, αS⁻ - (x - x̄) - δ)}; from the
 * {@code minInstances}-th input on, {@code S⁺ > λ} is an increase and {@code S⁻ > λ} a decrease,
 * reported as {@link Signal#DRIFT} when the {@link Direction} covers it. Clamping at zero means a
 * run of inputs on one side is needed; a single outlier cannot fire it. No warnings.
 *
 * <p><b>Reproducing the reference tools.</b> Defaults: MOA's {@code CusumDM} (increases only, from
 * the 29th input since MOA counts from 1, δ 0.005, λ 50, no forgetting: α = 1), which gives
 * [1020, 1991] on River's test stream 1. With {@code alpha(0.9999)} it is the Page-Hinkley of older
 * River versions, which give the same indices. (River's current {@code drift.CUSUM} standardises by
 * a frozen warm-up deviation instead; it is not reproduced here.)
 *
 * <p>O(1) time and memory per update, no allocation. Not thread-safe (see {@link ChangeDetector}).
 *
 * <pre>{@code
 * ChangeDetector cusum = Cusum.builder().threshold(50).build();
 * }</pre>
 */
public final class Cusum implements ChangeDetector {
    private final int minInstances;
    private final double delta;
    private final double threshold;
    private final double alpha;
    private final Direction direction;
    private final boolean resetAfterDrift;

    private long n;
    private double mean;
    private double sumIncrease;
    private double sumDecrease;
    private boolean pendingReset;

    private Cusum(Builder b) {
        this.minInstances = b.minInstances;
        this.delta = b.delta;
        this.threshold = b.threshold;
        this.alpha = b.alpha;
        this.direction = b.direction;
        this.resetAfterDrift = b.resetAfterDrift;
        reset();
    }

    /** @return a builder with MOA's defaults (from the 29th input, δ 0.005, λ 50, α 1, increases only) */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param value any finite number
     * @return DRIFT when the chart fires, else NONE
     * @throws IllegalArgumentException if {@code value} is NaN or infinite
     */
    @Override
    public Signal update(double value) {
        Options.finiteInput(value);
        if (pendingReset) {
            reset();
        }
        n++;
        mean += (value - mean) / n;
        double deviation = value - mean;
        sumIncrease = Math.max(0.0, alpha * sumIncrease + (deviation - delta));
        sumDecrease = Math.max(0.0, alpha * sumDecrease + (-deviation - delta));
        boolean drift = n >= minInstances
                && (direction.watchesUp() && sumIncrease > threshold
                        || direction.watchesDown() && sumDecrease > threshold);
        pendingReset = drift && resetAfterDrift;
        return drift ? Signal.DRIFT : Signal.NONE;
    }

    /** @return the mean of the inputs since the last reset, NaN before any input */
    @Override
    public double estimate() {
        return n == 0 ? Double.NaN : mean;
    }

    @Override
    public void reset() {
        n = 0;
        mean = 0.0;
        sumIncrease = 0.0;
        sumDecrease = 0.0;
        pendingReset = false;
    }

    @Override
    public String toString() {
        return "Cusum[minInstances=" + minInstances + ", delta=" + delta + ", threshold=" + threshold
                + ", alpha=" + alpha + ", direction=" + direction + ", resetAfterDrift=" + resetAfterDrift + "]";
    }

    /** Options of {@link Cusum}; each may be set once, a preset first. Not thread-safe. */
    public static final class Builder {
        private final Options options = new Options();
        private int minInstances = 29;
        private double delta = 0.005;
        private double threshold = 50.0;
        private double alpha = 1.0;
        private Direction direction = Direction.UP;
        private boolean resetAfterDrift = true;

        private Builder() {
        }

        /**
         * @return this builder, with MOA's {@code CusumDM} options (the defaults)
         */
        public Builder moa() {
            options.preset("moa");
            return this;
        }

        /**
         * The Page-Hinkley test of River 0.x before its rewrite: this chart with α = 0.9999.
         *
         * @return this builder
         */
        public Builder olderRiverPageHinkley() {
            options.preset("olderRiverPageHinkley");
            alpha = 1 - 0.0001;
            return this;
        }

        /**
         * @param minInstances the first input that may signal, counted from 1, >= 1
         * @return this builder
         */
        public Builder minInstances(int minInstances) {
            options.mark("minInstances");
            this.minInstances = Options.atLeast("minInstances", minInstances, 1);
            return this;
        }

        /**
         * @param delta the tolerated change δ, >= 0
         * @return this builder
         */
        public Builder delta(double delta) {
            options.mark("delta");
            this.delta = Options.nonNegative("delta", delta);
            return this;
        }

        /**
         * @param threshold the decision threshold λ, > 0
         * @return this builder
         */
        public Builder threshold(double threshold) {
            options.mark("threshold");
            this.threshold = Options.positive("threshold", threshold);
            return this;
        }

        /**
         * @param alpha the forgetting factor α of the sums, in (0, 1]; 1 is the classical chart
         * @return this builder
         */
        public Builder alpha(double alpha) {
            options.mark("alpha");
            this.alpha = Options.halfOpenUnit("alpha", alpha);
            return this;
        }

        /**
         * @param direction which changes are reported
         * @return this builder
         * @throws NullPointerException if {@code direction} is null
         */
        public Builder direction(Direction direction) {
            options.mark("direction");
            this.direction = Options.notNull("direction", direction);
            return this;
        }

        /**
         * @param resetAfterDrift whether the input after a drift starts a fresh detector (MOA does)
         * @return this builder
         */
        public Builder resetAfterDrift(boolean resetAfterDrift) {
            options.mark("resetAfterDrift");
            this.resetAfterDrift = resetAfterDrift;
            return this;
        }

        /** @return a new detector */
        public Cusum build() {
            return new Cusum(this);
        }
    }
}
