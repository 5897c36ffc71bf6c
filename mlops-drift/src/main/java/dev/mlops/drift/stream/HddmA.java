package dev.mlops.drift.stream;

import dev.mlops.core.drift.ChangeDetector;
import dev.mlops.core.drift.Signal;

/**
 * HDDM<sub>A</sub>, the A-test of Frías-Blanco et al. (IEEE TKDE 2015): compares the mean since a
 * cut point with the mean of everything seen, using Hoeffding's inequality.
 *
 * <p><b>Test.</b> Inputs are bounded in [0, 1]. With Z the mean of all n inputs since the last
 * reset, the cut point X is the prefix (n_x inputs) whose mean plus Hoeffding bound
 * {@code sqrt(ln(1/δ_drift) / (2 n_x))} is smallest. An increase is detected when
 * {@code Z - X >= sqrt(m/2 · ln(2/δ))}, {@code m = (n - n_x) / (n_x · n)}, with δ the drift
 * confidence ({@link Signal#DRIFT}) or the warning confidence ({@link Signal#WARNING}). A
 * decrease is tested the same way against the prefix with the largest mean minus bound. The
 * false-alarm probability of each test is at most δ for independent inputs.
 *
 * <p><b>Options where the tools differ.</b> {@link Builder#twoSided(boolean)} also tests for
 * decreases; {@link Builder#reportDecreases(boolean)} says whether a detected decrease is reported
 * (River: DRIFT or WARNING) or only restarts the statistics silently (MOA, which reports increases
 * of the error rate only).
 *
 * <p><b>Reproducing the reference tools.</b> Defaults: River's {@code drift.binary.HDDMA()}
 * (one-sided). {@link Builder#moa()}: MOA's {@code HDDM_A_Test} (two-sided, decreases silent).
 * On River's test streams: [1047] on stream 2 for both; on stream 3, River two-sided gives
 * [531, 1015, 1545] and MOA [531, 1545].
 *
 * <p>O(1) time and memory per update, no allocation. Not thread-safe (see {@link ChangeDetector}).
 *
 * <pre>{@code
 * ChangeDetector hddm = HddmA.builder().twoSided(true).build();
 * }</pre>
 */
public final class HddmA implements ChangeDetector {
    private final double driftConfidence;
    private final double warningConfidence;
    private final boolean twoSided;
    private final boolean reportDecreases;
    private final double logInverseDrift;
    private final double logTwiceInverseDrift;
    private final double logTwiceInverseWarning;

    private long totalN;
    private double totalC;
    private long nMin;
    private double cMin;
    private long nMax;
    private double cMax;
    private double estimate;
    private boolean pendingReset;

    private HddmA(Builder b) {
        this.driftConfidence = b.driftConfidence;
        this.warningConfidence = b.warningConfidence;
        this.twoSided = b.twoSided;
        this.reportDecreases = b.reportDecreases;
        this.logInverseDrift = Math.log(1.0 / driftConfidence);
        this.logTwiceInverseDrift = Math.log(2.0 / driftConfidence);
        this.logTwiceInverseWarning = Math.log(2.0 / warningConfidence);
        reset();
    }

