package dev.mlops.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.drift.DriftResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The stated limits are small enough for a small service: a child JVM with a 256 MB heap builds,
 * saves, loads and tests references at the limits (issue 7: a valid MMD document of 65,535 rows
 * ran out of memory while loading). The cases are sized to the memory each limit allows, not to the
 * worst time: {@value MmdOptions#MAX_PERMUTATIONS} permutations of {@value MmdDetector#MAX_ROWS}
 * rows a side are within the limits and fit the heap, but take minutes.
 */
class MultivariateHeapLimitTest {

    @Test
    void referencesAtTheLimits_buildLoadAndTest_inA256MegabyteHeap() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), AtTheLimits.class.getName()))
                .redirectErrorStream(true).start();
        byte[] output = child.getInputStream().readAllBytes();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish");
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), "child JVM with -Xmx256m failed:\n" + text);
        assertTrue(text.contains("all limits passed"), text);
    }

    /** Runs in the child JVM; exits 0 when every case passes, non-zero with the error otherwise. */
    static final class AtTheLimits {
        private AtTheLimits() {
        }

        public static void main(String[] args) throws IOException {
            long start = System.nanoTime();
            // MMD, MAX_ROWS one-column rows (the 65,535-row document of issue 7 is now refused): prepared
            // with the median heuristic (O(n) memory), saved (about 200 KB), loaded, and tested.
            double[][] tall = gaussian(1, MmdDetector.MAX_ROWS, 1, 0);
            MmdDetector built = MultivariateDrift.mmd(tall);
            MmdDetector loaded = MmdDetector.fromJson(built.toJson());
            check(loaded.test(gaussian(2, 300, 1, 0.1), 1L).result(), "mmd, " + MmdDetector.MAX_ROWS + " rows");
            step("mmd rows", start);
            // MMD, MAX_VALUES values (500 rows of 2,000 columns, about 20 MB of JSON) with
            // MAX_PERMUTATIONS permutations, loaded and tested.
            double[][] wide = gaussian(3, MmdDetector.MAX_VALUES / 2_000, 2_000, 0);
            String json = MultivariateDrift.mmd(wide, MmdOptions.defaults().withPermutations(MmdOptions.MAX_PERMUTATIONS))
                    .toJson();
            wide = null;
            MmdDetector big = MmdDetector.fromJson(json);
            json = null;
            check(big.test(gaussian(4, 20, 2_000, 0), 2L).result(), "mmd, " + MmdDetector.MAX_VALUES + " values");
            step("mmd values", start);
            // PCA, MAX_DIMENSION columns: fitted (a few d x d matrices), saved, loaded, evaluated.
            double[][] columns = gaussian(5, 1_000, PcaReconstructionDetector.MAX_DIMENSION, 0);
            PcaReconstructionDetector pca = MultivariateDrift.reconstruction(columns,
                    PcaOptions.defaults().withMinExplainedVariance(0.5));
            columns = null;
            PcaReconstructionDetector pcaLoaded = PcaReconstructionDetector.fromJson(pca.toJson());
            check(pcaLoaded.detect(gaussian(6, 50, PcaReconstructionDetector.MAX_DIMENSION, 0)), "pca, columns");
            step("pca columns", start);
            // PCA, MAX_CHUNKS chunks: 2,000,000 reference rows in chunks of 2, fitted, saved, loaded.
            double[][] many = gaussian(7, 2 * PcaOptions.MAX_CHUNKS, 2, 0);
            for (double[] row : many) {
                row[1] += row[0];
            }
            PcaReconstructionDetector chunked = MultivariateDrift.reconstruction(many,
                    PcaOptions.defaults().withChunkSize(2));
            many = null;
            PcaReconstructionDetector chunkedLoaded = PcaReconstructionDetector.fromJson(chunked.toJson());
            check(chunkedLoaded.detect(gaussian(8, 2, 2, 0)), "pca, chunks");
            step("pca chunks", start);
            System.out.println("all limits passed");
        }

        private static void check(DriftResult r, String what) {
            if (!Double.isFinite(r.statistic()) || !Double.isFinite(r.threshold())) {
                throw new IllegalStateException(what + ": not finite: " + r);
            }
        }

        private static void step(String what, long start) {
            Runtime rt = Runtime.getRuntime();
            System.out.printf("%s: %.1f s, heap used %d MB of %d MB%n", what, (System.nanoTime() - start) / 1e9,
                    (rt.totalMemory() - rt.freeMemory()) >> 20, rt.maxMemory() >> 20);
        }

        private static double[][] gaussian(long seed, int n, int d, double shift) {
            return MultivariateKnownAnswers.gaussian(seed, n, d, shift);
        }
    }
}
