package dev.mlops.drift.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.drift.Sample;
import dev.mlops.core.drift.dataset.Correction;
import dev.mlops.core.drift.dataset.Dataset;
import dev.mlops.core.drift.dataset.DatasetDriftResult;
import dev.mlops.drift.DatasetDrift;
import dev.mlops.drift.DatasetReference;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class DriftReportTest {
    private static final String HOSTILE = "<b>&\"amount\"</b>";

    private static DriftReport report() {
        Random r = new Random(4);
        double[] refX = new double[2000];
        double[] curX = new double[2000];
        String[] refC = new String[2000];
        String[] curC = new String[2000];
        for (int i = 0; i < 2000; i++) {
            refX[i] = r.nextGaussian();
            curX[i] = i % 100 == 0 ? Double.NaN : 0.8 + r.nextGaussian();
            refC[i] = r.nextBoolean() ? "de" : "fr";
            curC[i] = r.nextInt(4) == 0 ? "<script>" : r.nextBoolean() ? "de" : "fr";
        }
        curX[1] = Double.POSITIVE_INFINITY;
        Dataset ref = Dataset.builder().numeric(HOSTILE, refX).categorical("country", refC).build();
        Dataset cur = Dataset.builder().numeric(HOSTILE, curX).categorical("country", curC).build();
        DatasetDriftResult result = DatasetDrift.against(ref).detect(cur);
        return DriftReport.of(ref, cur, result, Instant.parse("2026-11-27T12:00:00Z"));
    }

    @Test
    void toHtml_isSelfContained_andEscapesEveryName() {
        String html = report().toHtml();
        assertFalse(Pattern.compile("(?i)<script|src\\s*=|url\\(|@import|<link|https?://").matcher(html).find(),
                "nothing is loaded from elsewhere");
        assertFalse(html.contains(HOSTILE), "column names are escaped");
        assertTrue(html.contains("&lt;b&gt;&amp;&quot;amount&quot;&lt;/b&gt;"));
        assertTrue(html.contains("&lt;script&gt;"), "category labels are escaped");
        assertTrue(html.contains("<svg"), "distributions are drawn inline");
        assertTrue(html.contains("wasserstein_normed") && html.contains("jensenshannon"));
    }

    @Test
    void toJson_carriesFormatVersionVerdictsAndHistograms() throws Exception {
        DriftReport report = report();
        JsonNode json = new ObjectMapper().readTree(report.toJson());
        assertEquals(DriftReport.FORMAT, json.get("format").asText());
        assertEquals(1, json.get("version").asInt());
        assertEquals(report.result().drifted(), json.get("dataset").get("drifted").asBoolean());
        assertEquals(2, json.get("columns").size());
        JsonNode x = json.get("columns").get(0);
        assertEquals(HOSTILE, x.get("name").asText());
        assertEquals(21, x.get("currentMissing").asLong(), "20 NaN and one infinity are missing");
        assertTrue(x.get("drifted").asBoolean(), "a 0.8 sigma shift drifts");
        long drawn = 0;
        for (JsonNode c : x.get("histogram").get("current")) {
            drawn += c.asLong();
        }
        assertEquals(x.get("currentSize").asLong(), drawn, "every current value is in one bin");
        assertTrue(json.get("columns").get(1).get("pValue").isNull(), "a distance has no p-value");
        assertTrue(x.get("problem").isNull());
        assertEquals(0.1, x.get("threshold").asDouble());
        JsonNode country = json.get("columns").get(1);
        assertEquals(report.result().columns().get(1).unseenInReference(), country.get("unseenInReference").asLong());
        assertTrue(country.get("unseenInReference").asLong() > 400, "a quarter of 2000 rows are <script>");
        List<String> labels = new ArrayList<>();
        country.get("histogram").get("labels").forEach(l -> labels.add(l.asText()));
        assertTrue(labels.contains("<script> (new)") && labels.contains("de"), labels.toString());
    }

    private static String[] repeat(String value, int times) {
        String[] out = new String[times];
        Arrays.fill(out, value);
        return out;
    }

    @Test
    void longLabelsOutsideTheBasicPlane_areShortenedByCodePoints_soTheHtmlCanBeWritten() {
        String emoji = "\uD83D\uDE42".repeat(13);
        String[] ref = repeat("a", 30);
        String[] cur = repeat("a", 30);
        Arrays.fill(cur, 0, 10, emoji);
        Dataset r = Dataset.builder().categorical("mood", ref).build();
        Dataset c = Dataset.builder().categorical("mood", cur).build();
        String html = DriftReport.of(r, c, DatasetDrift.against(r).detect(c), Instant.EPOCH).toHtml();

        assertTrue(StandardCharsets.UTF_8.newEncoder().canEncode(html), "no lone surrogate");
        assertTrue(html.contains(">" + "\uD83D\uDE42".repeat(11) + "\u2026 (new)</text>"), "11 emoji, an ellipsis, the mark");
    }

    @Test
    void benjaminiHochberg_showsItsAtMostRule_andTheCorrectedLevel() throws Exception {
        Random random = new Random(6);
        Dataset.Builder refB = Dataset.builder();
        Dataset.Builder curB = Dataset.builder();
        for (int i = 0; i < 4; i++) {
            double[] a = new double[300];
            double[] b = new double[300];
            for (int j = 0; j < 300; j++) {
                a[j] = random.nextGaussian();
                b[j] = random.nextGaussian() + (i == 0 ? 1 : 0);
            }
            refB.numeric("c" + i, a);
            curB.numeric("c" + i, b);
        }
        Dataset ref = refB.build();
        Dataset cur = curB.build();
        DatasetDriftResult result = DatasetDrift.builder(ref).correction(Correction.BENJAMINI_HOCHBERG).build().detect(cur);
        DriftReport report = DriftReport.of(ref, cur, result, Instant.EPOCH);

        assertTrue(report.toHtml().contains("p &le; 0.0125"), "k = 1 of m = 4 at alpha 0.05");
        JsonNode c0 = new ObjectMapper().readTree(report.toJson()).get("columns").get(0);
        assertEquals("P_VALUE_AT_MOST", c0.get("rule").asText());
        assertEquals(0.0125, c0.get("threshold").asDouble());
        assertTrue(c0.get("drifted").asBoolean());
    }

    @Test
    void aReportFromPreparedReferences_isTheReportFromTheRawTable() throws Exception {
        Random random = new Random(13);
        double[] x = new double[500];
        String[] c = new String[500];
        double[] y = new double[500];
        String[] d = new String[500];
        for (int i = 0; i < 500; i++) {
            x[i] = random.nextGaussian();
            y[i] = random.nextGaussian() + 0.3;
            c[i] = random.nextBoolean() ? "a" : "b";
            d[i] = random.nextInt(5) == 0 ? "new" : "a";
        }
        Dataset ref = Dataset.builder().numeric("x", x).categorical("c", c).build();
        Dataset cur = Dataset.builder().numeric("x", y).categorical("c", d).build();
        DatasetDrift drift = DatasetDrift.against(ref);
        DatasetDriftResult result = drift.detect(cur);
        DatasetReference replica = DatasetReference.fromJson(drift.reference().toJson());

        DriftReport fromTable = DriftReport.of(ref, cur, result, Instant.EPOCH);
        DriftReport fromPrepared = DriftReport.of(replica, cur, DatasetDrift.against(replica).detect(cur), Instant.EPOCH);
        assertEquals(fromTable.toJson(), fromPrepared.toJson());
        assertEquals(fromTable.toHtml(), fromPrepared.toHtml());

        JsonNode column = new ObjectMapper().readTree(fromTable.toJson()).get("columns").get(1);
        assertEquals("chi_square_gof", column.get("test").asText());
        assertEquals("Infinity", column.get("statistic").asText(), "a category unseen in a small reference");
        assertEquals(0.0, column.get("pValue").asDouble());
        assertTrue(column.get("drifted").asBoolean());
        assertTrue(fromTable.toHtml().contains("<td>Infinity</td><td>0.0000</td>"), "the table prints it");
    }

    @Property(tries = 200)
    void numericHistogram_putsEveryFiniteValueInExactlyOneBin(@ForAll double[] a, @ForAll double[] b) {
        Histogram h = Histogram.numeric(Sample.numeric(a), Sample.numeric(b));
        long inRef = h.reference().stream().mapToLong(Long::longValue).sum();
        long inCur = h.current().stream().mapToLong(Long::longValue).sum();
        assertEquals(Sample.numeric(a).size(), inRef);
        assertEquals(Sample.numeric(b).size(), inCur);
        assertTrue(h.labels().size() <= Histogram.NUMERIC_BINS);
    }
}
