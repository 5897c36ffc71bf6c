package dev.mlops.core.serving;

import dev.mlops.core.registry.ModelVersion;
import java.io.InputStream;

/**
 * Turns a registered version's bytes into the application's model object, for {@link LiveModel}. Called
 * off the request path, one load at a time per live model; the stream is verified against the version's
 * digest as it is read, so a load that reads to the end has read exactly the registered bytes.
 *
 * <pre>{@code
 * ModelLoader<Scorer> loader = (version, bytes) -> Scorer.read(bytes);
 * ModelLoader<Scorer> warmed = loader.warmingUpWith(scorer -> scorer.score(SAMPLE_ROW));
 * }</pre>
 *
 * <p>A model that is {@link AutoCloseable} is closed once, when it no longer serves and its last request
 * has ended; a model that fails to load or warm up is closed at once.
 *
 * @param <M> the model object requests use
 */
@FunctionalInterface
public interface ModelLoader<M> {
    /**
     * @param version the version being loaded
     * @param artifact its bytes, verified while read; closed by the caller after this returns
     * @return the model, ready for {@link #warmUp}
     * @throws Exception when the bytes are not a model this loader can build; the version is not served
     */
    M load(ModelVersion version, InputStream artifact) throws Exception;

    /**
     * Runs on a freshly loaded model before it takes any request (first-call compilation, caches, a
     * sanity prediction). The default does nothing.
     *
     * @param model what {@link #load} returned
     * @param version its version
     * @throws Exception when the model is not fit to serve; it is then closed and not served
     */
    default void warmUp(M model, ModelVersion version) throws Exception {
    }

    /**
     * @param warmUp what to run on each loaded model before it serves
     * @return this loader, warming up with {@code warmUp}
     */
    default ModelLoader<M> warmingUpWith(WarmUp<? super M> warmUp) {
        ModelLoader<M> self = this;
        return new ModelLoader<>() {
            @Override
            public M load(ModelVersion version, InputStream artifact) throws Exception {
                return self.load(version, artifact);
            }

            @Override
            public void warmUp(M model, ModelVersion version) throws Exception {
                self.warmUp(model, version);
                warmUp.accept(model);
            }
        };
    }

    /**
     * A warm-up step.
     *
     * @param <M> the model type
     */
    @FunctionalInterface
    interface WarmUp<M> {
        /**
         * @param model a freshly loaded model
         * @throws Exception when it is not fit to serve
         */
        void accept(M model) throws Exception;
    }
}
