package dev.mlops.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.mlops.core.drift.ChangeDetector;
import dev.mlops.core.drift.DriftDetector;
import dev.mlops.core.drift.DriftOutcome;
import dev.mlops.core.drift.DriftResult;
import dev.mlops.core.drift.Reference;
import dev.mlops.core.drift.Sample;
import dev.mlops.core.drift.Untestable;
import dev.mlops.core.drift.UntestableException;
import dev.mlops.core.drift.dataset.MultivariateDriftDetector;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/**
 * Untrusted input, fuzzed: every saved format's golden file mutated (fields dropped, duplicated, retyped,
 * numbers made huge, text truncated, characters flipped, content appended), and adversarial arrays and
 * option values thrown at every public entry point. Each input must end in one of two ways: a clean
 * rejection (an {@link IllegalArgumentException}, which {@code InvalidFormatException} and
 * {@code InvalidNameException} are, or an {@link UntestableException}) with a one-line message, or an
 * accepted value that round-trips through its JSON form and works, with every statistic finite and in
 * range. Anything else (an exception from Jackson or the JDK's arithmetic, an error, a hang) fails the
 * property, naming the input.
 *
 * <p>Seeded, so a run is repeatable; each try runs {@code mlops.fuzz.scale} inputs (1 by default: about
 * 27,000 inputs in all, in about 10 s). {@code mvn -pl mlops-drift -am verify -Dtest=UntrustedInputFuzzTest
 * -Dmlops.fuzz.scale=100} runs a hundred times as many (about 2.7 million inputs, about 3 minutes on
 * two cores).
 */
class UntrustedInputFuzzTest {
    private static final int SCALE = Integer.getInteger("mlops.fuzz.scale", 1);
    private static final Duration BUDGET = Duration.ofSeconds(60L * Math.max(1, SCALE / 4));

    private static final String[] HUGE_NUMBERS = {"1e400", "-1e400", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "2147483647", "2147483648", "-2147483648", "1000000000", "4.9e-324", "1e-320",
        "1.7976931348623157e308", "-1.7976931348623157e308", "-0.0", "0", "-1", "1".repeat(1201), "65535",
        "0.5", "1e15", "2.2250738585072014E-308"};
    private static final String[] RETYPED = {"\"1\"", "1.0", "-1", "true", "null", "[]", "{}", "\"NaN\"", "NaN",
        "\"\"", "[1,2]", "{\"a\":1}", "\"\\u0000\\n\"", "Infinity"};
    private static final String[] APPENDED = {"{}", "x", "\n]", ",", " 1", "\u0000", "// comment"};
    private static final char[] FLIPS = {'\u0000', '\n', '\r', '"', '\\', '{', '}', '[', ']', ',', ':', '-', '9', 'e',
        '\u0661', '\u2028', '\uffff', '\ud800', 'x', ' '};

    /** A saved format: its golden documents, its reader, how to write a value back, and how to use one. */
    private record Format<T>(String name, List<String> golden, Function<String, T> read, Function<T, String> write,
            java.util.function.Consumer<T> use) {
    }

