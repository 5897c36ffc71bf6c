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
 * @param minExplainedVariance keep the fewest principal components whose cumulative share of the
 *     reference variance is strictly above this; NannyML's {@code n_components=0.65}; in (0, 1)
 * @param chunkCount split the reference into chunks of {@code n / chunkCount} rows (rounded down)
 *     when no {@code chunkSize} is given; NannyML's {@code DefaultChunker} uses 10; at least 2
 * @param chunkSize rows per reference chunk, NannyML's {@code chunk_size}; set it to the size of the
 *     batches you will test, since the band's width depends on it; at least 1 when present
 * @param stdMultiplier the alert band is the mean of the reference chunk errors plus and minus this
 *     many of their standard deviations; NannyML's {@code StandardDeviationThreshold} uses 3; finite
 *     and &gt; 0
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

    /** What becomes of reference rows that do not fill a last chunk (NannyML's {@code incomplete}). */
    public enum Incomplete {
        /** They form a smaller chunk of their own (NannyML's default {@code 'keep'}). */
        KEEP,
        /** They are left out of the band (NannyML's {@code 'drop'}). */
        DROP,
        /** They join the last full chunk (NannyML's {@code 'append'}). */
        APPEND
    }

    /** Checks every setting. */
    public PcaOptions {
        if (!(minExplainedVariance > 0 && minExplainedVariance < 1)) {
            throw new IllegalArgumentException("minExplainedVariance must be in (0, 1), was " + minExplainedVariance);
        }
        if (chunkCount < 2) {
            throw new IllegalArgumentException("chunkCount must be >= 2, was " + chunkCount);
        }
        Objects.requireNonNull(chunkSize, "chunkSize");
        if (chunkSize.isPresent() && chunkSize.getAsInt() < 1) {
            throw new IllegalArgumentException("chunkSize must be >= 1, was " + chunkSize.getAsInt());
        }
        if (!(stdMultiplier > 0 && Double.isFinite(stdMultiplier))) {
            throw new IllegalArgumentException("stdMultiplier must be finite and > 0, was " + stdMultiplier);
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
     * @param count the number of reference chunks, at least 2; clears a chunk size
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
     * @param multiplier the band's half-width in standard deviations of the chunk errors, &gt; 0
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
