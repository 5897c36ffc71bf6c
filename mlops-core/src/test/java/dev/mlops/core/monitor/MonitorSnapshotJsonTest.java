package dev.mlops.core.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.InvalidFormatException;
import dev.mlops.core.internal.JsonFormat;
import dev.mlops.core.internal.StrictJsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import dev.mlops.core.drift.dataset.ColumnDrift;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The JSON form of monitor snapshots: golden files, exact round trips of a real monitor's snapshots,
 * merges of read snapshots, the outcome codecs, limits, and the errors of documents that break the rules.
 *
 * <p>The golden files are written from {@link #scenario()}; after a deliberate change to the scenario (never
 * to the format of a released version), {@code -Dmlops.monitor.golden.write=true} rewrites them.
 */
class MonitorSnapshotJsonTest {
    static final String SNAPSHOT_GOLDEN = "/monitor/json/snapshot-v2.json";
    static final String WINDOW_GOLDEN = "/monitor/json/window-v2.json";
    static final String SNAPSHOT_GOLDEN_V1 = "/monitor/json/snapshot-v1.json";
    static final String WINDOW_GOLDEN_V1 = "/monitor/json/window-v1.json";

    /**
     * The scenario of the version 2 golden files: {@link #scenario(WindowDriftDetector)} with
     * {@link #goldenDrift()}, so that its closed windows carry drift results.
     */
    static MonitorSnapshot scenario() {
        return scenario(goldenDrift());
    }

    /**
     * A drift detector whose results cover every part of the drift JSON: a numeric feature tested on its
     * plan's bins without a p-value, a numeric feature left out of the plan and so untestable (display bins
     * with edges), a categorical feature with a p-value, test bins and unseen categories.
     */
    static FakeDriftDetector goldenDrift() {
        Map<String, double[]> numeric = new LinkedHashMap<>();
        numeric.put("amount", new double[] {10, 20, 500, 3_000, 9_000, Double.NaN});
        numeric.put("balance", new double[] {-5, 0, 42});
        Map<String, List<String>> categorical = new LinkedHashMap<>();
        categorical.put("country", List.of("de", "fr", "it", "de"));
        return new FakeDriftDetector(numeric, categorical,
                new DriftPlan(List.of(new DriftPlan.Numeric("amount", List.of(0.0, 100.0, 1_000.0, 10_000.0), 4))));
    }

    /**
     * A fixed day in the life of a monitor on a fake clock: five one-minute windows (one of them idle) of
     * which the last three are kept, numeric features with missing, infinite, negative, zero, tiny, huge
     * and out-of-range values, a categorical feature with known, missing, unseen and new categories,
     * predicted classes, latency-only records, failures with a negative latency, and unmatched outcomes.
     * The version 1 golden files hold it without drift.
     *
     * @param drift the monitor's drift detector, or null for none
     */
    static MonitorSnapshot scenario(WindowDriftDetector drift) {
        FakeClock clock = new FakeClock(Instant.parse("2026-03-01T12:00:00Z").toEpochMilli());
        FeatureSchema schema = FeatureSchema.builder()
                .numeric("amount", 0, 10_000).numeric("balance").categorical("country", "de", "fr", "it").build();
        InMemoryMonitor.Builder builder = Monitor.builder(schema).window(Duration.ofMinutes(1)).keepWindows(3)
                .clock(clock).classes("approve", "review", "decline").multiClassClassifier().maxNewCategories(2);
        if (drift != null) {
            builder.drift(drift);
        }
        InMemoryMonitor m = builder.build();
        long id = 0;
        double[][] numeric = {
            {12.5, -3.25}, {Double.NaN, 0.0}, {Double.POSITIVE_INFINITY, -0.0}, {20_000, 1e-9}, {-5, 1e12},
            {9_999.75, Double.NEGATIVE_INFINITY}, {0.0, 42}, {3_000, -1e15}
        };
        for (int window = 0; window < 5; window++) {
            if (window != 2) {
                for (int i = 0; i < numeric.length; i++) {
                    long latency = 1_000L * (i + 1) * (window + 1) + i * i;
                    m.record(id++, 0.1 * i + 0.01 * window, latency, numeric[i], new int[] {i % 5 - 1});
                }
                m.record(id++, Double.NaN, 77_000, numeric[window], new String[] {"es"});
                m.record(id++, 0.9, 88_000, numeric[window + 1], new String[] {"pt"});
                m.record(id++, 0.5, 99_000, numeric[window + 2], new String[] {"nl"});
                m.record(id++, -0.25, 66_000, numeric[window], new String[] {null});
                long classified = id;
                m.recordClass(id++, window % 3, 55_000, numeric[window], new int[] {1});
                m.recordClass(id++, -1, 44_000, numeric[window], new int[] {0});
                m.recordClass(id++, 7, 33_000, numeric[window], new int[] {2});
                m.recordLatency(id++, 5_000_000_000_000L);
                m.recordFailure(id++, -10);
                m.recordFailure(id++, 0);
                m.recordOutcome(id - 3, 1.0);
                m.recordOutcome(classified, 1.0);
                m.recordOutcome(classified, 2.0);
            }
            clock.advance(Duration.ofSeconds(window == 4 ? 30 : 60));
        }
        return m.snapshot();
    }

