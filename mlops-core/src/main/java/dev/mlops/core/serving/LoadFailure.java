package dev.mlops.core.serving;

import dev.mlops.core.registry.ModelRef;
import java.time.Instant;
import java.util.Objects;

/**
 * A version {@link LiveModel} could not load or warm up; the model it served before kept serving.
 *
 * @param ref the version that failed, or the alias when it could not even be resolved
 * @param at when the attempt ended
 * @param stage where it failed: {@code resolve}, {@code load} or {@code warm-up}
 * @param error the exception, as thrown by the store or the {@link ModelLoader}
 */
public record LoadFailure(ModelRef ref, Instant at, String stage, Throwable error) {
    /**
     * Checks the parts.
     *
     * @param ref the version that failed, or the alias when it could not even be resolved
     * @param at when the attempt ended
     * @param stage where it failed: {@code resolve}, {@code load} or {@code warm-up}
     * @param error the exception, as thrown by the store or the {@link ModelLoader}
     */
    public LoadFailure {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(error, "error");
    }

    /** @return one line: what failed, where and why */
    @Override
    public String toString() {
        return ref + " failed to " + stage + " at " + at + ": " + error;
    }
}
