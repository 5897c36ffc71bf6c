package dev.mlops.core.monitor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The counters of one window, in stripes that recording threads claim one at a time.
 *
 * <p><b>Claims.</b> Each stripe's claim word is FREE, WRITING, READING or CLOSED. A recording thread
 * moves a stripe from FREE to WRITING with one compare-and-set, updates its counters with plain
 * writes, and sets it back to FREE with a release store. It never waits: a stripe that is not FREE
 * sends it to the next one. A thread starts at stripe {@code threadId mod stripes}; when that stripe
 * is being written by another thread, the stripes double (up to twice
 * {@link QuantileSketch#defaultMaxStripes()}), as {@link java.util.concurrent.atomic.LongAdder} grows
 * its cells, so that threads recording at the same time settle on stripes of their own instead of
 * sharing cache lines. They also double, up to 4,096, when every stripe is taken.
 * Doubling is lock-free (a compare-and-set of the array) and allocates, at most {@code log2(stripes)}
 * times in the accumulator's life, which spans many windows since accumulators are recycled.
 *
 * <p><b>Closing</b> a window swaps the stripe array for an empty one (so no thread can add stripes any
 * more), then moves every stripe to CLOSED, waiting (on the closing thread) for a claim under way to be
 * released. After that no recording can touch the counters, and those of every recording that claimed
 * a stripe before are complete: nothing is lost, nothing is split across windows. A thread that finds
 * CLOSED goes back to the monitor's current window.
 *
 * <p><b>Reading</b> the open window claims each stripe READING in turn (recording threads skip it
 * meanwhile), adds it to a total and frees it.
 *
 * <p><b>Recycling.</b> A closed accumulator is cleared and reopened for a later window with a new
 * {@link #start()}; a recording thread that claimed a stripe holding a stale reference checks the start
 * against the window it meant and, if they differ, frees the stripe untouched and tries again.
 */
final class WindowAccumulator {
    static final long FREE = 0;
    static final long WRITING = 1;
    static final long READING = 2;
    static final long CLOSED = 3;

    private static final int MAX_STRIPES = 1 << 12;
    private static final int CONTENDED_STRIPES = 2 * QuantileSketch.defaultMaxStripes();
    private static final long[][] NO_STRIPES = new long[0][];
    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle STRIPES;

    static {
        try {
            STRIPES = MethodHandles.lookup().findVarHandle(WindowAccumulator.class, "stripes", long[][].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final StripeLayout layout;
    private volatile long start;
    private volatile long[][] stripes;
    private long[][] closedStripes = NO_STRIPES;

    WindowAccumulator(StripeLayout layout, long start) {
        this.layout = layout;
        this.start = start;
        this.stripes = new long[][] {layout.newStripe()};
    }

    /** @return the start of the window this accumulator holds now, epoch millis */
    long start() {
        return start;
    }

    /** @return how many stripes it has grown to */
    int stripeCount() {
        long[][] s = stripes;
        return s.length == 0 ? closedStripes.length : s.length;
    }

    /**
     * Claims a stripe for one recording.
     *
     * @return the stripe, to be passed to {@link #release(long[])}, or null when the window is closed
     */
    long[] claim() {
        int hint = (int) Thread.currentThread().getId();
        while (true) {
            long[][] current = stripes;
            int n = current.length;
            if (n == 0) {
                return null;
            }
            long[] first = current[hint & (n - 1)];
            long witness = (long) CELLS.compareAndExchange(first, StripeLayout.OWNER, FREE, WRITING);
            if (witness == FREE) {
                return first;
            }
            if (witness == CLOSED) {
                return null;
            }
            if (witness == WRITING && n < CONTENDED_STRIPES) {
                grow(current);
            }
            for (int k = 1; k < n; k++) {
                long[] stripe = current[(hint + k) & (n - 1)];
                witness = (long) CELLS.compareAndExchange(stripe, StripeLayout.OWNER, FREE, WRITING);
                if (witness == FREE) {
                    return stripe;
                }
                if (witness == CLOSED) {
                    return null;
                }
            }
            grow(current);
        }
    }

    /** Frees a stripe claimed by {@link #claim()}, publishing its writes. */
    static void release(long[] stripe) {
        CELLS.setRelease(stripe, StripeLayout.OWNER, FREE);
    }

    /**
     * Adds the open window's stripes into a total, each read under a READING claim.
     *
     * @return the total, or null when the window was closed meanwhile
     */
    long[] read() {
        long[][] current = stripes;
        if (current.length == 0) {
            return null;
        }
        long[] total = layout.newTotal();
        for (long[] stripe : current) {
            while (true) {
                long witness = (long) CELLS.compareAndExchange(stripe, StripeLayout.OWNER, FREE, READING);
                if (witness == FREE) {
                    break;
                }
                if (witness == CLOSED) {
                    return null;
                }
                Thread.onSpinWait();
            }
            layout.addInto(total, stripe);
            release(stripe);
        }
        return total;
    }

    /**
     * Closes the window: afterwards no recording can claim a stripe, and every claim made before has been
     * released. Called by one thread, the one that moved the monitor past this window.
     */
    void close() {
        long[][] all = (long[][]) STRIPES.getAndSet(this, NO_STRIPES);
        for (long[] stripe : all) {
            while (true) {
                long witness = (long) CELLS.compareAndExchange(stripe, StripeLayout.OWNER, FREE, CLOSED);
                if (witness == FREE || witness == CLOSED) {
                    break;
                }
                Thread.onSpinWait();
            }
        }
        closedStripes = all;
    }

    /**
     * Merges the drift reservoirs of a closed window's stripes, before {@link #drain()} clears them.
     *
     * @param seed the seed of the merge's draws
     * @return per entry of the monitor's drift plan the window's sample, unsorted, or null for an entry
     *     without one
     */
    double[][] driftSamples(long seed) {
        return layout.drift().merge(closedStripes, seed);
    }

    /**
     * Adds up and clears the stripes of a closed window.
     *
     * @return the total
     */
    long[] drain() {
        long[] total = layout.newTotal();
        for (long[] stripe : closedStripes) {
            layout.addInto(total, stripe);
            layout.clear(stripe);
        }
        return total;
    }

    /**
     * Reopens a closed, drained accumulator for another window.
     *
     * @param newStart the window's start, epoch millis
     */
    void reopen(long newStart) {
        start = newStart;
        for (long[] stripe : closedStripes) {
            CELLS.setRelease(stripe, StripeLayout.OWNER, FREE);
        }
        stripes = closedStripes;
        closedStripes = NO_STRIPES;
    }

    private void grow(long[][] seen) {
        if (seen.length >= MAX_STRIPES) {
            Thread.onSpinWait();
            return;
        }
        if (stripes != seen) {
            return;
        }
        long[][] more = Arrays.copyOf(seen, seen.length * 2);
        for (int i = seen.length; i < more.length; i++) {
            more[i] = layout.newStripe();
        }
        STRIPES.compareAndSet(this, seen, more);
    }
}
