package dev.mlops.drift.stream;

/**
 * The exact two-sided two-sample Kolmogorov-Smirnov test for samples of equal size, as SciPy's
 * {@code stats.ks_2samp} computes it (method {@code auto}, exact below 10,000 values), so that
 * {@link Kswin} reproduces River, which calls SciPy. Package-private helper; named for what it
 * computes, apart from the batch test of any sizes in {@code dev.mlops.drift.internal}.
 */
final class EqualSizeKs {
    private EqualSizeKs() {
    }

    /**
     * n·D for two sorted samples of the same length n: the largest difference between the counts
     * of values ≤ v in each, over all v. Ties across samples are stepped together, as the
     * empirical distribution functions require. Exact, since it works in counts.
     */
    static int scaledStatistic(double[] sortedA, double[] sortedB, int n) {
        int i = 0;
        int j = 0;
        int largest = 0;
        while (i < n && j < n) {
            double v = Math.min(sortedA[i], sortedB[j]);
            while (i < n && sortedA[i] == v) {
                i++;
            }
            while (j < n && sortedB[j] == v) {
                j++;
            }
            largest = Math.max(largest, Math.abs(i - j));
        }
        // Once one sample is exhausted the gap only narrows, so the maximum is already found.
        return largest;
    }

    /**
     * P(D ≥ h/n) under the null hypothesis for two samples of size n, by SciPy's Horner-like
     * evaluation of the alternating reflection sum (shared with the batch test in
     * {@code dev.mlops.drift.internal}), clipped to [0, 1] as SciPy does; for h = 1 the rounding
     * excess above 1 is where SciPy falls back to the asymptotic formula, which also gives 1.
     */
    static double pValue(int n, int h) {
        if (h <= 0) {
            return 1.0;
        }
        return Math.min(1.0, Math.max(0.0, dev.mlops.drift.internal.KolmogorovSmirnov.probOutsideSquare(n, h)));
    }

    /** The p-value of every possible n·D, so that each test is a table look-up. */
    static double[] pValueTable(int n) {
        double[] table = new double[n + 1];
        for (int h = 0; h <= n; h++) {
            table[h] = pValue(n, h);
        }
        return table;
    }
}
