package dev.mlops.drift;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * Settings of the {@link PcaReconstructionDetector}: NannyML's defaults unless changed.
 *
 * <pre>{@code
 * PcaOptions options = PcaOptions.defaults().withChunkSize(1000).withIncomplete(PcaOptions.Incomplete.DROP);
 * }</pre>
 *
 * <p>Every setting is checked where it is made, and a message names it:
 * <table>
 *   <caption>Ranges</caption>
 *   <tr><th>setting</th><th>range</th><th>default</th></tr>
 *   <tr><td>{@code minExplainedVariance}</td><td>(0, 1)</td><td>0.65</td></tr>
 *   <tr><td>{@code chunkCount}</td><td>[2, {@value #MAX_CHUNKS}]</td><td>10</td></tr>
 *   <tr><td>{@code chunkSize}</td><td>empty, or [1, 2^31 - 1]</td><td>empty</td></tr>
 *   <tr><td>{@code stdMultiplier}</td><td>(0, {@value #MAX_STD_MULTIPLIER}]</td><td>3</td></tr>
 *   <tr><td>{@code incomplete}</td><td>KEEP, DROP, APPEND</td><td>KEEP</td></tr>
 * </table>
 * A reference is also refused when its chunking gives more than {@value #MAX_CHUNKS} chunks.
 *
 * @param minExplainedVariance keep the fewest principal components whose cumulative share of the
 *     reference variance is strictly above this; NannyML's {@code n_components=0.65}; in (0, 1)
 * @param chunkCount split the reference into chunks of {@code n / chunkCount} rows (rounded down)
 *     when no {@code chunkSize} is given; NannyML's {@code DefaultChunker} uses 10; in [2, {@value #MAX_CHUNKS}]
 * @param chunkSize rows per reference chunk, NannyML's {@code chunk_size}; set it to the size of the
 *     batches you will test, since the band's width depends on it; in [1, 2^31 - 1] when present
 * @param stdMultiplier the alert band is the mean of the reference chunk errors plus and minus this
 *     many of their standard deviations; NannyML's {@code StandardDeviationThreshold} uses 3; in
 *     (0, {@value #MAX_STD_MULTIPLIER}]
 * @param incomplete what to do with the last {@code n mod size} reference rows that do not fill a
 *     chunk; NannyML keeps them as a chunk of their own
 */
public record PcaOptions(double minExplainedVariance, int chunkCount, OptionalInt chunkSize, double stdMultiplier,
        Incomplete incomplete) {

    /** NannyML's {@code n_components}. */
    public static final double DEFAULT_MIN_EXPLAINED_VARIANCE = 0.65;
    /** NannyML's {@code DefaultChunker.DEFAULT_CHUNK_COUNT}. */
    public static final int DEFAULT_CHUNK_COUNT = 10;
    /** NannyML's {@code StandardDeviationThreshold} multipliers. */
    public static final double DEFAULT_STD_MULTIPLIER = 3.0;
    /**
     * The most reference chunks, from {@code chunkCount} or from the reference size and
     * {@code chunkSize}: the band keeps one value per chunk (8 MB at this limit) and a saved
     * reference writes them all.
     */
    public static final int MAX_CHUNKS = 1_000_000;
    /** The widest band, in standard deviations of the chunk errors: wider is no band at all. */
    public static final double MAX_STD_MULTIPLIER = 1000.0;

    /** What becomes of reference rows that do not fill a last chunk (NannyML's {@code incomplete}). */
    public enum Incomplete {
        /** They form a smaller chunk of their own (NannyML's default {@code 'keep'}). */
        KEEP,
        /** They are left out of the band (NannyML's {@code 'drop'}). */
        DROP,
        /** They join the last full chunk (NannyML's {@code 'append'}). */
        APPEND
    }

    /**
     * Checks every setting.
     *
     * @param minExplainedVariance keep the fewest principal components whose cumulative share of the reference
     *     variance is strictly above this; NannyML's {@code n_components=0.65}; in (0, 1)
     * @param chunkCount split the reference into chunks of {@code n / chunkCount} rows (rounded down) when no {@code
     *     chunkSize} is given; NannyML's {@code DefaultChunker} uses 10; in [2, {@value #MAX_CHUNKS}]
     * @param chunkSize rows per reference chunk, NannyML's {@code chunk_size}; set it to the size of the batches you
     *     will test, since the band's width depends on it; in [1, 2^31 - 1] when present
     * @param stdMultiplier the alert band is the mean of the reference chunk errors plus and minus this many of their
     *     standard deviations; NannyML's {@code StandardDeviationThreshold} uses 3; in (0, {@value
     *     #MAX_STD_MULTIPLIER}]
     * @param incomplete what to do with the last {@code n mod size} reference rows that do not fill a chunk; NannyML
     *     keeps them as a chunk of their own
     */
    public PcaOptions {
        if (!(minExplainedVariance > 0 && minExplainedVariance < 1)) {
            throw new IllegalArgumentException("minExplainedVariance must be in (0, 1), was " + minExplainedVariance);
        }
        if (chunkCount < 2 || chunkCount > MAX_CHUNKS) {
            throw new IllegalArgumentException("chunkCount must be in [2, " + MAX_CHUNKS + "], was " + chunkCount);
        }
        Objects.requireNonNull(chunkSize, "chunkSize");
        if (chunkSize.isPresent() && chunkSize.getAsInt() < 1) {
            throw new IllegalArgumentException("chunkSize must be >= 1, was " + chunkSize.getAsInt());
        }
        if (!(stdMultiplier > 0 && stdMultiplier <= MAX_STD_MULTIPLIER)) {
            throw new IllegalArgumentException("stdMultiplier must be in (0, " + MAX_STD_MULTIPLIER + "], was "
                    + stdMultiplier);
        }
        Objects.requireNonNull(incomplete, "incomplete");
    }

    /** @return 65% explained variance, 10 reference chunks, incomplete chunk kept, band of ± 3σ */
    public static PcaOptions defaults() {
        return new PcaOptions(DEFAULT_MIN_EXPLAINED_VARIANCE, DEFAULT_CHUNK_COUNT, OptionalInt.empty(),
                DEFAULT_STD_MULTIPLIER, Incomplete.KEEP);
    }

    /**
     * @param share the variance share the kept components must exceed, in (0, 1)
     * @return a copy with that share
     */
    public PcaOptions withMinExplainedVariance(double share) {
        return new PcaOptions(share, chunkCount, chunkSize, stdMultiplier, incomplete);
    }

    /**
     * @param count the number of reference chunks, in [2, {@value #MAX_CHUNKS}]; clears a chunk size
     * @return a copy that splits the reference into that many chunks
     */
    public PcaOptions withChunkCount(int count) {
        return new PcaOptions(minExplainedVariance, count, OptionalInt.empty(), stdMultiplier, incomplete);
    }

    /**
     * @param size rows per reference chunk, at least 1
     * @return a copy with that chunk size, which takes precedence over the chunk count
     */
    public PcaOptions withChunkSize(int size) {
        return new PcaOptions(minExplainedVariance, chunkCount, OptionalInt.of(size), stdMultiplier, incomplete);
    }

    /**
     * @param multiplier the band's half-width in standard deviations of the chunk errors, in
     *     (0, {@value #MAX_STD_MULTIPLIER}]
     * @return a copy with that multiplier
     */
    public PcaOptions withStdMultiplier(double multiplier) {
        return new PcaOptions(minExplainedVariance, chunkCount, chunkSize, multiplier, incomplete);
    }

    /**
     * @param policy what to do with reference rows that do not fill a last chunk
     * @return a copy with that policy
     */
    public PcaOptions withIncomplete(Incomplete policy) {
        return new PcaOptions(minExplainedVariance, chunkCount, chunkSize, stdMultiplier, policy);
    }
}
