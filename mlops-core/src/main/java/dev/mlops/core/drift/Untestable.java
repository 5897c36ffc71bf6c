package dev.mlops.core.drift;

import java.util.Objects;

/**
 * A test that is not defined on the data it was given, and why: the typed form of "this column cannot be
 * tested, because ...". Immutable.
 *
 * @param method the test or distance that could not be applied
 * @param reason the kind of problem
 * @param detail one line for people, naming the side (reference or current) at fault and the numbers
 * @param referenceSize usable values in the reference
 * @param currentSize usable values in the current sample
 * @param referenceMissing missing values in the reference
 * @param currentMissing missing values in the current sample
 */
public record Untestable(String method, Reason reason, String detail, long referenceSize, long currentSize,
        long referenceMissing, long currentMissing) implements DriftOutcome {

    /** The kinds of data on which a test has no answer. */
    public enum Reason {
        /** The current sample has no usable value (all missing, or empty). */
        NO_CURRENT_VALUES,
        /** A sample has fewer values than the method needs (Welch's t and Cramér-von Mises need two). */
        TOO_FEW_VALUES,
        /** Every value is equal where the method needs spread (Anderson-Darling, Welch's t on two constants). */
        CONSTANT,
        /** A binary method (Fisher, z) met more than two categories. */
        NOT_BINARY,
        /** The method's formula has no value on these samples for another reason. */
        UNDEFINED
    }

    /**
     * Validates the parts.
     *
     * @param method the test or distance that could not be applied
     * @param reason the kind of problem
     * @param detail one line for people, naming the side (reference or current) at fault and the numbers
     * @param referenceSize usable values in the reference
     * @param currentSize usable values in the current sample
     * @param referenceMissing missing values in the reference
     * @param currentMissing missing values in the current sample
     */
    public Untestable {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        if (detail.isBlank() || detail.contains("\n")) {
            throw new IllegalArgumentException("detail must be one non-blank line, was \"" + detail + "\"");
        }
        if (referenceSize < 0 || currentSize < 0 || referenceMissing < 0 || currentMissing < 0) {
            throw new IllegalArgumentException("sizes must be >= 0");
        }
    }
}
