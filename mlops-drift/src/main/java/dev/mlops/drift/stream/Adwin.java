package dev.mlops.drift.stream;

import dev.mlops.core.drift.ChangeDetector;
import dev.mlops.core.drift.Signal;

/**
 * ADWIN, adaptive windowing (Bifet and Gavaldà, SDM 2007): keeps a window of recent values in
 * exponential-histogram buckets and drops its oldest part whenever two sub-windows have means that
 * differ by more than a Hoeffding/Bernstein-style bound.
 *
 * <p><b>Test.</b> Every {@code clock} inputs, once the window is longer than the grace period,
 * every bucket boundary splits the window W into an older part W0 (n0 values) and a newer part W1
 * (n1 values). With {@code m' = 1/(n0 - L + 1) + 1/(n1 - L + 1)} (L = {@link Builder#minWindowLength}),
 * {@code δ' = ln(2 ln|W| / δ)} and σ² the window's variance, a cut is made when
 * {@code |mean(W0) - mean(W1)| > sqrt(2 m' σ² δ') + (2/3) δ' m'}. The oldest bucket is then dropped
 * and the test repeated until no cut holds. An input that caused at least one cut returns
 * {@link Signal#DRIFT} when the {@link Builder#direction(Direction) direction} covers the move of
 * the window's mean: from before the input to after it and its cuts, a rise is
 * {@link Direction#UP}, a fall {@link Direction#DOWN}. A cut the direction does not cover still
 * shrinks the window, silently. ADWIN never returns {@link Signal#WARNING}.
 *
 * <p><b>Guarantee</b> (for inputs in [0, 1]): on a stationary stream the probability of a false cut
 * at any one check is at most δ; a change of the mean by more than the bound above is detected
 * with probability at least 1 - δ. Inputs outside [0, 1] are accepted (River's tests feed values
 * 0..7) but the bound then loses its probabilistic meaning. Inputs are refused above 1e100 in
 * magnitude, which keeps every sum of the window finite for any window length.
 *
 * <p><b>Cost.</b> Memory O(M log(W/M)) for M = {@code maxBuckets}; {@link #update} is O(1)
 * amortised plus an O(M log W) scan every {@code clock} inputs, and allocates nothing once the
 * bucket rows exist (a new row is added when the window doubles).
 *
 * <p><b>Reproducing the reference tools.</b> {@link Builder#river()} (River's current
 * {@code drift.ADWIN()}: every cut is a drift, sub-windows of at least 5, detector reset after a
 * drift) and {@link Builder#moa()} (MOA 2024.07 {@code ADWINChangeDetector}: a cut is a drift only
 * when it leaves the estimate above the one before the input, since MOA watches an error rate;
 * sub-windows of more than 6; the window just shrinks after a drift) give the detection indices
 * those tools publish, for example [1023] and [1023, 1055] on River's test stream 1. On a stream
 * whose mean falls and later rises, River reports both changes and MOA only the rise.
 *
 * <p>Not thread-safe: one detector per stream, fed by one thread (see {@link ChangeDetector}).
 *
 * <pre>{@code
 * ChangeDetector adwin = Adwin.builder().delta(0.002).build();
 * if (adwin.update(loss) == Signal.DRIFT) retrain();
 * }</pre>
 */
public final class Adwin implements ChangeDetector {
    /** The most buckets per row: the scan every clock inputs is O(maxBuckets · log width). */
    private static final int MAX_BUCKETS = 1000;

    private final double delta;
    private final int clock;
    private final int maxBuckets;
    private final int minWindowLength;
    private final int minSubWindowLength;
    private final int gracePeriod;
    private final boolean resetAfterDrift;
    private final Direction direction;
    private final int slots;

    /** Bucket sums, row-major: row r (buckets of 2^r values) occupies [r * slots, r * slots + counts[r]); index 0 is the oldest. */
    private double[] totals;
    /** Bucket variances (sums of squared deviations from the bucket mean), laid out like totals. */
    private double[] variances;
    private int[] counts;
    private int rows;
    private long width;
    private double total;
    private double variance;
    private long tick;
    private boolean pendingReset;

