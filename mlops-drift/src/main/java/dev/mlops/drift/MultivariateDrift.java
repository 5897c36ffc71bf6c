package dev.mlops.drift;

/**
 * Entry points for multivariate drift detection: tests that look at all columns of a table
 * together, so that they see changes in the relations between columns that per-column tests miss.
 *
 * <ul>
 *   <li>{@link #mmd(double[][])}: maximum mean discrepancy with a Gaussian kernel and a permutation
 *       p-value, as Alibi Detect's {@code MMDDrift}. A two-sample test: any change of the joint
 *       distribution, O(n²) memory in the reference size.</li>
 *   <li>{@link #reconstruction(double[][])}: PCA reconstruction error with an alert band learned on
 *       reference chunks, as NannyML's {@code DataReconstructionDriftCalculator}. Linear structure
 *       only, O(d²) memory, fast on large tables.</li>
 * </ul>
 *
 * <pre>{@code
 * MmdDetector mmd = MultivariateDrift.mmd(referenceRows);
 * DriftResult r = mmd.detect(currentRows);
 *
 * PcaReconstructionDetector pca = MultivariateDrift.reconstruction(referenceRows,
 *         PcaOptions.defaults().withChunkSize(500));
 * PcaReconstructionResult chunk = pca.evaluate(lastFiveHundredRows);
 * }</pre>
 *
 * <p>Both detectors prepare their reference once and save it with {@code toJson()}; a replica loads
 * it with {@link MmdDetector#fromJson(String)} or {@link PcaReconstructionDetector#fromJson(String)}
 * and gets bit-identical results without the training data.
 *
 * <p>Stateless; every method is thread-safe.
 */
public final class MultivariateDrift {
    private MultivariateDrift() {
    }

    /**
     * @param referenceRows reference table, {@code n × d}, at least two complete rows; copied
     * @return an MMD detector with Alibi Detect's defaults ({@link MmdOptions#defaults()})
     * @throws IllegalArgumentException see {@link MmdDetector#of(double[][], MmdOptions)}
     */
    public static MmdDetector mmd(double[][] referenceRows) {
        return MmdDetector.of(referenceRows, MmdOptions.defaults());
    }

    /**
     * @param referenceRows reference table, {@code n × d}, at least two complete rows; copied
     * @param options level, permutations, seed and bandwidth
     * @return an MMD detector
     * @throws IllegalArgumentException see {@link MmdDetector#of(double[][], MmdOptions)}
     */
    public static MmdDetector mmd(double[][] referenceRows, MmdOptions options) {
        return MmdDetector.of(referenceRows, options);
    }

    /**
     * @param referenceRows reference table, {@code n × d}; read, not kept
     * @return a PCA reconstruction-error detector with NannyML's defaults ({@link PcaOptions#defaults()})
     * @throws IllegalArgumentException see {@link PcaReconstructionDetector#of(double[][], PcaOptions)}
     */
    public static PcaReconstructionDetector reconstruction(double[][] referenceRows) {
        return PcaReconstructionDetector.of(referenceRows, PcaOptions.defaults());
    }

    /**
     * @param referenceRows reference table, {@code n × d}; read, not kept
     * @param options explained variance, chunking and band width
     * @return a PCA reconstruction-error detector
     * @throws IllegalArgumentException see {@link PcaReconstructionDetector#of(double[][], PcaOptions)}
     */
    public static PcaReconstructionDetector reconstruction(double[][] referenceRows, PcaOptions options) {
        return PcaReconstructionDetector.of(referenceRows, options);
    }
}
