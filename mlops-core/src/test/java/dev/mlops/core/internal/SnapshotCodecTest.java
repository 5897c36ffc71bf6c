package dev.mlops.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The snapshot interval every durable store uses. */
class SnapshotCodecTest {

    @Test
    void snapshotsGrowApartWithTheModel_soThatTheirCostPerChangeStaysBounded() {
        assertEquals(64, SnapshotCodec.interval(1, 64));
        assertEquals(64, SnapshotCodec.interval(2_047, 64));
        assertEquals(128, SnapshotCodec.interval(2_048, 64));
        assertEquals(4_096, SnapshotCodec.interval(100_000, 64));
        long written = 0;
        long lastSnapshot = 0;
        for (long change = 1; change <= 1_000_000; change++) {
            long interval = SnapshotCodec.interval(change, 64);
            assertTrue(interval == 64 || (interval > change / 32 && interval <= change / 16), change + ": " + interval);
            assertEquals(change % interval == 0, SnapshotCodec.due(change, 64), "change " + change);
            if (change % interval == 0) {
                written += change;          // a snapshot holds the whole model: about its number of changes
                assertTrue(change - lastSnapshot <= Math.max(64, change / 16), "replay after " + lastSnapshot);
                lastSnapshot = change;
            }
        }
        assertTrue(written / 1_000_000 <= 64, "a change paid for " + written / 1_000_000 + " changes' worth of snapshot");
    }

    @Test
    void smallIntervals_snapshotEveryKthChange_untilTheModelOutgrowsThem() {
        for (long change = 1; change <= 96; change++) {
            assertEquals(change % 3 == 0, SnapshotCodec.due(change, 3), "change " + change);
        }
        assertFalse(SnapshotCodec.due(99, 3), "past 96 changes the interval is 6");
        assertTrue(SnapshotCodec.due(102, 3));
        assertEquals(1, SnapshotCodec.interval(31, 1));
        assertEquals(2, SnapshotCodec.interval(32, 1));
        assertThrows(IllegalArgumentException.class, () -> SnapshotCodec.interval(1, 0));
    }
}