    private Adwin(Builder b) {
        this.delta = b.delta;
        this.clock = b.clock;
        this.maxBuckets = b.maxBuckets;
        this.minWindowLength = b.minWindowLength;
        this.minSubWindowLength = b.effectiveMinSubWindowLength();
        this.gracePeriod = b.gracePeriod;
        this.resetAfterDrift = b.resetAfterDrift;
        this.direction = b.direction;
        this.slots = maxBuckets + 1;
        this.totals = new double[16 * slots];
        this.variances = new double[16 * slots];
        this.counts = new int[16];
        clear();
    }

    /**
     * @return a builder with River's defaults (see {@link Builder})
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Adds one value to the window and tests for a change when the clock ticks.
     *
     * @param value a finite number of magnitude at most 1e100; the statistical guarantee assumes
     *     values in [0, 1]
     * @return {@link Signal#DRIFT} if the window was cut and its mean moved in the reported
     *     direction, else {@link Signal#NONE}
     * @throws IllegalArgumentException if {@code value} is NaN, infinite or above 1e100 in
     *     magnitude; the detector is then unchanged
     */
    @Override
    public Signal update(double value) {
        Options.realInput(value);
        if (pendingReset) {
            clear();
        }
        // MOA's ADWINChangeDetector compares with the estimate taken before the input (NaN when
        // empty, which no comparison passes; a cut needs a full grace period anyway).
        double before = estimate();
        insert(value);
        boolean drift = detectChange() && reported(before, estimate());
        pendingReset = drift && resetAfterDrift;
        return drift ? Signal.DRIFT : Signal.NONE;
    }

    private boolean reported(double before, double after) {
        // BOTH is River's rule, every cut, even one that leaves the mean exactly where it was.
        return direction == Direction.BOTH
                || direction.watchesUp() && after > before
                || direction.watchesDown() && after < before;
    }

    /** @return the mean of the current window, NaN when it is empty */
    @Override
    public double estimate() {
        return width == 0 ? Double.NaN : total / width;
    }

    /** Empties the window and restarts the clock. */
    @Override
    public void reset() {
        clear();
    }

    /** @return the number of values in the current window */
    public long width() {
        return width;
    }

    /** @return the variance of the values in the current window (population form), NaN when empty */
    public double windowVariance() {
        return width == 0 ? Double.NaN : nonNegativeVariance();
    }

    /**
     * The running sum of squared deviations loses a little to rounding each time a bucket is
     * dropped; once it dips below zero, sqrt would give NaN and no cut could ever hold.
     */
    private double nonNegativeVariance() {
        return Math.max(0.0, variance / width);
    }

    private void clear() {
        java.util.Arrays.fill(counts, 0);
        rows = 1;
        width = 0;
        total = 0.0;
        variance = 0.0;
        tick = 0;
        pendingReset = false;
    }

    private void insert(double value) {
        totals[counts[0]] = value;
        variances[counts[0]] = 0.0;
        counts[0]++;
        width++;
        if (width > 1) {
            // Same operation order as River and MOA so that borderline cuts fall the same way.
            double previousMean = total / (width - 1);
            variance += (width - 1) * (value - previousMean) * (value - previousMean) / width;
        }
        total += value;
        compress();
    }

    private void compress() {
        for (int row = 0; row < rows; row++) {
            if (counts[row] != maxBuckets + 1) {
                return;
            }
            if (row + 1 == rows) {
                addRow();
            }
            int base = row * slots;
            double size = bucketSize(row);
            double mean1 = totals[base] / size;
            double mean2 = totals[base + 1] / size;
            double merged = totals[base] + totals[base + 1];
            double mergedVariance = variances[base] + variances[base + 1]
                    + size * size * (mean1 - mean2) * (mean1 - mean2) / (size + size);
            int next = (row + 1) * slots + counts[row + 1];
            totals[next] = merged;
            variances[next] = mergedVariance;
            counts[row + 1]++;
            shiftLeft(row, 2);
        }
    }

    private void addRow() {
        if (rows == counts.length) {
            int capacity = counts.length * 2;
            totals = java.util.Arrays.copyOf(totals, capacity * slots);
            variances = java.util.Arrays.copyOf(variances, capacity * slots);
            counts = java.util.Arrays.copyOf(counts, capacity);
        }
        counts[rows] = 0;
        rows++;
    }

