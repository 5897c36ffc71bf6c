package dev.mlops.core.registry;

import dev.mlops.core.Names;
import dev.mlops.core.Sha256;
import java.time.Instant;
import java.util.Objects;

/**
 * What remains of a deleted version: its number (never reused), its digest, and who deleted it and why.
 *
 * @param model the model
 * @param version the deleted version's number
 * @param digest the deleted artifact's digest
 * @param deletedAt when
 * @param actor who
 * @param reason why
 */
public record Tombstone(String model, long version, Sha256 digest, Instant deletedAt, String actor, String reason) {
    /**
     * Validates the parts.
     *
     * @param model the model
     * @param version the deleted version's number
     * @param digest the deleted artifact's digest
     * @param deletedAt when
     * @param actor who
     * @param reason why
     */
    public Tombstone {
        Names.checkModel(model);
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1, was " + version);
        }
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(deletedAt, "deletedAt");
        new ChangeNote(actor, reason);
    }
}