    private static String resource(String path) {
        try (var in = UntrustedInputFuzzTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String coreGolden(String name) {
        try {
            return Files.readString(Path.of("..", "mlops-core", "src", "test", "resources", "golden", name));
        } catch (IOException e) {
            throw new IllegalStateException("core golden file " + name + " not found from " + Path.of("").toAbsolutePath(), e);
        }
    }

    private static final Format<Reference> REFERENCE = new Format<>("drift reference",
            List.of(coreGolden("drift-reference-v1-numeric.json"), coreGolden("drift-reference-v1-categorical.json")),
            Reference::fromJson, Reference::toJson, r -> works(r));

    private static final Format<DatasetReference> DATASET_REFERENCE = new Format<>("dataset reference",
            List.of(resource("/formats/dataset-reference-v1.json")), DatasetReference::fromJson,
            DatasetReference::toJson, d -> d.columns().values().forEach(UntrustedInputFuzzTest::works));

    private static final Format<MmdDetector> MMD = new Format<>("mmd reference",
            List.of(resource("/multivariate/golden/mmd-reference-v1.json")), MmdDetector::fromJson, MmdDetector::toJson,
            UntrustedInputFuzzTest::worksMultivariate);

    private static final Format<PcaReconstructionDetector> PCA = new Format<>("pca reference",
            List.of(resource("/multivariate/golden/pca-reference-v1.json")), PcaReconstructionDetector::fromJson,
            PcaReconstructionDetector::toJson, UntrustedInputFuzzTest::worksMultivariate);

    @Property(tries = 300, seed = "20261201")
    void referenceJson_mutated_isRejectedCleanlyOrRoundTrips(@ForAll @LongRange long seed) {
        fuzzFormat(REFERENCE, seed);
    }

    @Property(tries = 300, seed = "20261202")
    void datasetReferenceJson_mutated_isRejectedCleanlyOrRoundTrips(@ForAll @LongRange long seed) {
        fuzzFormat(DATASET_REFERENCE, seed);
    }

    @Property(tries = 300, seed = "20261203")
    void mmdJson_mutated_isRejectedCleanlyOrRoundTrips(@ForAll @LongRange long seed) {
        fuzzFormat(MMD, seed);
    }

    @Property(tries = 300, seed = "20261204")
    void pcaJson_mutated_isRejectedCleanlyOrRoundTrips(@ForAll @LongRange long seed) {
        fuzzFormat(PCA, seed);
    }

    private static <T> void fuzzFormat(Format<T> format, long seed) {
        Random r = new Random(seed);
        assertTimeoutPreemptively(BUDGET, () -> {
            for (int i = 0; i < 20 * SCALE; i++) {
                String golden = format.golden().get(r.nextInt(format.golden().size()));
                String doc = mutate(golden, r, 1 + r.nextInt(2));
                check(format.name(), doc, () -> {
                    T value = format.read().apply(doc);
                    String written = format.write().apply(value);
                    T again = format.read().apply(written);
                    assertEquals(written, format.write().apply(again), format.name() + " round trip of " + shorten(doc));
                    format.use().accept(value);
                });
            }
        }, () -> format.name() + ": fuzzing seed " + seed + " did not finish in " + BUDGET);
    }

    /** Runs one input; a clean rejection passes, and so does acceptance; anything else fails naming the input. */
    private static void check(String what, String input, Runnable run) {
        try {
            run.run();
        } catch (IllegalArgumentException | UntestableException e) {
            oneLine(what, input, e);
        } catch (AssertionError e) {
            throw e;
        } catch (Throwable t) {
            fail(what + ": " + t.getClass().getName() + " escaped for input " + shorten(input) + ": "
                    + shorten(String.valueOf(t.getMessage())), t);
        }
    }

    private static void oneLine(String what, String input, RuntimeException e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            fail(what + ": " + e.getClass().getSimpleName() + " without a message for input " + shorten(input), e);
        }
        for (int i = 0; i < m.length(); i++) {
            char c = m.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                fail(what + ": message holds control character U+" + String.format("%04X", (int) c) + " for input "
                        + shorten(input) + ": " + shorten(m), e);
            }
        }
        if (m.length() > 1000) {
            fail(what + ": message of " + m.length() + " characters for input " + shorten(input) + ": " + shorten(m), e);
        }
        if (m.contains("StreamReadConstraints") || m.contains("[Source:") || m.contains("com.fasterxml")
                || m.contains("org.apache.commons") || m.contains("Feature") || m.contains("enable `")) {
            fail(what + ": a dependency's text passed through: " + shorten(m), e);
        }
    }

    // ---- mutations ---------------------------------------------------------------------------------------

    /** A token of the document: kind and character range, with the end of its value for structures. */
    private record Token(JsonToken kind, int start, int end) {
    }

