package dev.mlops.drift.stream;

import dev.mlops.core.drift.ChangeDetector;
import dev.mlops.core.drift.Signal;

/**
 * ECDD, the EWMA chart for concept drift of Ross, Adams, Tasoulis and Hand (Pattern Recognition
 * Letters 2012), for a stream of error indicators.
 *
 * <p><b>Test.</b> With p the error rate since the last reset (n inputs) and
 * {@code Z ← Z + λ(x - Z)} (Z starting at 0), the chart's standard deviation is
 * {@code σ_Z = sqrt(p(1 - p) · λ/(2 - λ) · (1 - (1 - λ)^{2n}))}. The detector returns
 * {@link Signal#DRIFT} when {@code Z > p + L·σ_Z} and {@link Signal#WARNING} when
 * {@code Z > p + warningFraction · L·σ_Z}. By default L follows the authors' polynomial in p for an
 * average run length of about 1,000 inputs between false alarms ("1% FP" in MOA):
 * {@code L = 3.97 - 6.56p + 48.73p³ - 330.13p⁵ + 848.18p⁷}; {@link Builder#controlLimit(double)}
 * fixes L instead. Only increases of the error rate are reported; inputs are assumed independent.
 *
 * <p><b>Reproducing the reference tools.</b> The defaults are MOA's {@code EWMAChartDM} (λ 0.2,
 * 30 instances, warning at half the limit, reset after a drift). MOA may warn, but not drift, at
 * its 29th input; this class signals nothing before the {@code minInstances}-th input.
 *
 * <p>O(1) time and memory per update, no allocation. Not thread-safe (see {@link ChangeDetector}).
 *
 * <pre>{@code
 * ChangeDetector ecdd = EwmaChart.builder().lambda(0.2).build();
 * }</pre>
 */
public final class EwmaChart implements ChangeDetector {
    private final double lambda;
    private final int minInstances;
    private final double warningFraction;
    private final double controlLimit;
    private final boolean resetAfterDrift;

    private long n;
    private double sum;
    private double z;
    private boolean pendingReset;

    private EwmaChart(Builder b) {
        this.lambda = b.lambda;
        this.minInstances = b.minInstances;
        this.warningFraction = b.warningFraction;
        this.controlLimit = b.controlLimit;
        this.resetAfterDrift = b.resetAfterDrift;
        reset();
    }

    /** @return a builder with MOA's defaults (λ 0.2, 30 instances, warning at half the polynomial limit) */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param value an error indicator or loss in [0, 1]
     * @return DRIFT, WARNING or NONE as described above
     * @throws IllegalArgumentException if {@code value} is outside [0, 1] or NaN
     */
    @Override
    public Signal update(double value) {
        Options.unitInput(value);
        if (pendingReset) {
            reset();
        }
        n++;
        sum += value;
        double p = sum / n;
        double sigma = Math.sqrt(p * (1.0 - p) * lambda * (1.0 - Math.pow(1.0 - lambda, 2.0 * n)) / (2.0 - lambda));
        z += lambda * (value - z);
        if (n < minInstances) {
            return Signal.NONE;
        }
        double limit = Double.isNaN(controlLimit) ? polynomialLimit(p) : controlLimit;
        Signal signal = Signal.NONE;
        if (z > p + limit * sigma) {
            signal = Signal.DRIFT;
        } else if (z > p + warningFraction * limit * sigma) {
            signal = Signal.WARNING;
        }
        pendingReset = signal == Signal.DRIFT && resetAfterDrift;
        return signal;
    }

    private static double polynomialLimit(double p) {
        double p2 = p * p;
        double p3 = p2 * p;
        double p5 = p3 * p2;
        double p7 = p5 * p2;
        return 3.97 - 6.56 * p + 48.73 * p3 - 330.13 * p5 + 848.18 * p7;
    }

    /** @return the error rate since the last reset, NaN before any input */
    @Override
    public double estimate() {
        return n == 0 ? Double.NaN : sum / n;
    }

    @Override
    public void reset() {
        n = 0;
        sum = 0.0;
        z = 0.0;
        pendingReset = false;
    }

    @Override
    public String toString() {
        return "EwmaChart[lambda=" + lambda + ", minInstances=" + minInstances + ", warningFraction=" + warningFraction
                + ", controlLimit=" + (Double.isNaN(controlLimit) ? "polynomial" : controlLimit)
                + ", resetAfterDrift=" + resetAfterDrift + "]";
    }

    /** Options of {@link EwmaChart}; each may be set once, a preset first. Not thread-safe. */
    public static final class Builder {
        private final Options options = new Options();
        private double lambda = 0.2;
        private int minInstances = 30;
        private double warningFraction = 0.5;
        private double controlLimit = Double.NaN;
        private boolean resetAfterDrift = true;

        private Builder() {
        }

        /**
         * @return this builder, with MOA's {@code EWMAChartDM} options (the defaults)
         */
        public Builder moa() {
            options.preset("moa");
            return this;
        }

        /**
         * @param lambda the weight λ of the newest input, in (0, 1]
         * @return this builder
         * @throws IllegalArgumentException if out of range or NaN
         */
        public Builder lambda(double lambda) {
            this.lambda = options.halfOpenUnit("lambda", lambda);
            return this;
        }

        /**
         * @param minInstances the first input that may signal, counted from 1, in [1, 2^31 - 1]
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder minInstances(int minInstances) {
            this.minInstances = options.intIn("minInstances", minInstances, 1, Integer.MAX_VALUE);
            return this;
        }

        /**
         * @param warningFraction the fraction of the control limit that raises a warning, in (0, 1]
         * @return this builder
         * @throws IllegalArgumentException if out of range or NaN
         */
        public Builder warningFraction(double warningFraction) {
            this.warningFraction = options.halfOpenUnit("warningFraction", warningFraction);
            return this;
        }

        /**
         * @param controlLimit a fixed L (in chart standard deviations), finite and > 0, instead of
         *     the polynomial
         * @return this builder
         * @throws IllegalArgumentException if out of range or NaN
         */
        public Builder controlLimit(double controlLimit) {
            this.controlLimit = options.positive("controlLimit", controlLimit);
            return this;
        }

        /**
         * @param resetAfterDrift whether the input after a drift starts a fresh chart (MOA does)
         * @return this builder
         */
        public Builder resetAfterDrift(boolean resetAfterDrift) {
            this.resetAfterDrift = options.flag("resetAfterDrift", resetAfterDrift);
            return this;
        }

        /** @return a new detector */
        public EwmaChart build() {
            return new EwmaChart(this);
        }
    }
}
