package dev.mlops.core;

/**
 * A user-supplied name (model, alias, tag key) does not match {@link Names#PATTERN}. An
 * {@link IllegalArgumentException}, since passing one is a programming mistake that no retry fixes.
 */
public final class InvalidNameException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message which name, of what kind, and the rule it breaks
     */
    public InvalidNameException(String message) {
        super(message);
    }
}
