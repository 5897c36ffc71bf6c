package dev.mlops.core.registry;

import dev.mlops.core.Sha256;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where a model version came from: the code, the data, the parent models, the run and the runtime.
 *
 * <pre>{@code
 * Lineage.builder()
 *        .codeRevision("3f2a9c1", false)
 *        .data(URI.create("s3://bucket/nov.parquet"), sha256, 1_204_331)
 *        .parent(ModelRef.of("fraud-scorer", 6))
 *        .runId("train-2026-11-27-01")
 *        .build();                       // captures Environment.current()
 * }</pre>
 *
 * @param codeRevision the source revision (a git commit, a tag), when known
 * @param dirty whether the working tree had uncommitted changes at that revision
 * @param data the data sets used
 * @param parents versions this one was derived from (fine-tuned, distilled, retrained)
 * @param runId the training run's identifier, when known
 * @param environment the runtime it was produced in
 */
public record Lineage(
        Optional<String> codeRevision,
        boolean dirty,
        List<DataSource> data,
        List<ModelRef.ByVersion> parents,
        Optional<String> runId,
        Environment environment) {

    /**
     * Validates and copies the parts.
     *
     * @param codeRevision the source revision (a git commit, a tag), when known
     * @param dirty whether the working tree had uncommitted changes at that revision
     * @param data the data sets used
     * @param parents versions this one was derived from (fine-tuned, distilled, retrained)
     * @param runId the training run's identifier, when known
     * @param environment the runtime it was produced in
     */
    public Lineage {
        Objects.requireNonNull(codeRevision, "codeRevision").ifPresent(r -> Texts.check("code revision", r, 1, 200));
        if (dirty && codeRevision.isEmpty()) {
            throw new IllegalArgumentException("dirty is only meaningful with a code revision");
        }
        data = List.copyOf(Objects.requireNonNull(data, "data"));
        parents = List.copyOf(Objects.requireNonNull(parents, "parents"));
        Objects.requireNonNull(runId, "runId").ifPresent(r -> Texts.check("run id", r, 1, 200));
        Objects.requireNonNull(environment, "environment");
    }

    /**
     * @return a lineage that records nothing but the current environment
     */
    public static Lineage unknown() {
        return builder().build();
    }

    /**
     * @return a builder; every part is optional
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link Lineage}. Not thread-safe. Setting a single-valued part twice fails fast. */
    public static final class Builder {
        private Optional<String> codeRevision = Optional.empty();
        private boolean dirty;
        private final List<DataSource> data = new ArrayList<>();
        private final List<ModelRef.ByVersion> parents = new ArrayList<>();
        private Optional<String> runId = Optional.empty();
        private Optional<Environment> environment = Optional.empty();

        private Builder() {
        }

        /**
         * @param revision source revision
         * @param dirtyTree whether the tree had uncommitted changes
         * @return this
         */
        public Builder codeRevision(String revision, boolean dirtyTree) {
            if (codeRevision.isPresent()) {
                throw new IllegalStateException("code revision already set to " + codeRevision.get());
            }
            codeRevision = Optional.of(Objects.requireNonNull(revision, "revision"));
            dirty = dirtyTree;
            return this;
        }

        /**
         * @param source a data set used
         * @return this
         */
        public Builder data(DataSource source) {
            data.add(Objects.requireNonNull(source, "source"));
            return this;
        }

        /**
         * @param uri where the data lives
         * @param sha256 digest of its bytes
         * @param rows rows used
         * @return this
         */
        public Builder data(URI uri, Sha256 sha256, long rows) {
            return data(new DataSource(uri, Optional.of(sha256), OptionalLong.of(rows)));
        }

        /**
         * @param parent a version this one derives from
         * @return this
         */
        public Builder parent(ModelRef.ByVersion parent) {
            parents.add(Objects.requireNonNull(parent, "parent"));
            return this;
        }

        /**
         * @param id the training run's identifier
         * @return this
         */
        public Builder runId(String id) {
            if (runId.isPresent()) {
                throw new IllegalStateException("run id already set to " + runId.get());
            }
            runId = Optional.of(Objects.requireNonNull(id, "id"));
            return this;
        }

        /**
         * @param env the runtime to record instead of the current one
         * @return this
         */
        public Builder environment(Environment env) {
            if (environment.isPresent()) {
                throw new IllegalStateException("environment already set");
            }
            environment = Optional.of(Objects.requireNonNull(env, "env"));
            return this;
        }

        /**
         * @return the lineage, with {@link Environment#current()} unless an environment was set
         */
        public Lineage build() {
            return new Lineage(codeRevision, dirty, data, parents, runId, environment.orElseGet(Environment::current));
        }
    }
}
