package dev.mlops.drift.internal;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mlops.core.drift.DriftResult;
import dev.mlops.core.drift.Reference;
import dev.mlops.core.drift.Sample;
import dev.mlops.drift.DriftDetectors;
import dev.mlops.drift.StatTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * Known answers from SciPy 1.10.1 for tie-heavy samples of up to 10^7 values and for values near the
 * ends of the double range, written to {@code scipy/ties/ties.json} by the {@code generate.py} beside it
 * (which documents its two departures from plain SciPy: Mann-Whitney's tie term in exact integers, and
 * SciPy run on data scaled by an exact power of two). Tolerances as in {@code ScipyNumericCasesTest}:
 * statistics 1e-9 relative, p-values 1e-6 absolute or relative and below 1e-3 also 1e-9 relative (the
 * Cramér-von Mises limiting p-value, 1 - CDF as in SciPy, 1e-14 absolute).
 * Each tie case is expanded from its value counts into sorted arrays, O(n), and every test on it is
 * O(n), so the 10^7-value cases take a fraction of a second each.
 */
class TiesAndMagnitudesTest {
    private static final JsonNode ROOT = load();
    /** Largest relative difference from SciPy seen per method, printed at the end for the record. */
    private static final Map<String, Double> WORST = new ConcurrentHashMap<>();

