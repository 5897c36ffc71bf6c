package dev.mlops.core;

import java.io.IOException;

/**
 * A storage back end failed (an {@link IOException} from the disk, a full volume, a lost lock). The
 * operation did not take effect unless the message says otherwise; nothing stored before is lost.
 */
public final class StoreException extends MlopsException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was being done, on which path or object
     * @param cause the I/O failure
     */
    public StoreException(String message, IOException cause) {
        super(message, cause);
    }

    /**
     * @param message what was being done and why it cannot go on
     */
    public StoreException(String message) {
        super(message);
    }
}
