package dev.mlops.core.registry;

import dev.mlops.core.Names;
import dev.mlops.core.Sha256;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A registered model version. Everything but {@code description}, {@code tags} and {@code revision} is
 * immutable from registration on; those three change through {@link ModelStore#annotate}.
 *
 * @param model the model's name
 * @param version the number, 1, 2, 3, ... per model, never reused
 * @param digest SHA-256 of the artifact's bytes, checked whenever it is read
 * @param size the artifact's length in bytes
 * @param createdAt when it was registered
 * @param createdBy who registered it
 * @param description what it is (mutable)
 * @param tags labels (mutable)
 * @param params hyper-parameters
 * @param metrics evaluation metrics
 * @param lineage where it came from
 * @param signature what it takes and returns
 * @param revision 1 at registration, one more at each annotation; the token for optimistic updates
 */
public record ModelVersion(
        String model,
        long version,
        Sha256 digest,
        long size,
        Instant createdAt,
        String createdBy,
        String description,
        Map<String, String> tags,
        Map<String, String> params,
        Map<String, Double> metrics,
        Lineage lineage,
        Signature signature,
        long revision) {

    /**
     * Validates and copies the parts.
     *
     * @param model the model's name
     * @param version the number, 1, 2, 3, ... per model, never reused
     * @param digest SHA-256 of the artifact's bytes, checked whenever it is read
     * @param size the artifact's length in bytes
     * @param createdAt when it was registered
     * @param createdBy who registered it
     * @param description what it is (mutable)
     * @param tags labels (mutable)
     * @param params hyper-parameters
     * @param metrics evaluation metrics
     * @param lineage where it came from
     * @param signature what it takes and returns
     * @param revision 1 at registration, one more at each annotation; the token for optimistic updates
     */
    public ModelVersion {
        Names.checkModel(model);
        if (version < 1) {
            throw new IllegalArgumentException("version of " + model + " must be >= 1, was " + version);
        }
        Objects.requireNonNull(digest, "digest");
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, was " + size);
        }
        Objects.requireNonNull(createdAt, "createdAt");
        Texts.check("createdBy", createdBy, 1, 200);
        Texts.check("description", description, 0, 10_000);
        tags = NewVersion.checkTags(tags);
        params = NewVersion.checkParams(params);
        metrics = NewVersion.checkMetrics(metrics);
        Objects.requireNonNull(lineage, "lineage");
        Objects.requireNonNull(signature, "signature");
        if (revision < 1) {
            throw new IllegalArgumentException("revision must be >= 1, was " + revision);
        }
    }

    /**
     * @return a reference to exactly this version
     */
    public ModelRef.ByVersion ref() {
        return ModelRef.of(model, version);
    }

    /**
     * @param newDescription the description after an annotation
     * @param newTags the tags after it
     * @return this version with the mutable parts replaced and the revision one higher
     */
    public ModelVersion annotated(String newDescription, Map<String, String> newTags) {
        return new ModelVersion(model, version, digest, size, createdAt, createdBy, newDescription, newTags, params,
                metrics, lineage, signature, revision + 1);
    }
}
