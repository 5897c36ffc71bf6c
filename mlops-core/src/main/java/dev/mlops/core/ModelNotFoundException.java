package dev.mlops.core;

/** A model, version or alias that the caller named does not exist (or was deleted). */
public final class ModelNotFoundException extends MlopsException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was looked for
     */
    public ModelNotFoundException(String message) {
        super(message);
    }
}
