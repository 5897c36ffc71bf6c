package dev.mlops.core.audit;

import dev.mlops.core.Sha256;
import java.time.Instant;
import java.util.Objects;

/**
 * A summary of a log at one moment: kept outside the log (printed, mailed, stored elsewhere), it lets a
 * later reader prove the first {@code size} records were not rewritten since.
 *
 * @param size how many records the log held
 * @param head the hash of the last of them, or {@link AuditRecord#GENESIS} when empty
 * @param at when the checkpoint was taken
 */
public record Checkpoint(long size, Sha256 head, Instant at) {
    /** Validates the parts. */
    public Checkpoint {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, was " + size);
        }
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(at, "at");
    }
}
