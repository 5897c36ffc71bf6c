package dev.mlops.drift.stream;

import dev.mlops.core.drift.ChangeDetector;
import dev.mlops.core.drift.Signal;

/**
 * DDM, the drift detection method of Gama et al. (SBIA 2004), for a stream of error indicators.
 *
 * <p><b>Test.</b> After n inputs the error rate is p = mean of the inputs and s = sqrt(p(1 - p)/n).
 * Once more than {@code warmStart} inputs were seen, the pair (p_min, s_min) with the smallest
 * p + s so far is kept; the detector returns {@link Signal#DRIFT} when
 * {@code p + s > p_min + driftLevel · s_min} and {@link Signal#WARNING} when
 * {@code p + s > p_min + warningLevel · s_min}. With the defaults (2 and 3) this is the normal
 * approximation of the binomial at roughly 95% and 99% confidence; it is one-sided (only increases
 * of the error rate are reported) and assumes independent inputs.
 *
 * <p><b>Reproducing the reference tools.</b> The defaults are River's {@code drift.binary.DDM()}.
 * MOA's {@code DDM} starts its counter at 1 and compares after incrementing, so its
 * {@code minNumInstances = 30} starts tracking at the 29th input: {@link Builder#moa()} sets
 * {@code warmStart(28)}. Both reset after a drift; both give [1049] on River's test stream 2.
 *
 * <p>O(1) time and memory per update, no allocation. Not thread-safe (see {@link ChangeDetector}).
 *
 * <pre>{@code
 * ChangeDetector ddm = Ddm.builder().build();
 * Signal s = ddm.update(prediction != label);
 * }</pre>
 */
public final class Ddm implements ChangeDetector {
    private final int warmStart;
    private final double warningLevel;
    private final double driftLevel;
    private final boolean resetAfterDrift;

    private long n;
    private double p;
    private double pMin;
    private double sMin;
    private double psMin;
    private boolean pendingReset;

    private Ddm(Builder b) {
        this.warmStart = b.warmStart;
        this.warningLevel = b.warningLevel;
        this.driftLevel = b.driftLevel;
        this.resetAfterDrift = b.resetAfterDrift;
        reset();
    }

    /** @return a builder with River's defaults (warm start 30, warning 2, drift 3, reset after drift) */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param value the error indicator or a loss in [0, 1]
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
        p += (value - p) / n;
        double s = Math.sqrt(p * (1 - p) / n);
        Signal signal = Signal.NONE;
        if (n > warmStart) {
            if (p + s <= psMin) {
                pMin = p;
                sMin = s;
                psMin = p + s;
            }
            if (p + s > pMin + driftLevel * sMin) {
                signal = Signal.DRIFT;
            } else if (p + s > pMin + warningLevel * sMin) {
                signal = Signal.WARNING;
            }
        }
        pendingReset = signal == Signal.DRIFT && resetAfterDrift;
        return signal;
    }

    /** @return the error rate since the last reset, NaN before any input */
    @Override
    public double estimate() {
        return n == 0 ? Double.NaN : p;
    }

    @Override
    public void reset() {
        n = 0;
        p = 0.0;
        pMin = Double.POSITIVE_INFINITY;
        sMin = Double.POSITIVE_INFINITY;
        psMin = Double.POSITIVE_INFINITY;
        pendingReset = false;
    }

    @Override
    public String toString() {
        return "Ddm[warmStart=" + warmStart + ", warningLevel=" + warningLevel + ", driftLevel=" + driftLevel
                + ", resetAfterDrift=" + resetAfterDrift + "]";
    }

    /** Options of {@link Ddm}; each may be set once, a preset first. Not thread-safe. */
    public static final class Builder {
        private final Options options = new Options();
        private int warmStart = 30;
        private double warningLevel = 2.0;
        private double driftLevel = 3.0;
        private boolean resetAfterDrift = true;

        private Builder() {
        }

        /**
         * @return this builder, with River's {@code drift.binary.DDM()} options (the defaults)
         */
        public Builder river() {
            options.preset("river");
            return this;
        }

        /**
         * @return this builder, with MOA's {@code DDM} options: warm start 28 (see the class comment)
         */
        public Builder moa() {
            options.preset("moa");
            warmStart = 28;
            return this;
        }

        /**
         * @param warmStart the number of inputs that only feed p before (p_min, s_min) is tracked,
         *     in [0, 2^31 - 1]
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder warmStart(int warmStart) {
            this.warmStart = options.intIn("warmStart", warmStart, 0, Integer.MAX_VALUE);
            return this;
        }

        /**
         * @param warningLevel multiple of s_min for a warning, finite and > 0
         * @return this builder
         * @throws IllegalArgumentException if out of range or NaN
         */
        public Builder warningLevel(double warningLevel) {
            this.warningLevel = options.positive("warningLevel", warningLevel);
            return this;
        }

        /**
         * @param driftLevel multiple of s_min for a drift, finite, > 0 and >= the warning level
         *     (checked by {@link #build()})
         * @return this builder
         * @throws IllegalArgumentException if out of range or NaN
         */
        public Builder driftLevel(double driftLevel) {
            this.driftLevel = options.positive("driftLevel", driftLevel);
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
         * @throws IllegalArgumentException if the drift level is below the warning level
         */
        public Ddm build() {
            if (driftLevel < warningLevel) {
                throw new IllegalArgumentException(
                        "driftLevel must be >= warningLevel (" + warningLevel + "), was " + driftLevel);
            }
            return new Ddm(this);
        }
    }
}
