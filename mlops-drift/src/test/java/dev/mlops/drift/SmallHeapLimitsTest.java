package dev.mlops.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.drift.DriftResult;
import dev.mlops.core.drift.Reference;
import dev.mlops.core.drift.Sample;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Documents at the stated limits load and work in the heap of a small service: a real child JVM with
 * {@code -Xmx256m} writes, reads and tests a numeric reference of {@link Reference#MAX_VALUES} values, a
 * categorical one of {@link Reference#MAX_CATEGORIES} categories, and a dataset reference close to
 * {@link DatasetReference#MAX_JSON_CHARS}.
 */
class SmallHeapLimitsTest {
    @Test
    void documentsAtTheLimits_loadAndWork_in256MegabytesOfHeap() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                Child.class.getName()).redirectErrorStream(true).start();
        boolean finished = child.waitFor(120, TimeUnit.SECONDS);
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!finished) {
            child.destroyForcibly();
        }
        assertTrue(finished, "the child JVM did not finish in 120 s: " + output);
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains("numeric ok") && output.contains("categorical ok") && output.contains("dataset ok"),
                output);
    }

    /** Runs in the child JVM. */
    static final class Child {
        private Child() {
        }

        public static void main(String[] args) {
            Random r = new Random(7);
            double[] values = new double[Reference.MAX_VALUES];
            for (int i = 0; i < values.length; i++) {
                values[i] = r.nextGaussian() * 1e6;
            }
            String json = Reference.numeric(values).toJson();
            values = null;
            Reference numeric = Reference.fromJson(json);
            json = null;
            DriftResult ks = DriftDetectors.kolmogorovSmirnov(numeric).detect(Sample.numeric(new double[] {0, 1, 2}));
            System.out.println("numeric ok: " + numeric.sample().size() + " values, p " + ks.pValue().getAsDouble());
            numeric = null;

            String[] categories = new String[Reference.MAX_CATEGORIES];
            for (int i = 0; i < categories.length; i++) {
                categories[i] = "category-" + i + "-" + "x".repeat(200);
            }
            Reference categorical = Reference.fromJson(Reference.categorical(categories).toJson());
            DriftResult js = DriftDetectors.jensenShannon(categorical).detect(Sample.categorical(new String[] {"a"}));
            System.out.println("categorical ok: " + categorical.sample().size() + " values, js " + js.statistic());
            categorical = null;
            categories = null;

            // written directly, as another tool might, to the brink of the document limit
            StringBuilder b = new StringBuilder(DatasetReference.MAX_JSON_CHARS)
                    .append("{\"format\":\"mlops.drift.dataset-reference\",\"version\":1,\"columns\":[");
            for (int c = 0; b.length() < DatasetReference.MAX_JSON_CHARS - 22_000_000; c++) {
                b.append(c == 0 ? "" : ",").append("{\"name\":\"c").append(c).append("\",\"reference\":{\"format\":")
                        .append("\"mlops.drift.reference\",\"version\":1,\"kind\":\"numeric\",\"missing\":0,\"values\":[");
                double v = -1;
                for (int i = 0; i < 1_000_000; i++) {
                    v += 2e-6 * r.nextDouble();
                    b.append(i == 0 ? "" : ",").append(v);
                }
                b.append("]}}");
            }
            String dataset = b.append("]}").toString();
            b = null;
            DatasetReference back = DatasetReference.fromJson(dataset);
            List<String> names = back.columnNames();
            System.out.println("dataset ok: " + names.size() + " columns, " + dataset.length() + " characters");
        }
    }
}