    private void shiftLeft(int row, int by) {
        int base = row * slots;
        int remaining = counts[row] - by;
        System.arraycopy(totals, base + by, totals, base, remaining);
        System.arraycopy(variances, base + by, variances, base, remaining);
        counts[row] = remaining;
    }

    private void deleteOldest() {
        int row = rows - 1;
        int base = row * slots;
        double size = bucketSize(row);
        double bucketTotal = totals[base];
        double bucketMean = bucketTotal / size;
        width -= (long) size;
        total -= bucketTotal;
        double windowMean = total / width;
        variance -= variances[base]
                + size * width * (bucketMean - windowMean) * (bucketMean - windowMean) / (size + width);
        shiftLeft(row, 1);
        if (counts[row] == 0 && rows > 1) {
            rows--;
        }
    }

    private boolean detectChange() {
        tick++;
        if (tick % clock != 0 || width <= gracePeriod) {
            return false;
        }
        boolean changed = false;
        boolean cutAgain = true;
        while (cutAgain) {
            cutAgain = false;
            double n0 = 0.0;
            double n1 = width;
            double u0 = 0.0;
            double u1 = total;
            // Both depend on the window only, which changes only when a bucket is dropped below.
            double deltaPrime = Math.log(2 * Math.log(width) / delta);
            double windowVariance = nonNegativeVariance();
            scan:
            for (int row = rows - 1; row >= 0; row--) {
                double size = bucketSize(row);
                int base = row * slots;
                int count = counts[row];
                for (int k = 0; k < count; k++) {
                    double bucketTotal = totals[base + k];
                    n0 += size;
                    n1 -= size;
                    u0 += bucketTotal;
                    u1 -= bucketTotal;
                    if (row == 0 && k == count - 1) {
                        break scan;
                    }
                    double meanDifference = u0 / n0 - u1 / n1;
                    if (n1 >= minSubWindowLength && n0 >= minSubWindowLength
                            && cutHolds(n0, n1, meanDifference, deltaPrime, windowVariance)) {
                        changed = true;
                        cutAgain = true;
                        deleteOldest();
                        break scan;
                    }
                }
            }
        }
        return changed;
    }

    private boolean cutHolds(double n0, double n1, double meanDifference, double deltaPrime, double windowVariance) {
        double mRecip = 1.0 / (n0 - minWindowLength + 1) + 1.0 / (n1 - minWindowLength + 1);
        double epsilon = Math.sqrt(2 * mRecip * windowVariance * deltaPrime) + 2.0 / 3.0 * deltaPrime * mRecip;
        return Math.abs(meanDifference) > epsilon;
    }

    private static double bucketSize(int row) {
        return (double) (1L << row);
    }

    @Override
    public String toString() {
        return "Adwin[delta=" + delta + ", clock=" + clock + ", maxBuckets=" + maxBuckets
                + ", minWindowLength=" + minWindowLength + ", minSubWindowLength=" + minSubWindowLength
                + ", gracePeriod=" + gracePeriod + ", resetAfterDrift=" + resetAfterDrift + ", direction=" + direction + "]";
    }

    /**
     * Options of {@link Adwin}. Defaults are River's: δ = 0.002, clock 32, 5 buckets per row, min
     * window length 5 (also the smallest sub-window), grace period 10, reset after drift, every
     * cut reported ({@link Direction#BOTH}). Each
     * option may be set once; a preset ({@link #river()}, {@link #moa()}) must come first.
     * Not thread-safe.
     */
    public static final class Builder {
        private final Options options = new Options();
        private double delta = 0.002;
        private int clock = 32;
        private int maxBuckets = 5;
        private int minWindowLength = 5;
        private int minSubWindowLength = 5;
        private boolean presetSubWindow;
        private int gracePeriod = 10;
        private boolean resetAfterDrift = true;
        private Direction direction = Direction.BOTH;

        private Builder() {
        }

        private int effectiveMinSubWindowLength() {
            return options.isSet("minSubWindowLength") || presetSubWindow ? minSubWindowLength : minWindowLength;
        }

        /**
         * River's {@code drift.ADWIN()}: the defaults above. Every cut is a drift, whichever way
         * the mean moved, and the detector is rebuilt after every drift, so the window starts
         * empty again.
         *
         * @return this builder
         */
        public Builder river() {
            options.preset("river");
            return this;
        }

