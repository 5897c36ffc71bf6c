package dev.mlops.core.drift;

import java.util.Map;

/**
 * Data for a batch drift test, prepared when it is made: numeric values are sorted and their missing
 * values (NaN or infinite) counted; categorical values are counted per category, their missing values (null)
 * counted apart. Every univariate two-sample test is invariant to input order, so nothing else is kept.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * <pre>{@code
 * Sample amounts = Sample.numeric(new double[] {12.5, 80.0, Double.NaN});   // 2 values, 1 missing
 * Sample country = Sample.categorical(new String[] {"de", "fr", null});     // 2 values, 1 missing
 * }</pre>
 */
public sealed interface Sample permits NumericSample, CategoricalSample {
    /**
     * @param values the observations; NaN and infinities count as missing; the array is copied
     * @return the prepared sample
     */
    static NumericSample numeric(double[] values) {
        return NumericSample.of(values);
    }

    /**
     * @param values the observations; {@code null} counts as missing; the array is not kept
     * @return the prepared sample
     */
    static CategoricalSample categorical(String[] values) {
        return CategoricalSample.of(values);
    }

    /**
     * @param counts observations per category (each count at least 0)
     * @param missing how many observations had no value
     * @return the prepared sample
     */
    static CategoricalSample categoricalCounts(Map<String, Long> counts, long missing) {
        return new CategoricalSample(counts, missing);
    }

    /** @return the number of usable (non-missing) observations */
    long size();

    /** @return the number of missing observations, counted but not used */
    long missing();
}
