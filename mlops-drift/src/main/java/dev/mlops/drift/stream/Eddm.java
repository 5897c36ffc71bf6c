package dev.mlops.drift.stream;

import dev.mlops.core.drift.ChangeDetector;
import dev.mlops.core.drift.Signal;

/**
 * EDDM, the early drift detection method of Baena-García et al. (2006): watches the distance (in
 * inputs) between consecutive errors, which shrinks when the error rate rises; better than
 * {@link Ddm} on gradual drift.
 *
 * <p><b>Test.</b> On every error, with p' and s' the mean and standard deviation of the distances
 * so far, the detector keeps the largest p' + 2s' seen once more than {@code warmStart} inputs were
 * seen. When more than {@code minErrors} errors were seen, the ratio
 * {@code (p' + 2s') / max(p' + 2s')} below {@code beta} returns {@link Signal#DRIFT}, below
 * {@code alpha} {@link Signal#WARNING}. A warning holds until the next error re-evaluates it.
 * Only increases of the error rate are reported. Inputs are error indicators (0 or 1).
 *
 * <p><b>Reproducing the reference tools.</b> The defaults are River's current
 * {@code drift.binary.EDDM()} (warm start 30, sample standard deviation); {@link Builder#moa()}
 * is MOA's {@code EDDM} (tracking from the 30th input, population standard deviation), which older
 * River versions copied: [681, 848, 983, 1042, 1089] on River's test stream 2. Both reset after
 * a drift.
 *
 * <p>O(1) time and memory per update, no allocation. Not thread-safe (see {@link ChangeDetector}).
 *
 * <pre>{@code
 * ChangeDetector eddm = Eddm.builder().alpha(0.95).beta(0.9).build();
 * }</pre>
 */
public final class Eddm implements ChangeDetector {
    private final int warmStart;
    private final int minErrors;
    private final double alpha;
    private final double beta;
    private final boolean sampleDeviation;
    private final boolean resetAfterDrift;

    private long n;
    private long errors;
    private long lastError;
    private double mean;
    private double m2;
    private double maxP2s;
    private boolean warning;
    private boolean pendingReset;

    private Eddm(Builder b) {
        this.warmStart = b.warmStart;
        this.minErrors = b.minErrors;
        this.alpha = b.alpha;
        this.beta = b.beta;
        this.sampleDeviation = b.sampleDeviation;
        this.resetAfterDrift = b.resetAfterDrift;
        reset();
    }

    /** @return a builder with River's defaults (warm start 30, 30 errors, alpha 0.95, beta 0.9) */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param value 1 for an error, 0 for a correct prediction
     * @return DRIFT, WARNING or NONE as described above
     * @throws IllegalArgumentException if {@code value} is neither 0 nor 1
     */
    @Override
    public Signal update(double value) {
        Options.binaryInput(value);
        if (pendingReset) {
            reset();
        }
        n++;
        if (value != 1.0) {
            return warning ? Signal.WARNING : Signal.NONE;
        }
        errors++;
        double distance = n - lastError;
        lastError = n;
        double oldMean = mean;
        mean += (distance - mean) / errors;
        m2 += (distance - mean) * (distance - oldMean);
        double variance = sampleDeviation ? (errors > 1 ? m2 / (errors - 1) : 0.0) : m2 / errors;
        double p2s = mean + 2 * Math.sqrt(variance);
        Signal signal = Signal.NONE;
        warning = false;
        if (n > warmStart) {
            if (p2s > maxP2s) {
                maxP2s = p2s;
            } else if (errors > minErrors) {
                double level = p2s / maxP2s;
                if (level < beta) {
                    signal = Signal.DRIFT;
                } else if (level < alpha) {
                    warning = true;
                    signal = Signal.WARNING;
                }
            }
        }
        pendingReset = signal == Signal.DRIFT && resetAfterDrift;
        return signal;
    }

    /**
     * @return the mean distance (in inputs) between errors since the last reset; before the first
     *     error, the number of inputs seen, which the first distance will exceed (so the estimate
     *     is finite after any input, and grows while the model keeps being right); NaN before
     *     any input
     */
    @Override
    public double estimate() {
        if (n == 0) {
            return Double.NaN;
        }
        return errors == 0 ? n : mean;
    }

    @Override
    public void reset() {
        n = 0;
        errors = 0;
        lastError = 0;
        mean = 0.0;
        m2 = 0.0;
        maxP2s = Double.NEGATIVE_INFINITY;
        warning = false;
        pendingReset = false;
    }

    @Override
    public String toString() {
        return "Eddm[warmStart=" + warmStart + ", minErrors=" + minErrors + ", alpha=" + alpha + ", beta=" + beta
                + ", sampleDeviation=" + sampleDeviation + ", resetAfterDrift=" + resetAfterDrift + "]";
    }

    /** Options of {@link Eddm}; each may be set once, a preset first. Not thread-safe. */
    public static final class Builder {
        private final Options options = new Options();
        private int warmStart = 30;
        private int minErrors = 30;
        private double alpha = 0.95;
        private double beta = 0.9;
        private boolean sampleDeviation = true;
        private boolean resetAfterDrift = true;

        private Builder() {
        }

        /**
         * @return this builder, with River's current {@code drift.binary.EDDM()} options (the defaults)
         */
        public Builder river() {
            options.preset("river");
            return this;
        }

        /**
         * MOA's {@code EDDM}: tracks the maximum from the 30th input on (its counter starts at 1,
         * so {@code warmStart(29)} here) and uses the population standard deviation.
         *
         * @return this builder
         */
        public Builder moa() {
            options.preset("moa");
            warmStart = 29;
            sampleDeviation = false;
            return this;
        }

        /**
         * @param warmStart inputs seen before the maximum is tracked, in [0, 2^31 - 1]
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder warmStart(int warmStart) {
            this.warmStart = options.intIn("warmStart", warmStart, 0, Integer.MAX_VALUE);
            return this;
        }

        /**
         * @param minErrors errors that must be exceeded before a warning or drift, in [0, 2^31 - 1]
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder minErrors(int minErrors) {
            this.minErrors = options.intIn("minErrors", minErrors, 0, Integer.MAX_VALUE);
            return this;
        }

        /**
         * @param alpha warning ratio in (0, 1), >= beta (checked by {@link #build()})
         * @return this builder
         * @throws IllegalArgumentException if out of range or NaN
         */
        public Builder alpha(double alpha) {
            this.alpha = options.openUnit("alpha", alpha);
            return this;
        }

        /**
         * @param beta drift ratio in (0, 1), at most alpha
         * @return this builder
         * @throws IllegalArgumentException if out of range or NaN
         */
        public Builder beta(double beta) {
            this.beta = options.openUnit("beta", beta);
            return this;
        }

        /**
         * @param sampleDeviation whether s' divides by (errors - 1) (River) rather than by errors (MOA)
         * @return this builder
         */
        public Builder sampleDeviation(boolean sampleDeviation) {
            this.sampleDeviation = options.flag("sampleDeviation", sampleDeviation);
            return this;
        }

        /**
         * @param resetAfterDrift whether the input after a drift starts a fresh detector (both tools do)
         * @return this builder
         */
        public Builder resetAfterDrift(boolean resetAfterDrift) {
            this.resetAfterDrift = options.flag("resetAfterDrift", resetAfterDrift);
            return this;
        }

        /**
         * @return a new detector
         * @throws IllegalArgumentException if alpha is below beta
         */
        public Eddm build() {
            if (alpha < beta) {
                throw new IllegalArgumentException("alpha must be >= beta (" + beta + "), was " + alpha);
            }
            return new Eddm(this);
        }
    }
}