        /**
         * MOA's {@code ADWINChangeDetector} / {@code ADWIN}: the same bound with L = 5, but a cut
         * needs more than L + 1 values on each side (so at least 7), the check waits until the
         * window holds more than 10 values, a cut is a drift only if it leaves the window's mean
         * above the mean before the input ({@link Direction#UP}: MOA watches an error rate), and
         * the window is never reset: after a drift it just keeps its newer part.
         *
         * @return this builder
         */
        public Builder moa() {
            options.preset("moa");
            minWindowLength = 5;
            minSubWindowLength = 7;
            presetSubWindow = true;
            gracePeriod = 10;
            resetAfterDrift = false;
            direction = Direction.UP;
            return this;
        }

        /**
         * @param delta the confidence δ of each cut test, in [1e-100, 1); smaller means fewer
         *     false alarms and later detections
         * @return this builder
         * @throws IllegalArgumentException if out of range or NaN
         */
        public Builder delta(double delta) {
            this.delta = options.confidence("delta", delta);
            return this;
        }

        /**
         * @param clock test for a cut every {@code clock} inputs (1 tests on every input), in
         *     [1, 2^31 - 1]
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder clock(int clock) {
            this.clock = options.intIn("clock", clock, 1, Integer.MAX_VALUE);
            return this;
        }

        /**
         * @param maxBuckets the number M of buckets of each size kept before two are merged, in
         *     [2, 1000]; larger M means more candidate cut points, more memory (16 bytes per bucket,
         *     about 1 MB at 1000 for any window) and a longer scan every {@code clock} inputs
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder maxBuckets(int maxBuckets) {
            this.maxBuckets = options.intIn("maxBuckets", maxBuckets, 2, MAX_BUCKETS);
            return this;
        }

        /**
         * @param minWindowLength L in the bound's {@code m'}, in [1, 2^31 - 1]; unless
         *     {@link #minSubWindowLength(int)} is set, also the smallest sub-window a cut may leave
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder minWindowLength(int minWindowLength) {
            this.minWindowLength = options.intIn("minWindowLength", minWindowLength, 1, Integer.MAX_VALUE);
            return this;
        }

        /**
         * @param minSubWindowLength the fewest values each side of a cut must hold, in
         *     [1, 2^31 - 1] and at least the min window length L (checked by {@link #build()}), so
         *     that every {@code n - L + 1} in the bound is positive (River: L, 5; MOA: 7)
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder minSubWindowLength(int minSubWindowLength) {
            this.minSubWindowLength = options.intIn("minSubWindowLength", minSubWindowLength, 1, Integer.MAX_VALUE);
            return this;
        }

        /**
         * @param gracePeriod no cut is tested while the window holds this many values or fewer, in
         *     [0, 2^31 - 1]
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder gracePeriod(int gracePeriod) {
            this.gracePeriod = options.intIn("gracePeriod", gracePeriod, 0, Integer.MAX_VALUE);
            return this;
        }

        /**
         * @param resetAfterDrift whether the next input after a drift starts from an empty window
         *     (River) rather than from the window's newer part (MOA)
         * @return this builder
         */
        public Builder resetAfterDrift(boolean resetAfterDrift) {
            this.resetAfterDrift = options.flag("resetAfterDrift", resetAfterDrift);
            return this;
        }

        /**
         * @param direction which cuts are reported as {@link Signal#DRIFT}: those after which the
         *     window's mean is higher than before the input ({@link Direction#UP}, MOA), lower
         *     ({@link Direction#DOWN}), or every cut ({@link Direction#BOTH}, River); an unreported
         *     cut still shrinks the window and does not reset it
         * @return this builder
         * @throws NullPointerException if {@code direction} is null
         */
        public Builder direction(Direction direction) {
            this.direction = options.object("direction", direction);
            return this;
        }

        /**
         * @return a new detector with these options
         * @throws IllegalArgumentException if the smallest sub-window is below the min window length
         */
        public Adwin build() {
            int subWindow = effectiveMinSubWindowLength();
            if (subWindow < minWindowLength) {
                throw new IllegalArgumentException("minSubWindowLength must be >= minWindowLength ("
                        + minWindowLength + "), was " + subWindow);
            }
            return new Adwin(this);
        }
    }
}
