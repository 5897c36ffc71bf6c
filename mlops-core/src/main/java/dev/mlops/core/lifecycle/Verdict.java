package dev.mlops.core.lifecycle;

/** How one criterion of a {@link PromotionGate} came out. */
public enum Verdict {
    /** The criterion holds. */
    PASS,
    /** The criterion does not hold: the challenger may not be promoted. */
    FAIL,
    /** The evidence the criterion needs is missing; counts as a failure. */
    MISSING
}
