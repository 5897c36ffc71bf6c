package dev.mlops.drift.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.drift.BinCounts;
import dev.mlops.core.drift.dataset.ColumnDrift;
import dev.mlops.core.drift.dataset.Correction;
import dev.mlops.core.drift.dataset.Dataset;
import dev.mlops.core.drift.dataset.DatasetDriftResult;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.drift.DatasetDrift;
import dev.mlops.drift.StatTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DriftReportTest {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static DriftReport report(Dataset ref, Dataset cur) {
        return DriftReport.of(DatasetDrift.against(ref).detect(cur), ReportHeader.of("t", NOW));
    }

    private static double[] normal(Random r, int n, double shift) {
        double[] out = new double[n];
        Arrays.setAll(out, i -> shift + r.nextGaussian());
        return out;
    }

    /** Nine numeric columns of 2,000 rows; the first {@code drifted} of them shifted by {@code 0.2 * (i + 1)}. */
    private static DriftReport nineColumns(int drifted) {
        Random r = new Random(17);
        Dataset.Builder ref = Dataset.builder();
        Dataset.Builder cur = Dataset.builder();
        for (int i = 0; i < 9; i++) {
            ref.numeric("c" + i, normal(r, 2000, 0));
            cur.numeric("c" + i, normal(r, 2000, i < drifted ? 0.3 * (i + 1) : 0));
        }
        return report(ref.build(), cur.build());
    }

    @Test
    void headline_whenSomeColumnsDriftButTheDatasetDoesNot_saysNoDriftWithTheCountsAndTheRule() {
        DriftReport report = nineColumns(2);
        assertFalse(report.result().drifted());
        assertEquals("Dataset: no drift (2 of 9 tested columns drifted, 22.22%; the dataset drifts at 50% or more)",
                report.headline());
        assertTrue(report.toHtml().contains("<div class=\"headline ok\">" + report.headline() + "</div>"));
    }

    @Test
    void headline_whenTheDatasetDrifts_andWhenNothingCouldBeTested() {
        assertEquals("Dataset: drift (5 of 9 tested columns drifted, 55.56%; the dataset drifts at 50% or more)",
                nineColumns(5).headline());
        double[] nothing = new double[10];
        Arrays.fill(nothing, Double.NaN);
        DriftReport none = report(Dataset.builder().numeric("x", normal(new Random(1), 10, 0)).build(),
                Dataset.builder().numeric("x", nothing).build());
        assertEquals("Dataset: not tested (none of 1 column could be tested)", none.headline());
    }

    @Test
    void columns_areSortedDriftedFirst_thenByEffect_untestedLast() {
        Random r = new Random(5);
        double[] gone = new double[2000];
        Arrays.fill(gone, Double.NaN);
        Dataset ref = Dataset.builder().numeric("untested", normal(r, 2000, 0)).numeric("quiet", normal(r, 2000, 0))
                .numeric("small", normal(r, 2000, 0)).numeric("large", normal(r, 2000, 0))
                .numeric("wobble", normal(r, 2000, 0)).build();
        Dataset cur = Dataset.builder().numeric("untested", gone).numeric("quiet", normal(r, 2000, 0))
                .numeric("small", normal(r, 2000, 0.5)).numeric("large", normal(r, 2000, 2))
                .numeric("wobble", normal(r, 2000, 0.05)).build();
        DriftReport report = report(ref, cur);

        List<String> order = report.columns().stream().map(c -> c.drift().column()).toList();
        assertEquals(List.of("large", "small"), order.subList(0, 2), "drifted first, larger effect first");
        assertEquals(List.of("quiet", "wobble"), order.subList(2, 4).stream().sorted().toList());
        assertEquals("untested", order.get(4));
        for (int i = 1; i < 4; i++) {
            if (report.columns().get(i).drift().drifted() == report.columns().get(i - 1).drift().drifted()) {
                assertTrue(report.columns().get(i - 1).effect().getAsDouble() >= report.columns().get(i).effect().getAsDouble());
            }
        }
        assertTrue(report.columns().get(4).effect().isEmpty(), "no current values, no effect");
        List<String> jsonOrder = new ArrayList<>();
        readJson(report).get("columns").forEach(c -> jsonOrder.add(c.get("name").asText()));
        assertEquals(order, jsonOrder);
    }

    @Test
    void effect_isTheTotalVariationDistanceOverTheBins() {
        BinCounts bins = new BinCounts(List.of("a", "b", "c"), List.of(), List.of(50L, 50L, 0L), List.of(25L, 50L, 25L));
        assertEquals(0.25, DriftReport.effect(bins).getAsDouble(), 1e-15);
    }

    @Test
    void aBinnedTest_isChartedWithExactlyTheBinsItsVerdictCameFrom() {
        Random r = new Random(9);
        Dataset ref = Dataset.builder().numeric("x", normal(r, 3000, 0)).build();
        Dataset cur = Dataset.builder().numeric("x", normal(r, 1000, 0.4)).build();
        DatasetDriftResult result = DatasetDrift.builder(ref).test("x", StatTest.PSI).build().detect(cur);
        DriftReport report = DriftReport.of(result, ReportHeader.of("t", NOW));
        BinCounts tested = result.columns().get(0).result().orElseThrow().bins().orElseThrow();

        JsonNode bins = readJson(report).get("columns").get(0).get("bins");
        assertEquals("test", bins.get("source").asText());
        assertEquals(tested.edges(), doubles(bins.get("edges")));
        assertEquals(tested.reference(), longs(bins.get("reference")));
        assertEquals(tested.current(), longs(bins.get("current")));
        String html = report.toHtml();
        assertTrue(html.contains("chart: the " + tested.size() + " bins the test counted"));
        assertEquals(2 * tested.size(), count(html, "<rect x="), "one bar pair per bin of the test");
    }

    @Test
    void wholeNumberColumns_areBinnedAndTickedOnWholeNumbers() {
        Random r = new Random(2);
        double[] a = new double[20_000];
        double[] b = new double[5_000];
        Arrays.setAll(a, i -> r.nextInt(24));
        Arrays.setAll(b, i -> r.nextInt(24));
        DriftReport report = report(Dataset.builder().numeric("hour", a).build(), Dataset.builder().numeric("hour", b).build());

        JsonNode bins = readJson(report).get("columns").get(0).get("bins");
        assertEquals("display", bins.get("source").asText(), "Wasserstein reads values, the chart gets display bins");
        for (JsonNode e : bins.get("edges")) {
            assertEquals(0.5, e.asDouble() - Math.floor(e.asDouble()), "edge " + e + " lies halfway between integers");
        }
        String html = report.toHtml();
        assertTrue(html.contains("hour (2 whole numbers per bar)"), "the axis says so");
        assertTrue(html.contains("<title>0 to 1: reference"), "a bar covers 0 and 1");
        Matcher ticks = Pattern.compile("<text x=\"[^\"]+\" y=\"[^\"]+\" text-anchor=\"middle\">([^<]+)</text>")
                .matcher(html);
        List<String> labels = new ArrayList<>();
        while (ticks.find()) {
            labels.add(ticks.group(1));
        }
        assertEquals(List.of("0", "5", "10", "15", "20"), labels.subList(0, 5), "ticks at whole numbers");
    }

    @Test
    void anUntestableColumn_isShownWithItsReason_andItsReferenceStillDrawn() {
        String[] ref = new String[300];
        Arrays.setAll(ref, i -> i % 3 == 0 ? "a" : "b");
        String[] cur = new String[100];
        DriftReport report = report(Dataset.builder().categorical("promo", ref).build(),
                Dataset.builder().categorical("promo", cur).build());

        String html = report.toHtml();
        assertTrue(html.contains("<span class=\"badge na\">not tested</span>"));
        assertTrue(html.contains("not tested, no current values</b>: the current sample has no values (100 missing)"), html);
        assertTrue(html.contains("<td colspan=\"3\" class=\"why\">no current values</td>"));
        assertTrue(html.contains("reference (300 values)"), "the reference side is still charted");
        JsonNode c = readJson(report).get("columns").get(0);
        assertEquals("not tested", c.get("verdict").asText());
        assertEquals("NO_CURRENT_VALUES", c.get("untestable").get("reason").asText());
        assertTrue(c.get("statistic").isNull() && c.get("effect").isNull());
        assertEquals(1.0, c.get("current").get("missingShare").asDouble());
    }

    @Test
    void everyNumberOnThePage_isPrintedInTheOneFormat() {
        Random r = new Random(3);
        double[] big = new double[2000];
        Arrays.setAll(big, i -> 1e6 + 12345.678 * r.nextGaussian());
        double[] tiny = new double[2000];
        Arrays.setAll(tiny, i -> 1e-7 * r.nextGaussian());
        Dataset ref = Dataset.builder().numeric("big", big).numeric("tiny", tiny).build();
        Arrays.setAll(big, i -> 1.01e6 + 12345.678 * r.nextGaussian());
        Arrays.setAll(tiny, i -> 1e-7 * r.nextGaussian());
        String html = report(ref, Dataset.builder().numeric("big", big).numeric("tiny", tiny).build()).toHtml();
        // drop the SVG coordinates (one decimal), then no number may have more than 4 significant digits after
        // its point, and none may be a raw double such as 1.2345678E-7
        String text = html.replaceAll("\"[-0-9.]+\"", "\"\"").replaceAll("translate\\([^)]*\\)", "");
        assertFalse(Pattern.compile("\\d\\.\\d{5,}").matcher(text).find(), "at most four significant digits");
        assertFalse(Pattern.compile("\\dE-?\\d").matcher(text).find(), "no Java-style exponent");
        assertTrue(text.contains("1,000,"), "large numbers are grouped");
        assertTrue(Pattern.compile(">-?\\d(\\.\\d{1,3})?e-\\d+<").matcher(text).find(), "tiny numbers in scientific form");
    }

    @Test
    void numbers_haveFourSignificantDigits_wholeNumbersInFull() {
        assertEquals("0", Numbers.number(0));
        assertEquals("0", Numbers.number(-0.0));
        assertEquals("0.0125", Numbers.number(0.0125));
        assertEquals("0.346", Numbers.number(0.34600001));
        assertEquals("3.512", Numbers.number(3.51234));
        assertEquals("20,000", Numbers.number(20_000));
        assertEquals("123,457", Numbers.number(123_456.7));
        assertEquals("-1,234", Numbers.number(-1234.4));
        assertEquals("1.235e-7", Numbers.number(1.2345e-7));
        assertEquals("1e-5", Numbers.number(0.00001));
        assertEquals("2.5e9", Numbers.number(2.5e9 + 0.5));
        assertEquals("10", Numbers.number(9.99996));
        assertEquals("\u221e", Numbers.number(Double.POSITIVE_INFINITY));
        assertEquals("n/a", Numbers.number(Double.NaN));
        assertEquals("22.22%", Numbers.percent(2 / 9.0));
    }

    @Test
    void ticks_areNiceNumbers() {
        assertEquals(List.of(0.0, 0.5, 1.0, 1.5, 2.0, 2.5), box(Numbers.ticks(-0.1, 2.7, 6, false)));
        assertEquals(List.of(0.0, 5.0, 10.0, 15.0, 20.0), box(Numbers.ticks(-0.5, 23.5, 6, true)));
        assertEquals(List.of(1.0, 2.0, 3.0), box(Numbers.ticks(0.5, 3.5, 6, true)), "whole-number steps at least 1");
        assertEquals("0.3", Numbers.number(Numbers.ticks(0, 0.35, 7, false)[6]), "6 * 0.05 = 0.30000000000000004 reads 0.3");
        for (double t : Numbers.ticks(-Double.MAX_VALUE, Double.MAX_VALUE, 6, false)) {
            assertTrue(Double.isFinite(t));
        }
    }

    @Test
    void toHtml_isSelfContained() {
        String html = hostileReport().toHtml();
        // escaped text cannot hold a raw '<', so this sees real tags only
        Matcher tags = Pattern.compile("<[a-zA-Z][^>]*>").matcher(html);
        int seen = 0;
        while (tags.find()) {
            String tag = tags.group();
            seen++;
            assertFalse(Pattern.compile("(?i)^<(script|link|iframe|object|embed|img|image|use|foreignObject)\\b").matcher(tag).find(), tag);
            assertFalse(Pattern.compile("(?i)\\s(src|srcset|xlink:href|action|formaction)\\s*=").matcher(tag).find(), tag);
            assertFalse(Pattern.compile("(?i)\\shref=\"[^#]").matcher(tag).find(), "only links within the page: " + tag);
        }
        assertTrue(seen > 100);
        String css = html.substring(html.indexOf("<style>"), html.indexOf("</style>"));
        assertFalse(Pattern.compile("(?i)url\\(|@import|@font-face").matcher(css).find(), "the style loads nothing");
        assertTrue(html.contains("<svg"), "charts are inline");
    }

    private static final String HOSTILE_COLUMN = "<script>alert(1)</script>\u0007\u202e\"'&";
    private static final String HOSTILE_CATEGORY = "<img src=x onerror=alert(1)>\u0000\ud800";

    private static DriftReport hostileReport() {
        Random r = new Random(4);
        String[] refC = new String[2000];
        String[] curC = new String[2000];
        for (int i = 0; i < 2000; i++) {
            refC[i] = r.nextBoolean() ? "de" : "fr";
            curC[i] = r.nextInt(4) == 0 ? HOSTILE_CATEGORY : r.nextBoolean() ? "de" : "fr";
        }
        Dataset ref = Dataset.builder().numeric(HOSTILE_COLUMN, normal(r, 2000, 0)).categorical("country", refC).build();
        Dataset cur = Dataset.builder().numeric(HOSTILE_COLUMN, normal(r, 2000, 1)).categorical("country", curC).build();
        return DriftReport.of(DatasetDrift.against(ref).detect(cur), ReportHeader.builder("<b>data</b>", NOW)
                .model("m<i>").reference("r&d").build());
    }

    @Test
    void toHtml_escapesHostileNames_andShowsControlCharactersAsVisibleEscapes() {
        String html = hostileReport().toHtml();
        assertFalse(html.contains("<script") || html.contains("<img") || html.contains("<b>data") || html.contains("m<i>"));
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;\\u0007\\u202e&quot;&#39;&amp;"), "column name");
        assertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;\\u0000\ufffd"), "category, its lone surrogate replaced");
        assertTrue(html.contains("Drift report: &lt;b&gt;data&lt;/b&gt;") && html.contains("m&lt;i&gt;")
                && html.contains("r&amp;d"), "header fields");
        for (char ch : html.toCharArray()) {
            assertTrue(ch == '\n' || !Character.isISOControl(ch), "raw control character " + (int) ch);
            assertTrue(ch < '\u202a' || ch > '\u202e', "raw bidirectional override");
        }
        assertTrue(StandardCharsets.UTF_8.newEncoder().canEncode(html), "no lone surrogate");
        JsonNode json = readJson(hostileReport());
        assertEquals(HOSTILE_COLUMN, json.get("columns").get(0).get("name").asText(), "JSON keeps names as they are");
    }

    @Test
    void longLabelsOutsideTheBasicPlane_areShortenedByCodePoints_soTheHtmlCanBeWritten() {
        String emoji = "\uD83D\uDE42".repeat(20);
        String[] ref = new String[30];
        Arrays.fill(ref, "a");
        String[] cur = ref.clone();
        Arrays.fill(cur, 0, 10, emoji);
        String html = report(Dataset.builder().categorical("mood", ref).build(),
                Dataset.builder().categorical("mood", cur).build()).toHtml();

        assertTrue(StandardCharsets.UTF_8.newEncoder().canEncode(html), "no lone surrogate");
        assertTrue(html.contains(">" + "\uD83D\uDE42".repeat(15) + "\u2026<tspan class=\"new\"> (new)</tspan></text>"),
                "15 emoji, an ellipsis, the mark");
    }

    @Test
    void manyCategories_areChartedAsTheLargestNineteenAndTheRest() {
        String[] ref = new String[5000];
        String[] cur = new String[5000];
        Arrays.setAll(ref, i -> "k" + (i % 50));
        Arrays.setAll(cur, i -> "k" + (i % 45));
        DriftReport report = report(Dataset.builder().categorical("k", ref).build(),
                Dataset.builder().categorical("k", cur).build());
        String html = report.toHtml();
        assertEquals(2 * Histogram.MAX_BANDS, count(html, "<rect x="));
        assertTrue(html.contains(">(31 others)<"), html.substring(html.indexOf("others") - 200, html.indexOf("others") + 10));
        assertTrue(html.contains("the 19 largest categories, then the rest"));
    }

    @Test
    void benjaminiHochberg_showsItsAtMostRule_andTheCorrectedLevel() {
        Random random = new Random(6);
        Dataset.Builder refB = Dataset.builder();
        Dataset.Builder curB = Dataset.builder();
        for (int i = 0; i < 4; i++) {
            refB.numeric("c" + i, normal(random, 300, 0));
            curB.numeric("c" + i, normal(random, 300, i == 0 ? 1 : 0));
        }
        DatasetDriftResult result = DatasetDrift.builder(refB.build()).correction(Correction.BENJAMINI_HOCHBERG).build()
                .detect(curB.build());
        DriftReport report = DriftReport.of(result, ReportHeader.of("t", NOW));

        assertTrue(report.toHtml().contains("p &le; 0.0125"), "k = 1 of m = 4 at alpha 0.05");
        assertTrue(report.toHtml().contains("benjamini hochberg correction"));
        JsonNode c0 = readJson(report).get("columns").get(0);
        assertEquals("P_VALUE_AT_MOST", c0.get("rule").asText());
        assertEquals(0.0125, c0.get("threshold").asDouble());
        assertTrue(c0.get("drifted").asBoolean());
    }

    @Test
    void anInfiniteStatistic_isInfinityInJson_andTheInfinitySignOnThePage() {
        String[] ref = new String[200];
        Arrays.setAll(ref, i -> i % 2 == 0 ? "a" : "b");
        String[] cur = ref.clone();
        cur[0] = "new";
        DriftReport report = report(Dataset.builder().categorical("c", ref).build(), Dataset.builder().categorical("c", cur).build());
        JsonNode c = readJson(report).get("columns").get(0);
        assertEquals("chi_square_gof", c.get("test").asText());
        assertEquals("Infinity", c.get("statistic").asText(), "a category unseen in a small reference");
        assertEquals("new", c.get("unseen").get(0).get("category").asText());
        assertTrue(report.toHtml().contains("<td>\u221e</td><td>0</td>"));
    }

    @Test
    void header_isPrinted_andEachPartSetOnce() {
        ReportHeader header = ReportHeader.builder("card transactions", NOW).model(ModelRef.of("fraud-scorer", 7))
                .window(Instant.parse("2026-11-20T00:00:00Z"), Instant.parse("2026-11-27T00:00:00Z"))
                .reference("training data").build();
        Random r = new Random(1);
        Dataset d = Dataset.builder().numeric("x", normal(r, 100, 0)).build();
        DriftReport report = DriftReport.of(DatasetDrift.against(d).detect(d), header);
        String html = report.toHtml();
        assertTrue(html.contains("model <b>fraud-scorer:7</b>"));
        assertTrue(html.contains("current data <b>2026-11-20 00:00 UTC</b> to <b>2026-11-27 00:00 UTC</b>"));
        assertTrue(html.contains("reference <b>training data</b>"));
        JsonNode json = readJson(report);
        assertEquals("2026-11-20T00:00:00Z", json.get("window").get("start").asText());
        assertEquals("fraud-scorer:7", json.get("model").asText());

        assertThrows(IllegalStateException.class, () -> ReportHeader.builder("d", NOW).model("a").model("b"));
        assertThrows(IllegalArgumentException.class, () -> ReportHeader.builder("d", NOW).window(NOW, NOW));
        assertThrows(IllegalArgumentException.class, () -> ReportHeader.of(" ", NOW));
        assertThrows(NullPointerException.class, () -> ReportHeader.of("d", null));
    }

    /**
     * A small fixed report: a KS column (display bins), a whole-number chi-square column (the test's bins), a
     * new category (an infinite statistic), a column without drift, and an untested column.
     */
    static DriftReport goldenReport() {
        double[] amountRef = new double[60];
        double[] amountCur = new double[40];
        Arrays.setAll(amountRef, i -> 10 + 0.5 * i);
        Arrays.setAll(amountCur, i -> 20 + 0.5 * i);
        double[] itemsRef = new double[60];
        double[] itemsCur = new double[40];
        Arrays.setAll(itemsRef, i -> 1 + i % 3);
        Arrays.setAll(itemsCur, i -> 1 + i % 4 / 2 + (i == 0 ? Double.NaN : 0));
        String[] countryRef = new String[60];
        String[] countryCur = new String[40];
        Arrays.setAll(countryRef, i -> i % 3 == 0 ? "fr" : "de");
        Arrays.setAll(countryCur, i -> i % 8 == 0 ? "pl" : i % 3 == 0 ? "fr" : "de");
        String[] promoRef = new String[60];
        Arrays.setAll(promoRef, i -> i % 2 == 0 ? "P1" : null);
        String[] deviceRef = new String[60];
        String[] deviceCur = new String[40];
        Arrays.setAll(deviceRef, i -> i % 2 == 0 ? "ios" : "web");
        Arrays.setAll(deviceCur, i -> i % 2 == 0 ? "ios" : "web");
        Dataset ref = Dataset.builder().numeric("amount", amountRef).numeric("items", itemsRef)
                .categorical("country", countryRef).categorical("device", deviceRef).categorical("promo", promoRef).build();
        Dataset cur = Dataset.builder().numeric("amount", amountCur).numeric("items", itemsCur)
                .categorical("country", countryCur).categorical("device", deviceCur).categorical("promo", new String[40])
                .build();
        return DriftReport.of(DatasetDrift.against(ref).detect(cur), ReportHeader.builder("golden", NOW)
                .model("scorer:3").window(Instant.parse("2026-11-26T00:00:00Z"), NOW).reference("fixed").build());
    }

    @Test
    void toJson_isTheVersion2GoldenFile() throws IOException {
        String json = goldenReport().toJson();
        String written = System.getProperty("golden.write");
        if (written != null) {
            Files.writeString(Path.of(written), json);
        }
        try (InputStream in = DriftReportTest.class.getResourceAsStream("/formats/drift-report-v2.json")) {
            assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), json,
                    "the documented format changed: bump DriftReport.VERSION and add a golden file for it");
        }
        JsonNode node = MAPPER.readTree(json);
        assertEquals(DriftReport.FORMAT, node.get("format").asText());
        assertEquals(2, node.get("version").asInt());
    }

    private static JsonNode readJson(DriftReport report) {
        try {
            return MAPPER.readTree(report.toJson());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<Double> doubles(JsonNode array) {
        List<Double> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asDouble()));
        return out;
    }

    private static List<Long> longs(JsonNode array) {
        List<Long> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asLong()));
        return out;
    }

    private static List<Double> box(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
