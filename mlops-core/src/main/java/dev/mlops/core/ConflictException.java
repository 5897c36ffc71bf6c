package dev.mlops.core;

/**
 * The request conflicts with the store's current state, which another caller may have set: deleting a
 * version an alias points at, rolling back an alias that has no earlier live target. Unlike
 * {@link ConcurrentUpdateException}, retrying the same request will fail again until the state changes.
 */
public final class ConflictException extends MlopsException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was asked, and the state that refuses it
     */
    public ConflictException(String message) {
        super(message);
    }
}
