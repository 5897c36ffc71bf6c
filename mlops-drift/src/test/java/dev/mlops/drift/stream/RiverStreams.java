package dev.mlops.drift.stream;

import dev.mlops.core.drift.ChangeDetector;
import dev.mlops.core.drift.Signal;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Loads River's drift-detector test streams and runs detectors over them the way River's tests do. */
final class RiverStreams {
    private RiverStreams() {
    }

    /** 1000 × randint(2) then 1000 × randint(8). */
    static double[] s1() {
        return load("s1.csv");
    }

    /** 1000 × Bernoulli(0.2) then 1000 × Bernoulli(0.8). */
    static double[] s2() {
        return load("s2.csv");
    }

    /** Four blocks of 500 thresholded normals, alternating low and high error rates. */
    static double[] s3() {
        return load("s3.csv");
    }

    /** The 0-based indices at which {@code detector} returns DRIFT, as River's {@code perform_test}. */
    static List<Integer> driftIndices(ChangeDetector detector, double[] stream) {
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < stream.length; i++) {
            if (detector.update(stream[i]) == Signal.DRIFT) {
                indices.add(i);
            }
        }
        return indices;
    }

    static double[] load(String name) {
        try (InputStream in = RiverStreams.class.getResourceAsStream("/river-streams/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /river-streams/" + name);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            return reader.lines().map(String::strip).filter(l -> !l.isEmpty())
                    .mapToDouble(Double::parseDouble).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
