package dev.mlops.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mlops.core.drift.DriftDetector;
import dev.mlops.core.drift.DriftResult;
import dev.mlops.core.drift.Reference;
import dev.mlops.core.drift.Rule;
import dev.mlops.core.drift.Sample;
import dev.mlops.drift.internal.ChiSquare;
import dev.mlops.drift.internal.ContingencyResult;
import dev.mlops.drift.internal.GTest;
import dev.mlops.drift.internal.KolmogorovSmirnov;
import dev.mlops.drift.internal.NumericTestResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Known answers for the options of {@link DriftDetectors#builder}: SciPy 1.10.1's
 * {@code ks_2samp(method=...)} and {@code chi2_contingency(correction=..., lambda_=...)}, written to
 * {@code scipy/options/options.json} by the {@code generate.py} beside it. Tolerances as in
 * {@code ScipyNumericCasesTest}: statistics 1e-9 relative, p-values 1e-6 absolute or relative and below
 * 1e-3 also 1e-9 relative.
 */
class ScipyOptionsTest {
    private static final JsonNode ROOT = load();

    private static JsonNode load() {
        try (InputStream in = ScipyOptionsTest.class.getResourceAsStream("/scipy/options/options.json")) {
            if (in == null) {
                throw new IllegalStateException("scipy/options/options.json is missing from the test resources");
            }
            return JsonMapper.builder().build().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double[] array(String name) {
        JsonNode grid = ROOT.get("grids").get(name);
        if (grid != null) {
            int n = grid.get("n").asInt();
            double a = grid.get("a").asDouble();
            double shift = grid.get("shift").asDouble();
            boolean square = grid.get("power").asInt() == 2;
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                double u = (i + a) / n;
                v[i] = (square ? u * u : u) + shift;
            }
            Arrays.sort(v);
            return v;
        }
        JsonNode node = ROOT.get("arrays").get(name);
        double[] v = new double[node.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = node.get(i).asDouble();
        }
        return v;
    }

    private static Stream<JsonNode> cases(String name) {
        return StreamSupport.stream(ROOT.get(name).spliterator(), false);
    }

    static void assertStatistic(double expected, double actual, String what) {
        double diff = Math.abs(expected - actual);
        assertTrue(diff <= 1e-9 * Math.abs(expected), () -> String.format(Locale.ROOT,
                "%s statistic: expected %.17g but was %.17g", what, expected, actual));
    }

    static void assertPValue(double expected, double actual, String what) {
        double diff = Math.abs(expected - actual);
        assertTrue(diff <= 1e-6 || diff <= 1e-6 * expected, () -> String.format(Locale.ROOT,
                "%s p-value: expected %.17g but was %.17g", what, expected, actual));
        if (expected > 0 && expected < 1e-3) {
            assertTrue(diff <= 1e-9 * expected, () -> String.format(Locale.ROOT,
                    "%s small p-value: expected %.17g but was %.17g", what, expected, actual));
        }
    }

    private static KsMethod ksMethod(String scipy) {
        return switch (scipy) {
            case "exact" -> KsMethod.EXACT;
            case "asymp" -> KsMethod.ASYMPTOTIC;
            default -> KsMethod.AUTO;
        };
    }

    @Test
    void optionsFile_comesFromScipy1101_andShowsBothFallbacks() {
        assertEquals("1.10.1", ROOT.get("scipy").asText());
        long fallbacks = cases("ks_2samp").filter(c -> c.has("warning") && "exact".equals(c.get("method").asText()))
                .count();
        assertTrue(fallbacks >= 2, "exact -> asymp fallbacks in the file: " + fallbacks);
        assertTrue(cases("ks_2samp").count() >= 30 && cases("chi2_contingency").count() >= 30);
    }

    @TestFactory
    Stream<DynamicTest> ksMethod_scipyCases_matchThroughTheBuilder() {
        return cases("ks_2samp").map(c -> {
            String what = c.get("x").asText() + " vs " + c.get("y").asText() + " " + c.get("alternative").asText()
                    + " " + c.get("method").asText() + (c.has("warning") ? " (SciPy falls back to asymp)" : "");
            return dynamicTest(what, () -> {
                double[] x = array(c.get("x").asText());
                double[] y = array(c.get("y").asText());
                KsMethod method = ksMethod(c.get("method").asText());
                if ("two-sided".equals(c.get("alternative").asText())) {
                    DriftResult r = DriftDetectors.builder(StatTest.KOLMOGOROV_SMIRNOV, Reference.numeric(x))
                            .ksMethod(method)
                            .build()
                            .detect(Sample.numeric(y));
                    assertStatistic(c.get("statistic").asDouble(), r.statistic(), what);
                    assertPValue(c.get("pvalue").asDouble(), r.pValue().getAsDouble(), what);
                } else {
                    NumericTestResult r = KolmogorovSmirnov.test(x, y, "less".equals(c.get("alternative").asText())
                            ? KolmogorovSmirnov.Alternative.LESS : KolmogorovSmirnov.Alternative.GREATER,
                            KolmogorovSmirnov.Method.valueOf(method.name()));
                    assertStatistic(c.get("statistic").asDouble(), r.statistic(), what);
                    assertPValue(c.get("pvalue").asDouble(), r.pValue(), what);
                }
            });
        });
    }

    @TestFactory
    Stream<DynamicTest> yatesCorrection_scipyCases_matchChiSquareAndGTest() {
        return cases("chi2_contingency").map(c -> {
            boolean yates = c.get("correction").asBoolean();
            boolean g = "log-likelihood".equals(c.get("lambda").asText());
            String what = c.get("name").asText() + (g ? " G" : " chi2") + (yates ? " corrected" : " uncorrected");
            return dynamicTest(what, () -> {
                JsonNode t = c.get("table");
                long[] ref = new long[t.get(0).size()];
                long[] cur = new long[ref.length];
                long total = 0;
                for (int j = 0; j < ref.length; j++) {
                    ref[j] = t.get(0).get(j).asLong();
                    cur[j] = t.get(1).get(j).asLong();
                    total += ref[j] + cur[j];
                }
                ContingencyResult r = g ? GTest.homogeneity(ref, cur, yates) : ChiSquare.homogeneity(ref, cur, yates);
                assertEquals(c.get("dof").asInt(), r.degreesOfFreedom(), what);
                assertStatistic(c.get("statistic").asDouble(), r.statistic(), what);
                assertPValue(c.get("pvalue").asDouble(), r.pValue(), what);
                if (total <= 2_000_000) {
                    // and through the public builder, the table made of two categorical samples
                    DriftResult d = DriftDetectors.builder(g ? StatTest.G_TEST : StatTest.CHI_SQUARE,
                                    Reference.categorical(strings(ref)))
                            .yatesCorrection(yates)
                            .build()
                            .detect(Sample.categorical(strings(cur)));
                    assertStatistic(c.get("statistic").asDouble(), d.statistic(), what + " (builder)");
                    assertPValue(c.get("pvalue").asDouble(), d.pValue().getAsDouble(), what + " (builder)");
                }
            });
        });
    }

    private static String[] strings(long[] counts) {
        String[] labels = {"a", "b", "c"};
        String[] out = new String[(int) Arrays.stream(counts).sum()];
        int k = 0;
        for (int j = 0; j < counts.length; j++) {
            for (long i = 0; i < counts[j]; i++) {
                out[k++] = labels[j];
            }
        }
        return out;
    }

    @Test
    void yatesCorrection_defaultsOn_asInScipy() {
        Reference ref = Reference.categorical(strings(new long[] {3, 7}));
        Sample cur = Sample.categorical(strings(new long[] {8, 2}));
        double byDefault = DriftDetectors.of(StatTest.CHI_SQUARE, ref).detect(cur).statistic();
        double on = DriftDetectors.builder(StatTest.CHI_SQUARE, ref).yatesCorrection(true).build().detect(cur).statistic();
        double off = DriftDetectors.builder(StatTest.CHI_SQUARE, ref).yatesCorrection(false).build().detect(cur)
                .statistic();
        assertEquals(on, byDefault);
        assertTrue(off > on, off + " vs " + on);
    }

    @Test
    void builder_optionForAnotherTest_isRejectedNamingOptionAndTest() {
        Reference numeric = Reference.numeric(new double[] {1, 2, 3});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DriftDetectors.builder(StatTest.CHI_SQUARE, numeric).ksMethod(KsMethod.EXACT).build());
        assertTrue(e.getMessage().contains("ksMethod") && e.getMessage().contains("chi_square"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> DriftDetectors.builder(StatTest.KOLMOGOROV_SMIRNOV, numeric).yatesCorrection(false).build());
        assertTrue(e.getMessage().contains("yatesCorrection") && e.getMessage().contains("ks"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> DriftDetectors.builder(StatTest.FISHER_EXACT, numeric).yatesCorrection(true).build());
        assertTrue(e.getMessage().contains("yatesCorrection") && e.getMessage().contains("fisher_exact"), e.getMessage());
    }

    @Test
    void builder_optionSetTwice_failsFast() {
        Reference numeric = Reference.numeric(new double[] {1, 2, 3});
        DriftDetectors.Builder b = DriftDetectors.builder(StatTest.KOLMOGOROV_SMIRNOV, numeric).ksMethod(KsMethod.EXACT);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.ksMethod(KsMethod.AUTO));
        assertTrue(e.getMessage().contains("ksMethod"), e.getMessage());
        DriftDetectors.Builder t = DriftDetectors.builder(StatTest.KOLMOGOROV_SMIRNOV, numeric).threshold(0.01);
        assertThrows(IllegalStateException.class, () -> t.threshold(0.02));
    }

    @Test
    void builder_thresholdAndRule_asTheFactories() {
        Reference ref = Reference.numeric(new double[] {0, 1, 2, 3, 4, 5, 6, 7});
        Sample cur = Sample.numeric(new double[] {3, 4, 5, 6, 7, 8, 9, 10});
        DriftDetector viaBuilder = DriftDetectors.builder(StatTest.KOLMOGOROV_SMIRNOV, ref)
                .threshold(0.3).rule(Rule.STATISTIC_AT_LEAST).build();
        DriftDetector viaOf = DriftDetectors.of(StatTest.KOLMOGOROV_SMIRNOV, ref, 0.3, Rule.STATISTIC_AT_LEAST);
        assertEquals(viaOf.detect(cur), viaBuilder.detect(cur));
        assertThrows(IllegalArgumentException.class,
                () -> DriftDetectors.builder(StatTest.KOLMOGOROV_SMIRNOV, ref).threshold(2).build());
    }
}
