package dev.mlops.core;

/**
 * Stored bytes do not match what was recorded when they were written: a digest, a size, a hash chain
 * or a MAC does not verify. The data concerned must not be trusted.
 */
public final class IntegrityException extends MlopsException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed to verify, with the expected and the actual value
     */
    public IntegrityException(String message) {
        super(message);
    }
}
