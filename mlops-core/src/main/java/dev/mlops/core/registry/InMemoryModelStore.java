package dev.mlops.core.registry;

import dev.mlops.core.ConflictException;
import dev.mlops.core.IntegrityException;
import dev.mlops.core.ModelNotFoundException;
import dev.mlops.core.Names;
import dev.mlops.core.Sha256;
import dev.mlops.core.StoreException;
import dev.mlops.core.Subscription;
import dev.mlops.core.internal.EventQueue;
import dev.mlops.core.internal.Listeners;
import dev.mlops.core.internal.ModelLedger;
import dev.mlops.core.internal.SearchCursor;
import dev.mlops.core.internal.VerifyingInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A {@link ModelStore} held in memory: for tests, notebooks-in-Java, and services that rebuild their
 * registry at start. Artifacts are kept as byte arrays, so each must be under 2 GiB.
 *
 * <p>Thread-safe with one lock per model: writers to different models never wait for each other;
 * artifacts are read and hashed before the lock is taken, and critical sections touch memory only.
 * Listeners are called after the lock is released, in each model's commit order, so a listener may
 * read or write the store. The registry's rules live in the shared {@code ModelLedger}, which every
 * store uses: each write is planned (every check, and the clock, which may fail) before anything
 * changes, so a write happens whole or not at all. Listing is O(log n) plus the page; a search looks
 * at no more versions per model than it needs for its limit. An alias keeps its last 1,000 moves.
 *
 * <pre>{@code
 * ModelStore store = new InMemoryModelStore();
 * ModelStore testStore = InMemoryModelStore.withClock(fakeClock);
 * }</pre>
 */
public final class InMemoryModelStore implements ModelStore {
    private static final int MAX_ARTIFACT = Integer.MAX_VALUE - 16;

    private final InstantSource clock;
    private final Optional<Executor> eventExecutor;
    private final ConcurrentSkipListMap<String, ModelState> models = new ConcurrentSkipListMap<>();
    private final Listeners listeners = new Listeners();
    private volatile boolean closed;

    /** A store on the system clock. */
    public InMemoryModelStore() {
        this(InstantSource.system(), Optional.empty());
    }

