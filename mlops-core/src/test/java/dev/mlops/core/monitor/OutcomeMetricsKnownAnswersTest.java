package dev.mlops.core.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Known answers for {@link ClassificationSnapshot} and {@link RegressionSnapshot}, computed with NumPy
 * and SciPy by {@code monitor/outcome_metrics.py} into {@code monitor/outcome_metrics.json} (the
 * script states each formula and the scikit-learn definition it matches). Counts must agree exactly;
 * rates, log loss, AUC and the regression metrics to 1e-12 relative, NaN meeting NaN. The exact AUC of
 * the raw scores is checked where no bin holds scores of both classes, where the binned AUC must equal
 * it.
 */
class OutcomeMetricsKnownAnswersTest {
    private static final double RTOL = 1e-12;
    private static final JsonNode ROOT = load();

    private static JsonNode load() {
        try (InputStream in = OutcomeMetricsKnownAnswersTest.class.getResourceAsStream("/monitor/outcome_metrics.json")) {
            if (in == null) {
                throw new IllegalStateException("monitor/outcome_metrics.json is missing from the test resources");
            }
            return JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<JsonNode> cases(String kind) {
        return StreamSupport.stream(ROOT.get(kind).spliterator(), false);
    }

    @Test
    void theFile_holdsEveryKindOfCase_theBriefAsksFor() {
        assertEquals(Math.ulp(1.0), ROOT.get("eps").asDouble());
        assertTrue(cases("binary").count() >= 8);
        assertTrue(cases("multiclass").anyMatch(c -> c.get("classes").asInt() >= 3));
        assertTrue(cases("binary").anyMatch(c -> c.get("expected").get("auc_binned").isNumber()
                && Double.isNaN(c.get("expected").get("auc_binned").asDouble())));
        assertTrue(cases("binary").anyMatch(c -> !c.get("expected").get("classes_share_a_bin").asBoolean()
                && !Double.isNaN(c.get("expected").get("auc_exact").asDouble())));
        assertTrue(cases("regression").anyMatch(c -> c.get("expected").get("mape").asDouble() > 1e12));
    }

    @TestFactory
    Stream<DynamicTest> binaryCases_matchNumPyAndSciPy() {
        return cases("binary").map(c -> dynamicTest(c.get("name").asText(), () -> {
            ClassificationMetrics metrics = ClassificationMetrics.binary(
                    c.get("threshold").asDouble(), c.get("bins").asInt());
            JsonNode scores = c.get("scores");
            JsonNode actual = c.get("actual");
            for (int i = 0; i < scores.size(); i++) {
                metrics.recordScore(scores.get(i).asDouble(), actual.get(i).asInt() == 1);
            }
            ClassificationSnapshot s = metrics.snapshot();
            JsonNode e = c.get("expected");
            assertEquals(e.get("count").asLong(), s.count());
            assertArrayEquals(matrix(e.get("confusion")), s.confusionMatrix());
            close(e, "accuracy", s.accuracy());
            close(e, "precision", s.precision());
            close(e, "recall", s.recall());
            close(e, "f1", s.f1());
            for (int k = 0; k < 2; k++) {
                near(e.get("precision_per_class").get(k), "precision(" + k + ")", s.precision(k));
                near(e.get("recall_per_class").get(k), "recall(" + k + ")", s.recall(k));
                near(e.get("f1_per_class").get(k), "f1(" + k + ")", s.f1(k));
            }
            close(e, "macro_precision", s.macroPrecision());
            close(e, "macro_recall", s.macroRecall());
            close(e, "macro_f1", s.macroF1());
            close(e, "log_loss", s.logLoss());
            close(e, "auc_binned", s.auc());
            if (!e.get("classes_share_a_bin").asBoolean()) {
                close(e, "auc_exact", s.auc());
            }
            assertArrayEquals(bins(e.get("positive_bins"), s.bins()), s.positiveBinCounts(), "positive bins");
            assertArrayEquals(bins(e.get("negative_bins"), s.bins()), s.negativeBinCounts(), "negative bins");
        }));
    }

    @TestFactory
    Stream<DynamicTest> multiClassCases_matchNumPy() {
        return cases("multiclass").map(c -> dynamicTest(c.get("name").asText(), () -> {
            int k = c.get("classes").asInt();
            ClassificationMetrics metrics = ClassificationMetrics.multiClass(k);
            JsonNode predicted = c.get("predicted");
            JsonNode actual = c.get("actual");
            for (int i = 0; i < predicted.size(); i++) {
                metrics.recordClass(predicted.get(i).asInt(), actual.get(i).asInt());
            }
            ClassificationSnapshot s = metrics.snapshot();
            JsonNode e = c.get("expected");
            assertEquals(e.get("count").asLong(), s.count());
            assertArrayEquals(matrix(e.get("confusion")), s.confusionMatrix());
            close(e, "accuracy", s.accuracy());
            for (int j = 0; j < k; j++) {
                near(e.get("precision_per_class").get(j), "precision(" + j + ")", s.precision(j));
                near(e.get("recall_per_class").get(j), "recall(" + j + ")", s.recall(j));
                near(e.get("f1_per_class").get(j), "f1(" + j + ")", s.f1(j));
            }
            close(e, "macro_precision", s.macroPrecision());
            close(e, "macro_recall", s.macroRecall());
            close(e, "macro_f1", s.macroF1());
            assertTrue(Double.isNaN(s.logLoss()), "multi-class log loss is NaN");
            assertTrue(Double.isNaN(s.auc()), "multi-class AUC is NaN");
            assertEquals(s, ClassificationSnapshot.multiClass(s.confusionMatrix()), "rebuilt from its matrix");
        }));
    }

    @TestFactory
    Stream<DynamicTest> regressionCases_matchNumPy() {
        return cases("regression").map(c -> dynamicTest(c.get("name").asText(), () -> {
            RegressionMetrics metrics = RegressionMetrics.create();
            JsonNode predicted = c.get("predicted");
            JsonNode actual = c.get("actual");
            for (int i = 0; i < predicted.size(); i++) {
                metrics.record(predicted.get(i).asDouble(), actual.get(i).asDouble());
            }
            RegressionSnapshot s = metrics.snapshot();
            JsonNode e = c.get("expected");
            assertEquals(e.get("count").asLong(), s.count());
            close(e, "mae", s.mae());
            close(e, "mse", s.mse());
            close(e, "rmse", s.rmse());
            close(e, "mape", s.mape());
        }));
    }

    private static void close(JsonNode expected, String field, double actual) {
        near(expected.get(field), field, actual);
    }

    private static void near(JsonNode node, String what, double actual) {
        assertTrue(node != null && node.isNumber(), what + " is missing from the known answers");
        double expected = node.asDouble();
        if (Double.isNaN(expected)) {
            assertTrue(Double.isNaN(actual), what + ": expected NaN, was " + actual);
            return;
        }
        assertFalse(Double.isNaN(actual), what + ": expected " + expected + ", was NaN");
        double tolerance = RTOL * Math.max(Math.abs(expected), Double.MIN_NORMAL);
        assertEquals(expected, actual, tolerance, what);
    }

    private static long[][] matrix(JsonNode node) {
        long[][] m = new long[node.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = new long[node.get(i).size()];
            for (int j = 0; j < m[i].length; j++) {
                m[i][j] = node.get(i).get(j).asLong();
            }
        }
        return m;
    }

    private static long[] bins(JsonNode sparse, int bins) {
        long[] counts = new long[bins];
        for (Map.Entry<String, JsonNode> entry : sparse.properties()) {
            counts[Integer.parseInt(entry.getKey())] = entry.getValue().asLong();
        }
        return counts;
    }
}
