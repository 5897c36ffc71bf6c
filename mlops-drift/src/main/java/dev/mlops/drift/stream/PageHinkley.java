package dev.mlops.drift.stream;

import dev.mlops.core.drift.ChangeDetector;
import dev.mlops.core.drift.Signal;

/**
 * The Page-Hinkley test (Page, Biometrika 1954) against the running mean of the stream.
 *
 * <p><b>Test.</b> With x̄ the mean of all inputs since the last reset, the cumulative deviations
 * {@code U ← αU + (x - x̄) - δ} and {@code D ← αD + (x - x̄) + δ} are kept with their running
 * minimum and maximum. From the {@code minInstances}-th input on, an increase is detected when
 * {@code U - min U > λ} and a decrease when {@code max D - D > λ}; the {@link Direction} says
 * which are reported as {@link Signal#DRIFT}. Without {@link Builder#trackExtremes(boolean)} the
 * running minimum and maximum are replaced by 0, so U itself is compared with λ (MOA's variant). α (just below 1) slowly forgets old deviations; δ is
 * the magnitude of change that is tolerated. No warnings. The test assumes independent inputs with
 * a stable mean; λ trades detection delay for false alarms.
 *
 * <p><b>Reproducing the reference tools.</b> Defaults: River's current {@code drift.PageHinkley()}
 * (both directions, 30 inputs, δ 0.005, λ 50, α 0.9999), which gives [588, 1681] up, [1172] down
 * and [588, 1097, 1585] both on River's test stream 3. {@link Builder#moa()}: MOA's
 * {@code PageHinkleyDM}, increases only, U compared with λ directly, signals from the 29th input
 * (MOA counts from 1): [1025] on stream 1. The older River Page-Hinkley that clamped its sum at zero is {@link Cusum} with
 * {@code alpha(0.9999)}.
 *
 * <p>O(1) time and memory per update, no allocation. Not thread-safe (see {@link ChangeDetector}).
 *
 * <pre>{@code
 * ChangeDetector ph = PageHinkley.builder().direction(Direction.UP).threshold(50).build();
 * }</pre>
 */
public final class PageHinkley implements ChangeDetector {
    private final int minInstances;
    private final double delta;
    private final double threshold;
    private final double alpha;
    private final Direction direction;
    private final boolean trackExtremes;
    private final boolean resetAfterDrift;

    private long n;
    private double mean;
    private double sumIncrease;
    private double sumDecrease;
    private double minIncrease;
    private double maxDecrease;
    private boolean pendingReset;

    private PageHinkley(Builder b) {
        this.minInstances = b.minInstances;
        this.delta = b.delta;
        this.threshold = b.threshold;
        this.alpha = b.alpha;
        this.direction = b.direction;
        this.trackExtremes = b.trackExtremes;
        this.resetAfterDrift = b.resetAfterDrift;
        reset();
    }

    /** @return a builder with River's defaults (30 inputs, δ 0.005, λ 50, α 0.9999, both directions) */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param value any finite number
     * @return DRIFT when the test fires, else NONE
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
        sumIncrease = alpha * sumIncrease + deviation - delta;
        sumDecrease = alpha * sumDecrease + deviation + delta;
        if (trackExtremes) {
            minIncrease = Math.min(minIncrease, sumIncrease);
            maxDecrease = Math.max(maxDecrease, sumDecrease);
        }
        boolean drift = n >= minInstances
                && (direction.watchesUp() && sumIncrease - minIncrease > threshold
                        || direction.watchesDown() && maxDecrease - sumDecrease > threshold);
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
        minIncrease = trackExtremes ? Double.POSITIVE_INFINITY : 0.0;
        maxDecrease = trackExtremes ? Double.NEGATIVE_INFINITY : 0.0;
        pendingReset = false;
    }

    @Override
    public String toString() {
        return "PageHinkley[minInstances=" + minInstances + ", delta=" + delta + ", threshold=" + threshold
                + ", alpha=" + alpha + ", direction=" + direction + ", trackExtremes=" + trackExtremes
                + ", resetAfterDrift=" + resetAfterDrift + "]";
    }

    /** Options of {@link PageHinkley}; each may be set once, a preset first. Not thread-safe. */
    public static final class Builder {
        private final Options options = new Options();
        private int minInstances = 30;
        private double delta = 0.005;
        private double threshold = 50.0;
        private double alpha = 1 - 0.0001;
        private Direction direction = Direction.BOTH;
        private boolean trackExtremes = true;
        private boolean resetAfterDrift = true;

        private Builder() {
        }

        /**
         * @return this builder, with River's {@code drift.PageHinkley()} options (the defaults)
         */
        public Builder river() {
            options.preset("river");
            return this;
        }

        /**
         * MOA's {@code PageHinkleyDM} (2024.07): increases only, the cumulative sum compared with λ
         * directly, signals from the 29th input.
         *
         * @return this builder
         */
        public Builder moa() {
            options.preset("moa");
            direction = Direction.UP;
            minInstances = 29;
            trackExtremes = false;
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
         * @param threshold the detection threshold λ, > 0
         * @return this builder
         */
        public Builder threshold(double threshold) {
            options.mark("threshold");
            this.threshold = Options.positive("threshold", threshold);
            return this;
        }

        /**
         * @param alpha the forgetting factor α of the cumulative sums, in (0, 1]
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
         * @param trackExtremes whether U is compared with its running minimum and D with its running
         *     maximum (Page-Hinkley proper, River) rather than with 0 (MOA)
         * @return this builder
         */
        public Builder trackExtremes(boolean trackExtremes) {
            options.mark("trackExtremes");
            this.trackExtremes = trackExtremes;
            return this;
        }

        /**
         * @param resetAfterDrift whether the input after a drift starts a fresh detector (both tools do)
         * @return this builder
         */
        public Builder resetAfterDrift(boolean resetAfterDrift) {
            options.mark("resetAfterDrift");
            this.resetAfterDrift = resetAfterDrift;
            return this;
        }

        /** @return a new detector */
        public PageHinkley build() {
            return new PageHinkley(this);
        }
    }
}
