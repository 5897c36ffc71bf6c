package dev.mlops.drift.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mlops.core.drift.Sample;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Known answers from SciPy 1.10.1, written to {@code scipy/numeric/cases.json} by the
 * {@code generate.py} beside it. Statistics must agree to 1e-9 relative, p-values to 1e-6 absolute or
 * relative, and p-values below 1e-3 also to 1e-9 relative, except for the Cramér-von Mises limiting
 * distribution, whose small p-values are 1 - CDF in SciPy too and carry its 1e-16 absolute error;
 * NaN must meet NaN. Where SciPy raises, the Java side must throw IllegalArgumentException. Inputs
 * are finite: the library counts NaN and infinities as missing before any test sees them.
 */
class ScipyNumericCasesTest {
    private static final double STATISTIC_RTOL = 1e-9;
    private static final double P_TOL = 1e-6;
    private static final double SMALL_P = 1e-3;
    private static final double SMALL_P_RTOL = 1e-9;
    private static final JsonNode ROOT = load();
    private static final Map<String, double[]> ARRAYS = new HashMap<>();

    private static JsonNode load() {
        try (InputStream in = ScipyNumericCasesTest.class.getResourceAsStream("/scipy/numeric/cases.json")) {
            if (in == null) {
                throw new IllegalStateException("scipy/numeric/cases.json is missing from the test resources");
            }
            return JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The named array, prepared the way the library prepares data: through {@link Sample#numeric}. */
    private static synchronized double[] array(String name) {
        return ARRAYS.computeIfAbsent(name, n -> {
            JsonNode node = ROOT.get("arrays").get(n);
            if (node == null) {
                throw new IllegalStateException("cases.json names an unknown array " + n);
            }
            double[] raw = new double[node.size()];
            for (int i = 0; i < raw.length; i++) {
                raw[i] = node.get(i).asDouble();
            }
            return Sample.numeric(raw).sortedValues();
        });
    }

    private static Stream<JsonNode> cases(String test) {
        JsonNode list = ROOT.get("cases").get(test);
        return StreamSupport.stream(list.spliterator(), false);
    }

    private static String describe(String test, JsonNode c) {
        StringBuilder sb = new StringBuilder(test).append(' ');
        if (c.has("samples")) {
            sb.append(c.get("samples"));
        } else {
            sb.append(c.get("x").asText()).append(" vs ").append(c.get("y").asText());
        }
        for (String option : new String[] {"alternative", "method"}) {
            if (c.has(option)) {
                sb.append(' ').append(c.get(option).asText());
            }
        }
        return sb.toString();
    }

    private static Stream<DynamicTest> run(String test, Function<JsonNode, Supplier<Object>> call) {
        return run(test, call, c -> false);
    }

    private static Stream<DynamicTest> run(String test, Function<JsonNode, Supplier<Object>> call,
            Predicate<JsonNode> rejected) {
        return cases(test).map(c -> dynamicTest(describe(test, c), () -> {
            Supplier<Object> computation = call.apply(c);
            if (rejected.test(c)) {
                assertThrows(IllegalArgumentException.class, computation::get);
                return;
            }
            if (c.has("error")) {
                assertThrows(IllegalArgumentException.class, computation::get,
                        "SciPy raised: " + c.get("error").asText());
                return;
            }
            Object result = computation.get();
            if (result instanceof NumericTestResult r) {
                assertClose("statistic", c.get("statistic").asDouble(), r.statistic(), true);
                double expectedP = c.get("pvalue").asDouble();
                assertClose("p-value", expectedP, r.pValue(), false);
                if (expectedP > 0 && expectedP < SMALL_P && !"cramervonmises_2samp".equals(test)) {
                    double rel = Math.abs(r.pValue() - expectedP) / expectedP;
                    assertTrue(rel <= SMALL_P_RTOL, () -> String.format(Locale.ROOT,
                            "small p-value: expected %.17g but was %.17g (relative %.3g)", expectedP, r.pValue(), rel));
                }
            } else {
                assertClose("statistic", c.get("statistic").asDouble(), (Double) result, true);
            }
        }));
    }

    private static void assertClose(String what, double expected, double actual, boolean statistic) {
        if (Double.isNaN(expected) || Double.isInfinite(expected)) {
            if (Double.compare(expected, actual) != 0) {
                fail(what + ": expected " + expected + " but was " + actual);
            }
            return;
        }
        double diff = Math.abs(expected - actual);
        boolean ok = statistic
                ? diff <= STATISTIC_RTOL * Math.abs(expected)
                : diff <= P_TOL || diff <= P_TOL * Math.abs(expected);
        assertTrue(ok, () -> String.format(Locale.ROOT, "%s: expected %.17g but was %.17g (difference %.3g)",
                what, expected, actual, diff));
    }

    private static double[] x(JsonNode c) {
        return array(c.get("x").asText());
    }

    private static double[] y(JsonNode c) {
        return array(c.get("y").asText());
    }

    private static String option(JsonNode c, String name, String absent) {
        return c.has(name) ? c.get(name).asText() : absent;
    }

    @Test
    void casesFile_comesFromScipy1101_withAtLeast15CasesPerTest() {
        assertTrue("1.10.1".equals(ROOT.get("scipy").asText()), "generated by SciPy " + ROOT.get("scipy"));
        ROOT.get("cases").properties().forEach(e ->
                assertTrue(e.getValue().size() >= 15, e.getKey() + " has " + e.getValue().size() + " cases"));
    }

    @TestFactory
    Stream<DynamicTest> ksTwoSample_scipyCases_matchStatisticAndPValue() {
        return run("ks_2samp", c -> {
            KolmogorovSmirnov.Alternative alternative = switch (c.get("alternative").asText()) {
                case "less" -> KolmogorovSmirnov.Alternative.LESS;
                case "greater" -> KolmogorovSmirnov.Alternative.GREATER;
                default -> KolmogorovSmirnov.Alternative.TWO_SIDED;
            };
            KolmogorovSmirnov.Method method = switch (c.get("method").asText()) {
                case "exact" -> KolmogorovSmirnov.Method.EXACT;
                case "asymp" -> KolmogorovSmirnov.Method.ASYMPTOTIC;
                default -> KolmogorovSmirnov.Method.AUTO;
            };
            return () -> KolmogorovSmirnov.test(x(c), y(c), alternative, method);
        });
    }

    @TestFactory
    Stream<DynamicTest> cramerVonMises_scipyCases_matchStatisticAndPValue() {
        return run("cramervonmises_2samp", c -> {
            CramerVonMises.Method method = switch (option(c, "method", "auto")) {
                case "exact" -> CramerVonMises.Method.EXACT;
                case "asymptotic" -> CramerVonMises.Method.ASYMPTOTIC;
                default -> CramerVonMises.Method.AUTO;
            };
            return () -> CramerVonMises.test(x(c), y(c), method);
        });
    }

    @TestFactory
    Stream<DynamicTest> andersonDarling_scipyCases_matchStatisticAndPValue() {
        return run("anderson_ksamp", c -> {
            if (c.has("samples")) {
                List<double[]> samples = new ArrayList<>();
                c.get("samples").forEach(name -> samples.add(array(name.asText())));
                return () -> AndersonDarling.test(samples.toArray(new double[0][]));
            }
            return () -> AndersonDarling.test(x(c), y(c));
        });
    }

    @TestFactory
    Stream<DynamicTest> mannWhitney_scipyCases_matchStatisticAndPValue() {
        return run("mannwhitneyu", c -> {
            MannWhitney.Method method = switch (option(c, "method", "auto")) {
                case "exact" -> MannWhitney.Method.EXACT;
                case "asymptotic" -> MannWhitney.Method.ASYMPTOTIC;
                default -> MannWhitney.Method.AUTO;
            };
            return () -> MannWhitney.test(x(c), y(c), method);
        });
    }

    @TestFactory
    Stream<DynamicTest> welchT_scipyCases_matchStatisticAndPValue() {
        // SciPy answers NaN for a one-value sample (its variance is 0/0); we reject such input instead
        return run("ttest_ind_welch", c -> () -> WelchT.test(x(c), y(c)),
                c -> x(c).length < 2 || y(c).length < 2);
    }

    @TestFactory
    Stream<DynamicTest> wasserstein_scipyCases_matchDistance() {
        return run("wasserstein_distance", c -> () -> Wasserstein.distance(x(c), y(c)));
    }

    @TestFactory
    Stream<DynamicTest> energyDistance_scipyCases_matchDistance() {
        return run("energy_distance", c -> () -> EnergyDistance.distance(x(c), y(c)));
    }
}
