package dev.mlops.core.drift;

/** What a {@link ChangeDetector} says after one input. */
public enum Signal {
    /** Nothing unusual. */
    NONE,
    /** The statistic crossed the warning level: drift may be starting (retrain in the background). */
    WARNING,
    /** The statistic crossed the drift level: the distribution has changed. */
    DRIFT;

    /**
     * @return whether this is {@link #DRIFT}
     */
    public boolean isDrift() {
        return this == DRIFT;
    }
}
