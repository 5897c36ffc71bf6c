package dev.mlops.core.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * {@link PendingOutcomes} under random interleavings of offers, outcomes, clock steps and sweeps,
 * one thread at a time (the multi-thread test is {@link PendingOutcomesConcurrencyTest}). Each try
 * draws its operations from one seed, so a failure is reproduced by the seed jqwik prints.
 *
 * <p>The invariants: a prediction is settled (joined or answered late) at most once, and joined only
 * within its TTL with the window and score it was offered with; a duplicate answers only an id
 * settled before; every counter equals the outcomes observed; {@code offered = pending + joined +
 * expired + evicted} holds, and a sweep after the last TTL leaves nothing pending. With room to
 * spare (no set ever full) the store must answer exactly as a map would.
 */
class PendingOutcomesPropertiesTest {

    /** What an offer stored, by id; window and score derive from the id so that a join can be checked. */
    private record Offered(long window, double score, long at) {
        static Offered of(long id, long at) {
            return new Offered(id * 7 + 3, id / 1024.0, at);
        }
    }

    @Property(tries = 400)
    void anyInterleaving_settlesEachPredictionAtMostOnce_andTheCountsAddUp(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 600) int steps,
            @ForAll @IntRange(min = 0, max = 2) int sizeShift,
            @ForAll @LongRange(min = 1, max = 1_000) long ttl) {
        Random random = new Random(seed);
        PendingOutcomes pending = PendingOutcomes.of(16 << sizeShift, ttl);
        PendingOutcomes.Joined holder = new PendingOutcomes.Joined();
        Map<Long, Offered> offered = new HashMap<>();
        Set<Long> settled = new HashSet<>();
        long[] observed = new long[OutcomeStatus.values().length];
        long now = random.nextLong();
        long nextId = random.nextInt(1000) - 500L;
        long firstId = nextId;
        for (int step = 0; step < steps; step++) {
            int op = random.nextInt(10);
            if (op < 4) {
                long id = nextId++;
                offered.put(id, Offered.of(id, now));
                pending.offer(id, Offered.of(id, now).window(), Offered.of(id, now).score(), now);
            } else if (op < 8) {
                long id = firstId + random.nextInt((int) (nextId - firstId) + 3) - 1;
                OutcomeStatus status = pending.take(id, now, holder);
                observed[status.ordinal()]++;
                Offered o = offered.get(id);
                switch (status) {
                    case JOINED -> {
                        assertTrue(o != null && settled.add(id), "joined " + id + " twice or never offered");
                        assertTrue(now - o.at() <= ttl, "joined " + id + " past its TTL");
                        assertEquals(new Offered(holder.windowId(), holder.score(), holder.offeredAtNanos()), o);
                        assertEquals(id, holder.predictionId());
                    }
                    case LATE -> {
                        assertTrue(o != null && settled.add(id), "late " + id + " after settling or never offered");
                        assertTrue(now - o.at() > ttl, "late " + id + " within its TTL");
                    }
                    case DUPLICATE -> assertTrue(settled.contains(id), "duplicate " + id + " before any outcome");
                    case UNKNOWN -> { }
                }
            } else if (op < 9) {
                now += random.nextInt((int) Math.min(ttl, 1 << 20)) + 1;
            } else {
                pending.expire(now);
            }
            OutcomeCounts c = pending.counts();
            assertTrue(c.pending() >= 0 && c.pending() <= pending.capacity(), c.toString());
        }
        OutcomeCounts c = pending.counts();
        assertEquals(offered.size(), c.offered());
        assertEquals(observed[OutcomeStatus.JOINED.ordinal()], c.joined());
        assertEquals(observed[OutcomeStatus.LATE.ordinal()], c.late());
        assertEquals(observed[OutcomeStatus.DUPLICATE.ordinal()], c.duplicate());
        assertEquals(observed[OutcomeStatus.UNKNOWN.ordinal()], c.unknown());
        assertEquals(c.offered(), c.pending() + c.joined() + c.expired() + c.evicted());

        pending.expire(now + ttl + 1);
        OutcomeCounts swept = pending.counts();
        assertEquals(0, swept.pending(), swept.toString());
        assertEquals(swept.offered(), swept.joined() + swept.expired() + swept.evicted());
    }

    @Property(tries = 300)
    void withRoomToSpare_theStoreAnswersExactlyAsAMap(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 400) int steps,
            @ForAll @LongRange(min = 1, max = 1_000) long ttl) {
        Random random = new Random(seed);
        // 4,096 sets of 16 for at most 400 predictions: no set fills, nothing is evicted or reclaimed.
        PendingOutcomes pending = PendingOutcomes.of(1 << 16, ttl);
        PendingOutcomes.Joined holder = new PendingOutcomes.Joined();
        Map<Long, Offered> offered = new HashMap<>();
        Set<Long> settled = new HashSet<>();
        long now = random.nextLong();
        for (int step = 0; step < steps; step++) {
            int op = random.nextInt(10);
            if (op < 4) {
                long id = random.nextLong();
                if (offered.containsKey(id)) {
                    continue;
                }
                offered.put(id, Offered.of(id, now));
                pending.offer(id, Offered.of(id, now).window(), Offered.of(id, now).score(), now);
            } else if (op < 8) {
                long id = offered.isEmpty() || random.nextInt(5) == 0
                        ? random.nextLong()
                        : offered.keySet().stream().skip(random.nextInt(offered.size())).findFirst().orElseThrow();
                Offered o = offered.get(id);
                OutcomeStatus expected = o == null ? OutcomeStatus.UNKNOWN
                        : settled.contains(id) ? OutcomeStatus.DUPLICATE
                        : now - o.at() > ttl ? OutcomeStatus.LATE
                        : OutcomeStatus.JOINED;
                assertEquals(expected, pending.take(id, now, holder), "outcome for " + id);
                if (o != null) {
                    settled.add(id);
                }
            } else if (op < 9) {
                now += random.nextInt((int) ttl) + 1;
            } else {
                pending.expire(now);
            }
        }
        assertEquals(0, pending.counts().evicted());
    }
}
