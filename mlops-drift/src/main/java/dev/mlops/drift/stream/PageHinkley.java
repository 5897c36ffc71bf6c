package dev.mlops.drift.stream;

import dev.mlops.core.drift.ChangeDetector;
import dev.mlops.core.drift.Signal;

/**
 * The Page-Hinkley test (Page, Biometrika 1954) against the running mean of the stream.
 *
 * <p><b>Test.</b> With x̄ the mean of all inputs since the last reset, the cumulative deviations
 * {@code U ← αU + ((x - x̄) - δ)} and {@code D ← αD + ((x - x̄) + δ)} are kept with their running
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
 * <p>The chart is the one {@link Cusum} runs, with unclamped sums. Inputs are finite values of
 * magnitude at most 1e100 (larger ones are refused), so the sums and the estimate stay finite.
 *
 * <p>O(1) time and memory per update, no allocation. Not thread-safe (see {@link ChangeDetector}).
 *
 * <pre>{@code
 * ChangeDetector ph = PageHinkley.builder().direction(Direction.UP).threshold(50).build();
 * }</pre>
 */
public final class PageHinkley implements ChangeDetector {
    private final DeviationChart chart;
    private final boolean trackExtremes;

    private PageHinkley(Builder b) {
        this.trackExtremes = b.trackExtremes;
        this.chart = new DeviationChart(b,
                trackExtremes ? DeviationChart.Baseline.RUNNING_MINIMUM : DeviationChart.Baseline.ZERO);
    }

    /** @return a builder with River's defaults (30 inputs, δ 0.005, λ 50, α 0.9999, both directions) */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param value a finite number of magnitude at most 1e100
     * @return DRIFT when the test fires, else NONE
     * @throws IllegalArgumentException if {@code value} is NaN, infinite or above 1e100 in
     *     magnitude; the detector is then unchanged
     */
    @Override
    public Signal update(double value) {
        return chart.update(value) ? Signal.DRIFT : Signal.NONE;
    }

    /** @return the mean of the inputs since the last reset, NaN before any input */
    @Override
    public double estimate() {
        return chart.estimate();
    }

    @Override
    public void reset() {
        chart.reset();
    }

    @Override
    public String toString() {
        return "PageHinkley[" + chart.describe() + ", trackExtremes=" + trackExtremes + "]";
    }

    /**
     * Options of {@link PageHinkley}: River's {@code drift.PageHinkley()} by default. Each option
     * may be set once, a preset first. Not thread-safe.
     */
    public static final class Builder extends DeviationChart.Builder<Builder> {
        private boolean trackExtremes = true;

        private Builder() {
            super(30, 1 - 0.0001, Direction.BOTH);
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
         * @param trackExtremes whether U is compared with its running minimum and D with its running
         *     maximum (Page-Hinkley proper, River) rather than with 0 (MOA)
         * @return this builder
         */
        public Builder trackExtremes(boolean trackExtremes) {
            this.trackExtremes = options.flag("trackExtremes", trackExtremes);
            return this;
        }

        /** @return a new detector */
        public PageHinkley build() {
            return new PageHinkley(this);
        }
    }
}
