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

    /**
     * @param ref what was looked for
     * @return the exception, saying what kind of reference found nothing: a version that is not live, an
     *     alias that is not set, or a model without live versions
     */
    public static ModelNotFoundException of(dev.mlops.core.registry.ModelRef ref) {
        java.util.Objects.requireNonNull(ref, "ref");
        if (ref instanceof dev.mlops.core.registry.ModelRef.ByAlias a) {
            return new ModelNotFoundException("alias " + a + " is not set (model " + a.model()
                    + " has no alias " + a.alias() + ", or no such model)");
        }
        if (ref instanceof dev.mlops.core.registry.ModelRef.Latest l) {
            return new ModelNotFoundException("model " + l.model() + " has no live version (" + l + ")");
        }
        return new ModelNotFoundException("no live model version " + ref + " (never registered, or deleted)");
    }
}
