package dev.mlops.drift;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Settings of the {@link MmdDetector}: Alibi Detect's {@code MMDDrift} defaults unless changed.
 *
 * <pre>{@code
 * MmdOptions options = MmdOptions.defaults().withPermutations(500).withSeed(7);
 * }</pre>
 *
 * @param pValue drift when the permutation p-value is strictly below this level; Alibi's
 *     {@code p_val}, default 0.05; in (0, 1)
 * @param permutations permuted statistics drawn per test; Alibi's {@code n_permutations}, default
 *     100; at least 1. The p-value is a multiple of {@code 1 / permutations}
 * @param seed seeds the permutations of {@link MmdDetector#detect(double[][])}, default 0, so that a
 *     test repeats exactly; {@link MmdDetector#test(double[][], long)} takes a seed per call
 * @param sigma the Gaussian kernel bandwidth; empty (the default) to set it by the median
 *     heuristic on the reference, as Alibi's {@code configure_kernel_from_x_ref=True} does;
 *     finite and &gt; 0 when present
 */
public record MmdOptions(double pValue, int permutations, long seed, OptionalDouble sigma) {
    /** Alibi Detect's {@code p_val}. */
    public static final double DEFAULT_P_VALUE = 0.05;
    /** Alibi Detect's {@code n_permutations}. */
    public static final int DEFAULT_PERMUTATIONS = 100;

    /** Checks every setting. */
    public MmdOptions {
        if (!(pValue > 0 && pValue < 1)) {
            throw new IllegalArgumentException("pValue must be in (0, 1), was " + pValue);
        }
        if (permutations < 1) {
            throw new IllegalArgumentException("permutations must be >= 1, was " + permutations);
        }
        Objects.requireNonNull(sigma, "sigma");
        if (sigma.isPresent() && !(sigma.getAsDouble() > 0 && Double.isFinite(sigma.getAsDouble()))) {
            throw new IllegalArgumentException("sigma must be finite and > 0, was " + sigma.getAsDouble());
        }
    }

    /** @return p-value 0.05, 100 permutations, seed 0, bandwidth by the median heuristic */
    public static MmdOptions defaults() {
        return new MmdOptions(DEFAULT_P_VALUE, DEFAULT_PERMUTATIONS, 0L, OptionalDouble.empty());
    }

    /**
     * @param level the significance level, in (0, 1)
     * @return a copy with that level
     */
    public MmdOptions withPValue(double level) {
        return new MmdOptions(level, permutations, seed, sigma);
    }

    /**
     * @param count permuted statistics per test, at least 1
     * @return a copy with that count
     */
    public MmdOptions withPermutations(int count) {
        return new MmdOptions(pValue, count, seed, sigma);
    }

    /**
     * @param value the default seed of the permutations
     * @return a copy with that seed
     */
    public MmdOptions withSeed(long value) {
        return new MmdOptions(pValue, permutations, value, sigma);
    }

    /**
     * @param bandwidth the Gaussian kernel bandwidth σ, finite and &gt; 0
     * @return a copy with that fixed bandwidth instead of the median heuristic
     */
    public MmdOptions withSigma(double bandwidth) {
        return new MmdOptions(pValue, permutations, seed, OptionalDouble.of(bandwidth));
    }
}
