package dev.mlops.core.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Examples of {@link PendingOutcomes}: joins, each kind of miss, eviction order, sweeps and bounds. */
class PendingOutcomesTest {
    private static final long TTL = 100;

    private final PendingOutcomes.Joined joined = new PendingOutcomes.Joined();

    @Test
    void take_ofAnOfferedPrediction_joinsItsWindowScoreAndTime() {
        PendingOutcomes pending = PendingOutcomes.of(1000, TTL);
        pending.offer(42, 7, 0.83, 1_000);

        assertEquals(OutcomeStatus.JOINED, pending.take(42, 1_050, joined));
        assertEquals(42, joined.predictionId());
        assertEquals(7, joined.windowId());
        assertEquals(0.83, joined.score());
        assertEquals(1_000, joined.offeredAtNanos());
        assertEquals(new OutcomeCounts(1, 1, 0, 0, 0, 0, 0), pending.counts());
    }

    @Test
    void take_aSecondTime_isDuplicate_andLeavesTheHolderAlone() {
        PendingOutcomes pending = PendingOutcomes.of(1000, TTL);
        pending.offer(42, 7, 0.83, 0);
        pending.offer(43, 8, 0.1, 0);
        pending.take(42, 10, joined);

        assertEquals(OutcomeStatus.DUPLICATE, pending.take(42, 20, joined));
        assertEquals(OutcomeStatus.DUPLICATE, pending.take(42, 30, joined));
        assertEquals(42, joined.predictionId());
        assertEquals(new OutcomeCounts(2, 1, 0, 2, 0, 0, 0), pending.counts());
        assertEquals(1, pending.counts().pending());
    }

    @Test
    void take_ofAnIdNeverOffered_isUnknown_evenIdZeroOnAFreshStore() {
        PendingOutcomes pending = PendingOutcomes.of(16, TTL);
        assertEquals(OutcomeStatus.UNKNOWN, pending.take(0, 0, joined));
        pending.offer(-5, 1, 0.5, 0);
        assertEquals(OutcomeStatus.UNKNOWN, pending.take(5, 0, joined));
        assertEquals(OutcomeStatus.JOINED, pending.take(-5, 0, joined));
        assertEquals(new OutcomeCounts(1, 1, 0, 0, 2, 0, 0), pending.counts());
    }

    @Test
    void take_atExactlyTheTtl_joins_andOneNanosecondLater_isLate_thenDuplicate() {
        PendingOutcomes pending = PendingOutcomes.of(1000, TTL);
        pending.offer(1, 0, 0.5, 0);
        pending.offer(2, 0, 0.5, 0);

        assertEquals(OutcomeStatus.JOINED, pending.take(1, TTL, joined));
        assertEquals(OutcomeStatus.LATE, pending.take(2, TTL + 1, joined));
        assertEquals(OutcomeStatus.DUPLICATE, pending.take(2, TTL + 2, joined));
        assertEquals(1, joined.predictionId(), "a late outcome writes nothing");
        assertEquals(new OutcomeCounts(2, 1, 1, 1, 0, 1, 0), pending.counts());
    }

    @Test
    void ages_areNanoTimeDifferences_soTheClockMayWrap() {
        PendingOutcomes pending = PendingOutcomes.of(16, TTL);
        pending.offer(1, 3, 0.25, Long.MAX_VALUE - 5);
        assertEquals(OutcomeStatus.JOINED, pending.take(1, Long.MIN_VALUE + 5, joined));
    }

    @Test
    void offer_intoAFullSetOfLivePredictions_evictsTheOldest() {
        PendingOutcomes pending = PendingOutcomes.of(16, TTL); // one set of 16
        for (int id = 0; id < 16; id++) {
            pending.offer(id, 0, id, id);
        }
        pending.offer(16, 0, 16, 20);

        assertEquals(OutcomeStatus.UNKNOWN, pending.take(0, 20, joined));
        for (int id = 1; id <= 16; id++) {
            assertEquals(OutcomeStatus.JOINED, pending.take(id, 20, joined), "id " + id);
        }
        assertEquals(new OutcomeCounts(17, 16, 0, 0, 1, 0, 1), pending.counts());
    }

    @Test
    void offer_reusesASlotPastItsTtl_beforeEvictingALiveOne_andKeepsSettledMarkersForTheirTtl() {
        PendingOutcomes pending = PendingOutcomes.of(16, TTL);
        for (int id = 0; id < 16; id++) {
            pending.offer(id, 0, id, id * 10L);
        }
        long now = 115; // ids 0 and 1 (offered at 0 and 10) are past the TTL
        pending.offer(100, 0, 0, now);
        assertEquals(OutcomeStatus.UNKNOWN, pending.take(0, now, joined), "reclaimed: the first slot past its TTL");
        assertEquals(OutcomeStatus.LATE, pending.take(1, now, joined), "expired, still there");
        assertEquals(OutcomeStatus.JOINED, pending.take(2, now, joined));
        // Now 1 and 2 are settled; 1 is past its TTL, so the next offer takes its slot; 2 is within its TTL.
        pending.offer(101, 0, 0, now);
        assertEquals(OutcomeStatus.UNKNOWN, pending.take(1, now, joined));
        assertEquals(OutcomeStatus.DUPLICATE, pending.take(2, now, joined));
        assertEquals(0, pending.counts().evicted());
        assertEquals(2, pending.counts().expired());
    }

