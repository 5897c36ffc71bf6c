package dev.mlops.drift;

import static dev.mlops.drift.MultivariateKnownAnswers.assertClose;
import static dev.mlops.drift.MultivariateKnownAnswers.correlated;
import static dev.mlops.drift.MultivariateKnownAnswers.doubles;
import static dev.mlops.drift.MultivariateKnownAnswers.gaussian;
import static dev.mlops.drift.MultivariateKnownAnswers.rows;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.drift.DriftResult;
import dev.mlops.core.drift.Rule;
import java.util.List;
import java.util.OptionalDouble;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PcaReconstructionDetectorTest {

    static Stream<Named<JsonNode>> pcaCases() {
        return MultivariateKnownAnswers.cases("pca.json");
    }

    @ParameterizedTest
    @MethodSource("pcaCases")
    void evaluate_matchesNannyMlComponentsBandAndError(JsonNode c) {
        double[][] reference = rows(c.get("reference"));
        double[][] current = rows(c.get("current"));
        PcaOptions options = PcaOptions.defaults().withChunkCount(c.get("chunkCount").asInt());
        if (!c.get("chunkSize").isNull()) {
            options = options.withChunkSize(c.get("chunkSize").asInt());
        }
        PcaReconstructionDetector detector = MultivariateDrift.reconstruction(reference, options);
        PcaReconstructionResult r = detector.evaluate(current);
        JsonNode expected = c.get("expected");

        assertEquals(expected.get("components").asInt(), detector.components());
        assertEquals(expected.get("components").asInt(), r.components());
        double[] chunks = doubles(expected.get("referenceChunkValues"));
        double[] actualChunks = detector.referenceChunkValues();
        assertEquals(chunks.length, actualChunks.length, "reference chunks");
        for (int i = 0; i < chunks.length; i++) {
            assertClose(chunks[i], actualChunks[i], "reference chunk " + i);
        }
        assertClose(expected.get("upper").asDouble(), r.upperThreshold(), "upper band");
        if (expected.get("lower").isNull()) {
            assertEquals(OptionalDouble.empty(), r.lowerThreshold());
        } else {
            assertClose(expected.get("lower").asDouble(), r.lowerThreshold().getAsDouble(), "lower band");
        }
        DriftResult result = r.result();
        assertClose(expected.get("statistic").asDouble(), result.statistic(), "mean reconstruction error");
        assertEquals(PcaReconstructionDetector.METHOD, result.method());
        assertEquals(Rule.STATISTIC_AT_LEAST, result.rule());
        assertEquals(expected.get("alert").asBoolean(), r.outsideBand(), "NannyML's alert: not (lower < value < upper)");
        assertTrue(result.pValue().isEmpty());
        assertEquals(reference.length, result.referenceSize());
        assertEquals(current.length, result.currentSize());
        assertEquals(expected.get("referenceRowsWithMissing").asLong(), result.referenceMissing());
        assertEquals(expected.get("currentRowsWithMissing").asLong(), result.currentMissing());
        assertEquals(expected.get("currentMissingValues").asLong(), r.imputedValues());
    }

    @Test
    void evaluate_correlationBreak_isCaughtWhilePerColumnKsTestsMissIt() {
        JsonNode c = pcaCases().filter(n -> n.getName().equals("correlation_break_missed_by_columns")).findFirst()
                .orElseThrow().getPayload();
        for (JsonNode p : c.get("expected").get("columnKsPValues")) {
            assertTrue(p.asDouble() > 0.05, "SciPy's ks_2samp p-value per column " + p);
        }
        PcaReconstructionResult r = MultivariateDrift.reconstruction(rows(c.get("reference")))
                .evaluate(rows(c.get("current")));
        assertTrue(r.drifted(), "error " + r.result().statistic() + " vs upper band " + r.upperThreshold());
    }

    @Test
    void evaluate_sameStructure_staysInsideTheBand() {
        PcaReconstructionDetector detector = MultivariateDrift.reconstruction(correlated(1, 2000, false),
                PcaOptions.defaults().withChunkSize(100));
        int outside = 0;
        for (int s = 0; s < 20; s++) {
            outside += detector.evaluate(correlated(100 + s, 100, false)).outsideBand() ? 1 : 0;
        }
        assertTrue(outside <= 2, outside + " of 20 same-structure chunks left the band");
        assertTrue(detector.evaluate(correlated(200, 100, true)).drifted());
    }

    @Test
    void evaluate_asManyComponentsAsColumns_givesAZeroWidthBandThatNannyMlsRuleAlertsOn() {
        // k = d: every error is exactly 0, the band is [0, 0]; NannyML drops a lower band at or below 0
        // (thresholds.py, lower <= limit 0) and alerts unless lower < value < upper, so 0 alerts.
        PcaReconstructionDetector detector = MultivariateDrift.reconstruction(gaussian(3, 100, 1, 0));
        assertEquals(1, detector.components());
        assertEquals(0.0, detector.upperThreshold());
        assertEquals(OptionalDouble.empty(), detector.lowerThreshold());
        PcaReconstructionResult r = detector.evaluate(gaussian(4, 30, 1, 5));
        assertEquals(0.0, r.result().statistic());
        assertTrue(r.drifted());
        assertTrue(r.outsideBand());
    }

    @Test
    void outsideBand_followsNannyMlsStrictBand_equalityAlertsOnBothSides() {
        PcaReconstructionDetector detector = MultivariateDrift.reconstruction(correlated(1, 2000, false),
                PcaOptions.defaults().withChunkSize(100));
        double lower = detector.lowerThreshold().getAsDouble();
        double upper = detector.upperThreshold();
        DriftResult atUpper = new DriftResult(PcaReconstructionDetector.METHOD, upper, OptionalDouble.empty(), upper,
                Rule.STATISTIC_AT_LEAST, 2000, 100, 0, 0);
        assertTrue(new PcaReconstructionResult(atUpper, detector.lowerThreshold(), 1, 0).outsideBand());
        assertTrue(atUpper.drifted(), "at the upper band drifts: NannyML alerts unless value < upper");
        DriftResult atLower = new DriftResult(PcaReconstructionDetector.METHOD, lower, OptionalDouble.empty(), upper,
                Rule.STATISTIC_AT_LEAST, 2000, 100, 0, 0);
        assertTrue(new PcaReconstructionResult(atLower, detector.lowerThreshold(), 1, 0).outsideBand());
        assertFalse(atLower.drifted());
        DriftResult inside = new DriftResult(PcaReconstructionDetector.METHOD, (lower + upper) / 2,
                OptionalDouble.empty(), upper, Rule.STATISTIC_AT_LEAST, 2000, 100, 0, 0);
        assertFalse(new PcaReconstructionResult(inside, detector.lowerThreshold(), 1, 0).outsideBand());
    }

    @Test
    void of_lowerBandAtOrBelowZero_isDropped() {
        PcaReconstructionDetector wide = MultivariateDrift.reconstruction(correlated(1, 400, false),
                PcaOptions.defaults().withStdMultiplier(50));
        assertTrue(wide.referenceChunkMean() - 50 * wide.referenceChunkStd() <= 0);
        assertEquals(OptionalDouble.empty(), wide.lowerThreshold());
    }

    @Test
    void evaluate_missingValues_areImputedWithTheReferenceColumnMean() {
        double[][] reference = gaussian(5, 200, 3, 0);
        PcaReconstructionDetector detector = MultivariateDrift.reconstruction(reference);
        double[] means = detector.imputationValues();
        for (int j = 0; j < 3; j++) {
            double sum = 0;
            for (double[] row : reference) {
                sum += row[j];
            }
            assertEquals(sum / reference.length, means[j], 1e-15);
        }
        double[][] gaps = {{Double.NaN, 0.5, Double.NaN}, {1.0, Double.NaN, 0.2}, {0.3, 0.1, 0.9}};
        double[][] filled = {{means[0], 0.5, means[2]}, {1.0, means[1], 0.2}, {0.3, 0.1, 0.9}};
        PcaReconstructionResult withGaps = detector.evaluate(gaps);
        assertEquals(detector.evaluate(filled).result().statistic(), withGaps.result().statistic());
        assertEquals(3, withGaps.imputedValues());
        assertEquals(2, withGaps.result().currentMissing());
        assertEquals(3, withGaps.result().currentSize());
    }

    @Test
    void of_incompleteChunkPolicies_giveNannyMlChunkCounts() {
        double[][] reference = correlated(7, 57, false);
        PcaOptions bySize = PcaOptions.defaults().withChunkSize(10);
        assertEquals(6, MultivariateDrift.reconstruction(reference, bySize).referenceChunkValues().length);
        assertEquals(5, MultivariateDrift.reconstruction(reference, bySize.withIncomplete(PcaOptions.Incomplete.DROP))
                .referenceChunkValues().length);
        PcaReconstructionDetector appended = MultivariateDrift.reconstruction(reference,
                bySize.withIncomplete(PcaOptions.Incomplete.APPEND));
        PcaReconstructionDetector kept = MultivariateDrift.reconstruction(reference, bySize);
        double[] a = appended.referenceChunkValues();
        double[] k = kept.referenceChunkValues();
        assertEquals(5, a.length);
        assertArrayEquals(java.util.Arrays.copyOf(k, 4), java.util.Arrays.copyOf(a, 4));
        // The appended chunk is the weighted mean of the last full chunk and the leftover rows.
        assertEquals((10 * k[4] + 7 * k[5]) / 17, a[4], 1e-12);
    }

    @Test
    void evaluate_isThreadSafe_parallelCallsGiveTheSerialResults() {
        PcaReconstructionDetector detector = MultivariateDrift.reconstruction(correlated(8, 500, false));
        List<double[][]> batches = IntStream.range(0, 16).mapToObj(i -> correlated(300 + i, 50, i % 2 == 0)).toList();
        List<PcaReconstructionResult> serial = batches.stream().map(detector::evaluate).toList();
        List<PcaReconstructionResult> parallel = batches.parallelStream().map(detector::evaluate).toList();
        assertEquals(serial, parallel);
    }

    @Test
    void of_badInput_failsWithMessagesNamingTheArgument() {
        assertMessage(() -> MultivariateDrift.reconstruction(new double[][] {{1, 2}}), "referenceRows must have at least 2");
        assertMessage(() -> MultivariateDrift.reconstruction(gaussian(9, 9, 2, 0)), "cannot be cut into chunks of 0");
        assertMessage(() -> MultivariateDrift.reconstruction(gaussian(9, 20, 2, 0), PcaOptions.defaults()
                .withChunkSize(15).withIncomplete(PcaOptions.Incomplete.DROP)), "the band needs at least 2");
        double[][] emptyColumn = gaussian(9, 20, 2, 0);
        for (double[] row : emptyColumn) {
            row[1] = Double.NaN;
        }
        assertMessage(() -> MultivariateDrift.reconstruction(emptyColumn), "column 1 has no values");
        double[][] constant = new double[20][2];
        assertMessage(() -> MultivariateDrift.reconstruction(constant), "every column is constant");
        assertMessage(() -> MultivariateDrift.reconstruction(new double[][] {{1, Double.NEGATIVE_INFINITY}, {1, 2}}),
                "referenceRows[0][1] must be finite");
        PcaReconstructionDetector detector = MultivariateDrift.reconstruction(gaussian(9, 20, 2, 0));
        assertMessage(() -> detector.evaluate(new double[0][]), "currentRows must have at least 1 row");
        assertMessage(() -> detector.evaluate(new double[][] {{1}}), "currentRows[0] must have 2");
    }

    @Test
    void options_outOfRange_failWithMessagesNamingTheSetting() {
        assertMessage(() -> PcaOptions.defaults().withMinExplainedVariance(1.0), "minExplainedVariance must be in (0, 1)");
        assertMessage(() -> PcaOptions.defaults().withChunkCount(1), "chunkCount must be in [2, 1000000], was 1");
        assertMessage(() -> PcaOptions.defaults().withChunkCount(1_000_001), "chunkCount must be in [2, 1000000]");
        assertMessage(() -> PcaOptions.defaults().withStdMultiplier(1001), "stdMultiplier must be in (0, 1000.0]");
        assertMessage(() -> PcaOptions.defaults().withChunkSize(0), "chunkSize must be >= 1");
        assertMessage(() -> PcaOptions.defaults().withStdMultiplier(Double.NaN), "stdMultiplier must be in (0, 1000.0], was NaN");
        PcaOptions defaults = PcaOptions.defaults();
        assertEquals(0.65, defaults.minExplainedVariance());
        assertEquals(10, defaults.chunkCount());
        assertEquals(3.0, defaults.stdMultiplier());
        assertEquals(PcaOptions.Incomplete.KEEP, defaults.incomplete());
    }

    @Test
    void of_rowsScaledBy1e200_giveTheUnscaledAnswers() {
        // Issue 7: these gave Infinity, or a Commons Math MaxCountExceededException escaped.
        double[][] reference = correlated(41, 300, false);
        double[][] current = correlated(42, 60, true);
        PcaReconstructionDetector plain = MultivariateDrift.reconstruction(reference);
        PcaReconstructionDetector scaled = MultivariateDrift.reconstruction(times(reference, 1e200));
        PcaReconstructionResult expected = plain.evaluate(current);
        PcaReconstructionResult actual = scaled.evaluate(times(current, 1e200));
        assertEquals(expected.result().statistic(), actual.result().statistic(), 1e-12 * expected.result().statistic());
        assertEquals(expected.upperThreshold(), actual.upperThreshold(), 1e-12 * expected.upperThreshold());
        assertEquals(expected.drifted(), actual.drifted());
        PcaReconstructionDetector small = MultivariateDrift.reconstruction(times(reference, 1e-300));
        assertEquals(expected.result().statistic(), small.evaluate(times(current, 1e-300)).result().statistic(),
                1e-9 * expected.result().statistic());
    }

    @Test
    void evaluate_rowsOfMaxValue_areRefusedNamingTheCell_notANaNWithoutDrift() {
        // Issue 7: rows of Double.MAX_VALUE gave a NaN statistic with drifted() == false.
        PcaReconstructionDetector detector = MultivariateDrift.reconstruction(correlated(43, 200, false));
        double[][] max = {{Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE}};
        assertMessage(() -> detector.evaluate(max), "currentRows[0][0] is 1.7976931348623157E308, more than 1.0E100"
                + " reference standard deviations");
        double[][] reference = correlated(44, 200, false);
        reference[7] = new double[] {Double.MAX_VALUE, -Double.MAX_VALUE, Double.MAX_VALUE};
        PcaReconstructionDetector spread = MultivariateDrift.reconstruction(reference);
        PcaReconstructionResult r = spread.evaluate(max);
        assertTrue(Double.isFinite(r.result().statistic()) && r.result().statistic() >= 0, "error " + r.result().statistic());
        assertTrue(Double.isFinite(r.upperThreshold()), "upper " + r.upperThreshold());
        double[][] allMax = new double[20][];
        java.util.Arrays.fill(allMax, max[0]);
        assertMessage(() -> MultivariateDrift.reconstruction(allMax), "every column is constant");
    }

    @Test
    void of_tooManyColumnsOrChunks_isRefusedNamingTheLimit() {
        assertMessage(() -> MultivariateDrift.reconstruction(gaussian(1, 3, PcaReconstructionDetector.MAX_DIMENSION + 1, 0)),
                "referenceRows rows must have at most 500 columns (MAX_DIMENSION), had 501");
        assertMessage(() -> MultivariateDrift.reconstruction(gaussian(1, 1_000_002, 1, 0), PcaOptions.defaults()
                .withChunkSize(1)), "give 1000002 chunks, more than 1000000 (PcaOptions.MAX_CHUNKS)");
    }

    private static double[][] times(double[][] rows, double factor) {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = rows[i].clone();
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] *= factor;
            }
        }
        return out;
    }

    private static void assertMessage(Executable call, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), () -> "message \"" + e.getMessage() + "\" lacks " + fragment);
    }
}
