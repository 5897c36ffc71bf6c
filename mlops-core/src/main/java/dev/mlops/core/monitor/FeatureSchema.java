package dev.mlops.core.monitor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The features a {@link Monitor} tracks, fixed up front so that recording passes plain arrays: numeric
 * features by position in a {@code double[]}, categorical features by position in an {@code int[]}
 * whose values index the feature's category list.
 *
 * <p><b>Encoding.</b> A numeric value of NaN means missing; ±∞ is a value that is there but not finite
 * (counted apart, kept out of the statistics). A category index of {@code -1} means missing; any other
 * index outside {@code [0, categories.size())} is a category not known in advance ("unseen").
 * {@link Categorical#indexOf(String)} turns a category name into its index off the hot path.
 *
 * <p>A numeric feature may carry the range its values are expected in; values outside it are counted
 * per window as data-quality violations (they are still recorded).
 *
 * <pre>{@code
 * FeatureSchema schema = FeatureSchema.builder()
 *         .numeric("amount", 0, 10_000)        // expected range
 *         .numeric("age")                      // no expected range
 *         .categorical("country", "de", "fr", "us")
 *         .build();
 * }</pre>
 *
 * @param numeric numeric features, in array order
 * @param categorical categorical features, in array order
 */
public record FeatureSchema(List<Numeric> numeric, List<Categorical> categorical) {

    /**
     * A numeric feature and the closed range its values are expected in; an unbounded side is infinite.
     *
     * @param name feature name, not blank
     * @param min smallest expected value, {@code -Infinity} for no lower bound
     * @param max largest expected value, {@code +Infinity} for no upper bound
     */
    public record Numeric(String name, double min, double max) {
        /**
         * Validates the parts: a non-blank name and {@code min <= max}, neither NaN.
         *
         * @param name feature name, not blank
         * @param min smallest expected value, {@code -Infinity} for no lower bound
         * @param max largest expected value, {@code +Infinity} for no upper bound
         */
        public Numeric {
            checkName(name);
            if (!(min <= max)) {
                throw new IllegalArgumentException(
                        "numeric feature " + name + ": expected range needs min <= max (neither NaN), was [" + min + ", " + max + "]");
            }
        }

        /**
         * @param name feature name
         * @return a numeric feature without an expected range
         */
        public static Numeric of(String name) {
            return new Numeric(name, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        }

        /** @return whether either bound is finite */
        public boolean hasRange() {
            return min != Double.NEGATIVE_INFINITY || max != Double.POSITIVE_INFINITY;
        }

        /**
         * @param value a finite value
         * @return whether it lies outside {@code [min, max]}
         */
        public boolean outOfRange(double value) {
            return value < min || value > max;
        }
    }

    /**
     * A categorical feature and its known categories.
     *
     * @param name feature name, not blank
     * @param categories known categories, in index order, unique, none null
     */
    public record Categorical(String name, List<String> categories) {
        /**
         * Validates and copies the parts.
         *
         * @param name feature name, not blank
         * @param categories known categories, in index order, unique, none null
         */
        public Categorical {
            checkName(name);
            Objects.requireNonNull(categories, () -> "categories of feature " + name);
            for (String c : categories) {
                if (c == null) {
                    throw new NullPointerException("categorical feature " + name + ": a category is null");
                }
            }
            categories = List.copyOf(categories);
            if (new HashSet<>(categories).size() != categories.size()) {
                throw new IllegalArgumentException(
                        "categorical feature " + name + ": categories must be unique, were " + categories);
            }
        }

        /**
         * The index to record for a category name, in O(number of categories); for the hot path look
         * indexes up once and keep them.
         *
         * @param category a category name, or null for missing
         * @return its index; {@code -1} (missing) for null; {@code categories().size()} (unseen) for a
         *     name that is not a known category
         */
        public int indexOf(String category) {
            if (category == null) {
                return -1;
            }
            int i = categories.indexOf(category);
            return i < 0 ? categories.size() : i;
        }
    }

    /**
     * Validates and copies the parts; feature names must be unique across both kinds.
     *
     * @param numeric numeric features, in array order
     * @param categorical categorical features, in array order
     */
    public FeatureSchema {
        numeric = List.copyOf(numeric);
        categorical = List.copyOf(categorical);
        Set<String> seen = new HashSet<>();
        for (Numeric n : numeric) {
            if (!seen.add(n.name())) {
                throw new IllegalArgumentException("feature name " + n.name() + " appears twice");
            }
        }
        for (Categorical c : categorical) {
            if (!seen.add(c.name())) {
                throw new IllegalArgumentException("feature name " + c.name() + " appears twice");
            }
        }
    }

    /** @return a schema with no features: only scores and latencies are tracked */
    public static FeatureSchema none() {
        return new FeatureSchema(List.of(), List.of());
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the numeric feature names, in array order */
    public List<String> numericNames() {
        return numeric.stream().map(Numeric::name).toList();
    }

    /** @return the categorical feature names, in array order */
    public List<String> categoricalNames() {
        return categorical.stream().map(Categorical::name).toList();
    }

    /**
     * Checks that the arrays fit the schema.
     *
     * @param numericValues numeric values in schema order
     * @param categoryIndexes category indexes in schema order
     * @throws NullPointerException if an array is null
     * @throws IllegalArgumentException naming the array, the expected length and the features, when a
     *     length is wrong
     */
    public void checkShape(double[] numericValues, int[] categoryIndexes) {
        checkNumericLength(numericValues);
        Objects.requireNonNull(categoryIndexes, "categories");
        if (categoryIndexes.length != categorical.size()) {
            throw categoricalLengthMismatch(categoryIndexes.length);
        }
    }

    /**
     * Describes every value that breaks the schema, one line per value naming the feature: a missing
     * or non-finite numeric value, one outside its expected range, a missing category, an index outside
     * the known categories. For tests and offline data checks; the monitor counts these per window
     * instead.
     *
     * @param numericValues numeric values in schema order
     * @param categoryIndexes category indexes in schema order
     * @return the violations, empty when the values fit
     * @throws IllegalArgumentException when an array has the wrong length
     */
    public List<String> violations(double[] numericValues, int[] categoryIndexes) {
        checkShape(numericValues, categoryIndexes);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < numeric.size(); i++) {
            Numeric f = numeric.get(i);
            double v = numericValues[i];
            if (Double.isNaN(v)) {
                out.add("numeric feature " + f.name() + " is missing (NaN)");
            } else if (Double.isInfinite(v)) {
                out.add("numeric feature " + f.name() + " is not finite: " + v);
            } else if (f.outOfRange(v)) {
                out.add("numeric feature " + f.name() + " = " + v + " is outside its expected range [" + f.min() + ", "
                        + f.max() + "]");
            }
        }
        for (int i = 0; i < categorical.size(); i++) {
            Categorical f = categorical.get(i);
            int c = categoryIndexes[i];
            if (c == -1) {
                out.add("categorical feature " + f.name() + " is missing (-1)");
            } else if (c < 0 || c >= f.categories().size()) {
                out.add("categorical feature " + f.name() + " has index " + c + ", outside its " + f.categories().size()
                        + " known categories " + f.categories());
            }
        }
        return List.copyOf(out);
    }

    void checkNumericLength(double[] numericValues) {
        Objects.requireNonNull(numericValues, "numeric");
        if (numericValues.length != numeric.size()) {
            throw numericLengthMismatch(numericValues.length);
        }
    }

    IllegalArgumentException numericLengthMismatch(int length) {
        return new IllegalArgumentException("numeric: expected " + numeric.size() + " values, one per numeric feature "
                + numericNames() + ", was " + length);
    }

    IllegalArgumentException categoricalLengthMismatch(int length) {
        return new IllegalArgumentException("categories: expected " + categorical.size()
                + " values, one per categorical feature " + categoricalNames() + ", was " + length);
    }

    private static void checkName(String name) {
        Objects.requireNonNull(name, "feature name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("feature name must not be blank, was '" + name + "'");
        }
    }

    /** Builds a {@link FeatureSchema}. Not thread-safe. */
    public static final class Builder {
        private final List<Numeric> numeric = new ArrayList<>();
        private final List<Categorical> categorical = new ArrayList<>();

        private Builder() {
        }

        /**
         * @param name numeric feature without an expected range
         * @return this
         */
        public Builder numeric(String name) {
            numeric.add(Numeric.of(name));
            return this;
        }

        /**
         * @param name numeric feature
         * @param min smallest expected value
         * @param max largest expected value
         * @return this
         */
        public Builder numeric(String name, double min, double max) {
            numeric.add(new Numeric(name, min, max));
            return this;
        }

        /**
         * @param name categorical feature
         * @param categories its known categories
         * @return this
         */
        public Builder categorical(String name, String... categories) {
            categorical.add(new Categorical(name, List.of(categories)));
            return this;
        }

        /**
         * @param name categorical feature
         * @param categories its known categories
         * @return this
         */
        public Builder categorical(String name, List<String> categories) {
            categorical.add(new Categorical(name, categories));
            return this;
        }

        /** @return the schema */
        public FeatureSchema build() {
            return new FeatureSchema(numeric, categorical);
        }
    }
}
