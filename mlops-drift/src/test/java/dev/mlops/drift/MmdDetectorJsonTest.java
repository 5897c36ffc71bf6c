package dev.mlops.drift;

import static dev.mlops.drift.MultivariateKnownAnswers.assertClose;
import static dev.mlops.drift.MultivariateKnownAnswers.correlated;
import static dev.mlops.drift.MultivariateKnownAnswers.gaussian;
import static dev.mlops.drift.MultivariateKnownAnswers.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.InvalidFormatException;
import dev.mlops.core.drift.DriftResult;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MmdDetectorJsonTest {

    private static final JsonMapper MAPPER = new JsonMapper();
    /** A number no reference here holds, replaced in the text by a literal Jackson would not write. */
    static final double MARK = 7777.125;

    /** A reference, the options it is prepared with, and a current table to test against it. */
    record Case(double[][] reference, MmdOptions options, double[][] current) {
    }

    static Stream<Named<Case>> cases() {
        double[][] gappy = gaussian(5, 40, 3, 0);
        gappy[3][1] = Double.NaN;
        gappy[17][0] = Double.NaN;
        double[][] tiny = {{0.1, 0.2}, {0.3, -0.4}};
        return Stream.of(
                Named.of("median bandwidth, defaults", new Case(gaussian(1, 50, 3, 0), MmdOptions.defaults(),
                        gaussian(2, 30, 3, 0.4))),
                Named.of("fixed bandwidth, other level, permutations and seed", new Case(gaussian(3, 35, 2, 0),
                        MmdOptions.defaults().withSigma(0.7).withPValue(0.01).withPermutations(250).withSeed(-9),
                        gaussian(4, 20, 2, 0))),
                Named.of("rows with NaN left out and counted", new Case(gappy, MmdOptions.defaults().withSeed(3),
                        gaussian(6, 25, 3, 1))),
                Named.of("correlation break, one column", new Case(correlated(7, 80, false),
                        MmdOptions.defaults().withSeed(Long.MAX_VALUE), correlated(8, 60, true))),
                Named.of("two rows, one column", new Case(new double[][] {{1e-300}, {-7.5e100}},
                        MmdOptions.defaults().withSeed(Long.MIN_VALUE), new double[][] {{0}, {1}, {2}})),
                Named.of("two rows, more current rows", new Case(tiny, MmdOptions.defaults(), gaussian(9, 12, 2, 0))));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void fromJson_ofToJson_givesBitIdenticalResults(Case c) {
        MmdDetector saved = MultivariateDrift.mmd(c.reference(), c.options());
        String json = saved.toJson();
        MmdDetector loaded = MmdDetector.fromJson(json);

        assertEquals(saved.dimension(), loaded.dimension());
        assertEquals(saved.referenceSize(), loaded.referenceSize());
        assertEquals(saved.referenceMissing(), loaded.referenceMissing());
        assertEquals(saved.options(), loaded.options());
        assertEquals(Double.doubleToRawLongBits(saved.sigma()), Double.doubleToRawLongBits(loaded.sigma()));
        assertEquals(saved.detect(c.current()), loaded.detect(c.current()));
        for (long seed = 0; seed < 5; seed++) {
            MmdResult expected = saved.test(c.current(), seed);
            MmdResult actual = loaded.test(c.current(), seed);
            assertEquals(expected, actual, "seed " + seed);
            assertEquals(Double.doubleToRawLongBits(expected.result().statistic()),
                    Double.doubleToRawLongBits(actual.result().statistic()), "statistic bits, seed " + seed);
        }
        assertEquals(json, loaded.toJson(), "a loaded reference saves to the same text");
    }

    @Test
    void toJson_writesTheDocumentedFieldsAndOnlyTheCompleteRows() throws Exception {
        double[][] reference = {{1, 2}, {Double.NaN, 0}, {3, 5}, {4, 4}};
        JsonNode doc = MAPPER.readTree(MultivariateDrift.mmd(reference, MmdOptions.defaults().withSeed(4)).toJson());
        assertEquals(MmdDetector.FORMAT, doc.get("format").asText());
        assertEquals(1, doc.get("version").asInt());
        assertEquals(2, doc.get("dimension").asInt());
        assertEquals(1, doc.get("referenceMissing").asInt());
        assertEquals(MAPPER.readTree("[[1.0,2.0],[3.0,5.0],[4.0,4.0]]"), doc.get("rows"));
        assertEquals(MAPPER.readTree("{\"pValue\":0.05,\"permutations\":100,\"seed\":4,\"sigma\":null}"),
                doc.get("options"));
        // The lower median of the squared distances 13, 13 and 2 is 13, and sigma is sqrt(13 / 2).
        assertEquals(Math.sqrt(0.5 * 13), doc.get("sigma").asDouble());
        assertEquals(7, doc.size(), "fields: " + doc);
    }

    @Test
    void fromJson_goldenVersion1_readsAndMatchesAlibi() throws Exception {
        String golden = MultivariateKnownAnswers.text("/multivariate/golden/mmd-reference-v1.json").strip();
        JsonNode c = MultivariateKnownAnswers.cases("mmd.json")
                .filter(n -> n.getName().equals("unequal_sizes_50_vs_17_d3")).findFirst().orElseThrow().getPayload();
        MmdDetector loaded = MmdDetector.fromJson(golden);

        assertEquals(3, loaded.dimension());
        assertEquals(50, loaded.referenceSize());
        assertEquals(2, loaded.referenceMissing());
        assertEquals(MmdOptions.defaults().withPermutations(200).withSeed(11), loaded.options());
        MmdResult r = loaded.test(rows(c.get("current")), 11L);
        assertClose(c.get("expected").get("sigma").asDouble(), loaded.sigma(), "sigma");
        assertClose(c.get("expected").get("mmd2").asDouble(), r.result().statistic(), "mmd2");
        assertEquals(50, r.result().referenceSize());
        assertEquals(2, r.result().referenceMissing());
        // The golden file holds the case's reference rows; preparing them afresh gives the same test.
        MmdDetector fresh = MultivariateDrift.mmd(rows(c.get("reference")), loaded.options());
        assertEquals(fresh.test(rows(c.get("current")), 11L).result().statistic(), r.result().statistic());
        assertEquals(fresh.test(rows(c.get("current")), 11L).result().pValue(), r.result().pValue());
        assertEquals(golden, loaded.toJson(), "version 1 is still written as it was");
    }

    @Test
    void fromJson_wrongFormatOrVersion_failsNamingBoth() throws Exception {
        String json = sample().toJson();
        assertMessage(() -> MmdDetector.fromJson(edit(json, o -> o.put("version", 2))),
                "mmd reference JSON: at /version: format \"mlops.drift.mmd-reference\" version 2 is not supported;"
                        + " this library reads version 1 (character 48)");
        assertMessage(() -> MmdDetector.fromJson(edit(json, o -> o.put("version", "1"))),
                "at /version: expected an integer in [0, 2147483647], found string \"1\"");
        assertMessage(() -> MmdDetector.fromJson(edit(json, o -> o.put("format", PcaReconstructionDetector.FORMAT))),
                "at /format: expected \"mlops.drift.mmd-reference\", found \"mlops.drift.pca-reference\"");
        assertMessage(() -> MmdDetector.fromJson(edit(json, o -> o.remove("format"))), "at /format: missing field");
    }

    @Test
    void fromJson_truncatedOrMalformed_failsNamingTheField() throws Exception {
        String json = sample().toJson();
        assertMessage(() -> MmdDetector.fromJson(edit(json, o -> ((ArrayNode) o.get("rows").get(1)).remove(2))),
                "mmd reference JSON: at /rows/1: expected 3 values (dimension), found 2 (character ");
        assertMessage(() -> MmdDetector.fromJson(edit(json, o -> o.put("dimension", 4))),
                "at /rows/0: expected 4 values (dimension), found 3");
        assertMessage(() -> MmdDetector.fromJson(edit(json, o -> ((ArrayNode) o.get("rows")).removeAll().add(
                MAPPER.createArrayNode().add(1).add(2).add(3)))), "at /rows: expected at least 2 rows, found 1");
        assertMessage(() -> MmdDetector.fromJson(edit(json, o -> o.remove("rows"))), "at /rows: missing field");
        assertMessage(() -> MmdDetector.fromJson(edit(json, o -> o.put("rows", "none"))),
                "at /rows: expected an array, found string \"none\"");
        assertMessage(() -> MmdDetector.fromJson(edit(json, o -> ((ArrayNode) o.get("rows").get(2)).set(1, "x"))),
                "at /rows/2/1: expected a number, found string \"x\"");
        assertMessage(() -> MmdDetector.fromJson(json.substring(0, json.length() / 2)),
                "mmd reference JSON: not well-formed JSON");
        assertMessage(() -> MmdDetector.fromJson("[]"), "mmd reference JSON: expected an object, found an array");
        assertMessage(() -> MmdDetector.fromJson(json + "{}"), "expected the end of the document, found an object");
        assertMessage(() -> MmdDetector.fromJson(json.replace("{\"format\"", "{\"dimension\":3,\"format\"")),
                "Duplicate field 'dimension'");
        assertMessage(() -> MmdDetector.fromJson(edit(json, o -> o.put("kernel", 1))), "at /kernel: unknown field");
        assertMessage(() -> MmdDetector.fromJson(edit(json, o -> ((ObjectNode) o.get("options")).put("alpha", 1))),
                "at /options/alpha: unknown field");
        assertThrows(NullPointerException.class, () -> MmdDetector.fromJson(null));
    }

    @Test
    void fromJson_nonFiniteOrOutOfRange_failsNamingTheField() throws Exception {
        MmdDetector detector = sample();
        String json = detector.toJson();
        assertMessage(() -> MmdDetector.fromJson(raw(json, o -> ((ArrayNode) o.get("rows").get(0)).set(1, MARK), "NaN")),
                "mmd reference JSON: not well-formed JSON: Non-standard token 'NaN'");
        assertMessage(() -> MmdDetector.fromJson(raw(json, o -> ((ArrayNode) o.get("rows").get(3)).set(0, MARK), "1e400")),
                "at /rows/3/0: expected a finite number, found 1e400, beyond the range of a double");
        assertMessage(() -> MmdDetector.fromJson(edit(json, o -> ((ArrayNode) o.get("rows").get(3)).set(0, "NaN"))),
                "at /rows/3/0: expected a number, found string \"NaN\"");
        assertMessage(() -> MmdDetector.fromJson(edit(json, o -> o.put("sigma", Double.NaN))),
                "at /sigma: expected a number, found string \"NaN\"");
        assertMessage(() -> MmdDetector.fromJson(raw(json, o -> o.put("sigma", MARK), "-Infinity")),
                "not well-formed JSON: Non-standard token '-Infinity'");
        assertMessage(() -> MmdDetector.fromJson(edit(json, o -> o.put("sigma", 0.0))), "at /sigma: expected a bandwidth in [1.0E-150, 1.0E150], found 0.0");
        assertMessage(() -> MmdDetector.fromJson(edit(json, o -> o.put("dimension", 0))),
                "at /dimension: expected an integer in [1, 10000], found 0");
        assertMessage(() -> MmdDetector.fromJson(edit(json, o -> o.put("referenceMissing", -1))),
                "at /referenceMissing: expected an integer in [0, 2147483647], found -1");
        assertMessage(() -> MmdDetector.fromJson(edit(json, o -> ((ObjectNode) o.get("options")).put("pValue", 1.5))),
                "mmd reference JSON: at /options/pValue: expected a level in (0, 1), found 1.5");
        assertMessage(() -> MmdDetector.fromJson(edit(json, o -> ((ObjectNode) o.get("options")).put("permutations",
                0))), "at /options/permutations: expected an integer in [1, 10000], found 0");
        assertMessage(() -> MmdDetector.fromJson(edit(json, o -> ((ObjectNode) o.get("options")).put("permutations",
                2.5))), "at /options/permutations: expected an integer in [1, 10000], found number 2.5");
        assertMessage(() -> MmdDetector.fromJson(edit(json, o -> ((ObjectNode) o.get("options")).put("sigma",
                detector.sigma() * 2))), "at /sigma: expected options.sigma");
        assertMessage(() -> MmdDetector.fromJson(edit(json, o -> ((ObjectNode) o.get("options")).put("sigma", -1.0))),
                "at /options/sigma: expected null or a bandwidth in [1.0E-150, 1.0E150], found -1.0");
    }

    @Test
    void fromJson_sizesAndOptionsBeyondTheirLimits_areRefusedNamingTheLimitBeforeAllocating() throws Exception {
        String json = sample().toJson();
        // Issue 7: the first overflowed an int product, the second loaded and ran out of memory in detect,
        // the third (65,535 rows, about 550 KB) ran out of memory while loading.
        assertFormat(() -> MmdDetector.fromJson(edit(json, o -> o.put("dimension", Integer.MAX_VALUE))),
                "mmd reference JSON: at /dimension: expected an integer in [1, 10000], found 2147483647");
        assertFormat(() -> MmdDetector.fromJson(edit(json, o -> ((ObjectNode) o.get("options")).put("permutations",
                1_000_000_000))), "at /options/permutations: expected an integer in [1, 10000], found 1000000000");
        assertFormat(() -> MmdDetector.fromJson(document(65_535, 1)),
                "at /rows/10000: array holds more than 10000 elements, the limit");
        assertFormat(() -> MmdDetector.fromJson(document(2, 10_001).replace("\"dimension\":10001,", "")),
                "at /rows/0/10000: row holds more than 10000 values, the limit");
        assertFormat(() -> MmdDetector.fromJson(document(101, 10_000)),
                "at /rows/100/0: the table holds more than 1000000 values in all, the limit");
        assertFormat(() -> MmdDetector.fromJson(edit(json, o -> o.put("sigma", 1e-300))),
                "at /sigma: expected a bandwidth in [1.0E-150, 1.0E150], found 1.0E-300");
    }

    @Test
    void fromJson_documentAtTheRowLimit_loadsAndTests() {
        MmdDetector loaded = MmdDetector.fromJson(document(MmdDetector.MAX_ROWS, 1));
        assertEquals(MmdDetector.MAX_ROWS, loaded.referenceSize());
        DriftResult r = loaded.test(new double[][] {{0.5}, {1.5}, {2.5}}, 3L).result();
        assertTrue(Double.isFinite(r.statistic()) && r.pValue().getAsDouble() >= 0 && r.pValue().getAsDouble() <= 1);
    }

    /** A valid document of {@code rows} rows of {@code d} values on a grid, sigma 1, 20 permutations. */
    static String document(int rows, int d) {
        StringBuilder b = new StringBuilder("{\"format\":\"mlops.drift.mmd-reference\",\"version\":1,\"dimension\":")
                .append(d).append(",\"referenceMissing\":0,\"sigma\":1.0,\"options\":{\"pValue\":0.05,"
                        + "\"permutations\":20,\"seed\":0,\"sigma\":null},\"rows\":[");
        for (int i = 0; i < rows; i++) {
            b.append(i == 0 ? "[" : ",[");
            for (int j = 0; j < d; j++) {
                b.append(j == 0 ? "" : ",").append((i * 7 + j) % 13 * 0.25);
            }
            b.append(']');
        }
        return b.append("]}").toString();
    }

    private static void assertFormat(Executable call, String fragment) {
        InvalidFormatException e = assertThrows(InvalidFormatException.class, call);
        assertTrue(e.getMessage().contains(fragment), () -> "message \"" + e.getMessage() + "\" lacks " + fragment);
        assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\r"), () -> "two lines: " + e.getMessage());
    }

    @Test
    void fromJson_fixedBandwidthEqualToSigma_isAccepted() throws Exception {
        MmdDetector detector = sample();
        String json = edit(detector.toJson(), o -> ((ObjectNode) o.get("options")).put("sigma", detector.sigma()));
        MmdDetector loaded = MmdDetector.fromJson(json);
        assertEquals(detector.sigma(), loaded.options().sigma().getAsDouble());
        double[][] current = gaussian(13, 10, 3, 0);
        assertEquals(detector.detect(current), loaded.detect(current));
    }

    private static MmdDetector sample() {
        return MultivariateDrift.mmd(gaussian(12, 6, 3, 0));
    }

    /**
     * Edits the document, setting one number to {@link #MARK}, then writes {@code literal} in its
     * place: Jackson writes no bare NaN or out-of-range number, but a hand-edited file may hold one.
     */
    static String raw(String json, Consumer<ObjectNode> change, String literal) throws Exception {
        String edited = edit(json, change);
        assertEquals(1, edited.split(Double.toString(MARK), -1).length - 1, "the mark appears once");
        return edited.replace(Double.toString(MARK), literal);
    }

    static String edit(String json, Consumer<ObjectNode> change) throws Exception {
        ObjectNode root = (ObjectNode) MAPPER.readTree(json);
        change.accept(root);
        return MAPPER.writeValueAsString(root);
    }

    /** Every rejection is an {@link InvalidFormatException} or another IllegalArgumentException of one line. */
    static void assertMessage(Executable call, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), () -> "message \"" + e.getMessage() + "\" lacks " + fragment);
        assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\r"), () -> "two lines: " + e.getMessage());
    }
}