    @Test
    void aSetFullOfLiveSlots_givesUpItsOldest_aSettledMarkerWithoutCountingAnEviction() {
        PendingOutcomes pending = PendingOutcomes.of(16, TTL);
        for (int id = 0; id < 16; id++) {
            pending.offer(id, 0, id, id);
            assertEquals(OutcomeStatus.JOINED, pending.take(id, id, joined));
        }
        pending.offer(16, 0, 16, 20);

        assertEquals(OutcomeStatus.UNKNOWN, pending.take(0, 20, joined), "the oldest marker made room");
        assertEquals(OutcomeStatus.DUPLICATE, pending.take(1, 20, joined));
        assertEquals(OutcomeStatus.JOINED, pending.take(16, 20, joined));
        assertEquals(new OutcomeCounts(17, 17, 0, 1, 1, 0, 0), pending.counts());
    }

    @Test
    void expire_settlesPredictionsPastTheirTtl_once_andOutcomesForThemStayLate() {
        PendingOutcomes pending = PendingOutcomes.of(1000, TTL);
        for (int id = 0; id < 10; id++) {
            pending.offer(id, 0, 0.5, id * 20L);
        }
        assertEquals(10, pending.counts().pending());

        assertEquals(5, pending.expire(199)); // offered at 0..80 are older than 100
        assertEquals(0, pending.expire(199));
        OutcomeCounts counts = pending.counts();
        assertEquals(5, counts.pending());
        assertEquals(5, counts.expired());

        assertEquals(OutcomeStatus.LATE, pending.take(0, 199, joined));
        assertEquals(OutcomeStatus.DUPLICATE, pending.take(0, 199, joined));
        assertEquals(OutcomeStatus.JOINED, pending.take(9, 199, joined));
        assertEquals(new OutcomeCounts(10, 1, 1, 1, 0, 5, 0), pending.counts());
    }

    @Test
    void capacity_isMaxEntriesRoundedUpToAPowerOfTwo_atLeastSixteen() {
        assertEquals(16, PendingOutcomes.of(1, TTL).capacity());
        assertEquals(16, PendingOutcomes.of(16, TTL).capacity());
        assertEquals(32, PendingOutcomes.of(17, TTL).capacity());
        assertEquals(1024, PendingOutcomes.of(1000, Duration.ofSeconds(1)).capacity());
        assertEquals(1_000_000_000L, PendingOutcomes.of(1000, Duration.ofSeconds(1)).ttlNanos());
    }

    @Test
    void badArguments_areRejected_namingTheInput() {
        assertMessage("maxEntries must be in [1, 268435456], was 0", () -> PendingOutcomes.of(0, TTL));
        assertMessage("maxEntries must be in [1, 268435456], was 268435457",
                () -> PendingOutcomes.of((1 << 28) + 1, TTL));
        assertMessage("ttl must be positive", () -> PendingOutcomes.of(16, 0));
        assertMessage("ttl must be positive", () -> PendingOutcomes.of(16, Duration.ofSeconds(-1)));
        assertMessage("ttl must be at most", () -> PendingOutcomes.of(16, Duration.ofDays(365L * 1000)));
        assertThrows(NullPointerException.class, () -> PendingOutcomes.of(16, TTL).take(1, 0, null));
    }

    @Test
    void counts_rejectImpossibleCombinations_andAddUp() {
        assertMessage("joined must be >= 0, was -1", () -> new OutcomeCounts(1, -1, 0, 0, 0, 0, 0));
        assertMessage("joined + expired + evicted must be <= offered", () -> new OutcomeCounts(1, 1, 0, 0, 0, 1, 0));
        assertMessage("late must be <= expired", () -> new OutcomeCounts(1, 0, 1, 0, 0, 0, 0));
        OutcomeCounts a = new OutcomeCounts(10, 3, 1, 2, 4, 2, 1);
        OutcomeCounts sum = a.plus(new OutcomeCounts(5, 1, 0, 0, 1, 0, 0));
        assertEquals(new OutcomeCounts(15, 4, 1, 2, 5, 2, 1), sum);
        assertEquals(4, a.pending());
        assertEquals(10, a.outcomes());
        assertEquals(a, a.plus(OutcomeCounts.EMPTY));
    }

    private static void assertMessage(String start, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}
