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
 * <p>The bound and the decision are those {@link HddmW} uses too.
 *
 * <p>O(1) time and memory per update, no allocation. Not thread-safe (see {@link ChangeDetector}).
 *
 * <pre>{@code
 * ChangeDetector hddm = HddmA.builder().twoSided(true).build();
 * }</pre>
 */
public final class HddmA extends Hddm {
    private final double logInverseDrift;

    private long totalN;
    private double totalC;
    private long nMin;
    private double cMin;
    private long nMax;
    private double cMax;
    private double estimate;

    private HddmA(Builder b) {
        super(b, 2.0);
        this.logInverseDrift = Math.log(1.0 / b.driftConfidence);
        clear();
    }

    /** @return a builder with River's defaults (drift 0.001, warning 0.005, one-sided) */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    void add(double value) {
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
        double totalBound = bound(1.0 / totalN, logInverseDrift);
        if (cMin / nMin + bound(1.0 / nMin, logInverseDrift) >= totalMean + totalBound) {
            cMin = totalC;
            nMin = totalN;
        }
        if (cMax / nMax - bound(1.0 / nMax, logInverseDrift) <= totalMean - totalBound) {
            cMax = totalC;
            nMax = totalN;
        }
        estimate = totalMean;
    }

    @Override
    boolean increased(double logTwiceInverseConfidence) {
        return grew(cMin, nMin, totalC, totalN, logTwiceInverseConfidence);
    }

    @Override
    boolean decreased(double logTwiceInverseConfidence) {
        return grew(totalC, totalN, cMax, nMax, logTwiceInverseConfidence);
    }

    @Override
    void changed(boolean increase) {
        estimate = increase ? (totalC - cMin) / (totalN - nMin) : (totalC - cMax) / (totalN - nMax);
    }

    /**
     * Whether the mean grew from the prefix (c1, n1) to the whole (c2, n2), or, with the arguments
     * swapped, shrank: Hoeffding's test of the difference of the prefix's mean and the mean of
     * the inputs after it, whose v is {@code 1/n_from - 1/n_to}.
     */
    private static boolean grew(double c1, long n1, double c2, long n2, double logTwiceInverseConfidence) {
        long nFrom = Math.min(n1, n2);
        long nTo = Math.max(n1, n2);
        if (nFrom == nTo) {
            return false;
        }
        double m = (double) (nTo - nFrom) / nFrom * (1.0 / nTo);
        return c2 / n2 - c1 / n1 >= bound(m, logTwiceInverseConfidence);
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
    void clear() {
        totalN = 0;
        totalC = 0.0;
        nMin = 0;
        cMin = 0.0;
        nMax = 0;
        cMax = 0.0;
        estimate = Double.NaN;
    }

    @Override
    public String toString() {
        return "HddmA[" + describe() + "]";
    }

    /**
     * Options of {@link HddmA}: River's by default. Each may be set once, a preset first. Not
     * thread-safe.
     */
    public static final class Builder extends Hddm.Builder<Builder> {
        private Builder() {
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
         * @return a new detector
         * @throws IllegalArgumentException if the warning confidence is below the drift confidence
         */
        public HddmA build() {
            validate();
            return new HddmA(this);
        }
    }
}
