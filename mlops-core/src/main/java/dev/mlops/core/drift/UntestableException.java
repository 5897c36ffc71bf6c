package dev.mlops.core.drift;

import dev.mlops.core.MlopsException;
import java.util.Objects;

/**
 * Thrown by {@link DriftDetector#detect(Sample)} when the test is not defined on the data; call
 * {@link DriftDetector#evaluate(Sample)} to receive the {@link Untestable} as a value instead.
 */
public final class UntestableException extends MlopsException {
    private static final long serialVersionUID = 1L;

    private final transient Untestable untestable;

    /**
     * @param untestable what could not be tested, and why
     */
    public UntestableException(Untestable untestable) {
        super(Objects.requireNonNull(untestable, "untestable").method() + " cannot test these samples: "
                + untestable.detail());
        this.untestable = untestable;
    }

    /** @return what could not be tested, and why */
    public Untestable untestable() {
        return untestable;
    }
}