    private InMemoryModelStore(InstantSource clock, Optional<Executor> eventExecutor) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.eventExecutor = eventExecutor;
    }

    /**
     * @param clock the source of creation and change times
     * @param eventExecutor where listeners are called; without one, the writing thread calls them after
     *     releasing the model's lock (and also delivers what other threads commit to the same model
     *     meanwhile, until the queue is empty); with one, writers never run listeners, and one delivery
     *     task at a time per model keeps the commit order
     * @return an empty store
     */
    public static InMemoryModelStore create(InstantSource clock, Executor eventExecutor) {
        return new InMemoryModelStore(clock, Optional.of(Objects.requireNonNull(eventExecutor, "eventExecutor")));
    }

    /**
     * @param clock the source of creation and change times
     * @return an empty store on that clock
     */
    public static InMemoryModelStore withClock(InstantSource clock) {
        return new InMemoryModelStore(clock, Optional.empty());
    }

    /** How many events the store keeps for {@link #events(long, int)}. */
    static final int KEPT_EVENTS = 100_000;

    /** The store's event sequence: numbered and kept under one short lock, so that it has no gaps. */
    private final ReentrantLock journalLock = new ReentrantLock();
    private final ConcurrentSkipListMap<Long, ModelStoreEvent> journal = new ConcurrentSkipListMap<>();
    private long lastSequence;

    /** Numbers an applied change's event and keeps it; call under the model's lock, in commit order. */
    private ModelStoreEvent journal(ModelLedger ledger, ModelLedger.Change change) {
        journalLock.lock();
        try {
            ModelStoreEvent event = ledger.event(change, ++lastSequence);
            journal.put(lastSequence, event);
            if (journal.size() > KEPT_EVENTS) {
                journal.pollFirstEntry();
            }
            return event;
        } finally {
            journalLock.unlock();
        }
    }

    /** One model: its ledger (the shared rules), its artifacts, its lock and its event queue. */
    private final class ModelState {
        final ReentrantLock lock = new ReentrantLock();
        final ModelLedger ledger;
        final Map<Long, byte[]> artifacts = new HashMap<>();
        final EventQueue events = new EventQueue();

        ModelState(String model) {
            ledger = new ModelLedger(model);
        }

        /** Applies a planned change and queues its event; call under the lock, after every step that can fail. */
        void commit(ModelLedger.Change change) {
            ledger.apply(change);
            events.add(journal(ledger, change));
        }
    }

    /** A version and its bytes, resolved together under the lock. */
    private record Stored(ModelVersion version, byte[] bytes) {
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("model store is closed");
        }
    }

    private <T> T locked(String model, boolean create, Supplier<T> absent, Function<ModelState, T> action) {
        checkOpen();
        Names.checkModel(model);
        ModelState state = create ? models.computeIfAbsent(model, m -> new ModelState(m)) : models.get(model);
        if (state == null) {
            return absent.get();
        }
        state.lock.lock();
        try {
            return action.apply(state);
        } finally {
            state.lock.unlock();
            if (eventExecutor.isPresent()) {
                state.events.deliver(listeners, eventExecutor.get());
            } else {
                state.events.deliver(listeners);
            }
        }
    }

    private static <T> Supplier<T> notFound(ModelRef what) {
        return () -> {
            throw ModelNotFoundException.of(what);
        };
    }

    private static <T> Supplier<T> notFound(String what) {
        return () -> {
            throw new ModelNotFoundException(what);
        };
    }

    @Override
    public ModelVersion register(NewVersion request) {
        Objects.requireNonNull(request, "request");
        checkOpen();
        MessageDigest md = Sha256.newDigest();
        byte[] bytes;
        try (InputStream raw = request.artifact().openStream();
                DigestInputStream in = new DigestInputStream(raw, md)) {
            bytes = readAll(in, request.model());
        } catch (IOException e) {
            throw new StoreException("reading the artifact of a new version of " + request.model() + " failed: "
                    + Objects.toString(e.getMessage(), e.getClass().getSimpleName()), e);
        }
        Sha256 digest = Sha256.ofDigest(md.digest());
        if (request.expectedDigest().isPresent() && !request.expectedDigest().get().constantTimeEquals(digest)) {
            throw new IntegrityException("artifact of a new version of " + request.model() + " has digest " + digest
                    + ", expected " + request.expectedDigest().get());
        }
        for (ModelRef.ByVersion parent : request.lineage().parents()) {
            if (!parent.model().equals(request.model()) && find(parent).isEmpty()) {
                throw new ModelNotFoundException("lineage parent " + parent + " of a new version of " + request.model()
                        + " is not a live version");
            }
        }
        return locked(request.model(), true, null, state -> {
            ModelLedger.Registered change = state.ledger.planRegister(request, digest, bytes.length, clock.instant());
            state.artifacts.put(change.version().version(), bytes);
            state.commit(change);
            return change.version();
        });
    }

    private static byte[] readAll(InputStream in, String model) throws IOException {
        byte[] bytes = in.readNBytes(MAX_ARTIFACT);
        if (bytes.length == MAX_ARTIFACT && in.read() >= 0) {
            throw new IOException("artifact of " + model + " is larger than the in-memory store's limit of "
                    + MAX_ARTIFACT + " bytes; use a file system store");
        }
        return bytes;
    }

    @Override
    public Optional<ModelVersion> find(ModelRef ref) {
        Objects.requireNonNull(ref, "ref");
        return locked(ref.model(), false, Optional::empty, state -> state.ledger.resolve(ref));
    }

    @Override
    public InputStream open(ModelRef ref) {
        return verifying(resolveStored(ref));
    }

    /** Resolves and reads the bytes under the model's lock, so the stream is of exactly that version. */
    @Override
    public OpenedVersion openVersion(ModelRef ref) {
        Stored found = resolveStored(ref);
        return new OpenedVersion(found.version(), verifying(found));
    }

    private Stored resolveStored(ModelRef ref) {
        Objects.requireNonNull(ref, "ref");
        return locked(ref.model(), false, notFound(ref), state -> {
            ModelVersion v = state.ledger.resolveOrThrow(ref);
            return new Stored(v, state.artifacts.get(v.version()));
        });
    }

    private static InputStream verifying(Stored found) {
        return new VerifyingInputStream(new ByteArrayInputStream(found.bytes()), found.version().digest(),
                found.version().size(), found.version().ref().toString());
    }

    @Override
    public List<ModelVersion> children(ModelRef.ByVersion parent) {
        Objects.requireNonNull(parent, "parent");
        checkOpen();
        List<ModelVersion> out = new ArrayList<>();
        for (String name : models.keySet()) {
            out.addAll(locked(name, false, List::of, state -> state.ledger.children(parent)));
        }
        out.sort(ModelStore.NEWEST_FIRST);
        return out;
    }

    @Override
    public Page<ModelVersion> versions(String model, PageRequest page) {
        Objects.requireNonNull(page, "page");
        page.startBelow(Names.checkModel(model));
        return locked(model, false, () -> new Page<>(List.of(), Optional.empty()), state -> state.ledger.versions(page));
    }

    @Override
    public List<ModelSummary> models() {
        checkOpen();
        List<ModelSummary> out = new ArrayList<>();
        for (String name : models.keySet()) {
            // a model whose first registration failed (no version ever numbered), or deleted whole, is not listed
            locked(name, false, Optional::<ModelSummary>empty, state -> state.ledger.listed()
                    ? Optional.of(state.ledger.summary()) : Optional.<ModelSummary>empty()).ifPresent(out::add);
        }
        return out;
    }

    /**
     * Each model gives at most {@code page.size() + 1} of its own matches after the page's position, in
     * the query's order, stopping there; those are merged and cut. Never a sort of every match.
     */
    @Override
    public Page<ModelVersion> search(VersionQuery query, PageRequest page) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(page, "page");
        checkOpen();
        Optional<ModelVersion> after = SearchCursor.after(query.order(), page);
        List<String> names = query.model().map(List::of).orElseGet(() -> new ArrayList<>(models.keySet()));
        List<ModelVersion> hits = new ArrayList<>();
        for (String name : names) {
            hits.addAll(locked(name, false, List::of, state -> state.ledger.search(query, after, page.size() + 1)));
        }
        return SearchCursor.page(query, page, hits);
    }

    @Override
    public AliasMove setAlias(String model, String alias, long version, AliasExpect expect, ChangeNote note) {
        Names.checkAlias(alias);
        Objects.requireNonNull(expect, "expect");
        Objects.requireNonNull(note, "note");
        return locked(model, false, notFound(ModelRef.of(model, version)), state -> {
            ModelLedger.AliasChanged change = state.ledger.planSetAlias(alias, version, expect, note, clock.instant());
            state.commit(change);
            return change.move();
        });
    }

    @Override
    public AliasMove removeAlias(String model, String alias, AliasExpect expect, ChangeNote note) {
        Names.checkAlias(alias);
        Objects.requireNonNull(expect, "expect");
        Objects.requireNonNull(note, "note");
        return locked(model, false, notFound("no alias " + model + "@" + alias), state -> {
            ModelLedger.AliasChanged change = state.ledger.planRemoveAlias(alias, expect, note, clock.instant());
            state.commit(change);
            return change.move();
        });
    }

    @Override
    public AliasMove rollback(String model, String alias, ChangeNote note) {
        Names.checkAlias(alias);
        Objects.requireNonNull(note, "note");
        return locked(model, false, notFound("no alias " + model + "@" + alias), state -> {
            ModelLedger.AliasChanged change = state.ledger.planRollback(alias, note, clock.instant());
            state.commit(change);
            return change.move();
        });
    }

    @Override
    public Optional<ModelSummary> model(String name) {
        return locked(name, false, Optional::empty, state -> state.ledger.listed()
                ? Optional.of(state.ledger.summary()) : Optional.empty());
    }

    @Override
    public ModelSummary annotateModel(String name, long expectedRevision, Annotations changes, ChangeNote note) {
        Objects.requireNonNull(changes, "changes");
        Objects.requireNonNull(note, "note");
        return locked(name, false, notFound("no model " + name), state -> {
            ModelLedger.ModelAnnotated change = state.ledger.planAnnotateModel(expectedRevision, changes, note,
                    clock.instant());
            state.commit(change);
            return state.ledger.summary();
        });
    }

    @Override
    public List<Tombstone> deleteModel(String name, ChangeNote note) {
        Objects.requireNonNull(note, "note");
        return locked(name, false, notFound("no model " + name), state -> {
            ModelLedger.ModelDeleted change = state.ledger.planDeleteModel(note, clock.instant());
            change.tombstones().forEach(t -> state.artifacts.remove(t.version()));
            state.commit(change);
            return change.tombstones();
        });
    }

    @Override
    public List<AliasMove> aliasHistory(String model, String alias) {
        Names.checkAlias(alias);
        return locked(model, false, List::of, state -> state.ledger.history(alias));
    }

    @Override
    public ModelVersion annotate(ModelRef ref, long expectedRevision, Annotations changes, ChangeNote note) {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(changes, "changes");
        Objects.requireNonNull(note, "note");
        return locked(ref.model(), false, notFound(ref), state -> {
            ModelLedger.Annotated change = state.ledger.planAnnotate(ref, expectedRevision, changes, note,
                    clock.instant());
            state.commit(change);
            return change.version();
        });
    }

    @Override
    public Tombstone delete(ModelRef ref, ChangeNote note) {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(note, "note");
        return locked(ref.model(), false, notFound(ref), state -> {
            ModelLedger.Deleted change = state.ledger.planDelete(ref, note, clock.instant());
            state.artifacts.remove(change.tombstone().version());
            state.commit(change);
            return change.tombstone();
        });
    }

    @Override
    public List<Tombstone> tombstones(String model) {
        return locked(model, false, List::of, state -> state.ledger.tombstones());
    }

    @Override
    public List<ModelStoreEvent> events(long afterSequence, int max) {
        if (afterSequence < 0) {
            throw new IllegalArgumentException("afterSequence must be >= 0, was " + afterSequence);
        }
        if (max < 1 || max > 10_000) {
            throw new IllegalArgumentException("max must be 1 to 10000, was " + max);
        }
        checkOpen();
        List<ModelStoreEvent> out = new ArrayList<>(Math.min(max, 64));
        for (ModelStoreEvent e : journal.tailMap(afterSequence, false).values()) {
            if (out.size() == max) {
                break;
            }
            out.add(e);
        }
        if (!out.isEmpty() && out.get(0).sequence() != afterSequence + 1) {
            throw new ConflictException("events after sequence " + afterSequence + " are no longer kept: the store"
                    + " keeps the last " + KEPT_EVENTS + ", from " + out.get(0).sequence());
        }
        return out;
    }

    @Override
    public Subscription subscribe(ModelStoreListener listener) {
        checkOpen();
        return listeners.add(listener);
    }

    /**
     * Flips one bit of a stored artifact, so that tests can check the digest check on read. Test seam
     * only: package-private, never called by the store.
     *
     * @param ref a live version
     * @param index the byte to damage
     */
    void corruptForTest(ModelRef.ByVersion ref, int index) {
        locked(ref.model(), false, () -> null, state -> {
            state.artifacts.get(state.ledger.resolveOrThrow(ref).version())[index] ^= 1;
            return null;
        });
    }

    /**
     * Replaces a stored artifact's bytes, so that tests can check the size check on read. Test seam only:
     * package-private, never called by the store.
     *
     * @param ref a live version
     * @param bytes the bytes to hold instead
     */
    void replaceForTest(ModelRef.ByVersion ref, byte[] bytes) {
        locked(ref.model(), false, () -> null, state -> state.artifacts.put(state.ledger.resolveOrThrow(ref).version(),
                bytes.clone()));
    }

    /** Drops everything held; later calls fail with {@link IllegalStateException}. Closing twice is harmless. */
    @Override
    public void close() {
        closed = true;
        models.clear();
    }
}
