package dev.mlops.drift.stream;

import static dev.mlops.drift.stream.RiverStreams.driftIndices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The detection indices of src/test/resources/river-streams/README.md: published by River's
 * {@code river/drift/test_drift_detectors.py} and produced by MOA 2024.07.0 with default options.
 */
class RiverMoaKnownAnswersTest {
    private static final double[] S1 = RiverStreams.s1();
    private static final double[] S2 = RiverStreams.s2();
    private static final double[] S3 = RiverStreams.s3();

    @Test
    void streams_haveTheLengthsOfRiversTests() {
        assertEquals(2000, S1.length);
        assertEquals(2000, S2.length);
        assertEquals(2000, S3.length);
    }

    @Test
    void adwin_riverPreset_signalsAtRiverIndexOnStream1() {
        assertEquals(List.of(1023), driftIndices(Adwin.builder().river().build(), S1));
    }

    @Test
    void adwin_defaults_areRiversAndSignalAtRiverIndexOnStream1() {
        assertEquals(List.of(1023), driftIndices(Adwin.builder().build(), S1));
    }

    @Test
    void adwin_moaPreset_signalsAtMoaIndicesOnStream1() {
        assertEquals(List.of(1023, 1055), driftIndices(Adwin.builder().moa().build(), S1));
    }

    @Test
    void adwin_riverWithoutResetAndMoaSubWindows_isMoa() {
        Adwin explicit = Adwin.builder().delta(0.002).clock(32).maxBuckets(5).minWindowLength(5)
                .minSubWindowLength(7).gracePeriod(10).resetAfterDrift(false).build();
        assertEquals(List.of(1023, 1055), driftIndices(explicit, S1));
    }

    @Test
    void ddm_riverPreset_signalsAtRiverIndexOnStream2() {
        assertEquals(List.of(1049), driftIndices(Ddm.builder().river().build(), S2));
    }

    @Test
    void ddm_moaPreset_signalsAtMoaIndexOnStream2() {
        assertEquals(List.of(1049), driftIndices(Ddm.builder().moa().build(), S2));
    }

    @Test
    void ddm_riverPreset_staysQuietOnAllErrors() {
        // River's test_ddm also asserts no drift on a stream of 1000 ones.
        assertEquals(List.of(), driftIndices(Ddm.builder().river().build(), new double[1000]));
        double[] ones = new double[1000];
        java.util.Arrays.fill(ones, 1.0);
        assertEquals(List.of(), driftIndices(Ddm.builder().river().build(), ones));
    }

    @Test
    void eddm_moaPreset_signalsAtMoaAndOlderRiverIndicesOnStream2() {
        assertEquals(List.of(681, 848, 983, 1042, 1089), driftIndices(Eddm.builder().moa().build(), S2));
    }

    @Test
    void eddm_riverPresetWithAlpha09Beta08_signalsAtCurrentRiverIndexOnStream2() {
        // River's current test_eddm: EDDM(alpha=0.9, beta=0.8) -> [1059].
        assertEquals(List.of(1059), driftIndices(Eddm.builder().river().alpha(0.9).beta(0.8).build(), S2));
    }

    @Test
    void hddmA_riverPreset_signalsAtRiverIndexOnStream2() {
        assertEquals(List.of(1047), driftIndices(HddmA.builder().river().build(), S2));
    }

    @Test
    void hddmA_moaPreset_signalsAtMoaIndexOnStream2() {
        assertEquals(List.of(1047), driftIndices(HddmA.builder().moa().build(), S2));
    }

    @Test
    void hddmA_riverTwoSided_reportsTheDecreaseOnStream3() {
        assertEquals(List.of(531, 1015, 1545), driftIndices(HddmA.builder().river().twoSided(true).build(), S3));
    }

    @Test
    void hddmA_moaPreset_resetsSilentlyOnTheDecreaseOfStream3() {
        assertEquals(List.of(531, 1545), driftIndices(HddmA.builder().moa().build(), S3));
    }

    @Test
    void hddmA_twoSidedWithoutReportingDecreases_isMoa() {
        HddmA explicit = HddmA.builder().twoSided(true).reportDecreases(false).build();
        assertEquals(List.of(531, 1545), driftIndices(explicit, S3));
    }

    @Test
    void hddmW_riverPreset_signalsAtRiverIndexOnStream2() {
        assertEquals(List.of(1018), driftIndices(HddmW.builder().river().build(), S2));
    }

    @Test
    void hddmW_moaPreset_signalsAtMoaIndexOnStream2() {
        assertEquals(List.of(1018), driftIndices(HddmW.builder().moa().build(), S2));
    }

    @Test
    void hddmW_riverTwoSided_reportsTheDecreaseOnStream3() {
        assertEquals(List.of(507, 1032, 1508), driftIndices(HddmW.builder().river().twoSided(true).build(), S3));
    }

    @Test
    void hddmW_moaTwoSided_resetsSilentlyOnTheDecreaseOfStream3() {
        assertEquals(List.of(507, 1508), driftIndices(HddmW.builder().moa().twoSided(true).build(), S3));
    }

    @Test
    void pageHinkley_moaPreset_signalsAtMoaIndexOnStream1() {
        assertEquals(List.of(1025), driftIndices(PageHinkley.builder().moa().build(), S1));
    }

    @Test
    void pageHinkley_riverUp_signalsAtRiverIndicesOnStream3() {
        PageHinkley up = PageHinkley.builder().river().direction(Direction.UP).build();
        assertEquals(List.of(588, 1681), driftIndices(up, S3));
    }

    @Test
    void pageHinkley_riverDown_signalsAtRiverIndexOnStream3() {
        PageHinkley down = PageHinkley.builder().river().direction(Direction.DOWN).build();
        assertEquals(List.of(1172), driftIndices(down, S3));
    }

    @Test
    void pageHinkley_riverBoth_signalsAtRiverIndicesOnStream3() {
        assertEquals(List.of(588, 1097, 1585), driftIndices(PageHinkley.builder().river().build(), S3));
    }

    @Test
    void cusum_moaPreset_signalsAtMoaCusumIndicesOnStream1() {
        assertEquals(List.of(1020, 1991), driftIndices(Cusum.builder().moa().build(), S1));
    }

    @Test
    void cusum_olderRiverPageHinkley_signalsAtOlderRiverIndicesOnStream1() {
        assertEquals(List.of(1020, 1991), driftIndices(Cusum.builder().olderRiverPageHinkley().build(), S1));
    }

    @Test
    void kswin_riversTestOptions_signalAtRiverIndexOnStream1() {
        // River's test_kswin: KSWIN(alpha=0.0001, window_size=200, stat_size=100, seed=42) -> [1042].
        // The sample is then the whole older half, so the seed cannot change the result.
        for (long seed : new long[] {42, 1, 2026}) {
            Kswin kswin = Kswin.builder().river().alpha(0.0001).windowSize(200).statSize(100).seed(seed).build();
            assertEquals(List.of(1042), driftIndices(kswin, S1), "seed " + seed);
        }
    }
}
