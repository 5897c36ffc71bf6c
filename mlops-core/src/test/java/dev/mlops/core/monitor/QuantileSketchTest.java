package dev.mlops.core.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class QuantileSketchTest {
    private static final SketchLayout NANOS = SketchLayout.latencyNanos();

    @Test
    void emptySketch_hasNoCount_andNaNQuantilesMinMax() {
        QuantileSketchSnapshot s = QuantileSketch.latencyNanos().snapshot();
        assertEquals(0, s.count());
        assertEquals(0.0, s.sum());
        assertTrue(Double.isNaN(s.quantile(0.5)));
        assertTrue(Double.isNaN(s.min()));
        assertTrue(Double.isNaN(s.max()));
        assertTrue(Double.isNaN(s.mean()));
        assertEquals(QuantileSketchSnapshot.empty(NANOS), s);
    }

    @Test
    void negativeNaNAndInfiniteValues_areCountedApart_andLeaveQuantilesSumMinMaxAlone() {
        QuantileSketch sketch = QuantileSketch.latencyNanos();
        for (int i = 1; i <= 100; i++) {
            sketch.record(i * 1000.0);
        }
        QuantileSketchSnapshot clean = sketch.snapshot();
        sketch.record(-5.0);
        sketch.record(-1L);
        sketch.record(-Double.MAX_VALUE);
        sketch.record(Double.NaN);
        sketch.record(Double.POSITIVE_INFINITY);
        sketch.record(Double.NEGATIVE_INFINITY);
        QuantileSketchSnapshot s = sketch.snapshot();
        assertEquals(3, s.negativeCount());
        assertEquals(3, s.nonFiniteCount());
        assertEquals(6, s.rejectedCount());
        assertEquals(100, s.count());
        assertEquals(clean.sum(), s.sum());
        assertEquals(1000.0, s.min());
        assertEquals(100_000.0, s.max());
        assertArrayEquals(clean.bucketCounts(), s.bucketCounts());
        for (double q : new double[] {0, 0.5, 0.99, 1}) {
            assertEquals(clean.quantile(q), s.quantile(q));
        }
    }

    @Test
    void zeros_areRanked_andAnswerZeroExactly() {
        QuantileSketch sketch = QuantileSketch.latencyNanos();
        sketch.record(0L);
        sketch.record(-0.0);
        sketch.record(0.0);
        sketch.record(500.0);
        QuantileSketchSnapshot s = sketch.snapshot();
        assertEquals(3, s.zeroCount());
        assertEquals(4, s.count());
        assertEquals(0.0, s.min());
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(s.min()));
        assertEquals(0.0, s.quantile(0.5));
        assertEquals(0.0, s.quantile(0.66));
        assertEquals(500.0, s.quantile(1.0));
    }

    @Test
    void valuesOutsideTheRange_areCounted_andAnswerTheRangesEdgesAsBounds() {
        QuantileSketch sketch = QuantileSketch.of(SketchLayout.of(1, 1000, 0.01));
        SketchLayout layout = sketch.layout();
        sketch.record(0.25);
        sketch.record(0.5);
        sketch.record(10.0);
        sketch.record(5e6);
        sketch.record(7e6);
        QuantileSketchSnapshot s = sketch.snapshot();
        assertEquals(2, s.belowRangeCount());
        assertEquals(2, s.aboveRangeCount());
        assertEquals(5, s.count());
        assertEquals(0.25 + 0.5 + 10 + 5e6 + 7e6, s.sum());
        assertEquals(0.25, s.min());
        assertEquals(7e6, s.max());
        assertEquals(0.25, s.quantile(0.0));
        assertEquals(layout.lowest(), s.quantile(0.25));
        assertEquals(10.0, s.quantile(0.5), 10.0 * layout.relativeAccuracy());
        assertEquals(layout.highest(), s.quantile(0.75));
        assertEquals(7e6, s.quantile(1.0));
    }

    @Test
    void valuesAboveTheRange_answerTheHighestTrackable_clampedToTheExactMinAndMax() {
        QuantileSketch sketch = QuantileSketch.of(SketchLayout.of(1, 1000, 0.01));
        sketch.record(5000.0);
        sketch.record(6000.0);
        sketch.record(9000.0);
        QuantileSketchSnapshot s = sketch.snapshot();
        assertEquals(5000.0, s.quantile(0.0));
        assertEquals(5000.0, s.quantile(0.5));
        assertEquals(9000.0, s.quantile(1.0));
    }

    @Test
    void constantStream_answersTheValueExactly_becauseEstimatesAreClampedToMinAndMax() {
        QuantileSketch sketch = QuantileSketch.latencyNanos();
        for (int i = 0; i < 1000; i++) {
            sketch.record(1234.5);
        }
        QuantileSketchSnapshot s = sketch.snapshot();
        for (double q : new double[] {0, 0.5, 0.9, 0.99, 0.999, 1}) {
            assertEquals(1234.5, s.quantile(q));
        }
        assertEquals(1234.5, s.mean(), 1e-9);
        assertEquals(1, s.bucketCounts().length);
        assertEquals(1000, s.bucketCount(NANOS.indexOf(1234.5)));
    }

    @Test
    void quantile_isTheLowerQuantile_atPositionFloorOfQTimesCountMinusOne() {
        QuantileSketch sketch = QuantileSketch.of(new SketchLayout(64, 1024, 16));
        for (int v = 1; v <= 10; v++) {
            sketch.record(v * 100.0);
        }
        QuantileSketchSnapshot s = sketch.snapshot();
        assertEquals(100.0, s.quantile(0.0), 0.01);
        assertEquals(100.0, s.quantile(0.11), 0.01);
        assertEquals(200.0, s.quantile(0.12), 0.01);
        assertEquals(500.0, s.quantile(0.5), 0.01);
        assertEquals(900.0, s.quantile(0.99), 0.01);
        assertEquals(1000.0, s.quantile(1.0), 0.01);
    }

    @Test
    void recordLong_recordsTheSameAsTheDouble() {
        QuantileSketch a = QuantileSketch.latencyNanos();
        QuantileSketch b = QuantileSketch.latencyNanos();
        for (long v : new long[] {0, 1, 17, 65, 1_000_003, 3_599_999_999_999L, 4_000_000_000_000L, -3}) {
            a.record(v);
            b.record((double) v);
        }
        assertEquals(a.snapshot(), b.snapshot());
    }

    @Test
    void recordWithCount_equalsRecordingTheValueThatManyTimes() {
        QuantileSketch many = QuantileSketch.latencyNanos();
        QuantileSketch once = QuantileSketch.latencyNanos();
        double[] values = {0.0, 0.5, 3.0, 1e5, 7e12, -2.0, Double.NaN};
        for (double v : values) {
            many.record(v, 3);
            many.record(v, 0);
            for (int i = 0; i < 3; i++) {
                once.record(v);
            }
        }
        QuantileSketchSnapshot m = many.snapshot();
        QuantileSketchSnapshot o = once.snapshot();
        assertArrayEquals(o.bucketCounts(), m.bucketCounts());
        assertEquals(o.count(), m.count());
        assertEquals(o.rejectedCount(), m.rejectedCount());
        assertEquals(o.sum(), m.sum(), o.sum() * 1e-12);
        assertThrows(IllegalArgumentException.class, () -> many.record(1.0, -1));
    }

    @Test
    void snapshot_isAnImmutableCopy_thatRecordingDoesNotChange() {
        QuantileSketch sketch = QuantileSketch.latencyNanos();
        sketch.record(100.0);
        QuantileSketchSnapshot before = sketch.snapshot();
        sketch.record(5000.0);
        sketch.record(-1.0);
        assertEquals(1, before.count());
        assertEquals(100.0, before.max());
        assertEquals(0, before.negativeCount());
        long[] counts = before.bucketCounts();
        counts[0] = 99;
        assertEquals(1, before.bucketCounts()[0]);
        QuantileSketchSnapshot after = sketch.snapshot();
        assertEquals(2, after.count());
        assertNotEquals(before, after);
    }

    @Test
    void add_foldsASnapshotIntoALiveSketch_asMergeDoes() {
        QuantileSketch a = QuantileSketch.latencyNanos();
        QuantileSketch b = QuantileSketch.latencyNanos();
        a.record(10.0);
        a.record(0.0);
        b.record(1e9);
        b.record(0.5);
        b.record(Double.NaN);
        QuantileSketchSnapshot merged = a.snapshot().merge(b.snapshot());
        a.add(b.snapshot());
        assertEquals(merged, a.snapshot());
        a.add(QuantileSketchSnapshot.empty(NANOS));
        assertEquals(merged, a.snapshot());
    }

    @Test
    void merge_andAdd_rejectOtherLayouts() {
        QuantileSketchSnapshot nanos = QuantileSketch.latencyNanos().snapshot();
        QuantileSketchSnapshot other = QuantileSketch.of(SketchLayout.of(1, 1e6, 0.01)).snapshot();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> nanos.merge(other));
        assertTrue(e.getMessage().contains("layout"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> QuantileSketch.latencyNanos().add(other));
    }

    @Test
    void merge_withAnEmptySnapshot_returnsTheOtherUnchanged() {
        QuantileSketch sketch = QuantileSketch.latencyNanos();
        sketch.record(42.0);
        QuantileSketchSnapshot s = sketch.snapshot();
        QuantileSketchSnapshot empty = QuantileSketchSnapshot.empty(NANOS);
        assertSame(s, s.merge(empty));
        assertSame(s, empty.merge(s));
    }

    @Test
    void concurrentRecording_losesNoCount_withOneStripeOrMany() throws InterruptedException {
        for (int maxStripes : new int[] {1, 8}) {
            QuantileSketch sketch = QuantileSketch.of(NANOS, maxStripes);
            int threads = 4;
            int perThread = 50_000;
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread worker = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (int i = 0; i < perThread; i++) {
                        sketch.record(1000.0 + (i % 7));
                        if (i % 1000 == 0) {
                            sketch.record(-1.0);
                        }
                    }
                });
                worker.start();
                workers.add(worker);
            }
            start.countDown();
            for (Thread worker : workers) {
                worker.join();
            }
            QuantileSketchSnapshot s = sketch.snapshot();
            assertEquals((long) threads * perThread, s.count(), "maxStripes " + maxStripes);
            assertEquals(threads * (perThread / 1000), s.negativeCount());
            assertEquals(threads * (perThread / 7 * (1000 + 1001 + 1002 + 1003 + 1004 + 1005 + 1006)
                    + (perThread % 7 == 0 ? 0 : sumOfFirst(perThread % 7))), s.sum(), 1e-3);
            assertEquals(1000.0, s.min());
            assertEquals(1006.0, s.max());
            assertTrue(sketch.stripes() <= maxStripes, sketch.toString());
        }
    }

    @Test
    void snapshotsTakenDuringRecording_areAlwaysValid_andNeverShrink() throws InterruptedException {
        QuantileSketch sketch = QuantileSketch.of(NANOS, 4);
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 200_000; i++) {
                sketch.record((double) (1 + i % 5000));
            }
        });
        writer.start();
        long last = 0;
        while (writer.isAlive()) {
            QuantileSketchSnapshot s = sketch.snapshot();
            assertTrue(s.count() >= last);
            assertTrue(s.count() == 0 || s.sum() >= s.max() && s.max() >= s.min());
            last = s.count();
        }
        writer.join();
        assertEquals(200_000, sketch.snapshot().count());
    }

    @Test
    void of_rejectsAStripeLimitThatIsNotAPowerOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> QuantileSketch.of(NANOS, 3));
        assertThrows(IllegalArgumentException.class, () -> QuantileSketch.of(NANOS, 0));
        assertThrows(IllegalArgumentException.class, () -> QuantileSketch.of(NANOS, 2048));
        int d = QuantileSketch.defaultMaxStripes();
        assertEquals(1, Integer.bitCount(d));
        assertTrue(d >= Math.min(64, Runtime.getRuntime().availableProcessors()));
    }

    @Test
    void quantile_rejectsQOutsideZeroToOne() {
        QuantileSketchSnapshot s = QuantileSketch.latencyNanos().snapshot();
        for (double q : new double[] {-0.01, 1.01, Double.NaN}) {
            assertThrows(IllegalArgumentException.class, () -> s.quantile(q));
        }
    }

    @Test
    void snapshotConstructor_trimsZeroBuckets_andValidates() {
        QuantileSketchSnapshot padded = new QuantileSketchSnapshot(
                NANOS, 0, 0, 10, new long[] {0, 0, 3, 0, 2, 0}, 0, 0, 0, 100, 10, 40);
        assertEquals(12, padded.firstBucket());
        assertArrayEquals(new long[] {3, 0, 2}, padded.bucketCounts());
        assertEquals(3, padded.bucketCount(12));
        assertEquals(0, padded.bucketCount(13));
        assertEquals(0, padded.bucketCount(0));
        assertEquals(padded, new QuantileSketchSnapshot(NANOS, 0, 0, 12, new long[] {3, 0, 2}, 0, 0, 0, 100, 10, 40));
        assertEquals(padded.hashCode(),
                new QuantileSketchSnapshot(NANOS, 0, 0, 12, new long[] {3, 0, 2}, 0, 0, 0, 100, 10, 40).hashCode());

        assertMessage("zeroCount", () -> new QuantileSketchSnapshot(NANOS, -1, 0, 0, new long[0], 0, 0, 0, 0, 1, 1));
        assertMessage("bucketCounts[1]", () -> new QuantileSketchSnapshot(NANOS, 0, 0, 0, new long[] {1, -1}, 0, 0, 0, 1, 1, 1));
        assertMessage("leave the layout", () -> new QuantileSketchSnapshot(
                NANOS, 0, 0, NANOS.bucketCount(), new long[] {1}, 0, 0, 0, 1, 1, 1));
        assertMessage("leave the layout", () -> new QuantileSketchSnapshot(NANOS, 0, 0, -1, new long[0], 0, 0, 0, 0, 1, 1));
        assertMessage("no ranked values", () -> new QuantileSketchSnapshot(NANOS, 0, 0, 0, new long[0], 0, 5, 0, 0, 1, 1));
        assertMessage("min", () -> new QuantileSketchSnapshot(NANOS, 1, 0, 0, new long[0], 0, 0, 0, 0, Double.NaN, 0));
        assertMessage("min", () -> new QuantileSketchSnapshot(NANOS, 0, 0, 0, new long[] {2}, 0, 0, 0, 2, 3, 1));
        assertMessage("sum", () -> new QuantileSketchSnapshot(NANOS, 0, 0, 0, new long[] {2}, 0, 0, 0, 1, 1, 2));
        assertMessage("more than", () -> new QuantileSketchSnapshot(
                NANOS, Long.MAX_VALUE, 1, 0, new long[0], 0, 0, 0, 1, 0, 1));
        QuantileSketchSnapshot big = new QuantileSketchSnapshot(NANOS, Long.MAX_VALUE, 0, 0, new long[0], 0, 0, 0, 0, 0, 0);
        assertMessage("overflows", () -> big.merge(big));
        assertThrows(NullPointerException.class, () -> new QuantileSketchSnapshot(null, 0, 0, 0, new long[0], 0, 0, 0, 0, 0, 0));
    }

    private static double sumOfFirst(int k) {
        double s = 0;
        for (int i = 0; i < k; i++) {
            s += 1000 + i;
        }
        return s;
    }

    private static void assertMessage(String part, Runnable action) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
