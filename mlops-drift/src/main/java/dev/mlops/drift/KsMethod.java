package dev.mlops.drift;

/**
 * How {@link StatTest#KOLMOGOROV_SMIRNOV} computes its p-value: SciPy's
 * {@code ks_2samp(method=...)} ({@code 'auto'}, {@code 'exact'}, {@code 'asymp'}), with SciPy 1.10.1's
 * rules. The statistic D is the same for every method, except that {@link #EXACT} reports D as the
 * exact lattice value {@code h / lcm(n, m)} that its count used, as SciPy does.
 *
 * <pre>{@code
 * DriftDetector ks = DriftDetectors.builder(StatTest.KOLMOGOROV_SMIRNOV, reference)
 *         .ksMethod(KsMethod.ASYMPTOTIC)
 *         .build();
 * }</pre>
 */
public enum KsMethod {
    /** Exact when both samples hold at most 10,000 values, else asymptotic: SciPy's default. */
    AUTO,
    /**
     * The exact null distribution, for equal and for unequal sizes (lattice paths through the
     * {@code n x m} grid, Hodges 1958 and Viehmann's recursion). As in SciPy it falls back to
     * {@link #ASYMPTOTIC} when it cannot be computed: when {@code n / gcd(n, m)} is at least
     * {@code (2^31 - 1) / (m / gcd(n, m))}, or when the count fails (overflows the double range);
     * SciPy warns there, this library documents it. Its cost grows as {@code n * m} for unequal sizes
     * (seconds from about 10^5 values against 10^5 with a large common divisor), so prefer
     * {@link #AUTO} for large samples.
     */
    EXACT,
    /**
     * The limiting distribution: {@code kstwo.sf(D, round(n m / (n + m)))}, the exact one-sample
     * Kolmogorov distribution at the effective size (Simard and L'Ecuyer 2011).
     */
    ASYMPTOTIC
}
