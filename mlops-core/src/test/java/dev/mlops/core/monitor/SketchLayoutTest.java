package dev.mlops.core.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SketchLayoutTest {
    private static final SketchLayout NANOS = SketchLayout.latencyNanos();

    @Test
    void latencyNanos_spansOneNanosecondToJustOverAnHour_atUnderOnePercent() {
        assertEquals(1.0, NANOS.lowest());
        assertTrue(NANOS.highest() >= 3_600e9, "highest " + NANOS.highest());
        assertTrue(NANOS.highest() < 3_600e9 * (1 + 1.0 / 64), "highest " + NANOS.highest());
        assertEquals(6, NANOS.subBucketBits());
        assertEquals(1.0 / 129, NANOS.relativeAccuracy());
        assertEquals(41 * 64 + 41, NANOS.bucketCount());
    }

    @Test
    void of_picksTheCoarsestLayoutWithinTheAccuracy() {
        assertEquals(6, SketchLayout.of(1, 1000, 0.01).subBucketBits());
        assertEquals(6, SketchLayout.of(1, 1000, 1.0 / 129).subBucketBits());
        assertEquals(7, SketchLayout.of(1, 1000, 0.0077).subBucketBits());
        assertEquals(0, SketchLayout.of(1, 1000, 0.5).subBucketBits());
        assertEquals(1, SketchLayout.of(1, 1000, 0.3).subBucketBits());
    }

    @Test
    void constructor_movesTheBoundsToBucketEdges_soEqualBucketsMeanEqualLayouts() {
        SketchLayout a = new SketchLayout(1.5, 100, 0);
        assertEquals(1.0, a.lowest());
        assertEquals(Math.nextDown(128.0), a.highest());
        assertEquals(a, new SketchLayout(1.0, 127, 0));
        assertEquals(a, new SketchLayout(a.lowest(), a.highest(), a.subBucketBits()));
        assertEquals(7, a.bucketCount());
    }

    @Test
    void buckets_tileTheRangeWithoutGapsOrOverlaps() {
        for (int i = 0; i < NANOS.bucketCount(); i++) {
            double lo = NANOS.lowerBound(i);
            double hi = NANOS.upperBound(i);
            assertTrue(lo < hi);
            assertEquals(i, NANOS.indexOf(lo));
            assertEquals(i, NANOS.indexOf(Math.nextDown(hi)));
            if (i + 1 < NANOS.bucketCount()) {
                assertEquals(hi, NANOS.lowerBound(i + 1));
            }
        }
        assertEquals(NANOS.lowest(), NANOS.lowerBound(0));
        assertEquals(NANOS.highest(), Math.nextDown(NANOS.upperBound(NANOS.bucketCount() - 1)));
    }

    @Test
    void representative_isWithinTheRelativeAccuracyOfBothEdgesOfEveryBucket() {
        for (SketchLayout layout : new SketchLayout[] {NANOS, SketchLayout.of(1e-9, 1e9, 0.001), new SketchLayout(1, 1e6, 0)}) {
            double worst = 0;
            for (int i = 0; i < layout.bucketCount(); i++) {
                double lo = layout.lowerBound(i);
                double hi = layout.upperBound(i);
                double r = layout.representative(i);
                worst = Math.max(worst, Math.max((r - lo) / lo, (hi - r) / hi));
            }
            assertTrue(worst <= layout.relativeAccuracy() * (1 + 1e-12), layout + " worst " + worst);
            assertTrue(worst > layout.relativeAccuracy() * (1 - 1e-9), "the bound is tight: " + worst);
        }
    }

    @Test
    void indexOf_isMinusOneForEverythingOutsideTheRange() {
        double[] outside = {0.0, -0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Math.nextDown(NANOS.lowest()), Math.nextUp(NANOS.highest()), Double.MIN_VALUE, Double.MAX_VALUE};
        for (double v : outside) {
            assertEquals(-1, NANOS.indexOf(v), "value " + v);
        }
        assertEquals(0, NANOS.indexOf(NANOS.lowest()));
        assertEquals(NANOS.bucketCount() - 1, NANOS.indexOf(NANOS.highest()));
    }

    @Test
    void constructor_rejectsBadParts_namingThem() {
        assertMessage("subBucketBits", () -> new SketchLayout(1, 2, -1));
        assertMessage("subBucketBits", () -> new SketchLayout(1, 2, 21));
        assertMessage("lowest", () -> new SketchLayout(0, 2, 6));
        assertMessage("lowest", () -> new SketchLayout(Double.MIN_VALUE, 2, 6));
        assertMessage("lowest", () -> new SketchLayout(Double.NaN, 2, 6));
        assertMessage("highest", () -> new SketchLayout(2, 2, 6));
        assertMessage("highest", () -> new SketchLayout(1, Double.POSITIVE_INFINITY, 6));
        assertMessage("highest", () -> new SketchLayout(1, 0x1p1001, 6));
        assertMessage("buckets", () -> new SketchLayout(Double.MIN_NORMAL, 0x1p1000, 20));
        assertMessage("relativeAccuracy", () -> SketchLayout.of(1, 2, 0));
        assertMessage("relativeAccuracy", () -> SketchLayout.of(1, 2, 1));
        assertMessage("relativeAccuracy", () -> SketchLayout.of(1, 2, Double.NaN));
        assertMessage("relativeAccuracy", () -> SketchLayout.of(1, 2, 1e-9));
        assertThrows(IndexOutOfBoundsException.class, () -> NANOS.lowerBound(NANOS.bucketCount()));
        assertThrows(IndexOutOfBoundsException.class, () -> NANOS.representative(-1));
    }

    private static void assertMessage(String part, Runnable action) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
