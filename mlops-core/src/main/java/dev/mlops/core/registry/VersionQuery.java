package dev.mlops.core.registry;

import dev.mlops.core.Names;
import dev.mlops.core.Sha256;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A search over live versions: all conditions must hold. Results come in the query's {@link Order}
 * ({@link ModelStore#NEWEST_FIRST} unless told otherwise), the first {@code limit} of them, or page by
 * page with {@link ModelStore#search(VersionQuery, PageRequest)}.
 *
 * <pre>{@code
 * store.search(VersionQuery.builder().model("fraud-scorer").tag("team", "risk").metricAbove("auc", 0.9).build());
 * ModelVersion best = store.search(VersionQuery.builder().model("fraud-scorer").orderBy(Order.highest("auc"))
 *         .limit(1).build()).get(0);
 * }</pre>
 *
 * @param model only this model, or every model when empty
 * @param tags tags that must be present with exactly these values
 * @param tagKeys tags that must be present, whatever their values
 * @param params parameters that must be present with exactly these values
 * @param metrics metric conditions
 * @param digest only versions whose artifact has this SHA-256, when present
 * @param order the order of results; a metric order leaves out versions without that metric
 * @param createdFrom created at or after this instant, when present
 * @param createdBefore created strictly before this instant, when present
 * @param limit at most this many results from {@link ModelStore#search(VersionQuery)}, 1 to 10,000
 */
public record VersionQuery(Optional<String> model, Map<String, String> tags, Set<String> tagKeys,
        Map<String, String> params, List<MetricFilter> metrics, Optional<Sha256> digest, Optional<Instant> createdFrom,
        Optional<Instant> createdBefore, Order order, int limit) {

    /**
     * The order of results: {@link #newestFirst()} ({@link ModelStore#NEWEST_FIRST}), or by a metric
     * ("best auc first"), ties broken by model name, then version, newest first; versions without the
     * metric are left out.
     *
     * @param metric the metric to order by; empty for newest first
     * @param highestFirst for a metric, whether the highest value comes first
     */
    public record Order(Optional<String> metric, boolean highestFirst) {
        /**
         * Validates the parts.
         *
         * @param metric the metric to order by; empty for newest first
         * @param highestFirst for a metric, whether the highest value comes first
         */
        public Order {
            Objects.requireNonNull(metric, "metric").ifPresent(m -> Texts.key("metric name", m));
            if (metric.isEmpty() && !highestFirst) {
                throw new IllegalArgumentException("newest first has no other direction");
            }
        }

        /** @return {@link ModelStore#NEWEST_FIRST} */
        public static Order newestFirst() {
            return new Order(Optional.empty(), true);
        }

        /**
         * @param metric a metric name
         * @return the highest value first
         */
        public static Order highest(String metric) {
            return new Order(Optional.of(metric), true);
        }

        /**
         * @param metric a metric name
         * @return the lowest value first
         */
        public static Order lowest(String metric) {
            return new Order(Optional.of(metric), false);
        }

        /** @return the total order of results: the metric, then model name, then version, newest first */
        public Comparator<ModelVersion> comparator() {
            if (metric.isEmpty()) {
                return ModelStore.NEWEST_FIRST;
            }
            String name = metric.get();
            Comparator<ModelVersion> byValue = Comparator.comparingDouble(v -> v.metrics().get(name));
            return (highestFirst ? byValue.reversed() : byValue).thenComparing(ModelVersion::model)
                    .thenComparing(Comparator.comparingLong(ModelVersion::version).reversed());
        }
    }

    /**
     * Validates and copies the parts.
     *
     * @param model only this model, or every model when empty
     * @param tags tags that must be present with exactly these values
     * @param tagKeys tags that must be present, whatever their values
     * @param params parameters that must be present with exactly these values
     * @param metrics metric conditions
     * @param digest only versions whose artifact has this SHA-256, when present
     * @param order the order of results; a metric order leaves out versions without that metric
     * @param createdFrom created at or after this instant, when present
     * @param createdBefore created strictly before this instant, when present
     * @param limit at most this many results from {@link ModelStore#search(VersionQuery)}, 1 to 10,000
     */
    public VersionQuery {
        Objects.requireNonNull(model, "model").ifPresent(Names::checkModel);
        tags = NewVersion.checkTags(tags);
        tagKeys = Set.copyOf(Objects.requireNonNull(tagKeys, "tagKeys"));
        tagKeys.forEach(Names::checkTagKey);
        params = NewVersion.checkParams(params);
        metrics = List.copyOf(Objects.requireNonNull(metrics, "metrics"));
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(order, "order");
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
        for (String key : tagKeys) {
            if (!v.tags().containsKey(key)) {
                return false;
            }
        }
        for (Map.Entry<String, String> p : params.entrySet()) {
            if (!p.getValue().equals(v.params().get(p.getKey()))) {
                return false;
            }
        }
        if (digest.isPresent() && !digest.get().equals(v.digest())) {
            return false;
        }
        if (order.metric().isPresent() && !v.metrics().containsKey(order.metric().get())) {
            return false;
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
        private final Set<String> tagKeys = new LinkedHashSet<>();
        private final Map<String, String> params = new LinkedHashMap<>();
        private final List<MetricFilter> metrics = new ArrayList<>();
        private Optional<Sha256> digest = Optional.empty();
        private Order order = Order.newestFirst();
        private boolean ordered;
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

        /**
         * @param key a tag key the version must have, whatever its value
         * @return this
         */
        public Builder hasTag(String key) {
            if (!tagKeys.add(Objects.requireNonNull(key, "key"))) {
                throw new IllegalStateException("tag " + key + " is already required");
            }
            return this;
        }

        /**
         * @param name a parameter the version must have
         * @param value its value, as stored (integers without a decimal point)
         * @return this
         */
        public Builder param(String name, String value) {
            Objects.requireNonNull(name, "name");
            if (params.putIfAbsent(name, Objects.requireNonNull(value, "value")) != null) {
                throw new IllegalStateException("parameter " + name + " is already required");
            }
            return this;
        }

        /**
         * @param sha256 the artifact digest the version must have: which versions hold these bytes?
         * @return this
         */
        public Builder digest(Sha256 sha256) {
            if (digest.isPresent()) {
                throw new IllegalStateException("digest is already set");
            }
            digest = Optional.of(Objects.requireNonNull(sha256, "sha256"));
            return this;
        }

        /**
         * @param value the order of results, for example {@code Order.highest("auc")}
         * @return this
         */
        public Builder orderBy(Order value) {
            if (ordered) {
                throw new IllegalStateException("order is already set to " + order);
            }
            order = Objects.requireNonNull(value, "order");
            ordered = true;
            return this;
        }

        /** @return the query */
        public VersionQuery build() {
            return new VersionQuery(model, tags, tagKeys, params, metrics, digest, from, before, order, limit);
        }
    }
}
