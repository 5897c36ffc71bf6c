package dev.mlops.drift.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The distributions behind the p-values against SciPy 1.10.1 on grids that reach every branch
 * ({@code special} in {@code scipy/numeric/cases.json}): absolute error at most 1e-10, or relative
 * error at most 1e-8 for small values.
 */
class ScipySpecialFunctionsTest {
    private static final double ATOL = 1e-10;
    private static final double RTOL = 1e-8;
    private static final JsonNode SPECIAL = load().get("special");

    private static JsonNode load() {
        try (InputStream in = ScipySpecialFunctionsTest.class.getResourceAsStream("/scipy/numeric/cases.json")) {
            if (in == null) {
                throw new IllegalStateException("scipy/numeric/cases.json is missing from the test resources");
            }
            return JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<DynamicTest> compare(String table, String expectedField, ToDoubleFunction<JsonNode> actual) {
        return StreamSupport.stream(SPECIAL.get(table).spliterator(), false).map(row -> dynamicTest(
                table + " " + expectedField + " at " + row, () -> {
                    double expected = row.get(expectedField).asDouble();
                    double got = actual.applyAsDouble(row);
                    double diff = Math.abs(expected - got);
                    assertTrue(diff <= ATOL || diff <= RTOL * Math.abs(expected), () -> String.format(Locale.ROOT,
                            "expected %.17g but was %.17g (difference %.3g)", expected, got, diff));
                }));
    }

    @TestFactory
    Stream<DynamicTest> kolmogorovSf_scipyGrid_matchesKstwoSf() {
        return compare("kstwo", "sf", r -> KolmogorovDistribution.sf(r.get("x").asDouble(), r.get("n").asDouble()));
    }

    @TestFactory
    Stream<DynamicTest> kolmogorovCdf_scipyGrid_matchesKstwoCdf() {
        return compare("kstwo", "cdf", r -> KolmogorovDistribution.cdf(r.get("x").asDouble(), r.get("n").asDouble()));
    }

    @TestFactory
    Stream<DynamicTest> smirnovSf_scipyGrid_matchesSpecialSmirnov() {
        return compare("smirnov", "sf", r -> KolmogorovDistribution.smirnovSf(r.get("n").asInt(), r.get("x").asDouble()));
    }

    @TestFactory
    Stream<DynamicTest> besselK_scipyGrid_matchesScaledKv() {
        return compare("kv", "exp_minus_z_kv",
                r -> BesselK.expScaledMinus(r.get("nu").asDouble(), r.get("z").asDouble()));
    }

    @TestFactory
    Stream<DynamicTest> cramerVonMisesLimitingCdf_scipyGrid_matchesCdfCvmInf() {
        return compare("cvm_limiting_cdf", "cdf", r -> CramerVonMises.limitingCdf(r.get("x").asDouble()));
    }
}
