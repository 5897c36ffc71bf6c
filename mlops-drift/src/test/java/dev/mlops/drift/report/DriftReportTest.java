package dev.mlops.drift.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.drift.Sample;
import dev.mlops.drift.Dataset;
import dev.mlops.drift.DatasetDrift;
import dev.mlops.drift.DatasetDriftResult;
import java.time.Instant;
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
