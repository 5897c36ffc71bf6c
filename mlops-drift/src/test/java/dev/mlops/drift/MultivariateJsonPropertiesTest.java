package dev.mlops.drift;

import static dev.mlops.drift.MultivariateKnownAnswers.gaussian;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.SplittableRandom;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Round trips of the multivariate reference formats, for any data. */
class MultivariateJsonPropertiesTest {

    private static final JsonMapper MAPPER = new JsonMapper();

    @Property(tries = 2000)
    void mmdRows_roundTripEveryFiniteDoubleBitForBit(@ForAll long bits, @ForAll double any, @ForAll double other)
            throws Exception {
        double fromBits = Double.longBitsToDouble(bits);
        Assume.that(Double.isFinite(fromBits) && Double.isFinite(any) && Double.isFinite(other));
        double[][] rows = {{fromBits, any}, {other, -0.0}, {Double.MIN_VALUE, -Double.MAX_VALUE}};
        MmdDetector saved = MultivariateDrift.mmd(rows, MmdOptions.defaults().withSigma(1.0));
        String json = saved.toJson();
        JsonNode written = MAPPER.readTree(json).get("rows");
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < 2; j++) {
                assertEquals(Double.doubleToRawLongBits(rows[i][j]), Double.doubleToRawLongBits(written.get(i).get(j)
                        .doubleValue()), "rows[" + i + "][" + j + "] written as " + written.get(i).get(j));
            }
        }
        assertEquals(json, MmdDetector.fromJson(json).toJson());
    }

    @Property(tries = 60)
    void mmd_loadedDetector_givesTheSavedDetectorsResults(@ForAll long seed, @ForAll @IntRange(min = 1, max = 5) int d,
            @ForAll @IntRange(min = 2, max = 40) int n, @ForAll @IntRange(min = 2, max = 30) int m) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] reference = gaussian(random.nextLong(), n, d, 0);
        double[][] current = gaussian(random.nextLong(), m, d, random.nextDouble());
        MmdOptions options = MmdOptions.defaults().withSeed(random.nextLong()).withPermutations(1 + random.nextInt(60));
        if (random.nextBoolean()) {
            options = options.withSigma(0.1 + 3 * random.nextDouble());
        }
        MmdDetector saved = MultivariateDrift.mmd(reference, options);
        MmdDetector loaded = MmdDetector.fromJson(saved.toJson());
        long testSeed = random.nextLong();
        assertEquals(saved.test(current, testSeed), loaded.test(current, testSeed));
    }

    @Property(tries = 60)
    void pca_loadedDetector_givesTheSavedDetectorsResults(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int d,
            @ForAll @IntRange(min = 20, max = 200) int n, @ForAll @IntRange(min = 1, max = 30) int m) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] reference = mixed(random, n, d);
        double[][] current = mixed(random, m, d);
        PcaOptions options = PcaOptions.defaults().withMinExplainedVariance(0.05 + 0.9 * random.nextDouble())
                .withStdMultiplier(0.5 + 4 * random.nextDouble())
                .withIncomplete(PcaOptions.Incomplete.values()[random.nextInt(3)]);
        if (random.nextBoolean()) {
            options = options.withChunkSize(1 + random.nextInt(n / 2));
        }
        PcaReconstructionDetector saved = MultivariateDrift.reconstruction(reference, options);
        String json = saved.toJson();
        PcaReconstructionDetector loaded = PcaReconstructionDetector.fromJson(json);
        assertEquals(saved.evaluate(current), loaded.evaluate(current));
        assertEquals(saved.evaluate(reference), loaded.evaluate(reference));
        assertEquals(json, loaded.toJson());
    }

    /** Columns sharing a random factor, with a few NaN, so that PCA has structure and imputes. */
    private static double[][] mixed(SplittableRandom random, int rows, int d) {
        double[] loading = new double[d];
        for (int j = 0; j < d; j++) {
            loading[j] = random.nextGaussian();
        }
        double[][] out = new double[rows][d];
        for (double[] row : out) {
            double f = random.nextGaussian();
            for (int j = 0; j < d; j++) {
                row[j] = f * loading[j] + 0.3 * random.nextGaussian();
            }
            if (random.nextInt(20) == 0) {
                row[random.nextInt(d)] = Double.NaN;
            }
        }
        return out;
    }
}