    /** @return a builder with River's defaults (drift 0.001, warning 0.005, one-sided) */
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
        totalN++;
        totalC += value;
        if (nMin == 0) {
            nMin = totalN;
            cMin = totalC;
        }
        if (nMax == 0) {
            nMax = totalN;
            cMax = totalC;
        }
        double totalMean = totalC / totalN;
        double totalBound = Math.sqrt(1.0 / (2 * totalN) * logInverseDrift);
        if (cMin / nMin + Math.sqrt(1.0 / (2 * nMin) * logInverseDrift) >= totalMean + totalBound) {
            cMin = totalC;
            nMin = totalN;
        }
        if (cMax / nMax - Math.sqrt(1.0 / (2 * nMax) * logInverseDrift) <= totalMean - totalBound) {
            cMax = totalC;
            nMax = totalN;
        }
        estimate = totalMean;
        Signal signal = Signal.NONE;
        if (changed(cMin, nMin, totalC, totalN, logTwiceInverseDrift)) {
            signal = Signal.DRIFT;
            estimate = (totalC - cMin) / (totalN - nMin);
        } else if (changed(cMin, nMin, totalC, totalN, logTwiceInverseWarning)) {
            signal = Signal.WARNING;
        }
        if (twoSided && signal != Signal.DRIFT) {
            if (changed(totalC, totalN, cMax, nMax, logTwiceInverseDrift)) {
                estimate = (totalC - cMax) / (totalN - nMax);
                if (reportDecreases) {
                    signal = Signal.DRIFT;
                } else {
                    pendingReset = true;
                }
            } else if (reportDecreases && changed(totalC, totalN, cMax, nMax, logTwiceInverseWarning)) {
                signal = Signal.WARNING;
            }
        }
        pendingReset |= signal == Signal.DRIFT;
        return signal;
    }

    /**
     * Whether the mean grew from the prefix (c1, n1) to the whole (c2, n2), or, with the arguments
     * swapped, shrank. The bound is the same for both directions.
     */
    private static boolean changed(double c1, long n1, double c2, long n2, double logTwiceInverseConfidence) {
        long nFrom = Math.min(n1, n2);
        long nTo = Math.max(n1, n2);
        if (nFrom == nTo) {
            return false;
        }
        double m = (double) (nTo - nFrom) / nFrom * (1.0 / nTo);
        double bound = Math.sqrt(m / 2 * logTwiceInverseConfidence);
        return c2 / n2 - c1 / n1 >= bound;
    }

    /**
     * @return the mean of the inputs since the last reset; right after a detected change, the mean
     *     of the inputs after the cut point (MOA's estimate); NaN before any input
     */
    @Override
    public double estimate() {
        return estimate;
    }

    @Override
    public void reset() {
        totalN = 0;
        totalC = 0.0;
        nMin = 0;
        cMin = 0.0;
        nMax = 0;
        cMax = 0.0;
        estimate = Double.NaN;
        pendingReset = false;
    }

    @Override
    public String toString() {
        return "HddmA[driftConfidence=" + driftConfidence + ", warningConfidence=" + warningConfidence
                + ", twoSided=" + twoSided + ", reportDecreases=" + reportDecreases + "]";
    }

    /** Options of {@link HddmA}; each may be set once, a preset first. Not thread-safe. */
    public static final class Builder {
        private final Options options = new Options();
        private double driftConfidence = 0.001;
        private double warningConfidence = 0.005;
        private boolean twoSided;
        private boolean reportDecreases = true;

        private Builder() {
        }

        /**
         * @return this builder, with River's {@code drift.binary.HDDMA()} options (the defaults)
         */
        public Builder river() {
            options.preset("river");
            return this;
        }

        /**
         * @return this builder, with MOA's {@code HDDM_A_Test} options: two-sided, decreases not reported
         */
        public Builder moa() {
            options.preset("moa");
            twoSided = true;
            reportDecreases = false;
            return this;
        }

        /**
         * @param driftConfidence δ of the drift test, in (0, 1)
         * @return this builder
         */
        public Builder driftConfidence(double driftConfidence) {
            options.mark("driftConfidence");
            this.driftConfidence = Options.openUnit("driftConfidence", driftConfidence);
            return this;
        }

        /**
         * @param warningConfidence δ of the warning test, in (0, 1), >= the drift confidence
         * @return this builder
         */
        public Builder warningConfidence(double warningConfidence) {
            options.mark("warningConfidence");
            this.warningConfidence = Options.openUnit("warningConfidence", warningConfidence);
            return this;
        }

        /**
         * @param twoSided whether decreases of the mean are tested as well as increases
         * @return this builder
         */
        public Builder twoSided(boolean twoSided) {
            options.mark("twoSided");
            this.twoSided = twoSided;
            return this;
        }

        /**
         * @param reportDecreases whether a detected decrease is reported (River) or only restarts the
         *     statistics (MOA); ignored unless two-sided
         * @return this builder
         */
        public Builder reportDecreases(boolean reportDecreases) {
            options.mark("reportDecreases");
            this.reportDecreases = reportDecreases;
            return this;
        }

        /**
         * @return a new detector
         * @throws IllegalArgumentException if the warning confidence is below the drift confidence
         */
        public HddmA build() {
            if (warningConfidence < driftConfidence) {
                throw new IllegalArgumentException("warningConfidence must be >= driftConfidence ("
                        + driftConfidence + "), was " + warningConfidence);
            }
            return new HddmA(this);
        }
    }
}
