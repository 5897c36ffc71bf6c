package dev.mlops.core.monitor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a window saw of one categorical feature: a count per known category, missing values, and values
 * outside the known categories ("unseen"); those recorded by name through the string variant of
 * {@link InMemoryMonitor#record(long, double, long, double[], String[])} are also counted by name, up to
 * the monitor's bound on new categories.
 *
 * @param name the feature's name
 * @param categories the known categories, in index order
 * @param counts the count of each known category, in the same order
 * @param missing missing values (index {@code -1}, or a null name)
 * @param unseen values outside the known categories, named or not
 * @param newCategories the named part of {@link #unseen()}: new category name to count
 */
public record CategoricalSummary(
        String name, List<String> categories, List<Long> counts, long missing, long unseen,
        Map<String, Long> newCategories) {

    /**
     * Validates and copies the parts.
     *
     * @param name the feature's name
     * @param categories the known categories, in index order
     * @param counts the count of each known category, in the same order
     * @param missing missing values (index {@code -1}, or a null name)
     * @param unseen values outside the known categories, named or not
     * @param newCategories the named part of {@link #unseen()}: new category name to count
     */
    public CategoricalSummary {
        Objects.requireNonNull(name, "name");
        categories = List.copyOf(categories);
        counts = List.copyOf(counts);
        if (counts.size() != categories.size()) {
            throw new IllegalArgumentException(name + ": " + counts.size() + " counts for " + categories.size()
                    + " categories");
        }
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException(name + ": counts must be >= 0, were " + counts);
            }
        }
        if (missing < 0 || unseen < 0) {
            throw new IllegalArgumentException(name + ": missing and unseen must be >= 0, were " + missing + " and "
                    + unseen);
        }
        newCategories = Map.copyOf(newCategories);
        long named = 0;
        for (Map.Entry<String, Long> e : newCategories.entrySet()) {
            if (e.getValue() < 0 || categories.contains(e.getKey())) {
                throw new IllegalArgumentException(name + ": new category " + e.getKey() + " has count " + e.getValue()
                        + " or is a known category");
            }
            named += e.getValue();
        }
        if (named > unseen) {
            throw new IllegalArgumentException(name + ": " + named + " values in new categories, more than the "
                    + unseen + " unseen");
        }
    }

    /**
     * @param name the feature's name
     * @param categories its known categories
     * @return a summary of nothing
     */
    public static CategoricalSummary empty(String name, List<String> categories) {
        return new CategoricalSummary(name, categories, categories.stream().map(c -> 0L).toList(), 0, 0, Map.of());
    }

    /**
     * @param category a known category
     * @return its count
     * @throws IllegalArgumentException if it is not a known category
     */
    public long count(String category) {
        int i = categories.indexOf(category);
        if (i < 0) {
            throw new IllegalArgumentException(name + ": " + category + " is not a known category " + categories);
        }
        return counts.get(i);
    }

    /** @return every value: known, unseen and missing */
    public long total() {
        long total = missing + unseen;
        for (long c : counts) {
            total += c;
        }
        return total;
    }

    /**
     * Combines two summaries of the same feature over disjoint values.
     *
     * @param other a summary of the same feature and categories
     * @return the summary of both
     * @throws IllegalArgumentException if the name or categories differ
     */
    public CategoricalSummary merge(CategoricalSummary other) {
        Objects.requireNonNull(other, "other");
        if (!name.equals(other.name) || !categories.equals(other.categories)) {
            throw new IllegalArgumentException("cannot merge " + name + " " + categories + " with " + other.name + " "
                    + other.categories);
        }
        List<Long> sum = new ArrayList<>(counts.size());
        for (int i = 0; i < counts.size(); i++) {
            sum.add(counts.get(i) + other.counts.get(i));
        }
        Map<String, Long> named = new TreeMap<>(newCategories);
        other.newCategories.forEach((k, v) -> named.merge(k, v, Long::sum));
        return new CategoricalSummary(name, categories, sum, missing + other.missing, unseen + other.unseen, named);
    }
}
