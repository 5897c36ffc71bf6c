package dev.mlops.core.monitor;

/**
 * What became of one outcome (ground truth) offered to {@link PendingOutcomes#take}: joined to its
 * prediction, or why not. Every outcome gets exactly one status, so outcomes are counted once.
 */
public enum OutcomeStatus {
    /** The prediction was pending and within its time to live: joined, exactly once. */
    JOINED,
    /**
     * The prediction was seen, but its time to live had passed before the outcome arrived; the
     * outcome is not attributed to any window.
     */
    LATE,
    /**
     * The prediction has already been settled by an earlier outcome (joined, or answered late); this
     * outcome is a repeat and is ignored.
     */
    DUPLICATE,
    /**
     * No pending prediction has that id: never offered, its slot has been reused for a newer
     * prediction (evicted for room, or reclaimed after it expired), or its offer had not completed when
     * the outcome was taken.
     */
    UNKNOWN
}
