package dev.mlops.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mlops.core.InvalidFormatException;
import dev.mlops.core.drift.DriftResult;
import dev.mlops.core.drift.dataset.MultivariateDriftDetector;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Mutates the golden multivariate references (drop, duplicate, retype, huge, truncate, flip) and
 * asserts that every mutant is either refused with a one-line {@link InvalidFormatException} or
 * loads into a detector that saves to a document reading back the same, and answers finitely or
 * refuses the call with an {@link IllegalArgumentException}. Seeded; {@code -Dmlops.fuzz.scale=100}
 * runs 100 times the mutants.
 */
class MultivariateJsonFuzzTest {

    private static final int MUTANTS = 400 * Integer.getInteger("mlops.fuzz.scale", 1);
    private static final String[] LITERALS = {"0", "-0", "1", "-1", "2", "1e999", "-1e999", "4.9e-324", "1e-320",
        "2147483647", "2147483648", "9223372036854775807", "9223372036854775808", "1.0", "0.5", "1e300",
        "123456789012345678901234567890123456789012345678901234567890123456789", "NaN", "Infinity", "null", "true",
        "\"1\"", "\"\\u0000\\n\"", "[]", "{}", "[[]]", "[1,2]", "{\"a\":1}"};

    @ParameterizedTest
    @ValueSource(strings = {"mmd", "pca"})
    void mutatedGoldenFiles_areRefusedCleanlyOrLoadAndWork(String kind) {
        String golden = MultivariateKnownAnswers.text("/multivariate/golden/" + kind + "-reference-v1.json").strip();
        Function<String, Object> read = kind.equals("mmd") ? MmdDetector::fromJson : PcaReconstructionDetector::fromJson;
        ToIntFunction<Object> width = o -> o instanceof MmdDetector m ? m.dimension()
                : ((PcaReconstructionDetector) o).dimension();
        SplittableRandom random = new SplittableRandom(kind.hashCode());
        int loaded = 0;
        for (int i = 0; i < MUTANTS; i++) {
            String mutant = mutate(golden, random);
            Object detector;
            try {
                detector = read.apply(mutant);
            } catch (InvalidFormatException e) {
                assertOneLine(e.getMessage(), mutant);
                continue;
            } catch (RuntimeException e) {
                fail("mutant " + i + " threw " + e + " for: " + shorten(mutant), e);
                return;
            }
            loaded++;
            String saved = detector instanceof MmdDetector m ? m.toJson() : ((PcaReconstructionDetector) detector).toJson();
            Object again = read.apply(saved);
            assertEquals(saved, again instanceof MmdDetector m ? m.toJson() : ((PcaReconstructionDetector) again).toJson());
            double[][] current = MultivariateKnownAnswers.gaussian(i, 5, width.applyAsInt(detector), 0);
            try {
                DriftResult r = ((MultivariateDriftDetector) detector).detect(current);
                assertTrue(Double.isFinite(r.statistic()) && Double.isFinite(r.threshold()), "mutant " + i + ": " + r);
            } catch (IllegalArgumentException e) {
                assertOneLine(e.getMessage(), mutant);
            }
        }
        assertTrue(loaded > 0, "no mutant loaded: the mutations are too coarse to test the accepting side");
    }

    private static String mutate(String json, SplittableRandom random) {
        int at = random.nextInt(json.length());
        int to = Math.min(json.length(), at + 1 + random.nextInt(40));
        return switch (random.nextInt(7)) {
            case 0 -> json.substring(0, at) + json.substring(to);
            case 1 -> json.substring(0, to) + json.substring(at, to) + json.substring(to);
            case 2 -> replaceValue(json, random, LITERALS[random.nextInt(LITERALS.length)]);
            case 3 -> json.substring(0, at);
            case 4 -> json.substring(0, at) + (char) random.nextInt(128) + json.substring(at + 1);
            case 5 -> replaceValue(json, random, Double.toString(random.nextDouble() * Math.pow(10, random.nextInt(-330, 330))));
            default -> json.replaceFirst("\"" + field(random) + "\"", "\"" + field(random) + "\"");
        };
    }

    /** Replaces the value after a random colon or comma with {@code literal}. */
    private static String replaceValue(String json, SplittableRandom random, String literal) {
        int at = random.nextInt(json.length());
        int sep = json.indexOf(':', at);
        int comma = json.indexOf(',', at);
        int start = sep < 0 ? comma : comma < 0 ? sep : Math.min(sep, comma);
        if (start < 0) {
            return json;
        }
        int end = start + 1;
        while (end < json.length() && "0123456789.eE+-".indexOf(json.charAt(end)) >= 0) {
            end++;
        }
        return json.substring(0, start + 1) + literal + json.substring(end);
    }

    private static String field(SplittableRandom random) {
        String[] fields = {"format", "version", "dimension", "referenceMissing", "sigma", "options", "rows", "pValue",
            "permutations", "seed", "referenceSize", "imputationValues", "means", "scales", "pcaMeans",
            "explainedVarianceRatio", "componentCount", "components", "band", "chunkValues", "mean", "std", "lower",
            "upper", "chunkCount", "chunkSize", "stdMultiplier", "incomplete", "minExplainedVariance", "x"};
        return fields[random.nextInt(fields.length)];
    }

    private static void assertOneLine(String message, String mutant) {
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            assertTrue(c >= 0x20 && c < 0x7f, () -> "unprintable character in \"" + message + "\" for " + shorten(mutant));
        }
    }

    private static String shorten(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
}
