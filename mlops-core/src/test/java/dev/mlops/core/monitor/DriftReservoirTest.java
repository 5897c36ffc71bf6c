package dev.mlops.core.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The bounded samples a monitor keeps for drift: per-stripe reservoirs (Algorithm L) merged by a
 * multivariate hypergeometric draw. A sample is a sub-multiset of the recorded values, all of them while
 * they fit, and uniform: every value of every stripe is taken equally often, however unequal the
 * stripes' counts and whatever the value's position in its stripe's stream.
 */
class DriftReservoirTest {
    private static final FeatureSchema SCHEMA = FeatureSchema.builder().numeric("x").build();
    private static final SketchLayout SMALL = SketchLayout.of(1, 2, 0.5);

    private static StripeLayout layout(int sampleSize) {
        return new StripeLayout(SCHEMA, List.of(), SMALL, SMALL, 0,
                new DriftPlan(List.of(DriftPlan.Numeric.sample("x", sampleSize))));
    }

    @Test
    void mergedSample_takesEveryValueEquallyOften_acrossStripesWithUnequalCounts() {
        int sampleSize = 100;
        int[] counts = {37, 400, 1_563};
        int total = Arrays.stream(counts).sum();
        int trials = 4_000;
        StripeLayout layout = layout(sampleSize);
        long[][] stripes = new long[counts.length][];
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = layout.newStripe();
        }
        long[] taken = new long[total];
        long[] fromStripe = new long[counts.length];
        double[] x = new double[1];
        for (int t = 0; t < trials; t++) {
            int value = 0;
            for (int i = 0; i < stripes.length; i++) {
                layout.clear(stripes[i]);
                for (int k = 0; k < counts[i]; k++) {
                    x[0] = value++;
                    layout.numeric(stripes[i], x);
                }
            }
            double[] sample = layout.drift().merge(stripes, 1_000L + t)[0];
            assertEquals(sampleSize, sample.length);
            for (double v : sample) {
                taken[(int) v]++;
                fromStripe[stripeOf(counts, (int) v)]++;
            }
        }
        double p = (double) sampleSize / total;
        for (int i = 0; i < counts.length; i++) {
            // each trial's share of stripe i is hypergeometric: variance n p_i (1 - p_i) (N - n) / (N - 1)
            double pi = (double) counts[i] / total;
            double expected = (double) trials * sampleSize * pi;
            double sd = Math.sqrt(trials * sampleSize * pi * (1 - pi) * (total - sampleSize) / (total - 1.0));
            assertTrue(Math.abs(fromStripe[i] - expected) < 6 * sd, "stripe " + i + " of " + counts[i]
                    + " values gave " + fromStripe[i] + ", expected " + expected + " +- " + sd);
        }
        double expected = trials * p;
        double chiSquare = 0;
        double maxZ = 0;
        for (int v = 0; v < total; v++) {
            double d = taken[v] - expected;
            chiSquare += d * d / expected;
            maxZ = Math.max(maxZ, Math.abs(d) / Math.sqrt(expected * (1 - p)));
        }
        // inclusion counts are binomial(trials, p) each: the sum has mean (1 - p) * values, sd about sqrt(2 * values)
        double ratio = chiSquare / ((1 - p) * total);
        assertTrue(ratio > 0.85 && ratio < 1.15, "chi-square over the values is " + ratio + " of its mean");
        assertTrue(maxZ < 5.5, "a value taken far too often or too rarely: |z| = " + maxZ);
        double early = 0;
        double late = 0;
        int last = total - 1;
        for (int k = 0; k < sampleSize; k++) {
            early += taken[counts[0] + counts[1] + k]; // the first values of the long stream, which fill its reservoir
            late += taken[last - k];
        }
        double sd = Math.sqrt(sampleSize * expected * (1 - p));
        assertTrue(Math.abs(early - late) < 6 * Math.sqrt(2) * sd, "the start and the end of a stream are taken alike: "
                + early + " and " + late);
    }

    private static int stripeOf(int[] counts, int value) {
        int i = 0;
        while (value >= counts[i]) {
            value -= counts[i++];
        }
        return i;
    }

    @Property(tries = 300)
    void mergedSample_isBoundedAndASubsetOfTheValues_andAllOfThemWhileTheyFit(
            @ForAll @Size(min = 1, max = 5) List<@IntRange(min = 0, max = 300) Integer> counts,
            @ForAll @IntRange(min = 1, max = 200) int sampleSize, @ForAll long seed) {
        StripeLayout layout = layout(sampleSize);
        long[][] stripes = new long[counts.size()][];
        Map<Double, Integer> recorded = new HashMap<>();
        List<Double> all = new ArrayList<>();
        double[] x = new double[1];
        java.util.Random random = new java.util.Random(seed);
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = layout.newStripe();
            for (int k = 0; k < counts.get(i); k++) {
                x[0] = random.nextInt(50) - 25 + (random.nextBoolean() ? 0.5 : 0);
                if (random.nextInt(40) == 0) {
                    x[0] = random.nextBoolean() ? Double.NaN : Double.NEGATIVE_INFINITY; // never sampled
                } else {
                    recorded.merge(x[0], 1, Integer::sum);
                    all.add(x[0]);
                }
                layout.numeric(stripes[i], x);
            }
        }
        double[] sample = layout.drift().merge(stripes, seed)[0];
        assertEquals(Math.min(sampleSize, all.size()), sample.length);
        Map<Double, Integer> left = new HashMap<>(recorded);
        for (double v : sample) {
            assertTrue(left.merge(v, -1, Integer::sum) >= 0, v + " taken more often than recorded");
        }
        if (all.size() <= sampleSize) {
            double[] expected = all.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double[] got = sample.clone();
            Arrays.sort(got);
            assertArrayEquals(expected, got, "every value while they fit");
        }
    }
}
