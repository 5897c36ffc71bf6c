package dev.mlops.core.registry;

import dev.mlops.core.Names;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Changes to the mutable parts of a version: its description and tags.
 *
 * <pre>{@code
 * store.annotate(ModelRef.of("fraud-scorer", 7), v.revision(),
 *         Annotations.builder().putTag("stage", "production").removeTag("candidate").build());
 * }</pre>
 *
 * @param description the new description, when it changes
 * @param putTags tags to add or overwrite
 * @param removeTags tag keys to remove (absent keys are ignored)
 */
public record Annotations(Optional<String> description, Map<String, String> putTags, Set<String> removeTags) {
    /**
     * Validates and copies the parts.
     *
     * @param description the new description, when it changes
     * @param putTags tags to add or overwrite
     * @param removeTags tag keys to remove (absent keys are ignored)
     */
    public Annotations {
        Objects.requireNonNull(description, "description").ifPresent(d -> Texts.check("description", d, 0, 10_000));
        putTags = NewVersion.checkTags(putTags);
        TreeSet<String> removals = new TreeSet<>();
        for (String k : Objects.requireNonNull(removeTags, "removeTags")) {
            removals.add(Names.checkTagKey(k));
        }
        for (String k : removals) {
            if (putTags.containsKey(k)) {
                throw new IllegalArgumentException("tag " + k + " is both put and removed");
            }
        }
        removeTags = Collections.unmodifiableSet(removals);
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param tags the tags before
     * @return the tags after these changes
     */
    public Map<String, String> applyTo(Map<String, String> tags) {
        TreeMap<String, String> after = new TreeMap<>(tags);
        after.keySet().removeAll(removeTags);
        after.putAll(putTags);
        return after;
    }

    /** Builds {@link Annotations}. Not thread-safe. */
    public static final class Builder {
        private Optional<String> description = Optional.empty();
        private final Map<String, String> put = new LinkedHashMap<>();
        private final Set<String> remove = new TreeSet<>();

        private Builder() {
        }

        /**
         * @param text the new description
         * @return this
         */
        public Builder description(String text) {
            if (description.isPresent()) {
                throw new IllegalStateException("description is already set");
            }
            description = Optional.of(Objects.requireNonNull(text, "text"));
            return this;
        }

        /**
         * @param key tag key
         * @param value tag value
         * @return this
         */
        public Builder putTag(String key, String value) {
            if (put.putIfAbsent(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value")) != null) {
                throw new IllegalStateException("tag " + key + " is already set");
            }
            return this;
        }

        /**
         * @param key tag key to remove
         * @return this
         */
        public Builder removeTag(String key) {
            remove.add(Objects.requireNonNull(key, "key"));
            return this;
        }

        /** @return the changes */
        public Annotations build() {
            return new Annotations(description, put, remove);
        }
    }
}
