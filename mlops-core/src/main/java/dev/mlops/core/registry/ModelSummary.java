package dev.mlops.core.registry;

import dev.mlops.core.Names;
import java.util.Collections;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * A model at a glance.
 *
 * @param model the model's name
 * @param latest the highest live version, empty when every version was deleted
 * @param liveVersions how many versions are not deleted
 * @param highestAssigned the highest number ever assigned (live or deleted); the next is one more
 * @param aliases each alias and the version it points at
 */
public record ModelSummary(String model, OptionalLong latest, long liveVersions, long highestAssigned,
        Map<String, Long> aliases) {
    /** Validates and copies the parts. */
    public ModelSummary {
        Names.checkModel(model);
        aliases = Collections.unmodifiableMap(new TreeMap<>(java.util.Objects.requireNonNull(aliases, "aliases")));
        if (liveVersions < 0 || highestAssigned < liveVersions) {
            throw new IllegalArgumentException("model " + model + ": need 0 <= liveVersions <= highestAssigned, was "
                    + liveVersions + " and " + highestAssigned);
        }
    }
}
