package dev.mlops.core.serving;

import dev.mlops.core.Subscription;
import dev.mlops.core.registry.AliasMove;
import dev.mlops.core.registry.ChangeNote;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.core.registry.ModelStoreEvent;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.OpenedVersion;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model an alias points at, loaded and ready for requests, following the alias as it moves. A new
 * version is loaded and warmed up off the request path, then swapped in atomically; the version it
 * replaces is kept loaded for an instant {@link #rollback}. When a load fails, the healthy model keeps
 * serving and {@link #lastFailure()} says why. Each request holds one version from start to end
 * ({@link #lease()}, {@link #apply}), and a version's model is closed (when {@link AutoCloseable}) exactly
 * once, after it stopped serving and its last request ended.
 *
 * <pre>{@code
 * LiveModel<Scorer> live = LiveModel.follow(store, "fraud-scorer", "champion", (version, bytes) -> Scorer.read(bytes));
 * double score = live.apply(scorer -> scorer.score(features));          // one version, start to end
 * try (Lease<Scorer> lease = live.lease()) {                             // and which one answered
 *     respond(lease.model().score(features), lease.version().version());
 * }
 * }</pre>
 *
 * <p>Alias moves arrive through the store's events ({@link ModelStore#subscribe}), so this follows moves
 * made by any writer the store hears of: on the filesystem store, other processes' moves arrive when the
 * application polls it or hands it a scheduler. The library starts no thread: a load runs on the thread
 * that delivers the event (for the in-memory store without an executor, the thread that moved the alias,
 * which then returns after the swap), or on the {@linkplain Builder#executor executor} the application
 * gives. Loads of one live model never overlap; when the alias moves again during a load, the next load
 * goes straight to where it points then.
 *
 * <p>Two versions stay loaded while serving (the served one and the previous one); a third exists while
 * it loads. Thread-safe.
 *
 * @param <M> the model object requests use
 */
public final class LiveModel<M> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveModel.class);

    private final ModelStore store;
    private final String model;
    private final String alias;
    private final ModelRef.ByAlias ref;
    private final ModelLoader<M> loader;
    private final Optional<Executor> executor;
    private final InstantSource clock;
    private final Listener listener;
    private final Object swapLock = new Object();
    /** The version requests get; never null after construction. */
    private volatile Loaded<M> serving;
    /** The version served before, kept for {@link #rollback}; guarded by swapLock. */
    private Loaded<M> previous;
    private volatile LoadFailure lastFailure;
    private volatile boolean closed;
    /** Sync requests not yet drained; the thread that moves it from 0 drains. */
    private final AtomicInteger pendingSyncs = new AtomicInteger();
    private final Subscription subscription;

    private LiveModel(Builder<M> b) {
        this.store = b.store;
        this.model = b.model;
        this.alias = b.alias;
        this.ref = ModelRef.alias(b.model, b.alias);
        this.loader = b.loader;
        this.executor = b.executor;
        this.clock = b.clock;
        this.listener = b.listener;
        this.subscription = store.subscribe(this::onEvent);
        try {
            Loaded<M> first = load(true);
            synchronized (swapLock) {
                serving = first;
            }
        } catch (RuntimeException e) {
            subscription.close();
            throw e;
        }
        sync(); // a move between the first load's resolve and now was heard while nothing served
    }

    /**
     * Loads the version {@code model@alias} points at now, with the defaults: loads run on the thread
     * that delivers the store's events, system clock, swaps and failures logged.
     *
     * @param store where the model is registered
     * @param model the model's name
     * @param alias the alias to follow, such as {@code champion}
     * @param loader builds the model object from a version's bytes
     * @param <M> the model type
     * @return the live model, serving
     * @throws IllegalStateException when the alias points nowhere, or the version fails to load or warm up
     */
    public static <M> LiveModel<M> follow(ModelStore store, String model, String alias, ModelLoader<M> loader) {
        return builder(store, model, alias, loader).build();
    }

    /**
     * @param store where the model is registered
     * @param model the model's name
     * @param alias the alias to follow
     * @param loader builds the model object from a version's bytes
     * @param <M> the model type
     * @return a builder for the options
     */
    public static <M> Builder<M> builder(ModelStore store, String model, String alias, ModelLoader<M> loader) {
        return new Builder<>(store, model, alias, loader);
    }

    /**
     * What a live model tells: swaps, failed loads, released versions. Called on the thread that did the
     * work (a release: the thread that ended the version's last request, or the executor when one is set);
     * it must not block. The defaults do nothing; every event is also logged.
     */
    public interface Listener {
        /**
         * @param from the version that served until now
         * @param to the version that serves from now on
         */
        default void swapped(ModelVersion from, ModelVersion to) {
        }

        /** @param failure a version that could not be loaded; the served one did not change */
        default void loadFailed(LoadFailure failure) {
        }

        /** @param version a version whose model was closed: it no longer serves and no request holds it */
        default void released(ModelVersion version) {
        }
    }

    /** Builds a {@link LiveModel}. Not thread-safe. */
    public static final class Builder<M> {
        private final ModelStore store;
        private final String model;
        private final String alias;
        private final ModelLoader<M> loader;
        private Optional<Executor> executor = Optional.empty();
        private InstantSource clock = InstantSource.system();
        private Listener listener = new Listener() {
        };

        private Builder(ModelStore store, String model, String alias, ModelLoader<M> loader) {
            this.store = Objects.requireNonNull(store, "store");
            this.model = Objects.requireNonNull(model, "model");
            this.alias = Objects.requireNonNull(alias, "alias");
            this.loader = Objects.requireNonNull(loader, "loader");
            ModelRef.alias(model, alias); // validates both names
        }

        /**
         * @param loads where loads after the first, and releases, run; without one they run on the thread
         *     that delivers the store's event (loads) or ends the last request (releases)
         * @return this
         */
        public Builder<M> executor(Executor loads) {
            this.executor = Optional.of(Objects.requireNonNull(loads, "executor"));
            return this;
        }

        /**
         * @param source the clock for failure times
         * @return this
         */
        public Builder<M> clock(InstantSource source) {
            this.clock = Objects.requireNonNull(source, "clock");
            return this;
        }

        /**
         * @param l told of swaps, failed loads and releases
         * @return this
         */
        public Builder<M> listener(Listener l) {
            this.listener = Objects.requireNonNull(l, "listener");
            return this;
        }

        /**
         * Loads the version the alias points at now, on this thread, and starts following the alias.
         *
         * @return the live model, serving
         * @throws IllegalStateException when the alias points nowhere, or the version fails to load or warm up
         */
        public LiveModel<M> build() {
            return new LiveModel<>(this);
        }
    }

    // ---- requests ------------------------------------------------------------------------------------------

    /**
     * Starts a request on the version served now; close the lease when the request ends.
     *
     * @return the request's hold on one version
     * @throws IllegalStateException when this live model is closed
     */
    public Lease<M> lease() {
        int cell = Loaded.cell();
        return new Lease<>(enter(cell), cell);
    }

    /**
     * Runs one request on the version served now, holding it until the request returns or throws.
     *
     * @param request what to do with the model
     * @param <R> the answer's type
     * @return the request's answer
     * @throws IllegalStateException when this live model is closed
     */
    public <R> R apply(Function<? super M, ? extends R> request) {
        int cell = Loaded.cell();
        Loaded<M> l = enter(cell);
        try {
            return request.apply(l.model);
        } finally {
            l.exit(cell);
        }
    }

    private Loaded<M> enter(int cell) {
        while (true) {
            Loaded<M> l = serving;
            if (l.enter(cell)) {
                return l;
            }
            if (closed) {
                throw new IllegalStateException("live model " + ref + " is closed");
            }
        }
    }

    /** @return the version requests get now */
    public ModelVersion version() {
        return serving.version;
    }

    /** @return the version kept for {@link #rollback}, if any */
    public Optional<ModelVersion> previousVersion() {
        synchronized (swapLock) {
            return Optional.ofNullable(previous).map(p -> p.version);
        }
    }

    /** @return the most recent failed load, if any; it is not cleared by a later success */
    public Optional<LoadFailure> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    // ---- following the alias --------------------------------------------------------------------------------

    private void onEvent(ModelStoreEvent event) {
        if (event instanceof ModelStoreEvent.AliasMoved moved) {
            AliasMove m = moved.move();
            if (m.model().equals(model) && m.alias().equals(alias)) {
                sync();
            }
        }
    }

    /**
     * Loads the version the alias points at now, if it is not the one served, and swaps it in. Called on
     * every move of the alias; call it yourself to catch up after the store could not deliver events.
     * Runs on the executor when one was given, else on this thread before returning.
     */
    public void sync() {
        if (closed || pendingSyncs.getAndIncrement() != 0) {
            return;
        }
        if (executor.isPresent()) {
            executor.get().execute(this::drainSyncs);
        } else {
            drainSyncs();
        }
    }

    private void drainSyncs() {
        while (true) {
            int seen = pendingSyncs.get();
            try {
                syncOnce();
            } catch (RuntimeException e) {
                LOG.error("following {} failed unexpectedly; still serving {}", ref, serving.version.ref(), e);
            }
            if (pendingSyncs.addAndGet(-seen) == 0) {
                return;
            }
        }
    }

    private void syncOnce() {
        if (closed || serving == null) {
            return;
        }
        Optional<ModelVersion> target;
        try {
            target = store.find(ref);
        } catch (RuntimeException e) {
            fail(new LoadFailure(ref, clock.instant(), "resolve", e));
            return;
        }
        if (target.isEmpty()) {
            fail(new LoadFailure(ref, clock.instant(), "resolve",
                    new IllegalStateException("alias " + ref + " is not set (any more): it points at no live version")));
            return;
        }
        long wanted = target.get().version();
        synchronized (swapLock) {
            if (serving.version.version() == wanted) {
                return;
            }
            if (previous != null && previous.version.version() == wanted) {
                swapToPrevious();
                return;
            }
        }
        Loaded<M> next;
        try {
            next = load(false);
        } catch (IllegalStateException e) {
            return; // reported by load
        }
        swapIn(next);
    }

    /**
     * Opens, loads and warms up the version the alias points at.
     *
     * @param first whether this is the constructor's load, which throws instead of reporting
     */
    private Loaded<M> load(boolean first) {
        OpenedVersion opened;
        try {
            opened = store.openVersion(ref);
        } catch (RuntimeException e) {
            throw failed(first, new LoadFailure(ref, clock.instant(), "resolve", e));
        }
        ModelVersion v = opened.version();
        M m = null;
        String stage = "load";
        try (opened) {
            m = loader.load(v, opened.stream());
            if (m == null) {
                throw new IllegalStateException("the loader returned null for " + v.ref());
            }
            stage = "warm-up";
            loader.warmUp(m, v);
            return new Loaded<>(m, v, this::release);
        } catch (Exception e) {
            closeQuietly(m, v);
            throw failed(first, new LoadFailure(v.ref(), clock.instant(), stage, e));
        }
    }

    private IllegalStateException failed(boolean first, LoadFailure f) {
        if (!first) {
            fail(f);
        }
        return new IllegalStateException("live model " + ref + ": " + f, f.error());
    }

    private void fail(LoadFailure f) {
        lastFailure = f;
        Loaded<M> s = serving;
        LOG.warn("{}; still serving {}", f, s == null ? "nothing" : s.version.ref());
        try {
            listener.loadFailed(f);
        } catch (RuntimeException e) {
            LOG.warn("live model listener failed on a load failure of {}", ref, e);
        }
    }

    private void swapIn(Loaded<M> next) {
        Loaded<M> retired;
        ModelVersion from;
        synchronized (swapLock) {
            if (closed) {
                retired = next;
                from = null;
            } else {
                retired = previous;
                previous = serving;
                from = serving.version;
                serving = next;
            }
        }
        if (from != null) {
            swapped(from, next.version);
        }
        if (retired != null) {
            retired.retire();
        }
    }

    /** Serves the previous version again and keeps the one it replaces as the previous one. Under swapLock. */
    private ModelVersion swapToPrevious() {
        Loaded<M> back = previous;
        previous = serving;
        serving = back;
        swapped(previous.version, back.version);
        return back.version;
    }

    private void swapped(ModelVersion from, ModelVersion to) {
        LOG.info("live model {} swapped from {} to {}", ref, from.ref(), to.ref());
        try {
            listener.swapped(from, to);
        } catch (RuntimeException e) {
            LOG.warn("live model listener failed on a swap of {}", ref, e);
        }
    }

    /**
     * Serves the previous version again at once (it is still loaded), then rolls the alias back in the
     * store ({@link ModelStore#rollback}), so that every follower returns to it too. The version rolled
     * away from is kept as the previous one. When the store refuses, this process still serves the
     * previous version and the exception says why the alias did not move.
     *
     * @param note who rolls back and why, for the alias's history
     * @return the version served now
     * @throws IllegalStateException when no previous version is kept (nothing was swapped yet)
     */
    public ModelVersion rollback(ChangeNote note) {
        Objects.requireNonNull(note, "note");
        ModelVersion back;
        synchronized (swapLock) {
            if (closed) {
                throw new IllegalStateException("live model " + ref + " is closed");
            }
            if (previous == null) {
                throw new IllegalStateException("live model " + ref + " keeps no previous version to roll back to:"
                        + " it has served only " + serving.version.ref());
            }
            back = swapToPrevious();
        }
        store.rollback(model, alias, note);
        return back;
    }

    private void release(Loaded<M> l) {
        Runnable close = () -> {
            closeQuietly(l.model, l.version);
            LOG.debug("live model {} released {}", ref, l.version.ref());
            try {
                listener.released(l.version);
            } catch (RuntimeException e) {
                LOG.warn("live model listener failed on a release of {}", ref, e);
            }
        };
        if (executor.isPresent()) {
            executor.get().execute(close);
        } else {
            close.run();
        }
    }

    private void closeQuietly(M m, ModelVersion v) {
        if (m instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing the model of {} failed", v.ref(), e);
            }
        }
    }

    /**
     * Stops following the alias; the served and previous versions are released once their last requests
     * end. Requests started afterwards fail. Closing twice does nothing.
     */
    @Override
    public void close() {
        Loaded<M> s;
        Loaded<M> p;
        synchronized (swapLock) {
            if (closed) {
                return;
            }
            closed = true;
            s = serving;
            p = previous;
            previous = null;
        }
        subscription.close();
        if (p != null) {
            p.retire();
        }
        s.retire();
    }

    @Override
    public String toString() {
        return "LiveModel[" + ref + " serving " + serving.version.ref() + "]";
    }
}
