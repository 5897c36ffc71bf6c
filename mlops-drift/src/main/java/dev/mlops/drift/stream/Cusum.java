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
 * <p>The chart is the one {@link PageHinkley} runs, with its sums clamped at zero. Inputs are
 * finite values of magnitude at most 1e100 (larger ones are refused), so the sums and the
 * estimate stay finite.
 *
 * <p>O(1) time and memory per update, no allocation. Not thread-safe (see {@link ChangeDetector}).
 *
 * <pre>{@code
 * ChangeDetector cusum = Cusum.builder().threshold(50).build();
 * }</pre>
 */
public final class Cusum implements ChangeDetector {
    private final DeviationChart chart;

    private Cusum(Builder b) {
        this.chart = new DeviationChart(b, DeviationChart.Baseline.CLAMPED_AT_ZERO);
    }

    /** @return a builder with MOA's defaults (from the 29th input, δ 0.005, λ 50, α 1, increases only) */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param value a finite number of magnitude at most 1e100
     * @return DRIFT when the chart fires, else NONE
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
        return "Cusum[" + chart.describe() + "]";
    }

    /**
     * Options of {@link Cusum}: MOA's {@code CusumDM} by default; the chart's options are those
     * of {@link PageHinkley.Builder}. Each option may be set once, a preset first. Not thread-safe.
     */
    public static final class Builder extends DeviationChart.Builder<Builder> {
        private Builder() {
            super(29, 1.0, Direction.UP);
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

        /** @return a new detector */
        public Cusum build() {
            return new Cusum(this);
        }
    }
}
