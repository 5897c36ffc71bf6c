package dev.mlops.core.serving;

import dev.mlops.core.registry.ModelVersion;

/**
 * One request's hold on the version {@link LiveModel} served when it began: the same model object from
 * start to end, whatever swaps meanwhile, and never closed under it. Close it when the request ends
 * (try-with-resources); closing twice does nothing. Used by one request at a time, not shared.
 *
 * <pre>{@code
 * try (Lease<Scorer> lease = live.lease()) {
 *     double score = lease.model().score(features);
 *     monitor.record(requestId, score, nanos, features, categories);  // lease.version() answered
 * }
 * }</pre>
 *
 * @param <M> the model type
 */
public final class Lease<M> implements AutoCloseable {
    private Loaded<M> loaded;
    private final int cell;

    Lease(Loaded<M> loaded, int cell) {
        this.loaded = loaded;
        this.cell = cell;
    }

    private Loaded<M> held() {
        Loaded<M> l = loaded;
        if (l == null) {
            throw new IllegalStateException("the lease was closed; take a new one for the next request");
        }
        return l;
    }

    /** @return the model object answering this request */
    public M model() {
        return held().model;
    }

    /** @return the version answering this request */
    public ModelVersion version() {
        return held().version;
    }

    /** Ends the request's hold; the version's resources may be released once no request holds it. */
    @Override
    public void close() {
        Loaded<M> l = loaded;
        if (l != null) {
            loaded = null;
            l.exit(cell);
        }
    }
}
