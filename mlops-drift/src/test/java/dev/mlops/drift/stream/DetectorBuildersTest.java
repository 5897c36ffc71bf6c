package dev.mlops.drift.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.drift.Signal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Options are validated, set once, and presets come first. */
class DetectorBuildersTest {

    private static void assertRejects(String option, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(option), "message names " + option + ": " + e.getMessage());
    }

    @Test
    void build_outOfRangeOptions_throwWithTheOptionName() {
        assertRejects("delta", () -> Adwin.builder().delta(0.0));
        assertRejects("delta", () -> Adwin.builder().delta(1.0));
        assertRejects("clock", () -> Adwin.builder().clock(0));
        assertRejects("maxBuckets", () -> Adwin.builder().maxBuckets(1));
        assertRejects("gracePeriod", () -> Adwin.builder().gracePeriod(-1));
        assertRejects("warmStart", () -> Ddm.builder().warmStart(-1));
        assertRejects("driftLevel", () -> Ddm.builder().driftLevel(Double.NaN));
        assertRejects("driftLevel", () -> Ddm.builder().warningLevel(3.0).driftLevel(2.0).build());
        assertRejects("alpha", () -> Eddm.builder().alpha(0.8).beta(0.9).build());
        assertRejects("beta", () -> Eddm.builder().beta(1.0));
        assertRejects("warningConfidence", () -> HddmA.builder().warningConfidence(0.0001).build());
        assertRejects("lambda", () -> HddmW.builder().lambda(0.0));
        assertRejects("threshold", () -> PageHinkley.builder().threshold(0.0));
        assertRejects("alpha", () -> PageHinkley.builder().alpha(1.5));
        assertRejects("delta", () -> Cusum.builder().delta(-0.1));
        assertRejects("statSize", () -> Kswin.builder().windowSize(50).statSize(30).build());
        assertRejects("minStatistic", () -> Kswin.builder().minStatistic(1.0));
        assertRejects("controlLimit", () -> EwmaChart.builder().controlLimit(Double.POSITIVE_INFINITY));
    }

    @Test
    void builder_optionSetTwice_throwsIllegalState() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Adwin.builder().delta(0.01).delta(0.02));
        assertTrue(e.getMessage().contains("delta"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> PageHinkley.builder().direction(Direction.UP).direction(Direction.UP));
    }

    @Test
    void builder_presetAfterAnOption_throwsIllegalState() {
        assertThrows(IllegalStateException.class, () -> Adwin.builder().delta(0.01).moa());
        assertThrows(IllegalStateException.class, () -> HddmA.builder().river().moa());
    }

    @Test
    void builder_optionAfterPreset_overridesThePreset() {
        // MOA's HDDM_A is two-sided; one-sided it no longer resets on the decrease of stream 3,
        // so the detector sees the second increase later than MOA would.
        HddmA oneSided = HddmA.builder().moa().twoSided(false).build();
        HddmA river = HddmA.builder().river().build();
        double[] s3 = RiverStreams.s3();
        assertEquals(RiverStreams.driftIndices(river, s3), RiverStreams.driftIndices(oneSided, s3));
    }

    @Test
    void update_valuesOutsideTheDetectorsDomain_areRejected() {
        assertRejects("value", () -> Ddm.builder().build().update(2.0));
        assertRejects("value", () -> Eddm.builder().build().update(0.5));
        assertRejects("value", () -> HddmA.builder().build().update(-0.1));
        assertRejects("value", () -> HddmW.builder().build().update(Double.NaN));
        assertRejects("value", () -> Adwin.builder().build().update(Double.POSITIVE_INFINITY));
        assertRejects("value", () -> Kswin.builder().build().update(Double.NaN));
    }

    @Test
    void update_boolean_isAnErrorIndicator() {
        Ddm byBoolean = Ddm.builder().build();
        Ddm byNumber = Ddm.builder().build();
        double[] s2 = RiverStreams.s2();
        for (double v : s2) {
            assertEquals(byNumber.update(v), byBoolean.update(v == 1.0));
        }
    }

    @Test
    void ddm_warnsBeforeItSignalsDriftOnStream2() {
        Ddm ddm = Ddm.builder().build();
        int firstWarning = -1;
        int firstDrift = -1;
        double[] s2 = RiverStreams.s2();
        for (int i = 0; i < s2.length && firstDrift < 0; i++) {
            Signal s = ddm.update(s2[i]);
            if (s == Signal.WARNING && firstWarning < 0) {
                firstWarning = i;
            }
            if (s == Signal.DRIFT) {
                firstDrift = i;
            }
        }
        assertEquals(1049, firstDrift);
        assertTrue(firstWarning >= 1000 && firstWarning < firstDrift, "first warning at " + firstWarning);
    }

    @Test
    void adwin_withoutReset_keepsTheNewerPartOfTheWindowAfterDrift() {
        Adwin moa = Adwin.builder().moa().build();
        double[] s1 = RiverStreams.s1();
        for (int i = 0; i <= 1023; i++) {
            moa.update(s1[i]);
        }
        // The cut dropped the oldest values, which were below the window's mean: the window is
        // shorter and its mean higher than the mean of everything seen.
        double meanSeen = 0;
        for (int i = 0; i <= 1023; i++) {
            meanSeen += s1[i] / 1024;
        }
        assertTrue(moa.width() < 1024 && moa.width() > 10, "width " + moa.width());
        assertTrue(moa.estimate() > meanSeen, "estimate " + moa.estimate() + " vs " + meanSeen);
        Adwin river = Adwin.builder().river().build();
        for (int i = 0; i <= 1024; i++) {
            river.update(s1[i]);
        }
        assertEquals(1, river.width());
    }

    @Test
    void kswin_sameSeed_sameSignals_andResetRepeatsThem() {
        double[] s1 = RiverStreams.s1();
        Kswin a = Kswin.builder().seed(3).build();
        Kswin b = Kswin.builder().seed(3).build();
        List<Integer> first = RiverStreams.driftIndices(a, s1);
        assertEquals(first, RiverStreams.driftIndices(b, s1));
        a.reset();
        assertEquals(first, RiverStreams.driftIndices(a, s1));
        assertTrue(!first.isEmpty() && first.get(0) >= 1000, "first detection after the change: " + first);
    }

    @Test
    void toString_namesTheOptions() {
        assertTrue(Adwin.builder().moa().build().toString().contains("minSubWindowLength=7"));
        assertTrue(PageHinkley.builder().moa().build().toString().contains("direction=UP"));
    }
}
