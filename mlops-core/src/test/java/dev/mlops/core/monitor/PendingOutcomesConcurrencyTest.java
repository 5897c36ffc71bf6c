package dev.mlops.core.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Four threads offer, two take, one sweeps and reads the counts, all on one small store on a shared
 * fake clock, so that joins race evictions, reclaims of expired slots and sweeps on every set, and
 * every count read mid-run must pass {@link OutcomeCounts}'s checks. Afterwards: no prediction
 * joined twice, every join carried its own window and score (no torn or recycled entry), each
 * counter equals what the threads observed, and the conservation law holds.
 */
class PendingOutcomesConcurrencyTest {
    private static final int OFFERERS = 4;
    private static final int TAKERS = 2;
    private static final int PER_OFFERER = 200_000;
    private static final long TTL = 1_200;

    @RepeatedTest(3)
    void fourOfferersTwoTakersAndASweeper_neverJoinTwice_andCountsAreConsistent() throws InterruptedException {
        PendingOutcomes pending = PendingOutcomes.of(2048, TTL);
        AtomicLong clock = new AtomicLong();
        AtomicBoolean offering = new AtomicBoolean(true);
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<long[]> joinedByTaker = new ArrayList<>();
        int[] joinedCountByTaker = new int[TAKERS];
        long[][] statusesByTaker = new long[TAKERS][OutcomeStatus.values().length];
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < OFFERERS; t++) {
            long base = (long) t * PER_OFFERER;
            threads.add(new Thread(() -> run(start, failures, () -> {
                for (long id = base; id < base + PER_OFFERER; id++) {
                    pending.offer(id, window(id), score(id), clock.incrementAndGet());
                }
            })));
        }
        for (int t = 0; t < TAKERS; t++) {
            long[] joined = new long[OFFERERS * PER_OFFERER];
            joinedByTaker.add(joined);
            long[] statuses = statusesByTaker[t];
            int taker = t;
            threads.add(new Thread(() -> run(start, failures, () -> {
                SplittableRandom random = new SplittableRandom(taker);
                PendingOutcomes.Joined holder = new PendingOutcomes.Joined();
                int n = 0;
                while (offering.get()) {
                    // Mostly ids offered lately (both takers chase the same ones), some long gone, some never.
                    long latest = clock.get();
                    long id = random.nextInt(20) == 0
                            ? random.nextLong(OFFERERS * (long) PER_OFFERER + 1000)
                            : random.nextInt(OFFERERS) * (long) PER_OFFERER
                                    + Math.max(0, latest / OFFERERS - random.nextInt(400));
                    OutcomeStatus status = pending.take(id, clock.get(), holder);
                    statuses[status.ordinal()]++;
                    if (status == OutcomeStatus.JOINED) {
                        if (holder.predictionId() != id || holder.windowId() != window(id) || holder.score() != score(id)) {
                            throw new AssertionError("joined " + id + " with " + holder);
                        }
                        joined[n++] = id;
                    }
                }
                joinedCountByTaker[taker] = n;
            })));
        }
        Thread sweeper = new Thread(() -> run(start, failures, () -> {
            while (offering.get()) {
                pending.expire(clock.get());
                // Read while everything moves: the record's own checks must hold. No bound on pending()
                // here: offers made while the counters are read one by one inflate it, by as many as a
                // descheduled reader lets through; the bound is checked once the threads are done.
                pending.counts();
            }
        }));
        threads.add(sweeper);
        threads.forEach(Thread::start);
        start.countDown();
        for (int t = 0; t < OFFERERS; t++) {
            threads.get(t).join(TimeUnit.SECONDS.toMillis(60));
        }
        offering.set(false);
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(60));
            assertTrue(!thread.isAlive(), "a thread did not finish");
        }
        if (!failures.isEmpty()) {
            fail(failures.peek());
        }

        Set<Long> joinedIds = new HashSet<>();
        long joinedCount = 0;
        for (int t = 0; t < TAKERS; t++) {
            long[] joined = joinedByTaker.get(t);
            for (int i = 0; i < joinedCountByTaker[t]; i++) {
                assertTrue(joinedIds.add(joined[i]), "prediction " + joined[i] + " joined twice");
            }
            joinedCount += joinedCountByTaker[t];
        }
        OutcomeCounts counts = pending.counts();
        assertTrue(counts.pending() <= pending.capacity(), "more pending than slots: " + counts);
        long[] observed = new long[OutcomeStatus.values().length];
        for (long[] statuses : statusesByTaker) {
            for (int s = 0; s < observed.length; s++) {
                observed[s] += statuses[s];
            }
        }
        assertEquals((long) OFFERERS * PER_OFFERER, counts.offered());
        assertEquals(joinedCount, counts.joined());
        assertEquals(observed[OutcomeStatus.JOINED.ordinal()], counts.joined());
        assertEquals(observed[OutcomeStatus.LATE.ordinal()], counts.late());
        assertEquals(observed[OutcomeStatus.DUPLICATE.ordinal()], counts.duplicate());
        assertEquals(observed[OutcomeStatus.UNKNOWN.ordinal()], counts.unknown());
        assertTrue(counts.joined() > 0 && counts.evicted() + counts.expired() > 0, counts.toString());

        pending.expire(clock.get() + TTL + 1);
        OutcomeCounts swept = pending.counts();
        assertEquals(0, swept.pending(), swept.toString());
        assertEquals(swept.offered(), swept.joined() + swept.expired() + swept.evicted());
    }

    private static long window(long id) {
        return id / 100;
    }

    private static double score(long id) {
        return id * 0.5;
    }

    private static void run(CountDownLatch start, ConcurrentLinkedQueue<Throwable> failures, Runnable body) {
        try {
            start.await();
            body.run();
        } catch (Throwable t) {
            failures.add(t);
        }
    }
}
