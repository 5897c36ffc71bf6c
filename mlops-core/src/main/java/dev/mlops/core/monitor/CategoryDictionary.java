package dev.mlops.core.monitor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Category name to index for one categorical feature, for the string variant of recording: the known
 * categories map to {@code [0, known)}; a name not known in advance is given the next free index in
 * {@code [known, known + bound)} the first time it is seen, so windows can count it by name; once
 * {@code bound} new names have been given indexes, further new names map to {@link #UNSEEN} and are only
 * counted. Null maps to {@code -1} (missing).
 *
 * <p>Thread-safe: lookups of known and already learned names are reads of immutable and concurrent maps
 * and allocate nothing; learning a name (at most {@code bound} times in the dictionary's life) allocates
 * a map entry.
 */
final class CategoryDictionary {
    /** The index of a name beyond the bound: counted as unseen, not by name. */
    static final int UNSEEN = Integer.MAX_VALUE;

    private final Map<String, Integer> known;
    private final int knownCount;
    private final int bound;
    private final ConcurrentHashMap<String, Integer> learned = new ConcurrentHashMap<>();
    private final AtomicReferenceArray<String> learnedNames;
    private final AtomicInteger learnedCount = new AtomicInteger();

    CategoryDictionary(List<String> categories, int bound) {
        Map<String, Integer> map = new HashMap<>();
        for (int i = 0; i < categories.size(); i++) {
            map.put(categories.get(i), i);
        }
        this.known = map;
        this.knownCount = categories.size();
        this.bound = bound;
        this.learnedNames = new AtomicReferenceArray<>(bound);
    }

    /**
     * @param category a name, or null for missing
     * @return {@code -1} for null, the known index, a learned index in {@code [known, known + bound)},
     *     or {@link #UNSEEN}
     */
    int indexOf(String category) {
        if (category == null) {
            return -1;
        }
        Integer i = known.get(category);
        if (i != null) {
            return i;
        }
        i = learned.get(category);
        if (i != null) {
            return i;
        }
        if (learnedCount.get() >= bound) {
            return UNSEEN;
        }
        Integer given = learned.computeIfAbsent(category, this::learn);
        return given == null ? UNSEEN : given;
    }

    /**
     * @param slot a learned slot in {@code [0, bound)}
     * @return the name given that slot, or null if none yet
     */
    String learnedName(int slot) {
        return learnedNames.get(slot);
    }

    int bound() {
        return bound;
    }

    private Integer learn(String category) {
        int slot = learnedCount.getAndIncrement();
        if (slot >= bound) {
            return null;
        }
        learnedNames.set(slot, category);
        return knownCount + slot;
    }
}
