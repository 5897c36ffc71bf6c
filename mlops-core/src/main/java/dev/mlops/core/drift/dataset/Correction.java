package dev.mlops.core.drift.dataset;

/**
 * How a dataset drift detector corrects the p-value tests of many columns for multiple testing. Distances
 * have no p-value and are never corrected.
 */
public enum Correction {
    /** Each column is judged at its own threshold. */
    NONE,
    /**
     * Bonferroni: with {@code m} p-value columns, a column drifts when its p-value is below
     * {@code threshold / m} (Alibi Detect's default). Controls the family-wise error rate.
     */
    BONFERRONI,
    /**
     * Benjamini-Hochberg step-up at false discovery rate {@code threshold}: with the {@code m} p-values
     * sorted, {@code p(1) <= ... <= p(m)}, the columns with the {@code k} smallest drift, {@code k} the
     * largest index with {@code p(k) <= k / m * threshold}. Needs one threshold for all p-value columns.
     */
    BENJAMINI_HOCHBERG
}