    private static JsonNode load() {
        try (InputStream in = TiesAndMagnitudesTest.class.getResourceAsStream("/scipy/ties/ties.json")) {
            if (in == null) {
                throw new IllegalStateException("scipy/ties/ties.json is missing from the test resources");
            }
            return JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void printAgreement() {
        System.out.println("TiesAndMagnitudesTest largest relative difference from SciPy: " + WORST);
    }

    /** The sorted array of a {values, counts} object: each value repeated its count of times. */
    static double[] expand(JsonNode counts) {
        JsonNode values = counts.get("values");
        JsonNode times = counts.get("counts");
        long n = 0;
        for (JsonNode t : times) {
            n += t.asLong();
        }
        double[] out = new double[Math.toIntExact(n)];
        int k = 0;
        for (int i = 0; i < values.size(); i++) {
            double v = values.get(i).asDouble();
            for (long c = times.get(i).asLong(); c > 0; c--) {
                out[k++] = v;
            }
        }
        return out;
    }

    private static void record(String method, double expected, double actual) {
        double rel = expected == actual ? 0 : Math.abs(expected - actual) / Math.abs(expected);
        WORST.merge(method, rel, Math::max);
    }

    static void assertStatistic(String method, double expected, double actual) {
        record(method + " statistic", expected, actual);
        double diff = Math.abs(expected - actual);
        assertTrue(diff <= 1e-9 * Math.abs(expected), () -> String.format(Locale.ROOT,
                "%s statistic: expected %.17g but was %.17g", method, expected, actual));
    }

    static void assertPValue(String method, double expected, double actual) {
        if (expected > 0) {
            record(method + " p-value", expected, actual);
        }
        double diff = Math.abs(expected - actual);
        assertTrue(diff <= 1e-6 || diff <= 1e-6 * expected, () -> String.format(Locale.ROOT,
                "%s p-value: expected %.17g but was %.17g", method, expected, actual));
        if (expected > 0 && expected < 1e-3) {
            // the Cramer-von Mises limiting p-value is 1 - CDF in SciPy too: its small values carry the
            // CDF's absolute error (about 1e-16), not a relative one
            boolean ok = method.startsWith("cramervonmises") ? diff <= 1e-14 : diff <= 1e-9 * expected;
            assertTrue(ok, () -> String.format(Locale.ROOT,
                    "%s small p-value: expected %.17g but was %.17g", method, expected, actual));
        }
    }

    private static Executable check(String method, JsonNode expected, NumericTestResult actual) {
        return () -> {
            assertStatistic(method, expected.get("statistic").asDouble(), actual.statistic());
            assertPValue(method, expected.get("pvalue").asDouble(), actual.pValue());
        };
    }

    private static Stream<JsonNode> list(String name) {
        return StreamSupport.stream(ROOT.get(name).spliterator(), false);
    }

    @Test
    void tiesFile_comesFromScipy1101_andReachesTheOverflowPoints() {
        assertEquals("1.10.1", ROOT.get("scipy").asText());
        assertTrue(list("ties").anyMatch(c -> c.get("n").asLong() >= 10_000_000L), "a case of 10^7 values");
        assertTrue(list("ties").anyMatch(c -> c.get("largest_tie").asLong() > (1L << 21)), "a tie group past 2^21");
        assertTrue(list("ties").anyMatch(c -> c.get("mannwhitneyu").has("scipy_int64")
                && c.get("mannwhitneyu").get("scipy_int64").get("pvalue").asDouble()
                != c.get("mannwhitneyu").get("pvalue").asDouble()), "a case where SciPy's int64 tie term wraps");
    }

    @TestFactory
    Stream<DynamicTest> tieHeavyCases_matchScipy() {
        return list("ties").map(c -> dynamicTest(c.get("name").asText() + " (" + c.get("n").asLong() + " values)", () -> {
            double[] x = expand(c.get("x"));
            double[] y = expand(c.get("y"));
            assertAll(
                    check("anderson_ksamp", c.get("anderson_ksamp"), AndersonDarling.test(x, y)),
                    check("mannwhitneyu", c.get("mannwhitneyu"), MannWhitney.test(x, y)),
                    check("cramervonmises_2samp", c.get("cramervonmises_2samp"), CramerVonMises.test(x, y)),
                    check("ks_2samp", c.get("ks_2samp"), KolmogorovSmirnov.test(x, y)));
        }));
    }

    @Test
    void andersonDarling_issueExample_hundredThousandValuesOnThreeValues_isNotOverflowed() {
        // N * (tie size) = 10^5 * 40,000 passes 2^31: the int product gave a statistic far from SciPy's
        JsonNode c = list("ties").filter(n -> n.get("name").asText().startsWith("issue_")).findFirst().orElseThrow();
        NumericTestResult r = AndersonDarling.test(expand(c.get("x")), expand(c.get("y")));
        assertStatistic("anderson_ksamp", c.get("anderson_ksamp").get("statistic").asDouble(), r.statistic());
    }

    private static double[] unscaled(JsonNode scaled, int exponent) {
        double[] v = new double[scaled.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.scalb(scaled.get(i).asDouble(), exponent);
        }
        return v;
    }

    @TestFactory
    Stream<DynamicTest> hugeAndTinyMagnitudes_matchScipyOnExactlyScaledData() {
        return list("magnitudes").map(c -> dynamicTest(c.get("name").asText() + " (x 2^" + c.get("exponent").asInt() + ")",
                () -> {
                    int k = c.get("exponent").asInt();
                    double[] x = unscaled(c.get("scaled_x"), k);
                    double[] y = unscaled(c.get("scaled_y"), k);
                    List<Executable> checks = new ArrayList<>();
                    JsonNode t = c.get("ttest_ind_welch");
                    checks.add(check("welch_t", t, WelchT.test(x, y)));
                    checks.add(() -> {
                        DriftResult r = DriftDetectors.of(StatTest.WELCH_T, Reference.numeric(x)).detect(Sample.numeric(y));
                        assertStatistic("welch_t (detector)", t.get("statistic").asDouble(), r.statistic());
                        assertPValue("welch_t (detector)", t.get("pvalue").asDouble(), r.pValue().getAsDouble());
                    });
                    if (c.has("wasserstein_normed")) {
                        checks.add(() -> assertStatistic("wasserstein_normed",
                                c.get("wasserstein_normed").get("statistic").asDouble(),
                                DriftDetectors.wassersteinNormed(Reference.numeric(x)).detect(Sample.numeric(y)).statistic()));
                    }
                    JsonNode w = c.get("wasserstein_distance");
                    if (w.has("exceeds_double")) {
                        checks.add(() -> {
                            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                                    () -> Wasserstein.distance(x, y));
                            assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
                        });
                    } else {
                        checks.add(() -> assertStatistic("wasserstein_distance", w.get("statistic").asDouble(),
                                Wasserstein.distance(x, y)));
                    }
                    double energy = c.get("energy_distance").get("statistic").asDouble();
                    checks.add(() -> assertStatistic("energy_distance", energy, EnergyDistance.distance(x, y)));
                    checks.add(() -> assertStatistic("energy_distance (detector)", energy,
                            DriftDetectors.of(StatTest.ENERGY_DISTANCE, Reference.numeric(x)).detect(Sample.numeric(y))
                                    .statistic()));
                    assertAll(checks.stream());
                }));
    }

    @Test
    void welchAndNormedWasserstein_near1e300_flagTheShiftInsteadOfAnsweringZero() {
        JsonNode c = list("magnitudes").filter(n -> n.get("name").asText().equals("near_1e300")).findFirst().orElseThrow();
        double[] x = unscaled(c.get("scaled_x"), c.get("exponent").asInt());
        double[] y = unscaled(c.get("scaled_y"), c.get("exponent").asInt());
        DriftResult t = DriftDetectors.of(StatTest.WELCH_T, Reference.numeric(x)).detect(Sample.numeric(y));
        DriftResult w = DriftDetectors.wassersteinNormed(Reference.numeric(x)).detect(Sample.numeric(y));
        assertTrue(t.drifted() && t.statistic() < -4, t.toString());
        assertTrue(w.drifted() && w.statistic() > 0.3, w.toString());
    }
}
