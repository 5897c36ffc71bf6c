package dev.mlops.core.drift;

import dev.mlops.core.Names;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A categorical {@link Sample}: observations counted per category (categories in their natural
 * order), and how many observations had no value.
 *
 * <p>Immutable and thread-safe.
 */
public final class CategoricalSample implements Sample {
    /**
     * The most observations a sample may hold in all, 2^53: every count and every sum of counts is then
     * exact as a double, which the tests compute in.
     */
    public static final long MAX_TOTAL = 1L << 53;

    private final Map<String, Long> counts;
    private final long size;
    private final long missing;

    CategoricalSample(Map<String, Long> counts, long missing) {
        Objects.requireNonNull(counts, "counts");
        if (missing < 0) {
            throw new IllegalArgumentException("missing must be >= 0, was " + missing);
        }
        TreeMap<String, Long> copy = new TreeMap<>();
        long total = 0;
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            Objects.requireNonNull(e.getKey(), "category");
            long c = Objects.requireNonNull(e.getValue(), "count");
            if (c < 0) {
                throw new IllegalArgumentException("count of category " + Names.quote(e.getKey()) + " must be >= 0, was " + c);
            }
            if (c > MAX_TOTAL - total) {
                throw new IllegalArgumentException("counts must add up to at most 2^53 = " + MAX_TOTAL
                        + " observations; category " + Names.quote(e.getKey()) + " with " + c + " passes that");
            }
            if (c > 0) {
                copy.put(e.getKey(), c);
                total += c;
            }
        }
        this.counts = Collections.unmodifiableMap(copy);
        this.size = total;
        this.missing = missing;
    }

    static CategoricalSample of(String[] values) {
        Objects.requireNonNull(values, "values");
        Map<String, Long> counts = new HashMap<>();
        long missing = 0;
        for (String v : values) {
            if (v == null) {
                missing++;
            } else {
                counts.merge(v, 1L, Long::sum);
            }
        }
        return new CategoricalSample(counts, missing);
    }

    /**
     * @return observations per category, categories in natural order, zero counts left out
     */
    public Map<String, Long> counts() {
        return counts;
    }

    /**
     * @param category a category
     * @return how often it was observed, 0 when never
     */
    public long count(String category) {
        return counts.getOrDefault(category, 0L);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public long missing() {
        return missing;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CategoricalSample other && missing == other.missing && counts.equals(other.counts);
    }

    @Override
    public int hashCode() {
        return 31 * counts.hashCode() + Long.hashCode(missing);
    }

    @Override
    public String toString() {
        return "CategoricalSample[categories=" + counts.size() + ", size=" + size + ", missing=" + missing + "]";
    }
}
