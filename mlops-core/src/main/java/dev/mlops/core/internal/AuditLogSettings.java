package dev.mlops.core.internal;

import dev.mlops.core.audit.Checkpoint;
import dev.mlops.core.audit.MerkleTree;
import java.security.PrivateKey;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;

/**
 * The settings every audit log's builder offers (clock, origin, signer), each checked and settable once,
 * kept in one place so that the in-memory and the file log take them alike. Not thread-safe, as
 * builders are not.
 */
public final class AuditLogSettings {
    private InstantSource clock = InstantSource.system();
    private boolean clockSet;
    private String origin;
    private boolean originSet;
    private PrivateKey key;

    /** @param defaultOrigin the origin until one is set */
    public AuditLogSettings(String defaultOrigin) {
        this.origin = Objects.requireNonNull(defaultOrigin, "defaultOrigin");
    }

    /** @param source the only source of record and checkpoint times */
    public void clock(InstantSource source) {
        if (clockSet) {
            throw new IllegalStateException("clock is already set");
        }
        this.clock = Objects.requireNonNull(source, "clock");
        clockSet = true;
    }

    /** @param name the log's name in its checkpoints, as {@link Checkpoint} accepts it */
    public void origin(String name) {
        if (originSet) {
            throw new IllegalStateException("origin is already set");
        }
        Checkpoint.unsigned(Objects.requireNonNull(name, "origin"), 0, MerkleTree.emptyRoot(), Instant.EPOCH);
        this.origin = name;
        originSet = true;
    }

    /**
     * @param signingKey an Ed25519 private key that signs every checkpoint
     * @param name the log's name in its checkpoints
     * @throws IllegalArgumentException when the key cannot sign Ed25519
     */
    public void signer(PrivateKey signingKey, String name) {
        if (this.key != null) {
            throw new IllegalStateException("signer is already set");
        }
        Checkpoint.signed("check", 0, MerkleTree.emptyRoot(), Instant.EPOCH, Objects.requireNonNull(signingKey, "key"));
        origin(name);
        this.key = signingKey;
    }

    /** @return the clock */
    public InstantSource clock() {
        return clock;
    }

    /** @return the origin */
    public String origin() {
        return origin;
    }

    /** @return the signing key, if one was set */
    public Optional<PrivateKey> signer() {
        return Optional.ofNullable(key);
    }
}
