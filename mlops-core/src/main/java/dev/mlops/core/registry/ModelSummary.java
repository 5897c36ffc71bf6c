package dev.mlops.core.registry;

import dev.mlops.core.Names;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * A model at a glance: its versions, its aliases, and its own description and tags, which change with
 * {@link ModelStore#annotateModel} under a revision like a version's.
 *
 * @param model the model's name
 * @param latest the highest live version, empty when every version was deleted
 * @param liveVersions how many versions are not deleted
 * @param highestAssigned the highest number ever assigned (live or deleted); the next is one more
 * @param aliases each alias and the version it points at
 * @param description what the model is for (empty when never set)
 * @param tags the model's labels
 * @param createdAt when its first version was registered
 * @param updatedAt when it last changed: a version registered, annotated or deleted, an alias moved, or
 *     the model annotated
 * @param revision the model's annotation revision, 1 before any {@link ModelStore#annotateModel}
 */
public record ModelSummary(String model, OptionalLong latest, long liveVersions, long highestAssigned,
        Map<String, Long> aliases, String description, Map<String, String> tags, Instant createdAt, Instant updatedAt,
        long revision) {
    /**
     * Validates and copies the parts.
     *
     * @param model the model's name
     * @param latest the highest live version, empty when every version was deleted
     * @param liveVersions how many versions are not deleted
     * @param highestAssigned the highest number ever assigned (live or deleted); the next is one more
     * @param aliases each alias and the version it points at
     * @param description what the model is for (empty when never set)
     * @param tags the model's labels
     * @param createdAt when its first version was registered
     * @param updatedAt when it last changed: a version registered, annotated or deleted, an alias moved, or the model
     *     annotated
     * @param revision the model's annotation revision, 1 before any {@link ModelStore#annotateModel}
     */
    public ModelSummary {
        Names.checkModel(model);
        aliases = Collections.unmodifiableMap(new TreeMap<>(java.util.Objects.requireNonNull(aliases, "aliases")));
        Texts.check("description", description, 0, 10_000);
        tags = NewVersion.checkTags(tags);
        java.util.Objects.requireNonNull(createdAt, "createdAt");
        java.util.Objects.requireNonNull(updatedAt, "updatedAt");
        if (revision < 1) {
            throw new IllegalArgumentException("model " + model + ": revision must be >= 1, was " + revision);
        }
        if (liveVersions < 0 || highestAssigned < liveVersions) {
            throw new IllegalArgumentException("model " + model + ": need 0 <= liveVersions <= highestAssigned, was "
                    + liveVersions + " and " + highestAssigned);
        }
    }
}
