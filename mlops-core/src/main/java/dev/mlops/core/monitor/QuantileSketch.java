package dev.mlops.core.monitor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Objects;

/**
 * A relative-error quantile sketch for latencies and other positive values, built for the hot path:
 * {@code record} is lock-free, O(1), allocates nothing and is safe from any number of threads; memory
 * is fixed by the {@link SketchLayout} (the default latency layout, 1 ns to 1 hour, is 2,665 buckets,
 * about 21 KiB per stripe).
 *
 * <p><b>What is kept.</b> Every value lands in exactly one counter: zero (0 and -0.0), below the
 * layout's range, one bucket of the range, above the range, negative, or non-finite (NaN, ±∞).
 * Negative and non-finite values are only counted, so they cannot corrupt quantiles, sum, min or max;
 * everything else is a <i>ranked</i> value. {@link #snapshot()} returns a {@link QuantileSketchSnapshot}
 * whose quantiles are within {@link SketchLayout#relativeAccuracy()} (0.78% by default) of the exact
 * lower quantile for any distribution within the range (the rank definition is on the snapshot).
 *
 * <p><b>Threads.</b> Counts live in stripes, each a {@code long[]} updated with atomic adds
 * ({@link VarHandle#getAndAdd}) and, for the sum, min and max, compare-and-set. A thread records into
 * stripe {@code threadId mod stripes}. The sketch starts with one stripe and doubles them, up to
 * {@code maxStripes}, each time a compare-and-set on the sum finds another thread in the same
 * stripe, as {@link java.util.concurrent.atomic.LongAdder} grows its cells: a single-threaded sketch
 * pays for one stripe, a contended one stops sharing cache lines. Growing takes a lock and allocates,
 * at most {@code log2(maxStripes)} times in the sketch's life; recording never blocks otherwise.
 *
 * <p><b>Snapshots</b> copy the counts while recording goes on. Every count in a snapshot is exact for
 * the records it includes; a record under way during the copy is either in it or not, and its value
 * may already be in the sum, min and max when its count is not yet (never the reverse).
 *
 * <p><b>Merging.</b> Snapshots of sketches of equal layouts {@linkplain QuantileSketchSnapshot#merge
 * merge} exactly, and {@link #add(QuantileSketchSnapshot)} folds one into a live sketch.
 *
 * <pre>{@code
 * QuantileSketch latency = QuantileSketch.latencyNanos();
 * long start = System.nanoTime();
 * serve(request);
 * latency.record(System.nanoTime() - start);          // any thread, no allocation
 *
 * QuantileSketchSnapshot s = latency.snapshot();      // recording goes on
 * double p99 = s.quantile(0.99);                      // within 0.78% of the exact p99
 * }</pre>
 */
public final class QuantileSketch {
    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int MAX_STRIPES = 1 << 10;

    // A stripe is one long[]: padding, the counters below, the buckets, padding. The padding keeps the
    // hot counters of two stripes off each other's cache lines (and the adjacent-line prefetch).
    private static final int PAD = 16;
    private static final int ZERO = PAD;
    private static final int BELOW = PAD + 1;
    private static final int ABOVE = PAD + 2;
    private static final int NEGATIVE = PAD + 3;
    private static final int NON_FINITE = PAD + 4;
    private static final int SUM = PAD + 5;
    private static final int MIN = PAD + 6;
    private static final int MAX = PAD + 7;
    private static final int BUCKETS = PAD + 8;

