package dev.mlops.core;

/**
 * An optimistic update lost: the caller expected a state (an alias target, a revision number) that
 * another writer changed first. Re-read and retry, or give up.
 */
public final class ConcurrentUpdateException extends MlopsException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was expected and what was found
     */
    public ConcurrentUpdateException(String message) {
        super(message);
    }
}
