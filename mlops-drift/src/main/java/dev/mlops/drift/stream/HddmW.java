package dev.mlops.drift.stream;

import dev.mlops.core.drift.ChangeDetector;
import dev.mlops.core.drift.Signal;

/**
 * HDDM<sub>W</sub>, the W-test of Frías-Blanco et al. (IEEE TKDE 2015): like {@link HddmA} but with
 * exponentially weighted moving averages (EWMA) and McDiarmid's inequality, so recent inputs weigh
 * more and gradual drift is found sooner.
 *
 * <p><b>Test.</b> Inputs are bounded in [0, 1]. Each EWMA {@code E ← λx + (1 - λ)E} carries
 * {@code I ← λ² + (1 - λ)² I} (starting at 1 with the first input), so that McDiarmid's bound of an
 * EWMA is {@code sqrt(I · ln(1/δ) / 2)}. The cut point is where the overall EWMA plus its bound was
 * smallest; a second EWMA runs over the inputs after it. An increase is detected when the second
 * EWMA exceeds the cut point's by more than {@code sqrt((I₁ + I₂) · ln(1/δ) / 2)}, with δ the drift
 * confidence ({@link Signal#DRIFT}) or warning confidence ({@link Signal#WARNING}). Decreases
 * mirror this. False-alarm probability per test at most δ for independent inputs.
 *
 * <p><b>Options where the tools differ.</b> As for {@link HddmA}: {@link Builder#twoSided(boolean)}
 * and {@link Builder#reportDecreases(boolean)}.
 *
 * <p><b>Reproducing the reference tools.</b> Defaults: River's {@code drift.binary.HDDMW()}
 * (one-sided, λ = 0.05). {@link Builder#moa()}: MOA's {@code HDDM_W_Test}, one-sided by default;
 * with {@code twoSided(true)} a decrease restarts it silently. On River's test streams: [1018] on
 * stream 2; on stream 3 two-sided, River [507, 1032, 1508] and MOA [507, 1508]. Start-up details
 * of the tools are not copied, and change no published index: River's EWMA restarts whenever its
 * value is exactly 0 and starts its bound sum at λ² + (1 - λ)² rather than 1; MOA's decrease cut
 * point starts at {@code Double.MIN_VALUE} instead of minus infinity.
 *
 * <p>The bound and the decision are those {@link HddmA} uses too.
 *
 * <p>O(1) time and memory per update, no allocation. Not thread-safe (see {@link ChangeDetector}).
 *
 * <pre>{@code
 * ChangeDetector hddm = HddmW.builder().lambda(0.05).build();
 * }</pre>
 */
public final class HddmW extends Hddm {
    private final double lambda;
    private final double logInverseDrift;

    /** The overall EWMA and its sum of squared weights; NaN value = no input yet. Same for each pair below. */
    private double totalE;
    private double totalI;
    private double incrCut;
    private double incr1E;
    private double incr1I;
    private double incr2E;
    private double incr2I;
    private double decrCut;
    private double decr1E;
    private double decr1I;
    private double decr2E;
    private double decr2I;

    private HddmW(Builder b) {
        super(b, 1.0);
        this.lambda = b.lambda;
        this.logInverseDrift = Math.log(1.0 / b.driftConfidence);
        clear();
    }

    /** @return a builder with River's defaults (drift 0.001, warning 0.005, λ 0.05, one-sided) */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    void add(double value) {
        double decay = 1.0 - lambda;
        if (Double.isNaN(totalE)) {
            totalE = value;
            totalI = 1.0;
        } else {
            totalE = lambda * value + decay * totalE;
            totalI = lambda * lambda + decay * decay * totalI;
        }
        double bound = bound(totalI, logInverseDrift);
        if (totalE + bound < incrCut) {
            incrCut = totalE + bound;
            incr1E = totalE;
            incr1I = totalI;
            incr2E = Double.NaN;
        } else if (Double.isNaN(incr2E)) {
            incr2E = value;
            incr2I = 1.0;
        } else {
            incr2E = lambda * value + decay * incr2E;
            incr2I = lambda * lambda + decay * decay * incr2I;
        }
        if (totalE - bound > decrCut) {
            decrCut = totalE - bound;
            decr1E = totalE;
            decr1I = totalI;
            decr2E = Double.NaN;
        } else if (Double.isNaN(decr2E)) {
            decr2E = value;
            decr2I = 1.0;
        } else {
            decr2E = lambda * value + decay * decr2E;
            decr2I = lambda * lambda + decay * decay * decr2I;
        }
    }

    @Override
    boolean increased(double logInverseConfidence) {
        return exceeds(incr1E, incr1I, incr2E, incr2I, logInverseConfidence);
    }

    @Override
    boolean decreased(double logInverseConfidence) {
        return exceeds(decr2E, decr2I, decr1E, decr1I, logInverseConfidence);
    }

    @Override
    void changed(boolean increase) {
        // The estimate is the overall EWMA, which a change does not move.
    }

    /** Whether EWMA 2 exceeds EWMA 1 by more than McDiarmid's bound of their difference. */
    private static boolean exceeds(double e1, double i1, double e2, double i2, double logInverseConfidence) {
        if (Double.isNaN(e1) || Double.isNaN(e2)) {
            return false;
        }
        return e2 - e1 > bound(i1 + i2, logInverseConfidence);
    }

    /** @return the overall EWMA since the last reset, NaN before any input */
    @Override
    public double estimate() {
        return totalE;
    }

    @Override
    void clear() {
        totalE = Double.NaN;
        totalI = 0.0;
        incrCut = Double.POSITIVE_INFINITY;
        incr1E = Double.NaN;
        incr1I = 0.0;
        incr2E = Double.NaN;
        incr2I = 0.0;
        decrCut = Double.NEGATIVE_INFINITY;
        decr1E = Double.NaN;
        decr1I = 0.0;
        decr2E = Double.NaN;
        decr2I = 0.0;
    }

    @Override
    public String toString() {
        return "HddmW[" + describe() + ", lambda=" + lambda + "]";
    }

    /**
     * Options of {@link HddmW}: River's by default. Each may be set once, a preset first. Not
     * thread-safe.
     */
    public static final class Builder extends Hddm.Builder<Builder> {
        private double lambda = 0.05;

        private Builder() {
        }

        /**
         * MOA's {@code HDDM_W_Test}: one-sided; if made two-sided, a decrease restarts the
         * statistics without being reported.
         *
         * @return this builder
         */
        public Builder moa() {
            options.preset("moa");
            reportDecreases = false;
            return this;
        }

        /**
         * @param lambda weight λ of the newest input in every EWMA, in (0, 1]
         * @return this builder
         * @throws IllegalArgumentException if out of range or NaN
         */
        public Builder lambda(double lambda) {
            this.lambda = options.halfOpenUnit("lambda", lambda);
            return this;
        }

        /**
         * @return a new detector
         * @throws IllegalArgumentException if the warning confidence is below the drift confidence
         */
        public HddmW build() {
            validate();
            return new HddmW(this);
        }
    }
}
