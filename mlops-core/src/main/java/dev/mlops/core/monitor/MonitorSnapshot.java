package dev.mlops.core.monitor;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An immutable copy of a {@link Monitor}'s windows at one moment (possibly slightly stale relative to
 * recordings racing with it).
 *
 * @param at when it was taken
 * @param windows closed and current windows, oldest first
 */
public record MonitorSnapshot(Instant at, List<WindowSnapshot> windows) {
    /** Copies the parts. */
    public MonitorSnapshot {
        Objects.requireNonNull(at, "at");
        windows = List.copyOf(windows);
    }
}
