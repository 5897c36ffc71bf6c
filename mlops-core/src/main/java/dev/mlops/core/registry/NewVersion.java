package dev.mlops.core.registry;

import dev.mlops.core.Names;
import dev.mlops.core.Sha256;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A request to register a new model version: the artifact and everything known about it.
 *
 * <pre>{@code
 * NewVersion request = NewVersion.builder("fraud-scorer")
 *         .artifact(Path.of("model.bin"))
 *         .description("gradient-boosted, Nov data")
 *         .param("learningRate", "0.05")
 *         .metric("auc", 0.912)
 *         .tag("team", "risk")
 *         .lineage(Lineage.builder().codeRevision("3f2a9c1", false).build())
 *         .signature(Signature.of(Field.float64("amount")).returns(Field.float64("score")))
 *         .build();
 * }</pre>
 *
 * @param model the model's name ({@link Names})
 * @param artifact the bytes to store
 * @param description what this version is (at most 10,000 characters)
 * @param tags mutable labels; keys follow {@link Names}, values at most 1000 characters
 * @param params hyper-parameters, immutable once registered
 * @param metrics evaluation metrics, finite numbers, immutable once registered
 * @param lineage where it came from
 * @param signature what it takes and returns
 * @param createdBy who registers it
 * @param expectedDigest when present, registration fails with {@link dev.mlops.core.IntegrityException}
 *     unless the artifact's bytes hash to it (guards an upload end to end)
 */
