package dev.mlops.core.monitor;

/**
 * One prediction as a value, for replays and tests; the serving path calls
 * {@link Monitor#record(long, double, long, double[], int[])} with primitives instead.
 *
 * @param id the prediction's id, used to join its outcome later
 * @param score the model's output
 * @param latencyNanos how long the prediction took
 * @param numeric numeric feature values in schema order (NaN for missing); copied
 * @param categories category indexes in schema order ({@code -1} for missing); copied
 */
public record PredictionRecord(long id, double score, long latencyNanos, double[] numeric, int[] categories) {
    /**
     * Validates and copies the parts.
     *
     * @param id the prediction's id, used to join its outcome later
     * @param score the model's output
     * @param latencyNanos how long the prediction took
     * @param numeric numeric feature values in schema order (NaN for missing); copied
     * @param categories category indexes in schema order ({@code -1} for missing); copied
     */
    public PredictionRecord {
        if (latencyNanos < 0) {
            throw new IllegalArgumentException("latencyNanos must be >= 0, was " + latencyNanos);
        }
        numeric = numeric.clone();
        categories = categories.clone();
    }

    /** @return a copy of the numeric feature values */
    @Override
    public double[] numeric() {
        return numeric.clone();
    }

    /** @return a copy of the category indexes */
    @Override
    public int[] categories() {
        return categories.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PredictionRecord p && id == p.id && Double.compare(score, p.score) == 0
                && latencyNanos == p.latencyNanos && java.util.Arrays.equals(numeric, p.numeric)
                && java.util.Arrays.equals(categories, p.categories);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(id, score, latencyNanos, java.util.Arrays.hashCode(numeric),
                java.util.Arrays.hashCode(categories));
    }

    @Override
    public String toString() {
        return "PredictionRecord[id=" + id + ", score=" + score + ", latencyNanos=" + latencyNanos + "]";
    }
}