    @Test
    void write_scenarioSnapshot_reproducesTheGoldenBytes() throws IOException {
        MonitorSnapshot s = scenario();
        if (Boolean.getBoolean("mlops.monitor.golden.write")) {
            Path dir = Path.of("src", "test", "resources", "monitor", "json");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("snapshot-v2.json"), MonitorSnapshotJson.write(s));
            Files.writeString(dir.resolve("window-v2.json"), MonitorSnapshotJson.write(s.closed().get(0)));
            return;
        }
        assertEquals(resource(SNAPSHOT_GOLDEN), MonitorSnapshotJson.write(s));
        assertEquals(resource(WINDOW_GOLDEN), MonitorSnapshotJson.write(s.closed().get(0)));
    }

    @Test
    void read_goldenFiles_equalTheScenarioSnapshot() {
        MonitorSnapshot s = scenario();
        assertEquals(s, MonitorSnapshotJson.read(resource(SNAPSHOT_GOLDEN)));
        assertEquals(s.closed().get(0), MonitorSnapshotJson.readWindow(resource(WINDOW_GOLDEN)));
    }

    @Test
    void read_version1GoldenFiles_equalTheScenarioWithoutDrift() {
        MonitorSnapshot s = scenario(null);
        assertEquals(s, MonitorSnapshotJson.read(resource(SNAPSHOT_GOLDEN_V1)));
        assertEquals(s.closed().get(0), MonitorSnapshotJson.readWindow(resource(WINDOW_GOLDEN_V1)));
        String v2 = MonitorSnapshotJson.write(s);
        assertEquals(resource(SNAPSHOT_GOLDEN_V1).replace("\"version\":1,", "\"version\":2,"), v2,
                "without drift, version 2 writes what version 1 wrote but the version");
    }

    @Test
    void read_version1Window_withDrift_isRefusedAsUnknown() {
        String v2 = MonitorSnapshotJson.write(scenario().closed().get(0));
        assertTrue(v2.contains("\"drift\":{"), v2);
        assertRefused(MonitorSnapshotJson::readWindow, v2.replace("\"version\":2,", "\"version\":1,"), "/drift",
                "version 1 carry no drift");
        String snapshot = MonitorSnapshotJson.write(scenario());
        assertRefused(MonitorSnapshotJson::read, snapshot.replace("\"version\":2,", "\"version\":1,"),
                "/closed/0/drift", "version 1 carry no drift");
    }

    @Test
    void scenario_driftCoversEveryPartOfTheDriftJson() {
        MonitorSnapshot s = scenario();
        WindowSnapshot w = s.closed().get(0);
        assertTrue(w.drift().isPresent(), "a closed window with features carries its drift result");
        assertTrue(s.closed().get(1).drift().isEmpty(), "an idle window carries none");
        assertTrue(s.current().drift().isEmpty() && s.cumulative().drift().isEmpty());
        ColumnDrift amount = w.drift("amount").orElseThrow();
        ColumnDrift balance = w.drift("balance").orElseThrow();
        ColumnDrift country = w.drift("country").orElseThrow();
        assertTrue(amount.binnedByTest() && amount.result().orElseThrow().pValue().isEmpty(), amount.toString());
        assertTrue(balance.untestable().isPresent() && balance.bins().intervals(), balance.toString());
        assertTrue(country.result().orElseThrow().pValue().isPresent() && !country.unseen().isEmpty()
                && country.binnedByTest(), country.toString());
    }

    @Test
    void scenario_coversEveryPartOfTheSnapshot() {
        MonitorSnapshot s = scenario();
        assertEquals(3, s.closed().size());
        WindowSnapshot idle = s.closed().get(1);
        assertEquals(0, idle.count());
        WindowSnapshot w = s.closed().get(0);
        assertTrue(w.latencyNanos().aboveRangeCount() > 0 && w.latencyNanos().negativeCount() > 0
                && w.latencyNanos().zeroCount() > 0, w.latencyNanos().toString());
        NumericSummary amount = w.numeric("amount");
        NumericSummary balance = w.numeric("balance");
        assertTrue(amount.missing() > 0 && amount.infinite() > 0 && amount.outOfRange() > 0, amount.toString());
        assertTrue(balance.values().negative().count() > 0 && balance.values().positive().zeroCount() > 0
                && balance.values().positive().belowRangeCount() > 0
                && balance.values().negative().aboveRangeCount() > 0, balance.toString());
        CategoricalSummary country = w.categorical("country");
        assertTrue(country.missing() > 0 && country.unseen() > country.newCategories().values().stream()
                .mapToLong(Long::longValue).sum() && !country.newCategories().isEmpty(), country.toString());
        assertTrue(w.predictedClasses().unseen() > 0 && w.predictedClasses().missing() > 0);
        assertTrue(w.score().missing() > 0 && w.outcomes().unmatched() > 0 && w.outcomes().labeled() > 0,
                w.outcomes().toString());
        assertTrue(s.cumulative().count() > s.current().count() + s.closed().stream().mapToLong(WindowSnapshot::count)
                .sum(), "the cumulative window includes windows no longer kept");
    }

    @Test
    void readWrite_scenario_roundTripsExactly() {
        MonitorSnapshot s = scenario();
        String json = MonitorSnapshotJson.write(s);
        MonitorSnapshot back = MonitorSnapshotJson.read(json);
        assertEquals(s, back);
        assertEquals(json, MonitorSnapshotJson.write(back));
        for (WindowSnapshot w : List.of(s.closed().get(0), s.closed().get(1), s.current(), s.cumulative())) {
            assertEquals(w, MonitorSnapshotJson.readWindow(MonitorSnapshotJson.write(w)));
        }
    }

    @Test
    void merge_ofReadSnapshots_equalsMergeOfTheOriginals() {
        MonitorSnapshot s = scenario();
        MonitorSnapshot back = MonitorSnapshotJson.read(MonitorSnapshotJson.write(s));
        WindowSnapshot original = s.closed().get(0).merge(s.closed().get(2)).merge(s.current());
        WindowSnapshot read = back.closed().get(0).merge(back.closed().get(2)).merge(back.current());
        assertEquals(original, read);
        assertEquals(s.cumulative().merge(s.cumulative()), back.cumulative().merge(back.cumulative()));
    }

    @Test
    void write_idleWindow_isSmall_andNonFiniteNumbersAreStrings() {
        WindowSnapshot idle = scenario().closed().get(1);
        String json = MonitorSnapshotJson.write(idle);
        assertTrue(json.length() < 2_500, json.length() + " characters: " + json);
        assertTrue(json.startsWith("{\"format\":\"mlops.monitor.window\",\"version\":2,"), json);
        assertTrue(json.contains("\"min\":\"NaN\"") && json.contains("\"mean\":\"NaN\""), json);
        assertTrue(json.contains("\"buckets\":[]"), json);
    }

    @Test
    void write_sketch_holdsOnlyNonZeroBuckets() {
        SketchLayout layout = new SketchLayout(1, 1024, 2);
        long[] counts = new long[10];
        counts[0] = 3;
        counts[9] = 4;
        QuantileSketchSnapshot s = new QuantileSketchSnapshot(layout, 1, 0, 5, counts, 0, 2, 1, 1000, 0, 200);
        String json = writeValue(w -> {
            w.writeFieldName("v");
            MonitorSnapshotJson.writeSketch(w, MonitorSnapshotJson.Budget.forWriting(), s);
        });
        assertTrue(json.contains("\"buckets\":[[5,3],[14,4]]"), json);
        assertEquals(s, readValue(json, r -> MonitorSnapshotJson.readSketch(r, MonitorSnapshotJson.Budget.forReading(r))));
    }

    // ---- outcome codecs -----------------------------------------------------------------------------------

    @Test
    void classification_binaryAndMultiClass_roundTripExactly() {
        long[] neg = new long[10];
        long[] pos = new long[10];
        neg[1] = 5;
        neg[6] = 2;
        pos[6] = 1;
        pos[9] = 7;
        ClassificationSnapshot binary = ClassificationSnapshot.binary(0.55, 4, 3, 1, 7, neg, pos, 3.25);
        ClassificationSnapshot multi = ClassificationSnapshot.multiClass(new long[][] {{5, 1, 0}, {0, 3, 2}, {1, 0, 9}});
        ClassificationSnapshot empty = ClassificationMetrics.binary().snapshot();
        for (ClassificationSnapshot c : List.of(binary, multi, empty)) {
            String json = writeValue(w -> MonitorSnapshotJson.writeClassification(w,
                    MonitorSnapshotJson.Budget.forWriting(), "v", c));
            ClassificationSnapshot back = readValue(json,
                    r -> MonitorSnapshotJson.readClassification(r, MonitorSnapshotJson.Budget.forReading(r)));
            assertEquals(c, back, json);
            assertEquals(c.merge(c), back.merge(back));
        }
        String json = writeValue(w -> MonitorSnapshotJson.writeClassification(w,
                MonitorSnapshotJson.Budget.forWriting(), "v", binary));
        assertTrue(json.contains("\"negativeBins\":[[1,5],[6,2]],\"positiveBins\":[[6,1],[9,7]]"), json);
    }

    @Test
    void classification_brokenParts_areRefusedNamingTheField() {
        Function<String, ClassificationSnapshot> read = json -> readValue(json,
                r -> MonitorSnapshotJson.readClassification(r, MonitorSnapshotJson.Budget.forReading(r)));
        String binary = "\"kind\":\"binary\",\"threshold\":0.5,\"bins\":4,\"confusion\":[[1,0],[0,1]],"
                + "\"negativeBins\":[[0,1]],\"positiveBins\":[[3,1]],\"logLossSum\":0.5";
        assertEquals(2, read.apply("{\"v\":{" + binary + "}}").count());
        assertRefused(read, "{\"v\":{" + binary.replace("[[3,1]]", "[[4,1]]") + "}}", "/v",
                "positiveBins index 4 is outside the 4 bins");
        assertRefused(read, "{\"v\":{" + binary.replace("[[3,1]]", "[[3,2]]") + "}}", "/v", "positiveBins must add up");
        assertRefused(read, "{\"v\":{" + binary.replace("[[1,0],[0,1]]", "[[1,0,0],[0,1,0],[0,0,0]]") + "}}", "/v",
                "2 x 2");
        assertRefused(read, "{\"v\":{\"kind\":\"multiClass\",\"confusion\":[[1,0],[0,1]],\"bins\":3}}", "/v",
                "\"bins\" is not a field of a multi-class snapshot");
        assertRefused(read, "{\"v\":{\"kind\":\"multiClass\",\"confusion\":[[1,0],[0]]}}", "/v/confusion/1",
                "expected 2 counts");
        assertRefused(read, "{\"v\":{\"kind\":\"ternary\",\"confusion\":[[1]]}}", "/v/kind", "\"binary\" or");
        assertRefused(read, "{\"v\":{\"kind\":\"multiClass\"}}", "/v/confusion", "missing field");
    }

    @Test
    void regressionAndOutcomeCounts_roundTripExactly_withInfiniteSums() {
        for (RegressionSnapshot s : List.of(RegressionSnapshot.EMPTY, new RegressionSnapshot(3, 1.5, 0.75, 1e16),
                new RegressionSnapshot(2, 4e307, Double.POSITIVE_INFINITY, 3))) {
            String json = writeValue(w -> MonitorSnapshotJson.writeRegression(w, "v", s));
            assertEquals(s, readValue(json, MonitorSnapshotJson::readRegression), json);
        }
        assertTrue(writeValue(w -> MonitorSnapshotJson.writeRegression(w, "v",
                new RegressionSnapshot(2, 1, Double.POSITIVE_INFINITY, 3))).contains("\"squaredErrorSum\":\"Infinity\""));
        OutcomeCounts c = new OutcomeCounts(10, 4, 1, 2, 3, 2, 1);
        String json = writeValue(w -> MonitorSnapshotJson.writeOutcomeCounts(w, "v", c));
        assertEquals(c, readValue(json, MonitorSnapshotJson::readOutcomeCounts));
        assertRefused(json2 -> readValue(json2, MonitorSnapshotJson::readOutcomeCounts),
                json.replace("\"late\":1", "\"late\":3"), "/v", "late must be <= expired");
        assertRefused(json2 -> readValue(json2, MonitorSnapshotJson::readRegression),
                "{\"v\":{\"count\":0,\"absoluteErrorSum\":1.0,\"squaredErrorSum\":0,\"absolutePercentageErrorSum\":0}}",
                "/v", "must be 0 when count is 0");
    }

    // ---- errors -------------------------------------------------------------------------------------------

    @Test
    void read_documentsThatBreakTheRules_areRefusedNamingThePath() {
        String golden = MonitorSnapshotJson.write(scenario().closed().get(1));
        Function<String, WindowSnapshot> read = MonitorSnapshotJson::readWindow;
        assertRefused(read, golden.replace("\"version\":2", "\"version\":3"), "/version", "version 3 is not supported");
        assertRefused(read, golden.replace("mlops.monitor.window", "mlops.monitor.snapshot"), "/format",
                "expected \"mlops.monitor.window\"");
        assertRefused(MonitorSnapshotJson::read, golden, "/format", "expected \"mlops.monitor.snapshot\"");
        assertRefused(read, golden.replace("\"failures\":0", "\"failures\":0,\"extra\":1"), "/extra", "unknown field");
        assertRefused(read, golden.replace("\"failures\":0", "\"failures\":-1"), "/failures", "expected an integer");
        assertRefused(read, golden.replace("\"failures\":0", "\"failures\":1.5"), "/failures", "expected an integer");
        assertRefused(read, golden.replace("\"failures\":0", "\"failures\":9223372036854775808"), "/failures",
                "expected an integer");
        assertRefused(read, golden.replaceFirst("\"start\":\"[^\"]*\"", "\"start\":\"2026-03-01T13:00:00+01:00\""),
                "/start", "Instant.toString");
        assertRefused(read, golden.replaceFirst("\"subBucketBits\":6", "\"subBucketBits\":21"),
                "/latencyNanos/layout/subBucketBits", "expected an integer in [0, 20]");
        assertRefused(read, golden.replaceFirst("\"lowest\":1.0", "\"lowest\":1.003"), "/latencyNanos/layout",
                "bucket edges");
        assertRefused(read, golden.replaceFirst("\"min\":\"NaN\"", "\"min\":\"nan\""), "/latencyNanos/min",
                "expected a number, \"NaN\"");
        assertRefused(read, golden.replaceFirst("\"sum\":0.0", "\"sum\":1e400"), "/latencyNanos/sum",
                "beyond the range of a double");
        assertRefused(read, golden.replaceFirst("\"sum\":0.0", "\"sum\":1.0"), "/latencyNanos",
                "with no ranked values");
        assertRefused(read, golden.replaceFirst("\"mean\":\"NaN\"", "\"mean\":1.0"), "/score", "mean must be NaN");
        assertTrue(golden.contains("\"newCategories\":{}"), golden);
        assertRefused(read, golden.replaceFirst("\"newCategories\":\\{}", "\"newCategories\":{\"approve\":0}"),
                "/predictedClasses", "is a known category");
        assertRefused(read, golden.replaceFirst("\"newCategories\":\\{}", "\"newCategories\":{\"es\":1}"),
                "/predictedClasses", "more than the 0 unseen");
        assertRefused(read, golden.replaceFirst("\"missing\":0", "\"missing\":9223372036854775807,\"infinite\":1")
                .replaceFirst("\"infinite\":0,", ""), "/score", "add up to more than");
        assertRefused(read, golden + " {}", "", "expected the end of the document");
        assertRefused(read, golden.replace("\"numeric\":[", "\"numeric\":[1,"), "/numeric/0",
                "expected a numeric summary");
    }

    @Test
    void read_buckets_outOfOrderOrOutsideTheLayout_areRefused() {
        String window = MonitorSnapshotJson.write(scenario().closed().get(0));
        String buckets = "\"buckets\":[";
        int at = window.indexOf(buckets) + buckets.length();
        String prefix = window.substring(0, at);
        String suffix = window.substring(window.indexOf("]]", at) + 1);
        Function<String, WindowSnapshot> read = MonitorSnapshotJson::readWindow;
        assertRefused(read, prefix + "[5,1],[5,1]" + suffix, "/latencyNanos/buckets/1/0", "indexes ascend");
        assertRefused(read, prefix + "[5,1],[4,1]" + suffix, "/latencyNanos/buckets/1/0", "indexes ascend");
        assertRefused(read, prefix + "[5,0]" + suffix, "/latencyNanos/buckets/0/1", "expected an integer in [1,");
        assertRefused(read, prefix + "[5]" + suffix, "/latencyNanos/buckets/0", "found [index]");
        assertRefused(read, prefix + "[5,1,2]" + suffix, "/latencyNanos/buckets/0/2", "more than 2 elements");
        assertRefused(read, prefix + "5" + suffix, "/latencyNanos/buckets/0", "expected a pair");
        assertRefused(read, prefix + "[2664,1],[2665,1]" + suffix, "/latencyNanos",
                "bucket 2665 is outside the 2665 buckets of the layout");
    }

    @Test
    void limits_sketchesSpanningTooManyBuckets_areRefusedOnWriteAndOnRead() {
        SketchLayout wide = new SketchLayout(1, Math.nextDown(2.0), 20);
        assertEquals(SketchLayout.MAX_BUCKETS, wide.bucketCount(), "a layout of the most buckets");
        long[] counts = new long[wide.bucketCount()];
        counts[0] = 1;
        counts[counts.length - 1] = 1;
        QuantileSketchSnapshot sketch = new QuantileSketchSnapshot(wide, 0, 0, 0, counts, 0, 0, 0, 2.99, 1, 1.99);
        Instant t = Instant.parse("2026-03-01T12:00:00Z");
        WindowSnapshot window = new WindowSnapshot(t, t.plusSeconds(60), 2, 0, sketch,
                NumericSummary.empty("score", wide), CategoricalSummary.empty("class", List.of()), List.of(), List.of(),
                WindowOutcomes.NONE);
        String one = MonitorSnapshotJson.write(window);
        assertTrue(one.length() < 2_000, "the sketch's buckets are sparse: " + one.length());
        assertEquals(window, MonitorSnapshotJson.readWindow(one));
        List<WindowSnapshot> nine = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            nine.add(window);
        }
        MonitorSnapshot big = new MonitorSnapshot(t, nine.subList(0, 7), window, window,
                new OutcomeCounts(0, 0, 0, 0, 0, 0, 0));
        IllegalArgumentException onWrite = assertThrows(IllegalArgumentException.class, () -> MonitorSnapshotJson.write(big));
        assertTrue(onWrite.getMessage().contains("counts in all, the limit"), onWrite.getMessage());
        String body = one.replace("{\"format\":\"mlops.monitor.window\",\"version\":2,", "{");
        String hostile = "{\"format\":\"mlops.monitor.snapshot\",\"version\":2,\"at\":\"2026-03-01T12:01:00Z\",\"closed\":["
                + String.join(",", java.util.Collections.nCopies(9, body)) + "],\"current\":" + body + ",\"cumulative\":"
                + body + "}";
        assertRefused(MonitorSnapshotJson::read, hostile, "/closed/8/latencyNanos", "counts in all, the limit");
    }

    @Test
    void read_tooManyNewCategories_isRefusedAtTheLimit() {
        String golden = MonitorSnapshotJson.write(scenario().closed().get(1));
        StringBuilder many = new StringBuilder("\"newCategories\":{");
        for (int i = 0; i <= MonitorSnapshotJson.MAX_NEW_CATEGORIES; i++) {
            many.append(i == 0 ? "" : ",").append("\"n").append(i).append("\":0");
        }
        String doc = golden.replaceFirst("\"newCategories\":\\{}", many.append("}").toString());
        assertRefused(MonitorSnapshotJson::readWindow, doc, "/predictedClasses/newCategories/n10000",
                "more than 10000 new categories");
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private static final JsonFormat TEST_FORMAT = new JsonFormat("mlops.test.value", 1);

    /** A document {@code {"v": value}} written by {@code body}, without the header. */
    private static String writeValue(java.util.function.Consumer<dev.mlops.core.internal.StrictJsonWriter> body) {
        String headed = TEST_FORMAT.writeCompact(body::accept);
        return headed.replace("\"format\":\"mlops.test.value\",\"version\":1,", "");
    }

    /** Reads {@code {"v": value}} with {@code read}. */
    static <T> T readValue(String json, Function<StrictJsonReader, T> read) {
        String headed = "{\"format\":\"mlops.test.value\",\"version\":1," + json.substring(1);
        try (StrictJsonReader r = TEST_FORMAT.reader("test JSON", headed, 1 << 20)) {
            r.beginObject();
            T value = null;
            while (r.nextField()) {
                if (r.field().equals("v")) {
                    value = read.apply(r);
                } else {
                    r.skipUnknown();
                }
            }
            r.checkHeader();
            r.endDocument();
            return value;
        }
    }

    static <T> void assertRefused(Function<String, T> read, String json, String path, String reason) {
        InvalidFormatException e = assertThrows(InvalidFormatException.class, () -> read.apply(json),
                () -> "expected a refusal at " + path + ": " + reason);
        assertEquals(path, e.path(), e.getMessage());
        assertTrue(e.reason().contains(reason), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    static String resource(String path) {
        try (InputStream in = MonitorSnapshotJsonTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path
                        + "; run once with -Dmlops.monitor.golden.write=true to write it");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
