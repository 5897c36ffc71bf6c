package dev.mlops.drift.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;

/**
 * Reads the expected values that {@code src/test/resources/scipy/categorical/generate.py} computed with
 * SciPy 1.10.1 and NumPy, and compares with the tolerances of the brief: statistics within {@code 1e-9}
 * relative, p-values within {@code 1e-6} absolute or relative.
 */
final class CategoricalKnownAnswers {

    /** Python's json writes Infinity and NaN (odds ratios, unseen categories); Jackson reads them when told. */
    private static final JsonMapper MAPPER = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private CategoricalKnownAnswers() {
    }

    /**
     * @return the cases of one generated file, each named after its {@code name} field
     */
    static Stream<Named<JsonNode>> cases(String file) {
        String path = "/scipy/categorical/" + file;
        try (InputStream in = CategoricalKnownAnswers.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            JsonNode root = MAPPER.readTree(in);
            assertEquals("1.10.1", root.get("scipy").asText(), "expected values must come from SciPy 1.10.1");
            List<Named<JsonNode>> out = new ArrayList<>();
            for (JsonNode c : root.get("cases")) {
                out.add(Named.of(c.get("name").asText(), c));
            }
            return out.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }

    static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    static double[] toDouble(long[] counts) {
        double[] out = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            out[i] = counts[i];
        }
        return out;
    }

    /**
     * Statistic within {@code 1e-9} relative of SciPy's, or within {@code absolute}: where the expected
     * value is (mathematically) 0, SciPy's answer is its own rounding error, which no relative bound holds.
     */
    static void assertStatistic(double expected, double actual, double absolute, String what) {
        if (Double.isNaN(expected) || Double.isInfinite(expected)) {
            assertEquals(expected, actual, what);
            return;
        }
        double tolerance = Math.max(1e-9 * Math.abs(expected), absolute);
        assertTrue(Math.abs(actual - expected) <= tolerance,
                () -> what + ": expected " + expected + " but was " + actual + " (tolerance " + tolerance + ")");
    }

    /** P-value within {@code 1e-6} absolute or {@code 1e-6} relative of SciPy's. */
    static void assertPValue(double expected, double actual, String what) {
        assertTrue(actual >= 0 && actual <= 1, () -> what + ": p-value " + actual + " outside [0, 1]");
        double error = Math.abs(actual - expected);
        assertTrue(error <= 1e-6 || error <= 1e-6 * Math.abs(expected),
                () -> what + ": expected p-value " + expected + " but was " + actual);
    }
}
