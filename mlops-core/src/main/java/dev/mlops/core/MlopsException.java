package dev.mlops.core;

/**
 * The root of every runtime failure that mlops reports (as opposed to programmer mistakes, which are
 * {@link IllegalArgumentException}, {@link IllegalStateException} or {@link NullPointerException}).
 *
 * <p>Unchecked, so that code on the serving path never has to catch checked exceptions. Subclasses
 * say what went wrong; the message always names the model, version or input concerned.
 */
public class MlopsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the thing it failed on
     */
    public MlopsException(String message) {
        super(message);
    }

    /**
     * @param message what failed, naming the thing it failed on
     * @param cause the underlying failure, kept for diagnosis
     */
    public MlopsException(String message, Throwable cause) {
        super(message, cause);
    }
}
