package dev.mlops.drift;

import static dev.mlops.drift.MmdDetectorJsonTest.MARK;
import static dev.mlops.drift.MmdDetectorJsonTest.edit;
import static dev.mlops.drift.MmdDetectorJsonTest.raw;
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
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.InvalidFormatException;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PcaReconstructionDetectorJsonTest {

    private static final JsonMapper MAPPER = new JsonMapper();

    /** A reference, the options it is fitted with, and current tables to evaluate against it. */
    record Case(double[][] reference, PcaOptions options, double[][]... current) {
    }

    static Stream<Named<Case>> cases() {
        double[][] gappy = correlated(3, 300, false);
        for (int i = 0; i < gappy.length; i += 7) {
            gappy[i][i % 3] = Double.NaN;
        }
        double[][] gappyCurrent = correlated(4, 40, true);
        gappyCurrent[5][0] = Double.NaN;
        gappyCurrent[6][1] = Double.NaN;
        double[][] constantColumn = gaussian(11, 90, 4, 0);
        for (double[] row : constantColumn) {
            row[2] = 3.25;
        }
        return Stream.of(
                Named.of("correlated, defaults", new Case(correlated(1, 400, false), PcaOptions.defaults(),
                        correlated(2, 100, false), correlated(2, 100, true))),
                Named.of("missing values imputed", new Case(gappy, PcaOptions.defaults().withMinExplainedVariance(0.4),
                        gappyCurrent)),
                Named.of("chunk size, incomplete kept", new Case(gaussian(5, 107, 5, 0),
                        PcaOptions.defaults().withChunkSize(10).withStdMultiplier(2.5), gaussian(6, 10, 5, 0.3))),
                Named.of("chunk size, incomplete dropped", new Case(gaussian(5, 107, 5, 0),
                        PcaOptions.defaults().withChunkSize(10).withIncomplete(PcaOptions.Incomplete.DROP),
                        gaussian(7, 10, 5, 0))),
                Named.of("chunk size, incomplete appended", new Case(gaussian(5, 107, 5, 0),
                        PcaOptions.defaults().withChunkSize(10).withIncomplete(PcaOptions.Incomplete.APPEND),
                        gaussian(8, 10, 5, 0))),
                Named.of("one column, exact reconstruction", new Case(gaussian(9, 50, 1, 0), PcaOptions.defaults(),
                        gaussian(10, 20, 1, 4))),
                Named.of("constant column", new Case(constantColumn, PcaOptions.defaults().withChunkCount(3),
                        gaussian(12, 30, 4, 0))),
                Named.of("fewer rows than columns", new Case(gaussian(13, 8, 12, 0),
                        PcaOptions.defaults().withChunkCount(4).withMinExplainedVariance(0.9), gaussian(14, 3, 12, 0))));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void fromJson_ofToJson_givesBitIdenticalResults(Case c) {
        PcaReconstructionDetector saved = MultivariateDrift.reconstruction(c.reference(), c.options());
        String json = saved.toJson();
        PcaReconstructionDetector loaded = PcaReconstructionDetector.fromJson(json);

        assertEquals(saved.dimension(), loaded.dimension());
        assertEquals(saved.options(), loaded.options());
        assertEquals(saved.components(), loaded.components());
        assertEquals(saved.referenceSize(), loaded.referenceSize());
        assertEquals(saved.referenceMissing(), loaded.referenceMissing());
        assertArrayEquals(saved.explainedVarianceRatio(), loaded.explainedVarianceRatio());
        assertArrayEquals(saved.imputationValues(), loaded.imputationValues());
        assertArrayEquals(saved.referenceChunkValues(), loaded.referenceChunkValues());
        assertEquals(saved.referenceChunkMean(), loaded.referenceChunkMean());
        assertEquals(saved.referenceChunkStd(), loaded.referenceChunkStd());
        assertEquals(saved.upperThreshold(), loaded.upperThreshold());
        assertEquals(saved.lowerThreshold(), loaded.lowerThreshold());
        for (double[][] current : c.current()) {
            PcaReconstructionResult expected = saved.evaluate(current);
            PcaReconstructionResult actual = loaded.evaluate(current);
            assertEquals(expected, actual);
            assertEquals(Double.doubleToRawLongBits(expected.result().statistic()),
                    Double.doubleToRawLongBits(actual.result().statistic()), "error bits");
        }
        assertEquals(json, loaded.toJson(), "a loaded reference saves to the same text");
    }

    @Test
    void toJson_holdsNoRows_soItsSizeDoesNotGrowWithTheReference() throws Exception {
        String small = MultivariateDrift.reconstruction(correlated(21, 500, false)).toJson();
        String large = MultivariateDrift.reconstruction(correlated(21, 50_000, false)).toJson();
        assertTrue(large.length() < small.length() + 100, small.length() + " vs " + large.length() + " characters");
        JsonNode doc = MAPPER.readTree(large);
        assertEquals(PcaReconstructionDetector.FORMAT, doc.get("format").asText());
        assertEquals(1, doc.get("version").asInt());
        assertEquals(50_000, doc.get("referenceSize").asInt());
        assertEquals(14, doc.size(), "fields: " + doc);
        assertEquals(5, doc.get("band").size(), "band fields: " + doc.get("band"));
        assertEquals(10, doc.get("band").get("chunkValues").size());
    }

    @Test
    void fromJson_goldenVersion1_readsAndMatchesNannyMl() throws Exception {
        String golden = MultivariateKnownAnswers.text("/multivariate/golden/pca-reference-v1.json").strip();
        JsonNode c = MultivariateKnownAnswers.cases("pca.json")
                .filter(n -> n.getName().equals("missing_values_imputed_with_reference_mean")).findFirst().orElseThrow()
                .getPayload();
        JsonNode expected = c.get("expected");
        PcaReconstructionDetector loaded = PcaReconstructionDetector.fromJson(golden);

        assertEquals(PcaOptions.defaults(), loaded.options());
        assertEquals(expected.get("components").asInt(), loaded.components());
        double[] chunks = doubles(expected.get("referenceChunkValues"));
        assertEquals(chunks.length, loaded.referenceChunkValues().length);
        for (int i = 0; i < chunks.length; i++) {
            assertClose(chunks[i], loaded.referenceChunkValues()[i], "reference chunk " + i);
        }
        PcaReconstructionResult r = loaded.evaluate(rows(c.get("current")));
        assertClose(expected.get("statistic").asDouble(), r.result().statistic(), "mean reconstruction error");
        assertClose(expected.get("upper").asDouble(), r.upperThreshold(), "upper band");
        if (expected.get("lower").isNull()) {
            assertEquals(OptionalDouble.empty(), r.lowerThreshold());
        } else {
            assertClose(expected.get("lower").asDouble(), r.lowerThreshold().getAsDouble(), "lower band");
        }
        assertEquals(expected.get("referenceRowsWithMissing").asLong(), r.result().referenceMissing());
        assertEquals(expected.get("currentMissingValues").asLong(), r.imputedValues());
        // The golden file was fitted on the case's reference rows, with Commons Math's eigen decomposition;
        // fitting them afresh, with this library's own, gives the same verdict and the same values up to the
        // rounding in which two eigen solvers differ (their bits agreed while both used Commons Math).
        PcaReconstructionResult fresh = MultivariateDrift.reconstruction(rows(c.get("reference")))
                .evaluate(rows(c.get("current")));
        assertEquals(r.result().drifted(), fresh.result().drifted());
        assertEquals(r.components(), fresh.components());
        assertEquals(r.imputedValues(), fresh.imputedValues());
        assertEquals(r.result().referenceMissing(), fresh.result().referenceMissing());
        assertEquals(r.result().statistic(), fresh.result().statistic(), 1e-12 * r.result().statistic());
        assertEquals(r.upperThreshold(), fresh.upperThreshold(), 1e-12 * r.upperThreshold());
        assertEquals(r.lowerThreshold().isPresent(), fresh.lowerThreshold().isPresent());
        if (r.lowerThreshold().isPresent()) {
            assertEquals(r.lowerThreshold().getAsDouble(), fresh.lowerThreshold().getAsDouble(),
                    1e-12 * r.lowerThreshold().getAsDouble());
        }
        assertEquals(golden, loaded.toJson(), "version 1 is still written as it was");
    }

    @Test
    void fromJson_wrongFormatOrVersion_failsNamingBoth() throws Exception {
        String json = sample().toJson();
        assertMessage(() -> PcaReconstructionDetector.fromJson(edit(json, o -> o.put("version", 0))),
                "pca reference JSON: at /version: format \"mlops.drift.pca-reference\" version 0 is not supported;"
                        + " this library reads version 1 (character 48)");
        assertMessage(() -> PcaReconstructionDetector.fromJson(MultivariateDrift.mmd(gaussian(1, 5, 2, 0)).toJson()),
                "at /format: expected \"mlops.drift.pca-reference\", found \"mlops.drift.mmd-reference\"");
    }

    @Test
    void fromJson_truncatedArrays_failNamingTheFieldAndWhatFixesItsLength() throws Exception {
        String json = sample().toJson();
        assertMessage(() -> PcaReconstructionDetector.fromJson(edit(json, o -> ((ArrayNode) o.get("means")).remove(2))),
                "pca reference JSON: at /means: expected 3 values (dimension), found 2 (character ");
        assertMessage(() -> PcaReconstructionDetector.fromJson(edit(json,
                o -> ((ArrayNode) o.get("components").get(0)).remove(0))),
                "at /components/0: expected 3 values (dimension), found 2");
        assertMessage(() -> PcaReconstructionDetector.fromJson(edit(json, o -> ((ArrayNode) o.get("components")).add(
                MAPPER.createArrayNode().add(0).add(0).add(1)))), "at /components: expected 1 rows (componentCount), found 2");
        assertMessage(() -> PcaReconstructionDetector.fromJson(edit(json,
                o -> ((ArrayNode) o.get("band").get("chunkValues")).remove(9))),
                "at /band/chunkValues: expected 10 values (the chunks 200 rows give with these options), found 9");
        assertMessage(() -> PcaReconstructionDetector.fromJson(edit(json, o -> o.put("referenceSize", 9))),
                "pca reference JSON: at /referenceSize: referenceSize: 9 rows cannot be cut into chunks of 0 (n / chunkCount 10)");
        assertMessage(() -> PcaReconstructionDetector.fromJson(edit(json, o -> o.remove("pcaMeans"))),
                "at /pcaMeans: missing field");
        assertMessage(() -> PcaReconstructionDetector.fromJson(edit(json, o -> o.put("rows", 1))),
                "at /rows: unknown field");
    }

    @Test
    void fromJson_nonFiniteOrInconsistentValues_failNamingTheField() throws Exception {
        PcaReconstructionDetector detector = sample();
        String json = detector.toJson();
        assertMessage(() -> PcaReconstructionDetector.fromJson(raw(json, o -> ((ArrayNode) o.get("scales")).set(1, MARK),
                "NaN")), "pca reference JSON: not well-formed JSON: Non-standard token 'NaN'");
        assertMessage(() -> PcaReconstructionDetector.fromJson(edit(json, o -> ((ArrayNode) o.get("scales")).set(1, 0.0))),
                "at /scales/1: expected a divisor of at least 2.2250738585072014E-308");
        assertMessage(() -> PcaReconstructionDetector.fromJson(raw(json, o -> band(o).put("upper", MARK), "Infinity")),
                "not well-formed JSON: Non-standard token 'Infinity'");
        assertMessage(() -> PcaReconstructionDetector.fromJson(edit(json, o -> band(o).put("upper",
                detector.referenceChunkMean() / 2))), "at /band/upper: expected >= mean");
        assertMessage(() -> PcaReconstructionDetector.fromJson(edit(json, o -> band(o).put("upper",
                detector.upperThreshold() * 1.01))), "at /band/upper: expected mean + options.stdMultiplier * std");
        assertMessage(() -> PcaReconstructionDetector.fromJson(edit(json, o -> band(o).put("std", -0.5))),
                "at /band/std: expected >= 0, found -0.5");
        assertMessage(() -> PcaReconstructionDetector.fromJson(edit(json, o -> band(o).put("lower", -0.5))),
                "at /band/lower: expected > 0 or null");
        assertMessage(() -> PcaReconstructionDetector.fromJson(edit(json,
                o -> ((ArrayNode) band(o).get("chunkValues")).set(4, -1.0))), "at /band/chunkValues/4: expected an error >= 0, found -1.0");
        assertMessage(() -> PcaReconstructionDetector.fromJson(edit(json, o -> o.put("componentCount", 2))),
                "at /componentCount: expected 1, the count explainedVarianceRatio gives for options.minExplainedVariance 0.65");
        assertMessage(() -> PcaReconstructionDetector.fromJson(edit(json, o -> o.put("componentCount", 4))),
                "at /componentCount: expected at most dimension (3) components, found 4");
        assertMessage(() -> PcaReconstructionDetector.fromJson(edit(json,
                o -> ((ArrayNode) o.get("components").get(0)).set(0, 2.0))), "at /components/0: expected a unit vector");
        assertMessage(() -> PcaReconstructionDetector.fromJson(edit(json,
                o -> ((ArrayNode) o.get("explainedVarianceRatio")).set(2, 0.99))),
                "at /explainedVarianceRatio/2: expected at most the share before it");
        assertMessage(() -> PcaReconstructionDetector.fromJson(edit(json,
                o -> ((ArrayNode) o.get("explainedVarianceRatio")).set(2, 0.0))), "at /explainedVarianceRatio: expected shares summing to 1");
        assertMessage(() -> PcaReconstructionDetector.fromJson(edit(json,
                o -> ((ObjectNode) o.get("options")).put("incomplete", "keep"))),
                "at /options/incomplete: expected one of [KEEP, DROP, APPEND], found \"keep\"");
        assertMessage(() -> PcaReconstructionDetector.fromJson(edit(json,
                o -> ((ObjectNode) o.get("options")).put("chunkCount", 1))), "at /options/chunkCount: expected an integer in [2, 1000000], found 1");
        assertMessage(() -> PcaReconstructionDetector.fromJson(edit(json, o -> o.put("referenceMissing", 201))),
                "at /referenceMissing: expected at most referenceSize (200) rows, found 201");
    }

    @Test
    void fromJson_twoComponentsThatAreNotOrthogonal_isRejected() throws Exception {
        PcaReconstructionDetector detector = MultivariateDrift.reconstruction(correlated(31, 200, false),
                PcaOptions.defaults().withMinExplainedVariance(0.8));
        assertEquals(2, detector.components());
        String json = edit(detector.toJson(), o -> {
            ArrayNode components = (ArrayNode) o.get("components");
            components.set(1, components.get(0).deepCopy());
        });
        assertMessage(() -> PcaReconstructionDetector.fromJson(json), "at /components/1: expected a vector orthogonal to components/0");
    }

    @Test
    void fromJson_lowerBandAbsentThoughPositive_isRejected() throws Exception {
        PcaReconstructionDetector detector = sample();
        assertTrue(detector.lowerThreshold().isPresent(), "the sample's band has a lower side");
        assertMessage(() -> PcaReconstructionDetector.fromJson(edit(detector.toJson(), o -> band(o).putNull("lower"))),
                "at /band/lower: expected mean - options.stdMultiplier * std");
        assertFalse(MultivariateDrift.reconstruction(correlated(1, 400, false), PcaOptions.defaults().withStdMultiplier(50))
                .lowerThreshold().isPresent(), "a wide band drops its lower side");
    }

    @Test
    void fromJson_sizesAndScalesBeyondTheirLimits_areRefusedNamingTheField() throws Exception {
        PcaReconstructionDetector detector = sample();
        String json = detector.toJson();
        // Issue 7: a subnormal scale loaded and gave an infinite error.
        assertMessage(() -> PcaReconstructionDetector.fromJson(edit(json, o -> ((ArrayNode) o.get("scales")).set(1,
                Double.MIN_VALUE))), "at /scales/1: expected a divisor of at least 2.2250738585072014E-308");
        assertMessage(() -> PcaReconstructionDetector.fromJson(edit(json, o -> ((ArrayNode) o.get("scales")).set(1,
                detector.imputationValues()[1] * 1e-17 + 1e-300))), "at /scales/1: expected a divisor of at least");
        assertMessage(() -> PcaReconstructionDetector.fromJson(edit(json, o -> ((ArrayNode) o.get("imputationValues"))
                .set(0, 1e300))), "at /imputationValues/0: expected a value within 1.0E100 standard deviations");
        assertMessage(() -> PcaReconstructionDetector.fromJson(edit(json, o -> o.put("dimension", Integer.MAX_VALUE))),
                "at /dimension: expected an integer in [1, 500], found 2147483647");
        assertMessage(() -> PcaReconstructionDetector.fromJson(edit(json, o -> {
            o.put("referenceSize", Integer.MAX_VALUE);
            ((ObjectNode) o.get("options")).put("chunkSize", 1);
        })), "at /referenceSize: referenceSize: 2147483647 rows in chunks of 1 give 2147483647 chunks, more than 1000000");
        assertMessage(() -> PcaReconstructionDetector.fromJson(edit(json, o -> ((ObjectNode) o.get("options"))
                .put("stdMultiplier", 1e300))), "at /options/stdMultiplier: expected a multiplier in (0, 1000.0], found 1.0E300");
        assertMessage(() -> PcaReconstructionDetector.fromJson(edit(json, o -> ((ObjectNode) o.get("options"))
                .put("chunkSize", 0))), "at /options/chunkSize: expected an integer in [1, 2147483647], found 0");
        assertMessage(() -> PcaReconstructionDetector.fromJson(edit(json, o -> ((ObjectNode) o.get("options"))
                .put("chunkSize", "10"))), "at /options/chunkSize: expected an integer in [1, 2147483647], found string");
        assertMessage(() -> PcaReconstructionDetector.fromJson(edit(json, o -> o.put("version", "1"))),
                "at /version: expected an integer");
        assertMessage(() -> PcaReconstructionDetector.fromJson(json + " 1"), "expected the end of the document");
        assertMessage(() -> PcaReconstructionDetector.fromJson(json.replace("{\"format\"", "{\"dimension\":3,\"format\"")),
                "Duplicate field 'dimension'");
    }

    @Test
    void fromJson_version1LowerBandOfZero_isReadAsNoLowerBand() throws Exception {
        // Before the lower band followed NannyML's lower <= 0 rule, a band of zero width kept "lower":0.0.
        PcaReconstructionDetector exact = MultivariateDrift.reconstruction(gaussian(9, 50, 1, 0));
        String old = edit(exact.toJson(), o -> band(o).put("lower", 0.0));
        PcaReconstructionDetector loaded = PcaReconstructionDetector.fromJson(old);
        assertEquals(OptionalDouble.empty(), loaded.lowerThreshold());
        assertEquals(exact.evaluate(gaussian(10, 5, 1, 0)), loaded.evaluate(gaussian(10, 5, 1, 0)));
        assertEquals(exact.toJson(), loaded.toJson());
    }

    /** Three columns, one shared factor: one component, ten chunks of 20 rows, a band with both sides. */
    private static PcaReconstructionDetector sample() {
        return MultivariateDrift.reconstruction(correlated(17, 200, false));
    }

    private static ObjectNode band(ObjectNode root) {
        return (ObjectNode) root.get("band");
    }

    private static void assertMessage(Executable call, String fragment) {
        InvalidFormatException e = assertThrows(InvalidFormatException.class, call);
        assertTrue(e.getMessage().contains(fragment), () -> "message \"" + e.getMessage() + "\" lacks " + fragment);
        assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\r"), () -> "two lines: " + e.getMessage());
    }
}
