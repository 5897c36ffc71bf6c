package dev.mlops.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;

/**
 * Reads the expected values that {@code src/test/resources/multivariate/generate.py} computed with
 * NumPy 1.24.2 and SciPy 1.10.1, restating Alibi Detect's MMD and NannyML's reconstruction error,
 * and holds the helpers the multivariate tests share.
 */
final class MultivariateKnownAnswers {

    /** Python's json writes NaN for missing values; Jackson reads them when told. */
    private static final JsonMapper MAPPER = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private MultivariateKnownAnswers() {
    }

    /**
     * @return the cases of one generated file, each named after its {@code name} field
     */
    static Stream<Named<JsonNode>> cases(String file) {
        String path = "/multivariate/" + file;
        try (InputStream in = MultivariateKnownAnswers.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            JsonNode root = MAPPER.readTree(in);
            assertEquals("1.24.2", root.get("numpy").asText(), "expected values must come from NumPy 1.24.2");
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

    /** @return the whole text of a test resource, read as UTF-8 */
    static String text(String path) {
        try (InputStream in = MultivariateKnownAnswers.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double[][] rows(JsonNode table) {
        double[][] out = new double[table.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = doubles(table.get(i));
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

    /**
     * Within {@code 1e-9} relative of the reference value, or within {@code 1e-12} absolute where
     * the reference value is itself rounding noise around 0 (an exact reconstruction).
     */
    static void assertClose(double expected, double actual, String what) {
        double tolerance = Math.max(1e-9 * Math.abs(expected), 1e-12);
        assertTrue(Math.abs(actual - expected) <= tolerance,
                () -> what + ": expected " + expected + " but was " + actual + " (tolerance " + tolerance + ")");
    }

    /**
     * @return {@code n × d} independent standard normal values, shifted by {@code shift}
     */
    static double[][] gaussian(long seed, int n, int d, double shift) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] out = new double[n][d];
        for (double[] row : out) {
            for (int j = 0; j < d; j++) {
                row[j] = random.nextGaussian() + shift;
            }
        }
        return out;
    }

    /**
     * Two columns sharing one factor plus a third of noise (NannyML's "butterfly" idea); when
     * {@code broken}, the second column follows the factor with the opposite sign, which leaves each
     * column's distribution as it was.
     */
    static double[][] correlated(long seed, int n, boolean broken) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] out = new double[n][3];
        for (double[] row : out) {
            double s = random.nextGaussian();
            row[0] = s + random.nextGaussian() / 8;
            row[1] = (broken ? -s : s) + random.nextGaussian() / 8;
            row[2] = random.nextGaussian() / 8;
        }
        return out;
    }
}
