package dev.mlops.drift.stream;

import dev.mlops.core.drift.ChangeDetector;
import dev.mlops.core.drift.Signal;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * KSWIN, Kolmogorov-Smirnov windowing (Raab, Heusinger and Schleif, Neurocomputing 2020): compares
 * the most recent inputs with a random sample of older ones by a two-sample KS test.
 *
 * <p><b>Test.</b> A sliding window holds the last {@code windowSize} inputs. Once it is full, each
 * input draws {@code statSize} values uniformly without replacement from the window's older
 * {@code windowSize - statSize} values and compares them with the newest {@code statSize} by the
 * exact two-sided two-sample KS test (SciPy's {@code ks_2samp}, which River calls). The detector
 * returns {@link Signal#DRIFT} when the p-value is at most {@code alpha} and the statistic D
 * exceeds {@code minStatistic} (River's fixed 0.1). No warnings. The test is distribution-free for
 * continuous data; with ties (for example 0/1 inputs) the exact p-value is conservative. Because a
 * test runs on every input, the false alarms per input are far above {@code alpha}: choose alpha
 * small (River's docs suggest below 0.01).
 *
 * <p><b>Randomness.</b> Samples are uniform without replacement, drawn by a {@link SplittableRandom} seeded with
 * {@link Builder#seed(long)}; {@link #reset()} re-seeds it, so a reset detector repeats itself
 * exactly. The sample order differs from River's Python {@code random.Random}, so indices match
 * River only where the draw cannot matter, e.g. when {@code windowSize = 2 · statSize} and the
 * sample is the whole older half: River's test ({@code alpha 0.0001, window 200, stat 100}) then
 * gives [1042] on its test stream 1 for any seed.
 *
 * <p><b>Cost.</b> O(windowSize) per input: both parts of the window are kept sorted (a binary
 * search and a short array move per input), the random sample is drawn in sorted order (Floyd's
 * sampling into a bit set, statSize draws), the statistic is one merge pass and the p-value a look-up in a table built
 * once. O(windowSize) memory, no allocation after construction.
 *
 * <p>Not thread-safe (see {@link ChangeDetector}).
 *
 * <pre>{@code
 * ChangeDetector kswin = Kswin.builder().alpha(0.005).seed(42).build();
 * }</pre>
 */
public final class Kswin implements ChangeDetector {
    /** The largest window: about 24 MB of arrays, so that a small service's heap holds several. */
    private static final int MAX_WINDOW_SIZE = 1_000_000;
    /** SciPy's ks_2samp is exact up to 10,000 values per sample; the p-value table costs O(r²). */
    private static final int MAX_STAT_SIZE = 10_000;

    private final double alpha;
    private final int windowSize;
    private final int statSize;
    private final long seed;
    private final double minStatistic;
    private final boolean resetAfterDrift;
    private final double[] pValues;

    /** The window in arrival order, a ring starting at {@code start}. */
    private final double[] window;
    /** The window's older values (all but the newest statSize), kept sorted. */
    private final double[] sortedOlder;
    /** The newest statSize values, kept sorted. */
    private final double[] sortedRecent;
    private final double[] sample;
    /** Scratch bit set of the older positions drawn for one test; all clear between tests. */
    private final long[] chosen;
    private SplittableRandom random;
    private int start;
    private int size;
    private int olderCount;
    private int recentCount;
    private double lastPValue;
    private boolean pendingReset;

    private Kswin(Builder b) {
        this.alpha = b.alpha;
        this.windowSize = b.windowSize;
        this.statSize = b.statSize;
        this.seed = b.seed;
        this.minStatistic = b.minStatistic;
        this.resetAfterDrift = b.resetAfterDrift;
        this.pValues = EqualSizeKs.pValueTable(statSize);
        this.window = new double[windowSize];
        this.sortedOlder = new double[windowSize - statSize];
        this.sortedRecent = new double[statSize];
        this.sample = new double[statSize];
        this.chosen = new long[(windowSize - statSize + 63) / 64];
        reset();
    }

    /** @return a builder with River's defaults (alpha 0.005, window 100, stat size 30, seed 0) */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param value a finite number of magnitude at most 1e100 (the limit all real-valued detectors
     *     share; the test itself only compares values)
     * @return DRIFT when the KS test rejects, else NONE
     * @throws IllegalArgumentException if {@code value} is NaN, infinite or above 1e100 in
     *     magnitude; the detector is then unchanged
     */
    @Override
    public Signal update(double value) {
        Options.realInput(value);
        if (pendingReset) {
            reset();
        }
        // -0.0 and 0.0 are one value for the test; keeping only 0.0 keeps the sorted arrays
        // consistent with the equality the statistic uses.
        append(value + 0.0);
        if (size < windowSize) {
            return Signal.NONE;
        }
        drawSortedSample();
        int h = EqualSizeKs.scaledStatistic(sample, sortedRecent, statSize);
        lastPValue = pValues[h];
        boolean drift = lastPValue <= alpha && (double) h / statSize > minStatistic;
        if (drift) {
            if (resetAfterDrift) {
                pendingReset = true;
            } else {
                keepRecent();
            }
        }
        return drift ? Signal.DRIFT : Signal.NONE;
    }

    /** @return the mean of the current window, NaN when it is empty */
    @Override
    public double estimate() {
        if (size == 0) {
            return Double.NaN;
        }
        double sum = 0.0;
        for (int i = 0; i < size; i++) {
            sum += at(i);
        }
        return sum / size;
    }

    /** Empties the window and re-seeds the sampler, so the detector repeats itself from here. */
    @Override
    public void reset() {
        random = new SplittableRandom(seed);
        start = 0;
        size = 0;
        olderCount = 0;
        recentCount = 0;
        lastPValue = Double.NaN;
        pendingReset = false;
    }

    /** @return the p-value of the last test, NaN while the window is not yet full */
    public double lastPValue() {
        return lastPValue;
    }

    private void drawSortedSample() {
        selectInOrder(random, sortedOlder, olderCount, sample, statSize, chosen);
    }

    /**
     * Copies k of the first n values of {@code source} into {@code into}, every k-subset of
     * positions equally likely, in their original order, so a sorted source gives a sorted sample
     * without sorting. Floyd's algorithm marks k distinct positions in the bit set {@code chosen}
     * (k draws, no rejection loop), which is then read in order and left cleared.
     */
    static void selectInOrder(SplittableRandom random, double[] source, int n, double[] into, int k, long[] chosen) {
        for (int j = n - k; j < n; j++) {
            // floor(U · (j + 1)) is uniform on [0, j] up to 2^-53, without a bounded nextInt's division.
            int t = (int) (random.nextDouble() * (j + 1));
            if ((chosen[t >>> 6] & (1L << t)) != 0) {
                t = j;
            }
            chosen[t >>> 6] |= 1L << t;
        }
        int out = 0;
        for (int w = 0; out < k; w++) {
            long bits = chosen[w];
            chosen[w] = 0L;
            while (bits != 0L) {
                into[out++] = source[(w << 6) + Long.numberOfTrailingZeros(bits)];
                bits &= bits - 1;
            }
        }
    }

    private double at(int index) {
        return window[(start + index) % windowSize];
    }

    private void append(double value) {
        if (size == windowSize) {
            remove(sortedOlder, olderCount--, window[start]);
            start = (start + 1) % windowSize;
            size--;
        }
        if (recentCount == statSize) {
            // The oldest of the recent values moves to the older part.
            double moving = at(size - statSize);
            remove(sortedRecent, recentCount--, moving);
            insert(sortedOlder, olderCount++, moving);
        }
        window[(start + size) % windowSize] = value;
        size++;
        insert(sortedRecent, recentCount++, value);
    }

    private void keepRecent() {
        start = (start + windowSize - statSize) % windowSize;
        size = statSize;
        olderCount = 0;
    }

    /** Inserts {@code value} into the sorted prefix {@code a[0, count)}. */
    private static void insert(double[] a, int count, double value) {
        int at = Arrays.binarySearch(a, 0, count, value);
        if (at < 0) {
            at = -at - 1;
        }
        System.arraycopy(a, at, a, at + 1, count - at);
        a[at] = value;
    }

    /** Removes one copy of {@code value}, which is present, from the sorted prefix {@code a[0, count)}. */
    private static void remove(double[] a, int count, double value) {
        int at = Arrays.binarySearch(a, 0, count, value);
        System.arraycopy(a, at + 1, a, at, count - at - 1);
    }

    @Override
    public String toString() {
        return "Kswin[alpha=" + alpha + ", windowSize=" + windowSize + ", statSize=" + statSize + ", seed=" + seed
                + ", minStatistic=" + minStatistic + ", resetAfterDrift=" + resetAfterDrift + "]";
    }

    /** Options of {@link Kswin}; each may be set once, a preset first. Not thread-safe. */
    public static final class Builder {
        private final Options options = new Options();
        private double alpha = 0.005;
        private int windowSize = 100;
        private int statSize = 30;
        private long seed;
        private double minStatistic = 0.1;
        private boolean resetAfterDrift = true;

        private Builder() {
        }

        /**
         * River's {@code drift.KSWIN()}: the defaults; after a drift the next input starts an
         * empty window.
         *
         * @return this builder
         */
        public Builder river() {
            options.preset("river");
            return this;
        }

        /**
         * @param alpha the KS test's significance level, in (0, 1)
         * @return this builder
         * @throws IllegalArgumentException if out of range or NaN
         */
        public Builder alpha(double alpha) {
            this.alpha = options.openUnit("alpha", alpha);
            return this;
        }

        /**
         * @param windowSize inputs kept, in [2, 1,000,000] and at least 2 · statSize (checked by
         *     {@link #build()}); memory is about 24 bytes per input of the window (24 MB at the
         *     limit), and each update moves up to windowSize values
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder windowSize(int windowSize) {
            this.windowSize = options.intIn("windowSize", windowSize, 2, MAX_WINDOW_SIZE);
            return this;
        }

        /**
         * @param statSize the size r of both compared samples, in [1, 10,000] (SciPy's limit for
         *     its exact p-value; building the p-value table costs O(r²)) and at most
         *     windowSize / 2 (checked by {@link #build()}) so that r older values exist to draw from
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder statSize(int statSize) {
            this.statSize = options.intIn("statSize", statSize, 1, MAX_STAT_SIZE);
            return this;
        }

        /**
         * @param seed the sampler's seed; equal seeds give equal signals on equal streams
         * @return this builder
         */
        public Builder seed(long seed) {
            options.mark("seed");
            this.seed = seed;
            return this;
        }

        /**
         * @param minStatistic D must exceed this as well as the p-value being small, in [0, 1)
         *     (River: 0.1)
         * @return this builder
         * @throws IllegalArgumentException if out of range or NaN
         */
        public Builder minStatistic(double minStatistic) {
            this.minStatistic = options.doubleIn("minStatistic", minStatistic, 0.0, true, 1.0, false);
            return this;
        }

        /**
         * @param resetAfterDrift whether the input after a drift starts an empty window (River)
         *     rather than one holding the newest statSize inputs (the paper)
         * @return this builder
         */
        public Builder resetAfterDrift(boolean resetAfterDrift) {
            this.resetAfterDrift = options.flag("resetAfterDrift", resetAfterDrift);
            return this;
        }

        /**
         * @return a new detector
         * @throws IllegalArgumentException if statSize is more than half the window
         */
        public Kswin build() {
            if (2L * statSize > windowSize) {
                throw new IllegalArgumentException("statSize must be <= windowSize / 2 (" + windowSize / 2
                        + "), was " + statSize);
            }
            return new Kswin(this);
        }
    }
}