public record NewVersion(
        String model,
        ModelArtifact artifact,
        String description,
        Map<String, String> tags,
        Map<String, String> params,
        Map<String, Double> metrics,
        Lineage lineage,
        Signature signature,
        String createdBy,
        Optional<Sha256> expectedDigest) {

    /**
     * Validates and copies the parts.
     *
     * @param model the model's name ({@link Names})
     * @param artifact the bytes to store
     * @param description what this version is (at most 10,000 characters)
     * @param tags mutable labels; keys follow {@link Names}, values at most 1000 characters
     * @param params hyper-parameters, immutable once registered
     * @param metrics evaluation metrics, finite numbers, immutable once registered
     * @param lineage where it came from
     * @param signature what it takes and returns
     * @param createdBy who registers it
     * @param expectedDigest when present, registration fails with {@link dev.mlops.core.IntegrityException} unless
     *     the artifact's bytes hash to it (guards an upload end to end)
     */
    public NewVersion {
        Names.checkModel(model);
        Objects.requireNonNull(artifact, "artifact");
        Texts.check("description", description, 0, 10_000);
        tags = checkTags(tags);
        params = checkParams(params);
        metrics = checkMetrics(metrics);
        Objects.requireNonNull(lineage, "lineage");
        Objects.requireNonNull(signature, "signature");
        Texts.check("createdBy", createdBy, 1, 200);
        Objects.requireNonNull(expectedDigest, "expectedDigest");
    }

    static Map<String, String> checkTags(Map<String, String> tags) {
        TreeMap<String, String> copy = new TreeMap<>();
        Objects.requireNonNull(tags, "tags").forEach((k, v) -> copy.put(Names.checkTagKey(k), Texts.check("value of tag " + k, v, 0, 1000)));
        return Collections.unmodifiableMap(copy);
    }

    static Map<String, String> checkParams(Map<String, String> params) {
        TreeMap<String, String> copy = new TreeMap<>();
        Objects.requireNonNull(params, "params").forEach((k, v) -> copy.put(Texts.key("parameter name", k), Texts.check("value of parameter " + k, v, 0, 6000)));
        return Collections.unmodifiableMap(copy);
    }

    static Map<String, Double> checkMetrics(Map<String, Double> metrics) {
        TreeMap<String, Double> copy = new TreeMap<>();
        Objects.requireNonNull(metrics, "metrics").forEach((k, v) -> {
            Texts.key("metric name", k);
            if (v == null || !Double.isFinite(v)) {
                throw new IllegalArgumentException("metric " + k + " must be a finite number, was " + v);
            }
            copy.put(k, v);
        });
        return Collections.unmodifiableMap(copy);
    }

    /**
     * @param model the model's name
     * @return a builder; the artifact is required, everything else optional
     */
    public static Builder builder(String model) {
        return new Builder(model);
    }

    /** Builds a {@link NewVersion}. Not thread-safe. Setting a part twice fails fast. */
    public static final class Builder {
        private final String model;
        private ModelArtifact artifact;
        private String description;
        private final Map<String, String> tags = new LinkedHashMap<>();
        private final Map<String, String> params = new LinkedHashMap<>();
        private final Map<String, Double> metrics = new LinkedHashMap<>();
        private Lineage lineage;
        private Signature signature;
        private String createdBy;
        private Sha256 expectedDigest;

        private Builder(String model) {
            this.model = Names.checkModel(model);
        }

        private static void once(Object current, String what) {
            if (current != null) {
                throw new IllegalStateException(what + " is already set");
            }
        }

        /**
         * @param source the artifact
         * @return this
         */
        public Builder artifact(ModelArtifact source) {
            once(artifact, "artifact");
            artifact = Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * @param file the artifact file
         * @return this
         */
        public Builder artifact(Path file) {
            return artifact(ModelArtifact.of(file));
        }

        /**
         * @param bytes the artifact bytes, not copied: read when {@code register} runs, so do not change
         *     them until it returns
         * @return this
         */
        public Builder artifact(byte[] bytes) {
            return artifact(ModelArtifact.ofBytes(bytes));
        }

        /**
         * @param text what this version is
         * @return this
         */
        public Builder description(String text) {
            once(description, "description");
            description = Objects.requireNonNull(text, "text");
            return this;
        }

        /**
         * @param key tag key
         * @param value tag value
         * @return this
         */
        public Builder tag(String key, String value) {
            put(tags, key, value, "tag");
            return this;
        }

        /**
         * @param name parameter name
         * @param value its value
         * @return this
         */
        public Builder param(String name, String value) {
            put(params, name, value, "parameter");
            return this;
        }

        /**
         * @param name parameter name
         * @param value its value, kept as text
         * @return this
         */
        public Builder param(String name, double value) {
            return param(name, Double.toString(value));
        }

        /**
         * An integer parameter, kept as an integer ({@code param("trees", 300)} is {@code "300"}, not
         * {@code "300.0"}).
         *
         * @param name parameter name
         * @param value its value
         * @return this
         */
        public Builder param(String name, long value) {
            return param(name, Long.toString(value));
        }

        /**
         * @param name metric name
         * @param value finite value
         * @return this
         */
        public Builder metric(String name, double value) {
            put(metrics, name, value, "metric");
            return this;
        }

        private static <V> void put(Map<String, V> map, String key, V value, String what) {
            Objects.requireNonNull(key, what + " name");
            Objects.requireNonNull(value, what + " value");
            if (map.putIfAbsent(key, value) != null) {
                throw new IllegalStateException(what + " " + key + " is already set");
            }
        }

        /**
         * @param value the lineage
         * @return this
         */
        public Builder lineage(Lineage value) {
            once(lineage, "lineage");
            lineage = Objects.requireNonNull(value, "lineage");
            return this;
        }

        /**
         * @param value the signature
         * @return this
         */
        public Builder signature(Signature value) {
            once(signature, "signature");
            signature = Objects.requireNonNull(value, "signature");
            return this;
        }

        /**
         * @param actor who registers the version
         * @return this
         */
        public Builder createdBy(String actor) {
            once(createdBy, "createdBy");
            createdBy = Objects.requireNonNull(actor, "actor");
            return this;
        }

        /**
         * @param digest the digest the artifact must have
         * @return this
         */
        public Builder expectDigest(Sha256 digest) {
            once(expectedDigest, "expected digest");
            expectedDigest = Objects.requireNonNull(digest, "digest");
            return this;
        }

        /**
         * @return the request
         * @throws IllegalStateException when no artifact was given
         */
        public NewVersion build() {
            if (artifact == null) {
                throw new IllegalStateException("artifact is required for a new version of " + model);
            }
            return new NewVersion(model, artifact, description == null ? "" : description, tags, params, metrics,
                    lineage == null ? Lineage.unknown() : lineage, signature == null ? Signature.none() : signature,
                    createdBy == null ? ChangeNote.NONE.actor() : createdBy, Optional.ofNullable(expectedDigest));
        }
    }
}
