package dev.mlops.core.drift.dataset;

import dev.mlops.core.drift.CategoricalSample;
import dev.mlops.core.drift.NumericSample;
import dev.mlops.core.drift.Sample;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What people check first about one side of a column: how many values, how many missing, and the shape
 * of the rest. Computed from a prepared {@link Sample} (numeric values are already sorted, so quantiles
 * cost nothing). Immutable.
 */
public sealed interface ColumnProfile permits ColumnProfile.Numeric, ColumnProfile.Categorical {
    /** The quantile levels of {@link Numeric#quantiles()}. */
    List<Double> QUANTILE_LEVELS = List.of(0.05, 0.25, 0.5, 0.75, 0.95);
    /** How many categories {@link Categorical#top()} holds at most. */
    int TOP_CATEGORIES = 10;

    /** @return usable values */
    long count();

    /** @return missing values (NaN, infinities, null) */
    long missing();

    /** @return distinct usable values */
    long distinct();

    /** @return missing values as a share of all values, 0 when there are none */
    default double missingShare() {
        long all = count() + missing();
        return all == 0 ? 0 : (double) missing() / all;
    }

    /**
     * @param sample a prepared sample
     * @return its profile
     */
    static ColumnProfile of(Sample sample) {
        Objects.requireNonNull(sample, "sample");
        return sample instanceof NumericSample n ? Numeric.of(n) : Categorical.of((CategoricalSample) sample);
    }

    /**
     * A numeric side. Without usable values every statistic is 0 and {@code quantiles} is empty.
     *
     * @param count usable values
     * @param missing missing values
     * @param distinct distinct usable values
     * @param min the smallest value
     * @param max the largest value
     * @param mean the mean, computed so that it cannot overflow for finite values
     * @param std the population standard deviation (ddof 0), likewise; at most {@code (max - min) / 2} but
     *     possibly beyond {@code Double.MAX_VALUE} only when the spread is, in which case it is that bound
     * @param quantiles the values at {@link #QUANTILE_LEVELS}, linearly interpolated (NumPy's default)
     * @param integral whether every value is a whole number (charts then bin on integers)
     */
    record Numeric(long count, long missing, long distinct, double min, double max, double mean, double std,
            List<Double> quantiles, boolean integral) implements ColumnProfile {
        /**
         * Validates the parts.
         *
         * @param count usable values
         * @param missing missing values
         * @param distinct distinct usable values
         * @param min the smallest value
         * @param max the largest value
         * @param mean the mean, computed so that it cannot overflow for finite values
         * @param std the population standard deviation (ddof 0), likewise; at most {@code (max - min) / 2} but
         *     possibly beyond {@code Double.MAX_VALUE} only when the spread is, in which case it is that bound
         * @param quantiles the values at {@link #QUANTILE_LEVELS}, linearly interpolated (NumPy's default)
         * @param integral whether every value is a whole number (charts then bin on integers)
         */
        public Numeric {
            quantiles = List.copyOf(quantiles);
            if (count < 0 || missing < 0 || distinct < 0 || distinct > count) {
                throw new IllegalArgumentException("counts must be >= 0 and distinct <= count");
            }
            if (!(Double.isFinite(min) && Double.isFinite(max) && Double.isFinite(mean) && Double.isFinite(std))) {
                throw new IllegalArgumentException("min, max, mean and std must be finite");
            }
        }

        static Numeric of(NumericSample s) {
            int n = (int) s.size();
            if (n == 0) {
                return new Numeric(0, s.missing(), 0, 0, 0, 0, 0, List.of(), true);
            }
            long distinct = 0;
            boolean integral = true;
            double max = Math.max(Math.abs(s.valueAt(0)), Math.abs(s.valueAt(n - 1)));
            // power-of-two scaling is exact, and keeps sums and squares of any finite values finite; two
            // passes (sum, then squared deviations) as numpy.std, with no division in the loops
            double scale = max == 0 ? 1 : Math.scalb(1.0, -Math.getExponent(max));
            double sum = 0;
            double previous = Double.NaN;
            for (int i = 0; i < n; i++) {
                double v = s.valueAt(i);
                if (v != previous) {
                    distinct++;
                    integral &= v == Math.rint(v);
                    previous = v;
                }
                sum += v * scale;
            }
            double mean = sum / n;
            double squares = 0;
            for (int i = 0; i < n; i++) {
                double d = s.valueAt(i) * scale - mean;
                squares += d * d;
            }
            double std = Math.sqrt(squares / n) / scale;
            List<Double> quantiles = new ArrayList<>();
            for (double level : QUANTILE_LEVELS) {
                quantiles.add(quantile(s, level));
            }
            return new Numeric(n, s.missing(), distinct, s.valueAt(0), s.valueAt(n - 1), mean / scale,
                    Double.isFinite(std) ? std : Double.MAX_VALUE, quantiles, integral);
        }

        private static double quantile(NumericSample s, double level) {
            double h = (s.size() - 1) * level;
            int lo = (int) Math.floor(h);
            int hi = (int) Math.min(lo + 1, s.size() - 1);
            double f = h - lo;
            double a = s.valueAt(lo);
            double b = s.valueAt(hi);
            double q = a + f * (b - a);
            return Double.isFinite(q) ? q : (1 - f) * a + f * b;
        }
    }

    /**
     * A categorical side.
     *
     * @param count usable values
     * @param missing missing values
     * @param distinct distinct categories
     * @param top the most frequent categories, at most {@link #TOP_CATEGORIES}, most frequent first (ties by
     *     name)
     */
    record Categorical(long count, long missing, long distinct, List<CategoryCount> top) implements ColumnProfile {
        /**
         * Validates the parts.
         *
         * @param count usable values
         * @param missing missing values
         * @param distinct distinct categories
         * @param top the most frequent categories, at most {@link #TOP_CATEGORIES}, most frequent first (ties by
         *     name)
         */
        public Categorical {
            top = List.copyOf(top);
            if (count < 0 || missing < 0 || distinct < 0) {
                throw new IllegalArgumentException("counts must be >= 0");
            }
        }

        static Categorical of(CategoricalSample s) {
            List<CategoryCount> all = new ArrayList<>();
            for (Map.Entry<String, Long> e : s.counts().entrySet()) {
                all.add(new CategoryCount(e.getKey(), e.getValue()));
            }
            all.sort(Comparator.comparingLong(CategoryCount::count).reversed().thenComparing(CategoryCount::category));
            return new Categorical(s.size(), s.missing(), all.size(), all.subList(0, Math.min(TOP_CATEGORIES, all.size())));
        }
    }

    /**
     * @param category a category
     * @param count how often it was observed
     */
    record CategoryCount(String category, long count) {
        /**
         * Validates the parts.
         *
         * @param category a category
         * @param count how often it was observed
         */
        public CategoryCount {
            Objects.requireNonNull(category, "category");
            if (count < 0) {
                throw new IllegalArgumentException("count must be >= 0, was " + count);
            }
        }
    }
}