    private static List<Token> tokens(String doc) {
        List<Token> out = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(doc)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                int start = (int) p.currentTokenLocation().getCharOffset();
                int end = (int) p.currentLocation().getCharOffset();
                out.add(new Token(t, start, end));
            }
        } catch (IOException e) {
            throw new IllegalStateException("golden files parse", e);
        }
        return out;
    }

    /** The end of the value starting at token {@code i}: the matching close for a structure. */
    private static int valueEnd(List<Token> tokens, int i) {
        JsonToken k = tokens.get(i).kind();
        if (k != JsonToken.START_OBJECT && k != JsonToken.START_ARRAY) {
            return tokens.get(i).end();
        }
        int depth = 0;
        for (int j = i; j < tokens.size(); j++) {
            JsonToken t = tokens.get(j).kind();
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                depth++;
            } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                depth--;
                if (depth == 0) {
                    return tokens.get(j).end();
                }
            }
        }
        return tokens.get(tokens.size() - 1).end();
    }

    static String mutate(String doc, Random r, int times) {
        String out = doc;
        for (int i = 0; i < times; i++) {
            out = mutateOnce(out, r);
        }
        return out;
    }

    private static String mutateOnce(String doc, Random r) {
        List<Token> tokens;
        try {
            tokens = tokens(doc);
        } catch (IllegalStateException broken) {
            tokens = List.of();
        }
        int kind = r.nextInt(9);
        if (tokens.isEmpty() || kind == 0) {
            return flip(doc, r);
        }
        List<Integer> fields = new ArrayList<>();
        List<Integer> scalars = new ArrayList<>();
        List<Integer> numbers = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            JsonToken k = tokens.get(i).kind();
            if (k == JsonToken.FIELD_NAME) {
                fields.add(i);
            } else if (k.isScalarValue()) {
                scalars.add(i);
                if (k.isNumeric()) {
                    numbers.add(i);
                }
            }
        }
        switch (kind) {
            case 1 -> { // drop a field with its value
                if (fields.isEmpty()) {
                    return flip(doc, r);
                }
                int f = fields.get(r.nextInt(fields.size()));
                int end = valueEnd(tokens, f + 1);
                int start = tokens.get(f).start();
                String cut = doc.substring(0, start) + doc.substring(end);
                return cut.replace(",,", ",").replace("{,", "{").replace(",}", "}");
            }
            case 2 -> { // duplicate a field with its value
                if (fields.isEmpty()) {
                    return flip(doc, r);
                }
                int f = fields.get(r.nextInt(fields.size()));
                int end = valueEnd(tokens, f + 1);
                String field = doc.substring(tokens.get(f).start(), end);
                return doc.substring(0, end) + "," + field + doc.substring(end);
            }
            case 3 -> { // retype a value
                int pick = r.nextInt(tokens.size());
                if (tokens.get(pick).kind() == JsonToken.FIELD_NAME || tokens.get(pick).kind().isStructEnd()) {
                    pick = scalars.isEmpty() ? pick : scalars.get(r.nextInt(scalars.size()));
                }
                if (tokens.get(pick).kind() == JsonToken.FIELD_NAME || tokens.get(pick).kind().isStructEnd()) {
                    return flip(doc, r);
                }
                return doc.substring(0, tokens.get(pick).start()) + RETYPED[r.nextInt(RETYPED.length)]
                        + doc.substring(valueEnd(tokens, pick));
            }
            case 4, 5 -> { // a huge, tiny or boundary number
                if (numbers.isEmpty()) {
                    return flip(doc, r);
                }
                Token t = tokens.get(numbers.get(r.nextInt(numbers.size())));
                return doc.substring(0, t.start()) + HUGE_NUMBERS[r.nextInt(HUGE_NUMBERS.length)] + doc.substring(t.end());
            }
            case 6 -> { // truncate
                return doc.substring(0, r.nextInt(doc.length()));
            }
            case 7 -> { // append content after the document
                return doc + APPENDED[r.nextInt(APPENDED.length)];
            }
            default -> { // a category or name with hostile characters
                List<Integer> strings = new ArrayList<>(fields);
                for (int i : scalars) {
                    if (tokens.get(i).kind() == JsonToken.VALUE_STRING) {
                        strings.add(i);
                    }
                }
                if (strings.isEmpty()) {
                    return flip(doc, r);
                }
                Token t = tokens.get(strings.get(r.nextInt(strings.size())));
                String hostile = r.nextBoolean() ? "\"a\\nb\\u0000c\\u2028<script>\"" : "\"" + "z".repeat(r.nextInt(3000)) + "\"";
                boolean isField = t.kind() == JsonToken.FIELD_NAME;
                int end = isField ? doc.indexOf(':', t.start()) : t.end();
                return doc.substring(0, t.start()) + hostile + doc.substring(end);
            }
        }
    }

    private static String flip(String doc, Random r) {
        if (doc.isEmpty()) {
            return "{";
        }
        int at = r.nextInt(doc.length());
        return doc.substring(0, at) + FLIPS[r.nextInt(FLIPS.length)] + doc.substring(at + 1);
    }

    static String shorten(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(s.length(), 300); i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return s.length() > 300 ? b + "...(" + s.length() + " chars)" : b.toString();
    }

    // ---- using what was accepted -------------------------------------------------------------------------

    private static void works(Reference reference) {
        boolean numeric = reference.sample() instanceof dev.mlops.core.drift.NumericSample;
        Sample current = numeric ? Sample.numeric(new double[] {-1e300, 0, 1, 2, 1e300})
                : Sample.categorical(new String[] {"de", "fr", "x\n"});
        for (StatTest test : StatTest.values()) {
            if (numeric || test.kind() != StatTest.Kind.NUMERIC) {
                DriftDetector detector;
                try {
                    detector = DriftDetectors.of(test, reference);
                } catch (IllegalArgumentException tooSmall) {
                    oneLine(test.id(), reference.toString(), tooSmall);
                    continue;
                }
                inRange(test, detector.evaluate(current));
            }
        }
    }

    private static void inRange(StatTest test, DriftOutcome outcome) {
        if (outcome instanceof Untestable u) {
            oneLine(test.id(), u.toString(), new IllegalArgumentException(u.detail()));
            return;
        }
        DriftResult r = (DriftResult) outcome;
        // t, z and the standardized Anderson-Darling statistic (A2 - (k - 1)) / sigma may be negative
        double min = test == StatTest.WELCH_T || test == StatTest.Z_PROPORTION || test == StatTest.ANDERSON_DARLING
                ? Double.NEGATIVE_INFINITY : 0;
        if (Double.isNaN(r.statistic()) || r.statistic() < min || r.statistic() > test.maxStatistic()) {
            fail(test.id() + ": statistic " + r.statistic() + " outside [" + min + ", " + test.maxStatistic() + "]: " + r);
        }
        if (!Double.isFinite(r.statistic()) && !INFINITE_BY_DEFINITION.contains(test)) {
            fail(test.id() + ": statistic " + r.statistic() + " is not finite: " + r);
        }
        r.pValue().ifPresent(p -> {
            if (!(p >= 0 && p <= 1)) {
                fail(test.id() + ": p-value " + p + " outside [0, 1]: " + r);
            }
        });
    }

    /**
     * The methods whose statistic SciPy defines as infinite on some data: Welch's t of two different
     * constants, Fisher's odds ratio with a zero cell, the goodness-of-fit statistic of a category the
     * reference never holds. Their p-values are still in [0, 1].
     */
    private static final java.util.Set<StatTest> INFINITE_BY_DEFINITION = java.util.EnumSet.of(StatTest.WELCH_T,
            StatTest.FISHER_EXACT, StatTest.CHI_SQUARE_GOODNESS_OF_FIT);

    private static void worksMultivariate(MultivariateDriftDetector detector) {
        int d = detector.dimension();
        Random r = new Random(d);
        double[][] rows = new double[8][d];
        for (double[] row : rows) {
            for (int j = 0; j < d; j++) {
                row[j] = r.nextGaussian();
            }
        }
        DriftResult result = detector.detect(rows);
        finite(result);
    }

    private static void finite(DriftResult r) {
        if (!Double.isFinite(r.statistic()) || !Double.isFinite(r.threshold())) {
            fail(r.method() + ": statistic " + r.statistic() + " and threshold " + r.threshold() + " must be finite: " + r);
        }
        r.pValue().ifPresent(p -> {
            if (!(p >= 0 && p <= 1)) {
                fail(r.method() + ": p-value " + p + " outside [0, 1]");
            }
        });
    }

    // ---- adversarial arrays at the entry points ----------------------------------------------------------

    private static final double[] EXTREMES = {0, -0.0, 1, -1, 0.5, Double.MAX_VALUE, -Double.MAX_VALUE,
        Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, 1e300, -1e300, 1e-300, 1e200, 1e154, 1e308,
        Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 4503599627370496.0, 3, 3, 3};

    private static double[] adversarial(Random r, int maxLength) {
        double[] out = new double[r.nextInt(maxLength + 1)];
        double scale = r.nextBoolean() ? 1 : EXTREMES[r.nextInt(EXTREMES.length)];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (r.nextInt(4)) {
                case 0 -> EXTREMES[r.nextInt(EXTREMES.length)];
                case 1 -> r.nextGaussian() * scale;
                case 2 -> Math.rint(r.nextGaussian() * 2);
                default -> i > 0 ? out[i - 1] : 1;
            };
        }
        return out;
    }

    private static String[] adversarialCategories(Random r, int maxLength) {
        String[] pool = {"a", "b", "c", null, "", "\n", "\u0000", "<script>alert(1)</script>", "\u0661", "z".repeat(500),
            "d\re", "\ud800"};
        int distinct = 1 + r.nextInt(pool.length);
        String[] out = new String[r.nextInt(maxLength + 1)];
        for (int i = 0; i < out.length; i++) {
            out[i] = pool[r.nextInt(distinct)];
        }
        return out;
    }

    @Property(tries = 400, seed = "20261205")
    void everyStatTest_onAdversarialArrays_answersInRange_orRefusesCleanly(@ForAll @LongRange long seed) {
        Random r = new Random(seed);
        assertTimeoutPreemptively(BUDGET, () -> {
            for (int i = 0; i < 5 * SCALE; i++) {
                StatTest test = StatTest.values()[r.nextInt(StatTest.values().length)];
                boolean numeric = test.kind() == StatTest.Kind.NUMERIC || r.nextBoolean();
                double[] refValues = adversarial(r, 40);
                double[] curValues = adversarial(r, 40);
                String[] refCategories = adversarialCategories(r, 40);
                String[] curCategories = adversarialCategories(r, 40);
                String input = test.id() + " " + (numeric ? java.util.Arrays.toString(refValues) + " vs "
                        + java.util.Arrays.toString(curValues) : java.util.Arrays.toString(refCategories) + " vs "
                        + java.util.Arrays.toString(curCategories));
                check(test.id(), input, () -> {
                    Reference reference = numeric ? Reference.numeric(refValues) : Reference.categorical(refCategories);
                    Sample current = numeric ? Sample.numeric(curValues) : Sample.categorical(curCategories);
                    inRange(test, DriftDetectors.of(test, reference).evaluate(current));
                });
            }
        }, () -> "stat tests: seed " + seed + " did not finish in " + BUDGET);
    }

    @Property(tries = 200, seed = "20261206")
    void multivariateDetectors_onAdversarialRows_answerFinite_orRefuseCleanly(@ForAll @LongRange long seed) {
        Random r = new Random(seed);
        assertTimeoutPreemptively(BUDGET, () -> {
            for (int i = 0; i < 2 * SCALE; i++) {
                int d = 1 + r.nextInt(4);
                double[][] ref = rows(r, 30, d);
                double[][] cur = rows(r, 30, d);
                boolean mmd = r.nextBoolean();
                String input = (mmd ? "mmd " : "pca ") + java.util.Arrays.deepToString(ref) + " vs "
                        + java.util.Arrays.deepToString(cur);
                check(mmd ? "mmd" : "pca", input, () -> {
                    MultivariateDriftDetector detector = mmd ? MultivariateDrift.mmd(ref) : MultivariateDrift.reconstruction(ref);
                    finite(detector.detect(cur));
                });
            }
        }, () -> "multivariate: seed " + seed + " did not finish in " + BUDGET);
    }

    private static double[][] rows(Random r, int maxRows, int d) {
        double[][] out = new double[2 + r.nextInt(maxRows)][];
        double[] column = adversarial(r, out.length * d);
        for (int i = 0; i < out.length; i++) {
            out[i] = new double[d];
            for (int j = 0; j < d; j++) {
                int k = i * d + j;
                out[i][j] = k < column.length ? column[k] : r.nextGaussian();
            }
        }
        return out;
    }

    // ---- builder options and streams ---------------------------------------------------------------------

    private static final List<Class<?>> STREAM_DETECTORS = List.of(dev.mlops.drift.stream.Adwin.class,
            dev.mlops.drift.stream.Ddm.class, dev.mlops.drift.stream.Eddm.class, dev.mlops.drift.stream.HddmA.class,
            dev.mlops.drift.stream.HddmW.class, dev.mlops.drift.stream.PageHinkley.class, dev.mlops.drift.stream.Cusum.class,
            dev.mlops.drift.stream.Kswin.class, dev.mlops.drift.stream.EwmaChart.class);

    private static final long[] HOSTILE_INTS = {0, 1, 2, -1, 5, 30, 1000, 2147483639, Integer.MAX_VALUE, Integer.MIN_VALUE,
        Long.MAX_VALUE, Long.MIN_VALUE, 100_000_000};
    private static final double[] HOSTILE_DOUBLES = {0, -0.0, 1e-300, 0.5, 1, 2, -1, 1e300, Double.MAX_VALUE,
        Double.MIN_VALUE, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.001, 0.999999};

    @Property(tries = 300, seed = "20261207")
    void streamingDetectors_withHostileOptionsAndValues_refuseCleanly_orKeepFiniteEstimates(@ForAll @LongRange long seed) {
        Random r = new Random(seed);
        assertTimeoutPreemptively(BUDGET, () -> {
            for (int i = 0; i < 2 * SCALE; i++) {
                Class<?> type = STREAM_DETECTORS.get(r.nextInt(STREAM_DETECTORS.size()));
                StringBuilder input = new StringBuilder(type.getSimpleName()).append(".builder()");
                check(type.getSimpleName(), input.toString(), () -> {
                    Object builder = invoke(method(type, "builder"), null);
                    // getMethods() has no fixed order: sort, so that a seed always means the same calls
                    Method[] setters = builder.getClass().getMethods();
                    java.util.Arrays.sort(setters, java.util.Comparator.comparing(Method::toGenericString));
                    for (Method m : setters) {
                        if (m.getParameterCount() != 1 || Modifier.isStatic(m.getModifiers())
                                || m.getDeclaringClass() == Object.class || r.nextInt(3) != 0) {
                            continue;
                        }
                        Class<?> p = m.getParameterTypes()[0];
                        Object value;
                        if (p == int.class) {
                            value = (int) HOSTILE_INTS[r.nextInt(HOSTILE_INTS.length)];
                        } else if (p == long.class) {
                            value = HOSTILE_INTS[r.nextInt(HOSTILE_INTS.length)];
                        } else if (p == double.class) {
                            value = HOSTILE_DOUBLES[r.nextInt(HOSTILE_DOUBLES.length)];
                        } else {
                            continue;
                        }
                        input.append('.').append(m.getName()).append('(').append(value).append(')');
                        invoke(m, builder, value);
                    }
                    ChangeDetector detector = (ChangeDetector) invoke(method(builder.getClass(), "build"), builder);
                    double[] stream = adversarial(r, 300);
                    for (double v : stream) {
                        try {
                            detector.update(v);
                        } catch (IllegalArgumentException refused) {
                            oneLine(type.getSimpleName(), input + " update(" + v + ")", refused);
                            continue;
                        }
                        if (!Double.isFinite(detector.estimate())) {
                            fail(input + ": estimate() is " + detector.estimate() + " after update(" + v + ") of "
                                    + java.util.Arrays.toString(stream));
                        }
                    }
                });
            }
        }, () -> "streaming: seed " + seed + " did not finish in " + BUDGET);
    }

    private static Method method(Class<?> type, String name) {
        try {
            return type.getMethod(name);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type.getSimpleName() + " has no public " + name + "()", e);
        }
    }

    /** Calls a method, handing on what it throws as it was thrown. */
    private static Object invoke(Method m, Object target, Object... args) {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
