package dev.mlops.drift.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * Reads the matrices and answers that {@code src/test/resources/scipy/linalg/generate.py} computed with
 * NumPy 1.24 ({@code numpy.linalg.eigh} and {@code lstsq}).
 */
final class LinalgKnownAnswers {
    private static final JsonNode ROOT = load();

    private LinalgKnownAnswers() {
    }

    private static JsonNode load() {
        String path = "/scipy/linalg/linalg.json";
        try (InputStream in = LinalgKnownAnswers.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            JsonNode root = JsonMapper.builder().build().readTree(in);
            assertEquals("1.24.2", root.get("numpy_version").asText(), "expected values must come from NumPy 1.24.2");
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The cases of one list ({@code eigh} or {@code lstsq}), each named after its {@code name} field. */
    static Stream<Named<JsonNode>> cases(String list) {
        List<Named<JsonNode>> out = new ArrayList<>();
        for (JsonNode c : ROOT.get(list)) {
            out.add(Named.of(c.get("name").asText(), c));
        }
        return out.stream();
    }

    static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    static double[][] matrix(JsonNode rows) {
        double[][] out = new double[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = doubles(rows.get(i));
        }
        return out;
    }
}
