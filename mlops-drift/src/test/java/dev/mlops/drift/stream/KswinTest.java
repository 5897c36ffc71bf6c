package dev.mlops.drift.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.drift.Signal;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KswinTest {

    /**
     * With windowSize = 2 · statSize the sample is the whole older half, so every p-value can be
     * recomputed from a plainly kept window: this checks the incrementally sorted halves, the
     * sliding, and the window kept after a drift.
     */
    @Test
    void lastPValue_matchesABruteForceTestOfTheWindowHalves() {
        int r = 25;
        Kswin kswin = Kswin.builder().windowSize(2 * r).statSize(r).alpha(0.01).resetAfterDrift(false).build();
        Deque<Double> window = new ArrayDeque<>();
        SplittableRandom random = new SplittableRandom(11);
        int drifts = 0;
        for (int i = 0; i < 5_000; i++) {
            double level = (i / 400) % 2 == 0 ? 0 : 3;
            double value = Math.floor(level + random.nextInt(4) + (random.nextBoolean() ? 0.5 : 0.0));
            Signal signal = kswin.update(value);
            window.addLast(value);
            if (window.size() > 2 * r) {
                window.removeFirst();
            }
            if (window.size() < 2 * r) {
                assertTrue(Double.isNaN(kswin.lastPValue()) || signal == Signal.NONE);
                continue;
            }
            double[] all = window.stream().mapToDouble(Double::doubleValue).toArray();
            double[] older = Arrays.copyOfRange(all, 0, r);
            double[] recent = Arrays.copyOfRange(all, r, 2 * r);
            Arrays.sort(older);
            Arrays.sort(recent);
            int h = EqualSizeKs.scaledStatistic(older, recent, r);
            assertEquals(EqualSizeKs.pValue(r, h), kswin.lastPValue(), 0.0, "at " + i);
            assertEquals(EqualSizeKs.pValue(r, h) <= 0.01 && (double) h / r > 0.1, signal == Signal.DRIFT, "at " + i);
            if (signal == Signal.DRIFT) {
                drifts++;
                while (window.size() > r) {
                    window.removeFirst();
                }
            }
        }
        assertTrue(drifts >= 5, "drifts " + drifts);
    }

    @Test
    void selectInOrder_drawsEveryValueWithProbabilityKOverN_inOrder() {
        int n = 70;
        int k = 30;
        double[] source = new double[n];
        for (int v = 0; v < n; v++) {
            source[v] = v;
        }
        int[] hits = new int[n];
        int[] pairHits = new int[2];
        double[] into = new double[k];
        long[] chosen = new long[2];
        SplittableRandom random = new SplittableRandom(5);
        int draws = 20_000;
        for (int d = 0; d < draws; d++) {
            Kswin.selectInOrder(random, source, n, into, k, chosen);
            boolean has0 = false;
            boolean has1 = false;
            for (int i = 0; i < k; i++) {
                hits[(int) into[i]]++;
                has0 |= into[i] == 0;
                has1 |= into[i] == 1;
                if (i > 0) {
                    assertTrue(into[i - 1] < into[i], "in order");
                }
            }
            pairHits[0] += has0 && has1 ? 1 : 0;
        }
        double expected = draws * (double) k / n;
        double sd = Math.sqrt(draws * (double) k / n * (1 - (double) k / n));
        for (int v = 0; v < n; v++) {
            assertEquals(expected, hits[v], 5 * sd, "value " + v);
        }
        // Pairs too: P(0 and 1 both drawn) = k(k-1) / (n(n-1)), as for any uniform k-subset.
        double pair = draws * (double) k * (k - 1) / (n * (n - 1.0));
        assertEquals(pair, pairHits[0], 5 * Math.sqrt(pair), "pair");
    }
}
