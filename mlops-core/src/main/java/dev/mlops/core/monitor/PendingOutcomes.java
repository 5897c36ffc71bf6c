package dev.mlops.core.monitor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bounded store that joins ground truth arriving later to the predictions it belongs to, by
 * prediction id. The serving thread {@linkplain #offer offers} each prediction (its id, the window it
 * belongs to, its score); when the outcome arrives, {@link #take} hands back that window and score
 * exactly once, or says why it cannot ({@link OutcomeStatus}).
 *
 * <p><b>Bounds.</b> The store holds at most {@link #capacity()} predictions ({@code maxEntries}
 * rounded up to a power of two, at least 16), in one preallocated array of 40 bytes per slot, and keeps
 * each for its time to live (TTL): an outcome joins when {@code now - offeredAt <= ttl}. Time is
 * whatever {@code long} nanosecond clock the caller passes (usually the {@link System#nanoTime()} or
 * fake clock the monitor already reads); differences are taken the {@code nanoTime} way, so the clock
 * may wrap. The store starts no threads and never sweeps by itself.
 *
 * <p><b>Layout and eviction.</b> The table is set-associative: an id hashes to one set of 16 slots,
 * stored side by side. A slot is <i>live</i> while its prediction is within its TTL, pending or
 * already settled. An offer takes a never-used slot of the set while there is one, else the first slot
 * past its TTL; if all 16 are live it takes the oldest, and a pending prediction there is
 * <i>evicted</i>. So a
 * set fills before the table does: with well-mixed ids, about 0.02% of live predictions are evicted
 * when the table is half full of them, 2% at three quarters, 10% when full. Size {@code maxEntries} at
 * about twice the predictions made within one TTL (rate × TTL).
 *
 * <p><b>Duplicates.</b> Once joined (or answered {@link OutcomeStatus#LATE late}), a slot keeps the id
 * as a settled marker, and a second outcome for the id is {@link OutcomeStatus#DUPLICATE}. The marker
 * is live until the prediction's TTL has passed, so a repeat within the TTL is always a duplicate
 * (unless its set was full and the marker, being the set's oldest, made room). After the TTL the
 * marker stays until its slot is reused, and a repeat is a duplicate or, once the slot is reused,
 * {@link OutcomeStatus#UNKNOWN}: never joined again. Prediction ids are expected to be unique; an id
 * offered twice while the first is pending is stored twice, and each offer joins at most once.
 *
 * <p><b>Threads.</b> Lock-free; {@link #offer} and {@link #take} are safe from any number of threads
 * and allocate nothing (the counters are {@link LongAdder}s, which allocate their cells once, under
 * contention). Each slot has a control word: a version, bumped by every offer that claims the slot,
 * and a state (empty, busy, pending, expired, settled). Every transition is a compare-and-set on that
 * word, so of an offer evicting or reclaiming a prediction, an outcome taking it and a sweep expiring
 * it, exactly one wins and counts it; the losers re-read the set. An offer writes the id, time, window
 * and score while the slot is busy and publishes them with a release store of the pending state; a
 * take reads them after an acquire load and keeps them only if its compare-and-set from that very
 * control word succeeds, so it never sees a torn or recycled entry. An outcome taken before its
 * prediction's offer has returned may be {@link OutcomeStatus#UNKNOWN}; in a service the outcome
 * comes after the response, so after the offer.
 *
 * <pre>{@code
 * PendingOutcomes pending = PendingOutcomes.of(200_000, Duration.ofMinutes(10));
 *
 * // serving thread, per prediction: lock-free, no allocation
 * pending.offer(predictionId, windowId, score, System.nanoTime());
 *
 * // when the label arrives (any thread): one holder per thread, reused
 * PendingOutcomes.Joined joined = new PendingOutcomes.Joined();
 * if (pending.take(predictionId, System.nanoTime(), joined) == OutcomeStatus.JOINED) {
 *     metricsOf(joined.windowId()).recordScore(joined.score(), actual);
 * }
 * OutcomeCounts counts = pending.counts();
 * }</pre>
 */
public final class PendingOutcomes {
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int WAYS = 16;
    private static final int MAX_CAPACITY = 1 << 28;
    private static final int OFFER_ATTEMPTS = 4;

    // The control word: version << 3 | state. A slot leaves EMPTY once and never returns to it.
    private static final long STATE_MASK = 7;
    private static final int EMPTY = 0;
    private static final int BUSY = 1;
    private static final int PENDING = 2;
    private static final int EXPIRED = 3;
    private static final int SETTLED = 4;

    // One array, set after set, so that a set's 16 slots lie in 640 consecutive bytes: an offer's scan
    // of the control words and times touches four adjacent cache lines, and its write three more.
    private static final int CONTROL = 0;
    private static final int TIME = WAYS;
    private static final int ID = 2 * WAYS;
    private static final int WINDOW = 3 * WAYS;
    private static final int SCORE = 4 * WAYS;
    private static final int SET_LONGS = 5 * WAYS;

    private final long ttlNanos;
    private final int setMask;
    private final int capacity;
    private final long[] table;

    private final LongAdder offered = new LongAdder();
    private final LongAdder joined = new LongAdder();
    private final LongAdder late = new LongAdder();
    private final LongAdder duplicate = new LongAdder();
    private final LongAdder unknown = new LongAdder();
    private final LongAdder expired = new LongAdder();
    private final LongAdder evicted = new LongAdder();

    private PendingOutcomes(int maxEntries, long ttlNanos) {
        if (maxEntries < 1 || maxEntries > MAX_CAPACITY) {
            throw new IllegalArgumentException(
                    "maxEntries must be in [1, " + MAX_CAPACITY + "], was " + maxEntries);
        }
        if (ttlNanos <= 0 || ttlNanos > Long.MAX_VALUE / 2) {
            throw new IllegalArgumentException(
                    "ttl must be positive and at most " + Long.MAX_VALUE / 2 + " ns, was " + ttlNanos + " ns");
        }
        int capacity = Math.max(WAYS, Integer.highestOneBit(maxEntries - 1) << 1);
        this.ttlNanos = ttlNanos;
        this.setMask = capacity / WAYS - 1;
        this.capacity = capacity;
        this.table = new long[capacity / WAYS * SET_LONGS];
    }

    /**
     * @param maxEntries how many predictions the store may hold, in [1, 2^28]; rounded up to a power of
     *     two, at least 16
     * @param ttl how long after its offer a prediction can still be joined; positive
     * @return an empty store
     * @throws IllegalArgumentException if {@code maxEntries} or {@code ttl} is out of range
     */
    public static PendingOutcomes of(int maxEntries, Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        long nanos;
        try {
            nanos = ttl.toNanos();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("ttl must be at most " + Long.MAX_VALUE / 2 + " ns, was " + ttl, e);
        }
        return new PendingOutcomes(maxEntries, nanos);
    }

    /**
     * @param maxEntries how many predictions the store may hold, in [1, 2^28]; rounded up to a power of
     *     two, at least 16
     * @param ttlNanos how long after its offer a prediction can still be joined, in nanoseconds, in
     *     [1, 2^62)
     * @return an empty store
     * @throws IllegalArgumentException if {@code maxEntries} or {@code ttlNanos} is out of range
     */
    public static PendingOutcomes of(int maxEntries, long ttlNanos) {
        return new PendingOutcomes(maxEntries, ttlNanos);
    }

    /** @return how many predictions the store can hold: a power of two, at least 16 */
    public int capacity() {
        return capacity;
    }

    /** @return the time to live in nanoseconds */
    public long ttlNanos() {
        return ttlNanos;
    }

    /**
     * Stores a prediction until its outcome is {@linkplain #take taken}, its TTL passes and its slot is
     * needed, or it is evicted to make room. Lock-free, O(16), allocates nothing. If every slot of the
     * id's set is being written by another offer at once (four tries), the new prediction itself is
     * counted as evicted.
     *
     * @param predictionId the prediction's id, unique among pending predictions; any long
     * @param windowId the window the prediction is attributed to; stored as given
     * @param score the prediction's score (or class index), stored as given
     * @param nowNanos the caller's clock, in nanoseconds
     */
    public void offer(long predictionId, long windowId, double score, long nowNanos) {
        // Counted before the slot is published, so that no count of the prediction's fate can be
        // seen without its offer: pending() is never negative.
        offered.increment();
        int base = setOf(predictionId) * SET_LONGS;
        for (int attempt = 0; attempt < OFFER_ATTEMPTS; attempt++) {
            // Offers take never-used slots in order, so they are a suffix of the set: while the last
            // slot is unused the set is still filling, and a slot past its TTL is left alone (an
            // outcome for it is still answered LATE) in favour of a never-used one.
            boolean filling = ((long) LONGS.getAcquire(table, base + WAYS - 1 + CONTROL) & STATE_MASK) == EMPTY;
            int victim = -1;
            long victimControl = 0;
            boolean victimLive = false;
            long victimTime = 0;
            int reusable = -1;
            long reusableControl = 0;
            // First fit: the first slot that is free or past its TTL. Scanning on for the oldest such
            // slot would cost twice as much (a mispredicted branch per slot), and nothing needs it.
            for (int i = base; i < base + WAYS; i++) {
                long c = (long) LONGS.getAcquire(table, i + CONTROL);
                int state = (int) (c & STATE_MASK);
                if (state == BUSY) {
                    continue;
                }
                if (state == EMPTY) {
                    victim = i;
                    victimControl = c;
                    victimLive = false;
                    reusable = -1;
                    break;
                }
                long t = (long) LONGS.getOpaque(table, i + TIME);
                if (state == EXPIRED || nowNanos - t > ttlNanos) {
                    if (reusable < 0) {
                        reusable = i;
                        reusableControl = c;
                    }
                    if (filling) {
                        continue;
                    }
                    break;
                }
                // Live: pending, or settled within its TTL. Remember the oldest, in case no slot is free.
                if (victim < 0 || t - victimTime < 0) {
                    victim = i;
                    victimControl = c;
                    victimLive = true;
                    victimTime = t;
                }
            }
            if (reusable >= 0) {
                victim = reusable;
                victimControl = reusableControl;
                victimLive = false;
            }
            if (victim < 0) {
                continue;
            }
            long version = (victimControl >>> 3) + 1;
            if (LONGS.compareAndSet(table, victim + CONTROL, victimControl, version << 3 | BUSY)) {
                if ((victimControl & STATE_MASK) == PENDING) {
                    (victimLive ? evicted : expired).increment();
                }
                LONGS.setOpaque(table, victim + ID, predictionId);
                LONGS.setOpaque(table, victim + TIME, nowNanos);
                LONGS.setOpaque(table, victim + WINDOW, windowId);
                LONGS.setOpaque(table, victim + SCORE, Double.doubleToRawLongBits(score));
                LONGS.setRelease(table, victim + CONTROL, version << 3 | PENDING);
                return;
            }
        }
        evicted.increment();
    }

    /**
     * Joins an outcome to its pending prediction. On {@link OutcomeStatus#JOINED} the prediction's
     * window, score and offer time are written into {@code into}; on any other status {@code into} is
     * left as it was. Lock-free, O(16), allocates nothing; each pending prediction is joined at most
     * once however many threads take its id at the same time.
     *
     * @param predictionId the id the prediction was offered with
     * @param nowNanos the caller's clock, in nanoseconds, the same clock as the offers'
     * @param into a caller-owned holder, written only on a join
     * @return what became of the outcome; counted in {@link #counts()} exactly once
     */
    public OutcomeStatus take(long predictionId, long nowNanos, Joined into) {
        Objects.requireNonNull(into, "into");
        int base = setOf(predictionId) * SET_LONGS;
        while (true) {
            int found = -1;
            long foundControl = 0;
            boolean settled = false;
            for (int i = base; i < base + WAYS; i++) {
                long c = (long) LONGS.getAcquire(table, i + CONTROL);
                int state = (int) (c & STATE_MASK);
                if (state == EMPTY || state == BUSY || (long) LONGS.getOpaque(table, i + ID) != predictionId) {
                    continue;
                }
                if (state == SETTLED) {
                    // The id read must belong to the version seen: re-check the word after a load fence.
                    VarHandle.acquireFence();
                    if ((long) LONGS.getAcquire(table, i + CONTROL) == c) {
                        settled = true;
                        break;
                    }
                } else if (found < 0) {
                    found = i;
                    foundControl = c;
                }
            }
            if (settled) {
                duplicate.increment();
                return OutcomeStatus.DUPLICATE;
            }
            if (found < 0) {
                unknown.increment();
                return OutcomeStatus.UNKNOWN;
            }
            long t = (long) LONGS.getOpaque(table, found + TIME);
            long window = (long) LONGS.getOpaque(table, found + WINDOW);
            long scoreBits = (long) LONGS.getOpaque(table, found + SCORE);
            long settledControl = (foundControl & ~STATE_MASK) | SETTLED;
            // The compare-and-set succeeds only if the slot still holds the version whose fields were read.
            if (!LONGS.compareAndSet(table, found + CONTROL, foundControl, settledControl)) {
                continue;
            }
            if ((foundControl & STATE_MASK) == EXPIRED) {
                late.increment();
                return OutcomeStatus.LATE;
            }
            if (nowNanos - t > ttlNanos) {
                // expired before late: a reader of late then expired never sees late > expired
                expired.increment();
                late.increment();
                return OutcomeStatus.LATE;
            }
            into.set(predictionId, window, Double.longBitsToDouble(scoreBits), t);
            joined.increment();
            return OutcomeStatus.JOINED;
        }
    }

    /**
     * Marks every pending prediction past its TTL as expired, so that {@link #counts()} stops counting
     * it as pending; an outcome for it is still answered {@link OutcomeStatus#LATE} until its slot is
     * reused. Lock-free, O({@link #capacity()}): meant for when a window closes, not for the serving
     * path. Offers and takes go on meanwhile.
     *
     * @param nowNanos the caller's clock, in nanoseconds
     * @return how many predictions this call expired
     */
    public long expire(long nowNanos) {
        long count = 0;
        for (int base = 0; base < table.length; base += SET_LONGS) {
            for (int i = base; i < base + WAYS; i++) {
                long c = (long) LONGS.getAcquire(table, i + CONTROL);
                if ((c & STATE_MASK) != PENDING) {
                    continue;
                }
                long t = (long) LONGS.getOpaque(table, i + TIME);
                if (nowNanos - t > ttlNanos
                        && LONGS.compareAndSet(table, i + CONTROL, c, (c & ~STATE_MASK) | EXPIRED)) {
                    expired.increment();
                    count++;
                }
            }
        }
        return count;
    }

    /**
     * The counters, read while offers, takes and sweeps go on: each is exact for the operations it
     * includes, and they are read in an order that keeps the invariants of {@link OutcomeCounts}. Every
     * count of a prediction's fate is made after its offer was counted, and {@code offered} is read
     * last, so {@code pending()} is never negative. A sweep counts an expiry just after marking the slot,
     * so an outcome may answer that prediction late before the sweep's count lands; such an expiry is
     * reported a moment early ({@code expired} at least {@code late}). With no operation in flight the
     * counts are exact.
     *
     * @return the counts so far
     */
    public OutcomeCounts counts() {
        long l = late.sum();
        long d = duplicate.sum();
        long u = unknown.sum();
        long j = joined.sum();
        long x = Math.max(l, expired.sum());
        long e = evicted.sum();
        long o = offered.sum();
        return new OutcomeCounts(o, j, l, d, u, x, e);
    }

    private int setOf(long id) {
        // MurmurHash3's 64-bit finalizer: sequential, strided and timestamp-like ids spread evenly.
        long h = id;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h & setMask;
    }

    @Override
    public String toString() {
        return "PendingOutcomes[capacity=" + capacity() + ", ttlNanos=" + ttlNanos + ", " + counts() + "]";
    }

    /**
     * A caller-owned holder for what {@link PendingOutcomes#take} joined: the prediction's id, window,
     * score and offer time. Mutable and not thread-safe: keep one per thread and reuse it, so that
     * joining allocates nothing. Before the first join every field is 0.
     */
    public static final class Joined {
        private long predictionId;
        private long windowId;
        private double score;
        private long offeredAtNanos;

        /** Creates an empty holder. */
        public Joined() {
        }

        void set(long predictionId, long windowId, double score, long offeredAtNanos) {
            this.predictionId = predictionId;
            this.windowId = windowId;
            this.score = score;
            this.offeredAtNanos = offeredAtNanos;
        }

        /** @return the id of the last prediction joined into this holder */
        public long predictionId() {
            return predictionId;
        }

        /** @return the window that prediction was offered with */
        public long windowId() {
            return windowId;
        }

        /** @return the score that prediction was offered with */
        public double score() {
            return score;
        }

        /** @return the caller's clock when that prediction was offered, in nanoseconds */
        public long offeredAtNanos() {
            return offeredAtNanos;
        }

        @Override
        public String toString() {
            return "Joined[predictionId=" + predictionId + ", windowId=" + windowId + ", score=" + score
                    + ", offeredAtNanos=" + offeredAtNanos + "]";
        }
    }
}