    private static final long POSITIVE_INFINITY_BITS = Double.doubleToRawLongBits(Double.POSITIVE_INFINITY);
    private static final long NEGATIVE_INFINITY_BITS = Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY);

    private final SketchLayout layout;
    private final int shift;
    private final long firstKey;
    private final int bucketCount;
    private final int maxStripes;
    private final Object growLock = new Object();
    private volatile long[][] stripes;

    private QuantileSketch(SketchLayout layout, int maxStripes) {
        this.layout = Objects.requireNonNull(layout, "layout");
        if (maxStripes < 1 || maxStripes > MAX_STRIPES || Integer.bitCount(maxStripes) != 1) {
            throw new IllegalArgumentException(
                    "maxStripes must be a power of two in [1, " + MAX_STRIPES + "], was " + maxStripes);
        }
        this.shift = layout.shift();
        this.firstKey = layout.firstKey();
        this.bucketCount = layout.bucketCount();
        this.maxStripes = maxStripes;
        this.stripes = new long[][] {newStripe()};
    }

    /**
     * A sketch of latencies in nanoseconds over {@link SketchLayout#latencyNanos()}, striped up to
     * {@link #defaultMaxStripes()}.
     *
     * @return an empty sketch
     */
    public static QuantileSketch latencyNanos() {
        return of(SketchLayout.latencyNanos());
    }

    /**
     * @param layout the buckets
     * @return an empty sketch striped up to {@link #defaultMaxStripes()}
     */
    public static QuantileSketch of(SketchLayout layout) {
        return new QuantileSketch(layout, defaultMaxStripes());
    }

    /**
     * @param layout the buckets
     * @param maxStripes how many stripes contention may grow the sketch to, a power of two in [1, 1024];
     *     1 keeps one stripe (least memory, all threads share its cache lines)
     * @return an empty sketch
     */
    public static QuantileSketch of(SketchLayout layout, int maxStripes) {
        return new QuantileSketch(layout, maxStripes);
    }

    /**
     * @return the smallest power of two at or above the number of available processors, at most 64:
     *     enough stripes that threads running at the same time need not share one
     */
    public static int defaultMaxStripes() {
        int cpus = Math.min(64, Runtime.getRuntime().availableProcessors());
        return Integer.highestOneBit(Math.max(1, cpus * 2 - 1));
    }

    /** @return the buckets */
    public SketchLayout layout() {
        return layout;
    }

    /** @return how many stripes contention has grown the sketch to so far */
    public int stripes() {
        return stripes.length;
    }

    /**
     * Records one value. Lock-free, allocates nothing (except, rarely, when contention adds stripes).
     *
     * @param value any double; zero, out-of-range, negative and non-finite values are counted apart
     */
    public void record(double value) {
        long[][] current = stripes;
        long[] stripe = current[stripeIndex(current.length)];
        long index = (Double.doubleToRawLongBits(value) >>> shift) - firstKey;
        if (index >= 0 && index < bucketCount) {
            updateStats(current, stripe, value, value);
            CELLS.getAndAdd(stripe, BUCKETS + (int) index, 1L);
        } else {
            recordOutside(current, stripe, value, 1L);
        }
    }

    /**
     * Records one value given as a long, a duration in nanoseconds for the default layout.
     *
     * @param value any long; 0 is a zero, negative values are counted apart
     */
    public void record(long value) {
        record((double) value);
    }

    /**
     * Records {@code count} occurrences of one value, as many calls of {@link #record(double)} would.
     *
     * @param value any double
     * @param count how many times, {@code >= 0}
     * @throws IllegalArgumentException if {@code count} is negative
     */
    public void record(double value, long count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
        if (count == 0) {
            return;
        }
        long[][] current = stripes;
        long[] stripe = current[stripeIndex(current.length)];
        int index = layout.indexOf(value);
        if (index >= 0) {
            updateStats(current, stripe, value * count, value);
            CELLS.getAndAdd(stripe, BUCKETS + index, count);
        } else {
            recordOutside(current, stripe, value, count);
        }
    }

    /**
     * Adds a snapshot's counts, sum, min and max into this sketch, as if its values had been recorded
     * here. Not atomic as a whole: a concurrent snapshot may see part of it.
     *
     * @param snapshot a snapshot of the same layout
     * @throws IllegalArgumentException if the layouts differ
     */
    public void add(QuantileSketchSnapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        if (!layout.equals(snapshot.layout())) {
            throw new IllegalArgumentException(
                    "cannot add a snapshot of layout " + snapshot.layout() + " to a sketch of layout " + layout);
        }
        long[][] current = stripes;
        long[] stripe = current[stripeIndex(current.length)];
        if (snapshot.count() > 0) {
            updateStats(current, stripe, snapshot.sum(), snapshot.min());
            updateStats(current, stripe, 0.0, snapshot.max());
        }
        CELLS.getAndAdd(stripe, ZERO, snapshot.zeroCount());
        CELLS.getAndAdd(stripe, BELOW, snapshot.belowRangeCount());
        CELLS.getAndAdd(stripe, ABOVE, snapshot.aboveRangeCount());
        CELLS.getAndAdd(stripe, NEGATIVE, snapshot.negativeCount());
        CELLS.getAndAdd(stripe, NON_FINITE, snapshot.nonFiniteCount());
        long[] counts = snapshot.bucketCounts();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                CELLS.getAndAdd(stripe, BUCKETS + snapshot.firstBucket() + i, counts[i]);
            }
        }
    }

    /**
     * Copies the counts without stopping recording; see the class description for what a snapshot
     * taken under concurrent recording holds.
     *
     * @return an immutable copy
     */
    public QuantileSketchSnapshot snapshot() {
        long[] buckets = new long[bucketCount];
        long zero = 0;
        long below = 0;
        long above = 0;
        long negative = 0;
        long nonFinite = 0;
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (long[] stripe : stripes) {
            // Counts first, then max, min, sum: record() writes them in the reverse order, so every
            // counted value is already in the max, min and sum read here.
            for (int i = 0; i < bucketCount; i++) {
                buckets[i] += (long) CELLS.getVolatile(stripe, BUCKETS + i);
            }
            zero += (long) CELLS.getVolatile(stripe, ZERO);
            below += (long) CELLS.getVolatile(stripe, BELOW);
            above += (long) CELLS.getVolatile(stripe, ABOVE);
            negative += (long) CELLS.getVolatile(stripe, NEGATIVE);
            nonFinite += (long) CELLS.getVolatile(stripe, NON_FINITE);
            max = Math.max(max, Double.longBitsToDouble((long) CELLS.getVolatile(stripe, MAX)));
            min = Math.min(min, Double.longBitsToDouble((long) CELLS.getVolatile(stripe, MIN)));
            sum += Double.longBitsToDouble((long) CELLS.getVolatile(stripe, SUM));
        }
        long inBuckets = 0;
        for (long c : buckets) {
            inBuckets += c;
        }
        if (zero + below + above + inBuckets == 0) {
            return new QuantileSketchSnapshot(
                    layout, 0, 0, 0, new long[0], 0, negative, nonFinite, 0, Double.NaN, Double.NaN);
        }
        return new QuantileSketchSnapshot(layout, zero, below, 0, buckets, above, negative, nonFinite, sum, min, max);
    }

    @Override
    public String toString() {
        return "QuantileSketch[" + layout + ", stripes=" + stripes.length + "/" + maxStripes + "]";
    }

    private static int stripeIndex(int stripeCount) {
        // Consecutive thread ids (a pool's workers) land in different stripes.
        return (int) Thread.currentThread().getId() & (stripeCount - 1);
    }

    private void recordOutside(long[][] current, long[] stripe, double value, long count) {
        int counter;
        if (value == 0) {
            counter = ZERO;
            updateStats(current, stripe, 0.0, 0.0);
        } else if (value != value || value == Double.POSITIVE_INFINITY || value == Double.NEGATIVE_INFINITY) {
            counter = NON_FINITE;
        } else if (value < 0) {
            counter = NEGATIVE;
        } else {
            counter = value < layout.lowest() ? BELOW : ABOVE;
            updateStats(current, stripe, value * count, value);
        }
        CELLS.getAndAdd(stripe, counter, count);
    }

    // Adds to the sum, then lowers min, then raises max; the snapshot reads them in the reverse order.
    private void updateStats(long[][] current, long[] stripe, double add, double value) {
        if (add != 0) {
            long prev = (long) CELLS.getOpaque(stripe, SUM);
            while (true) {
                long next = Double.doubleToRawLongBits(Double.longBitsToDouble(prev) + add);
                long witness = (long) CELLS.compareAndExchange(stripe, SUM, prev, next);
                if (witness == prev) {
                    break;
                }
                prev = witness;
                grow(current);
            }
        }
        long minBits = (long) CELLS.getOpaque(stripe, MIN);
        while (value < Double.longBitsToDouble(minBits)) {
            long witness = (long) CELLS.compareAndExchange(stripe, MIN, minBits, Double.doubleToRawLongBits(value));
            if (witness == minBits) {
                break;
            }
            minBits = witness;
        }
        long maxBits = (long) CELLS.getOpaque(stripe, MAX);
        while (value > Double.longBitsToDouble(maxBits)) {
            long witness = (long) CELLS.compareAndExchange(stripe, MAX, maxBits, Double.doubleToRawLongBits(value));
            if (witness == maxBits) {
                break;
            }
            maxBits = witness;
        }
    }

    private void grow(long[][] seen) {
        if (seen.length >= maxStripes || stripes != seen) {
            return;
        }
        synchronized (growLock) {
            if (stripes == seen) {
                long[][] more = Arrays.copyOf(seen, seen.length * 2);
                for (int i = seen.length; i < more.length; i++) {
                    more[i] = newStripe();
                }
                stripes = more;
            }
        }
    }

    private long[] newStripe() {
        long[] stripe = new long[BUCKETS + bucketCount + PAD];
        stripe[MIN] = POSITIVE_INFINITY_BITS;
        stripe[MAX] = NEGATIVE_INFINITY_BITS;
        return stripe;
    }
}
