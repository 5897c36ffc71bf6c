package dev.mlops.drift.stream;

/**
 * Which changes of the monitored mean a two-sided-capable detector reports.
 *
 * <p>River calls this {@code mode} ({@code "up"}, {@code "down"}, {@code "both"}) in its
 * Page-Hinkley; MOA's Page-Hinkley, CUSUM and ADWIN change detector only watch increases (they
 * monitor an error rate), while River's ADWIN reports every change.
 */
public enum Direction {
    /** Only increases (for an error rate: the model got worse). */
    UP,
    /** Only decreases. */
    DOWN,
    /** Increases and decreases. */
    BOTH;

    boolean watchesUp() {
        return this != DOWN;
    }

    boolean watchesDown() {
        return this != UP;
    }
}
