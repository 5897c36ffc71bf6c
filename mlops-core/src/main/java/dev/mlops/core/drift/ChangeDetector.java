package dev.mlops.core.drift;

/**
 * A streaming change detector: fed one value at a time (an error indicator 0/1, a loss, a score),
 * it says whether the stream's distribution has changed. Each {@link #update(double)} costs O(1) or
 * O(log W) for a window of W values.
 *
 * <p>Implementations are <b>not</b> thread-safe: a detector is state for one stream, fed by one
 * thread (or guarded by the caller).
 *
 * <pre>{@code
 * ChangeDetector ddm = Ddm.builder().build();
 * for (boolean wrong : errors) {
 *     if (ddm.update(wrong) == Signal.DRIFT) retrain();
 * }
 * }</pre>
 */
public interface ChangeDetector {
    /**
     * @param value the next value of the stream; NaN is rejected with {@link IllegalArgumentException}
     * @return what the detector concludes after it
     */
    Signal update(double value);

    /**
     * @return the detector's current estimate of the monitored quantity (for example the mean of
     *     its window or the error rate), NaN before any input
     */
    double estimate();

    /** Forgets all input, as if newly built with the same options. */
    void reset();

    /**
     * @param error whether the prediction was wrong
     * @return {@code update(error ? 1 : 0)}
     */
    default Signal update(boolean error) {
        return update(error ? 1.0 : 0.0);
    }
}
