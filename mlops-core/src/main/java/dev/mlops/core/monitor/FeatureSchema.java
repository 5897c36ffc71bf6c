package dev.mlops.core.monitor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The features a {@link Monitor} tracks, fixed up front so that recording passes plain arrays: numeric
 * features by position in a {@code double[]}, categorical features by position in an {@code int[]}
 * whose values index the feature's category list ({@code -1} for missing, any other index outside
 * the list for a category not known in advance).
 *
 * <pre>{@code
 * FeatureSchema schema = FeatureSchema.builder().numeric("amount").numeric("age")
 *         .categorical("country", "de", "fr", "us").build();
 * }</pre>
 *
 * @param numeric numeric feature names, in array order
 * @param categorical categorical features, in array order
 */
public record FeatureSchema(List<String> numeric, List<Categorical> categorical) {

    /**
     * A categorical feature and its known categories.
     *
     * @param name feature name
     * @param categories known categories, in index order, unique
     */
    public record Categorical(String name, List<String> categories) {
        /** Validates and copies the parts. */
        public Categorical {
            Objects.requireNonNull(name, "name");
            categories = List.copyOf(categories);
            if (new HashSet<>(categories).size() != categories.size()) {
                throw new IllegalArgumentException("categories of feature " + name + " must be unique: " + categories);
            }
        }
    }

    /** Validates and copies the parts; feature names must be unique across both kinds. */
    public FeatureSchema {
        numeric = List.copyOf(numeric);
        categorical = List.copyOf(categorical);
        Set<String> seen = new HashSet<>();
        for (String n : numeric) {
            if (n.isEmpty() || !seen.add(n)) {
                throw new IllegalArgumentException("feature name " + n + " is empty or appears twice");
            }
        }
        for (Categorical c : categorical) {
            if (c.name().isEmpty() || !seen.add(c.name())) {
                throw new IllegalArgumentException("feature name " + c.name() + " is empty or appears twice");
            }
        }
    }

    /** @return a schema with no features: only scores, latencies and outcomes are tracked */
    public static FeatureSchema none() {
        return new FeatureSchema(List.of(), List.of());
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link FeatureSchema}. Not thread-safe. */
    public static final class Builder {
        private final List<String> numeric = new ArrayList<>();
        private final List<Categorical> categorical = new ArrayList<>();

        private Builder() {
        }

        /**
         * @param name numeric feature
         * @return this
         */
        public Builder numeric(String name) {
            numeric.add(Objects.requireNonNull(name, "name"));
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

        /** @return the schema */
        public FeatureSchema build() {
            return new FeatureSchema(numeric, categorical);
        }
    }
}
