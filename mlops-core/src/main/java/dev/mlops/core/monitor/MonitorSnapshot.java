package dev.mlops.core.monitor;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable copy of a {@link Monitor}'s windows at one moment: the last closed windows, the open
 * window so far, and everything since the monitor started. Recordings racing with the snapshot are in
 * it or not, each as a whole.
 *
 * <pre>{@code
 * MonitorSnapshot s = monitor.snapshot();
 * for (WindowSnapshot w : s.closed()) { ... }            // oldest first
 * double p99Now = s.current().latencyNanos().quantile(0.99);
 * long total = s.cumulative().count();
 * double labeledShare = (double) s.outcomes().joined() / s.outcomes().offered();
 * }</pre>
 *
 * @param at when it was taken
 * @param closed the most recent closed windows, oldest first, consecutive (empty windows included)
 * @param current the open window, from its start to {@code at}
 * @param cumulative every window since the monitor started, those no longer kept included, and the open
 *     one
 * @param outcomes the monitor-wide counts of its pending-outcome store since it started: predictions
 *     offered for a join, joined, expired, evicted, and outcomes late, duplicate or unknown;
 *     {@link OutcomeCounts#EMPTY} but for {@code unknown} when the monitor joins no outcomes
 */
public record MonitorSnapshot(Instant at, List<WindowSnapshot> closed, WindowSnapshot current,
        WindowSnapshot cumulative, OutcomeCounts outcomes) {
    /**
     * Validates and copies the parts.
     *
     * @param at when it was taken
     * @param closed the most recent closed windows, oldest first, consecutive (empty windows included)
     * @param current the open window, from its start to {@code at}
     * @param cumulative every window since the monitor started, those no longer kept included, and the open one
     * @param outcomes the monitor-wide counts of its pending-outcome store since it started: predictions offered for
     *     a join, joined, expired, evicted, and outcomes late, duplicate or unknown; {@link OutcomeCounts#EMPTY} but
     *     for {@code unknown} when the monitor joins no outcomes
     */
    public MonitorSnapshot {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(cumulative, "cumulative");
        Objects.requireNonNull(outcomes, "outcomes");
        closed = List.copyOf(closed);
    }

    /** @return the most recently closed window, if any */
    public Optional<WindowSnapshot> lastClosed() {
        return closed.isEmpty() ? Optional.empty() : Optional.of(closed.get(closed.size() - 1));
    }
}
