package dev.mlops.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;

/** Invariants of the reconstruction error and its band, for any data. */
class PcaReconstructionPropertiesTest {

    @Property(tries = 150)
    void error_andBands_areNeverNegative(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int d,
            @ForAll @IntRange(min = 20, max = 120) int n, @ForAll @IntRange(min = 1, max = 40) int m) {
        Table t = new Table(seed, n, m, d);
        PcaReconstructionDetector detector = MultivariateDrift.reconstruction(t.reference);
        PcaReconstructionResult r = detector.evaluate(t.current);
        assertTrue(r.result().statistic() >= 0, "error " + r.result().statistic());
        assertTrue(r.upperThreshold() >= 0, "upper band " + r.upperThreshold());
        r.lowerThreshold().ifPresent(low -> assertTrue(low >= 0 && low <= r.upperThreshold(), "lower band " + low));
        for (double v : detector.referenceChunkValues()) {
            assertTrue(v >= 0, "chunk error " + v);
        }
        assertTrue(detector.components() >= 1 && detector.components() <= d);
    }

    @Property(tries = 150)
    void components_areTheFewestExplainingMoreThanTheShare(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int d,
            @ForAll @DoubleRange(min = 0.05, max = 0.95) double share) {
        Table t = new Table(seed, 60, 1, d);
        PcaReconstructionDetector detector = MultivariateDrift.reconstruction(t.reference,
                PcaOptions.defaults().withMinExplainedVariance(share));
        double[] ratio = detector.explainedVarianceRatio();
        int k = detector.components();
        double kept = 0;
        for (int i = 0; i < k; i++) {
            kept += ratio[i];
        }
        assertTrue(kept > share || k == d, k + " components explain " + kept + " <= " + share);
        assertTrue(kept - ratio[k - 1] <= share, "one component fewer would do: " + (kept - ratio[k - 1]));
    }

    @Property(tries = 100)
    void error_isInvariantToCurrentRowOrder(@ForAll long seed, @ForAll @IntRange(min = 2, max = 5) int d) {
        Table t = new Table(seed, 80, 30, d);
        PcaReconstructionDetector detector = MultivariateDrift.reconstruction(t.reference);
        List<double[]> rows = new ArrayList<>(List.of(t.current));
        Collections.shuffle(rows, new Random(seed));
        assertEquals(detector.detect(t.current).statistic(), detector.detect(rows.toArray(double[][]::new)).statistic(),
                1e-12);
    }

    @Property(tries = 100)
    void error_isInvariantToUnitsOfTheColumns(@ForAll long seed, @ForAll @IntRange(min = 2, max = 5) int d,
            @ForAll @DoubleRange(min = 0.001, max = 1000) @Scale(4) double factor, @ForAll @DoubleRange(min = -100, max = 100)
            double offset) {
        Table t = new Table(seed, 80, 30, d);
        // Standardisation removes each column's unit and origin: rescale one column of both tables.
        PcaReconstructionResult plain = MultivariateDrift.reconstruction(t.reference).evaluate(t.current);
        PcaReconstructionResult rescaled = MultivariateDrift.reconstruction(rescale(t.reference, factor, offset))
                .evaluate(rescale(t.current, factor, offset));
        assertEquals(plain.components(), rescaled.components());
        assertEquals(plain.result().statistic(), rescaled.result().statistic(),
                1e-8 * Math.max(1, plain.result().statistic()));
        assertEquals(plain.upperThreshold(), rescaled.upperThreshold(), 1e-8 * Math.max(1, plain.upperThreshold()));
    }

    private static double[][] rescale(double[][] rows, double factor, double offset) {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = rows[i].clone();
            out[i][0] = out[i][0] * factor + offset;
        }
        return out;
    }

    /** Columns mixing a few shared factors with noise, so PCA has structure to find. */
    private static final class Table {
        final double[][] reference;
        final double[][] current;

        Table(long seed, int n, int m, int d) {
            SplittableRandom random = new SplittableRandom(seed);
            int factors = 1 + random.nextInt(d);
            double[][] mix = new double[factors][d];
            for (double[] line : mix) {
                for (int j = 0; j < d; j++) {
                    line[j] = random.nextGaussian();
                }
            }
            double noise = 0.05 + random.nextDouble();
            reference = draw(random, n, d, mix, noise);
            current = draw(random, m, d, mix, noise * (0.5 + random.nextDouble()));
        }

        private static double[][] draw(SplittableRandom random, int rows, int d, double[][] mix, double noise) {
            double[][] out = new double[rows][d];
            for (double[] row : out) {
                for (double[] line : mix) {
                    double f = random.nextGaussian();
                    for (int j = 0; j < d; j++) {
                        row[j] += f * line[j];
                    }
                }
                for (int j = 0; j < d; j++) {
                    row[j] += noise * random.nextGaussian();
                }
            }
            return out;
        }
    }
}
