package dev.mlops.core;

/** The acting principal lacks the permission an operation needs. */
public final class AccessDeniedException extends MlopsException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message who was denied what, on which target
     */
    public AccessDeniedException(String message) {
        super(message);
    }
}
