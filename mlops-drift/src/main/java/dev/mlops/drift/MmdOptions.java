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
 * <p>Every setting is checked where it is made, and a message names it:
 * <table>
 *   <caption>Ranges</caption>
 *   <tr><th>setting</th><th>range</th><th>default</th></tr>
 *   <tr><td>{@code pValue}</td><td>(0, 1)</td><td>0.05</td></tr>
 *   <tr><td>{@code permutations}</td><td>[1, {@value #MAX_PERMUTATIONS}]</td><td>100</td></tr>
 *   <tr><td>{@code seed}</td><td>any {@code long}</td><td>0</td></tr>
 *   <tr><td>{@code sigma}</td><td>empty, or [{@value #MIN_SIGMA}, {@value #MAX_SIGMA}]</td><td>empty</td></tr>
 * </table>
 *
 * @param pValue drift when the permutation p-value is strictly below this level; Alibi's
 *     {@code p_val}, default 0.05; in (0, 1)
 * @param permutations permuted statistics drawn per test; Alibi's {@code n_permutations}, default
 *     100; in [1, {@value #MAX_PERMUTATIONS}]. The p-value is a multiple of {@code 1 / permutations}
 * @param seed seeds the permutations of {@link MmdDetector#detect(double[][])}, default 0, so that a
 *     test repeats exactly; {@link MmdDetector#test(double[][], long)} takes a seed per call
 * @param sigma the Gaussian kernel bandwidth; empty (the default) to set it by the median
 *     heuristic on the reference, as Alibi's {@code configure_kernel_from_x_ref=True} does;
 *     in [{@value #MIN_SIGMA}, {@value #MAX_SIGMA}] when present
 */
public record MmdOptions(double pValue, int permutations, long seed, OptionalDouble sigma) {
    /** Alibi Detect's {@code p_val}. */
    public static final double DEFAULT_P_VALUE = 0.05;
    /** Alibi Detect's {@code n_permutations}. */
    public static final int DEFAULT_PERMUTATIONS = 100;
    /**
     * The most permutations per test: a p-value resolution of 1e-4. A test keeps one bit per pooled
     * row and permutation ({@code permutations · (n + m) / 8} bytes, 25 MB at this limit and 20,000
     * pooled rows) and adds about {@code permutations · min(n, m)² / 2} kernel values.
     */
    public static final int MAX_PERMUTATIONS = 10_000;
    /**
     * The smallest bandwidth: below it {@code 1 / (2σ²)} overflows and the kernel of two equal rows
     * would be {@code exp(-∞ · 0)}, NaN.
     */
    public static final double MIN_SIGMA = 1e-150;
    /**
     * The largest bandwidth: above it {@code 2σ²} overflows, every kernel value would be 1 and the
     * statistic meaningless.
     */
    public static final double MAX_SIGMA = 1e150;

    /**
     * Checks every setting.
     *
     * @param pValue drift when the permutation p-value is strictly below this level; Alibi's {@code p_val}, default
     *     0.05; in (0, 1)
     * @param permutations permuted statistics drawn per test; Alibi's {@code n_permutations}, default 100; in [1,
     *     {@value #MAX_PERMUTATIONS}]. The p-value is a multiple of {@code 1 / permutations}
     * @param seed seeds the permutations of {@link MmdDetector#detect(double[][])}, default 0, so that a test repeats
     *     exactly; {@link MmdDetector#test(double[][], long)} takes a seed per call
     * @param sigma the Gaussian kernel bandwidth; empty (the default) to set it by the median heuristic on the
     *     reference, as Alibi's {@code configure_kernel_from_x_ref=True} does; in [{@value #MIN_SIGMA}, {@value
     *     #MAX_SIGMA}] when present
     */
    public MmdOptions {
        if (!(pValue > 0 && pValue < 1)) {
            throw new IllegalArgumentException("pValue must be in (0, 1), was " + pValue);
        }
        if (permutations < 1 || permutations > MAX_PERMUTATIONS) {
            throw new IllegalArgumentException("permutations must be in [1, " + MAX_PERMUTATIONS + "], was "
                    + permutations);
        }
        Objects.requireNonNull(sigma, "sigma");
        if (sigma.isPresent()) {
            checkSigma("sigma", sigma.getAsDouble());
        }
    }

    /**
     * @param name the setting or field, for the message
     * @param sigma a bandwidth
     * @throws IllegalArgumentException unless it is in [{@value #MIN_SIGMA}, {@value #MAX_SIGMA}]
     */
    static void checkSigma(String name, double sigma) {
        if (!(sigma >= MIN_SIGMA && sigma <= MAX_SIGMA)) {
            throw new IllegalArgumentException(name + " must be in [" + MIN_SIGMA + ", " + MAX_SIGMA + "], was " + sigma);
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
     * @param count permuted statistics per test, in [1, {@value #MAX_PERMUTATIONS}]
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
     * @param bandwidth the Gaussian kernel bandwidth σ, in [{@value #MIN_SIGMA}, {@value #MAX_SIGMA}]
     * @return a copy with that fixed bandwidth instead of the median heuristic
     */
    public MmdOptions withSigma(double bandwidth) {
        return new MmdOptions(pValue, permutations, seed, OptionalDouble.of(bandwidth));
    }
}
