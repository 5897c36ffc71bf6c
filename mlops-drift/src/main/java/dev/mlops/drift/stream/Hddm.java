package dev.mlops.drift.stream;

import dev.mlops.core.drift.ChangeDetector;
import dev.mlops.core.drift.Signal;

/**
 * What {@link HddmA} and {@link HddmW} share (Frías-Blanco et al., IEEE TKDE 2015): the bound on
 * a weighted mean of independent inputs in [0, 1], and the decision that turns the increase and
 * decrease tests at the drift and warning confidences into a {@link Signal}.
 *
 * <p><b>Bound.</b> McDiarmid's inequality for a weighted mean whose squared weights sum to v:
 * a deviation of more than {@code sqrt(v · ln(1/δ) / 2)} has probability at most δ. Hoeffding's
 * bound for a plain mean of n inputs is the case v = 1/n; the difference of two independent means
 * adds their v.
 *
 * <p><b>Decision.</b> An increase at the drift confidence is {@link Signal#DRIFT}, else one at
 * the warning confidence {@link Signal#WARNING}. When two-sided and no increase drifted, a
 * decrease at the drift confidence is a DRIFT if decreases are reported, else it only restarts
 * the statistics at the next input; a decrease at the warning confidence is a WARNING if
 * reported. After a DRIFT the next input starts afresh.
 */
abstract sealed class Hddm implements ChangeDetector permits HddmA, HddmW {
    private final double driftConfidence;
    private final double warningConfidence;
    private final boolean twoSided;
    private final boolean reportDecreases;
    private final double logDrift;
    private final double logWarning;
    private boolean pendingReset;

    /**
     * @param logNumerator k in the tests' ln(k/δ): 2 for the A-test's two-sided Hoeffding test
     *     of means, 1 for the W-test
     */
    Hddm(Builder<?> b, double logNumerator) {
        this.driftConfidence = b.driftConfidence;
        this.warningConfidence = b.warningConfidence;
        this.twoSided = b.twoSided;
        this.reportDecreases = b.reportDecreases;
        this.logDrift = Math.log(logNumerator / driftConfidence);
        this.logWarning = Math.log(logNumerator / warningConfidence);
    }

    /** {@code sqrt(v · ln(1/δ) / 2)}, the McDiarmid bound described above. */
    static double bound(double sumOfSquaredWeights, double logInverseConfidence) {
        return Math.sqrt(sumOfSquaredWeights * logInverseConfidence / 2);
    }

    /**
     * @param value an error indicator or loss in [0, 1]
     * @return DRIFT, WARNING or NONE as described in the class comment
     * @throws IllegalArgumentException if {@code value} is outside [0, 1] or NaN; the detector is
     *     then unchanged
     */
    @Override
    public final Signal update(double value) {
        Options.unitInput(value);
        if (pendingReset) {
            reset();
        }
        add(value);
        Signal signal = Signal.NONE;
        if (increased(logDrift)) {
            signal = Signal.DRIFT;
            changed(true);
        } else if (increased(logWarning)) {
            signal = Signal.WARNING;
        }
        if (twoSided && signal != Signal.DRIFT) {
            if (decreased(logDrift)) {
                changed(false);
                if (reportDecreases) {
                    signal = Signal.DRIFT;
                } else {
                    pendingReset = true;
                }
            } else if (reportDecreases && decreased(logWarning)) {
                signal = Signal.WARNING;
            }
        }
        pendingReset |= signal == Signal.DRIFT;
        return signal;
    }

    @Override
    public final void reset() {
        pendingReset = false;
        clear();
    }

    /** Adds an input to the statistics. */
    abstract void add(double value);

    /** @return whether the mean rose, at the confidence whose ln(k/δ) is given */
    abstract boolean increased(double logConfidence);

    /** @return whether the mean fell, at the confidence whose ln(k/δ) is given */
    abstract boolean decreased(double logConfidence);

    /** Called once when a change at the drift confidence was found, before it is reported. */
    abstract void changed(boolean increase);

    /** Forgets all input. */
    abstract void clear();

    final String describe() {
        return "driftConfidence=" + driftConfidence + ", warningConfidence=" + warningConfidence
                + ", twoSided=" + twoSided + ", reportDecreases=" + reportDecreases;
    }

    /**
     * The options both HDDM tests take; each may be set once, a preset first. Not thread-safe.
     *
     * @param <B> the concrete builder, returned by every setter
     */
    abstract static class Builder<B extends Builder<B>> {
        final Options options = new Options();
        double driftConfidence = 0.001;
        double warningConfidence = 0.005;
        boolean twoSided;
        boolean reportDecreases = true;

        Builder() {
        }

        @SuppressWarnings("unchecked")
        final B self() {
            return (B) this;
        }

        /**
         * @return this builder, with River's options (the defaults: one-sided, drift 0.001,
         *     warning 0.005)
         */
        public B river() {
            options.preset("river");
            return self();
        }

        /**
         * @param driftConfidence δ of the drift test, in [1e-100, 1)
         * @return this builder
         * @throws IllegalArgumentException if out of range or NaN
         */
        public B driftConfidence(double driftConfidence) {
            this.driftConfidence = options.confidence("driftConfidence", driftConfidence);
            return self();
        }

        /**
         * @param warningConfidence δ of the warning test, in [1e-100, 1), and at least the drift
         *     confidence (checked by {@code build()})
         * @return this builder
         * @throws IllegalArgumentException if out of range or NaN
         */
        public B warningConfidence(double warningConfidence) {
            this.warningConfidence = options.confidence("warningConfidence", warningConfidence);
            return self();
        }

        /**
         * @param twoSided whether decreases of the mean are tested as well as increases
         * @return this builder
         */
        public B twoSided(boolean twoSided) {
            this.twoSided = options.flag("twoSided", twoSided);
            return self();
        }

        /**
         * @param reportDecreases whether a detected decrease is reported (River) or only restarts the
         *     statistics (MOA); ignored unless two-sided
         * @return this builder
         */
        public B reportDecreases(boolean reportDecreases) {
            this.reportDecreases = options.flag("reportDecreases", reportDecreases);
            return self();
        }

        /** The check {@code build()} runs: the options that depend on each other. */
        final void validate() {
            if (warningConfidence < driftConfidence) {
                throw new IllegalArgumentException("warningConfidence must be >= driftConfidence ("
                        + driftConfidence + "), was " + warningConfidence);
            }
        }
    }
}
