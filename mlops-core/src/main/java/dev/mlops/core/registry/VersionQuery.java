package dev.mlops.core.registry;

import dev.mlops.core.Names;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A search over live versions: all conditions must hold. Results come in {@link ModelStore#NEWEST_FIRST}
 * order, the newest {@code limit} of them.
 *
 * <pre>{@code
 * store.search(VersionQuery.builder().model("fraud-scorer").tag("team", "risk").metricAbove("auc", 0.9).build());
 * }</pre>
 *
 * @param model only this model, or every model when empty
 * @param tags tags that must be present with exactly these values
 * @param metrics metric conditions
 * @param createdFrom created at or after this instant, when present
 * @param createdBefore created strictly before this instant, when present
 * @param limit at most this many results, 1 to 10,000
 */
public record VersionQuery(Optional<String> model, Map<String, String> tags, List<MetricFilter> metrics,
        Optional<Instant> createdFrom, Optional<Instant> createdBefore, int limit) {

    /** Validates and copies the parts. */
    public VersionQuery {
        Objects.requireNonNull(model, "model").ifPresent(Names::checkModel);
        tags = NewVersion.checkTags(tags);
        metrics = List.copyOf(Objects.requireNonNull(metrics, "metrics"));
        Objects.requireNonNull(createdFrom, "createdFrom");
        Objects.requireNonNull(createdBefore, "createdBefore");
        if (createdFrom.isPresent() && createdBefore.isPresent() && !createdFrom.get().isBefore(createdBefore.get())) {
            throw new IllegalArgumentException("createdFrom " + createdFrom.get() + " must be before createdBefore "
                    + createdBefore.get());
        }
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("limit must be 1 to 10000, was " + limit);
        }
    }

    /** @return a builder; with nothing set it matches every live version, up to 100 */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param v a version
     * @return whether it satisfies every condition
     */
    public boolean matches(ModelVersion v) {
        if (model.isPresent() && !model.get().equals(v.model())) {
            return false;
        }
        for (Map.Entry<String, String> t : tags.entrySet()) {
            if (!t.getValue().equals(v.tags().get(t.getKey()))) {
                return false;
            }
        }
        for (MetricFilter f : metrics) {
            if (!f.matches(v)) {
                return false;
            }
        }
        if (createdFrom.isPresent() && v.createdAt().isBefore(createdFrom.get())) {
            return false;
        }
        return createdBefore.isEmpty() || v.createdAt().isBefore(createdBefore.get());
    }

    /** Builds a {@link VersionQuery}. Not thread-safe. */
    public static final class Builder {
        private Optional<String> model = Optional.empty();
        private final Map<String, String> tags = new LinkedHashMap<>();
        private final List<MetricFilter> metrics = new ArrayList<>();
        private Optional<Instant> from = Optional.empty();
        private Optional<Instant> before = Optional.empty();
        private int limit = 100;

        private Builder() {
        }

        /**
         * @param name the model to search
         * @return this
         */
        public Builder model(String name) {
            if (model.isPresent()) {
                throw new IllegalStateException("model is already set to " + model.get());
            }
            model = Optional.of(Objects.requireNonNull(name, "name"));
            return this;
        }

        /**
         * @param key tag key
         * @param value required value
         * @return this
         * @throws IllegalStateException when the tag is already required
         */
        public Builder tag(String key, String value) {
            Objects.requireNonNull(key, "key");
            if (tags.putIfAbsent(key, Objects.requireNonNull(value, "value")) != null) {
                throw new IllegalStateException("tag " + key + " is already required");
            }
            return this;
        }

        /**
         * @param filter a metric condition
         * @return this
         */
        public Builder metric(MetricFilter filter) {
            metrics.add(Objects.requireNonNull(filter, "filter"));
            return this;
        }

        /**
         * @param name metric
         * @param value bound
         * @return this, requiring {@code name > value}
         */
        public Builder metricAbove(String name, double value) {
            return metric(new MetricFilter(name, MetricFilter.Comparison.GREATER, value));
        }

        /**
         * @param name metric
         * @param value bound
         * @return this, requiring {@code name < value}
         */
        public Builder metricBelow(String name, double value) {
            return metric(new MetricFilter(name, MetricFilter.Comparison.LESS, value));
        }

        /**
         * @param fromInclusive earliest creation time
         * @param beforeExclusive creation time bound
         * @return this
         */
        public Builder createdBetween(Instant fromInclusive, Instant beforeExclusive) {
            return createdFrom(fromInclusive).createdBefore(beforeExclusive);
        }

        /**
         * @param fromInclusive earliest creation time
         * @return this
         */
        public Builder createdFrom(Instant fromInclusive) {
            if (from.isPresent()) {
                throw new IllegalStateException("createdFrom is already set");
            }
            from = Optional.of(Objects.requireNonNull(fromInclusive, "fromInclusive"));
            return this;
        }

        /**
         * @param beforeExclusive creation time bound
         * @return this
         */
        public Builder createdBefore(Instant beforeExclusive) {
            if (before.isPresent()) {
                throw new IllegalStateException("createdBefore is already set");
            }
            before = Optional.of(Objects.requireNonNull(beforeExclusive, "beforeExclusive"));
            return this;
        }

        /**
         * @param max most results
         * @return this
         */
        public Builder limit(int max) {
            limit = max;
            return this;
        }

        /** @return the query */
        public VersionQuery build() {
            return new VersionQuery(model, tags, metrics, from, before, limit);
        }
    }
}
