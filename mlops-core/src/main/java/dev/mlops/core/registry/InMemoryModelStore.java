package dev.mlops.core.registry;

import dev.mlops.core.ConcurrentUpdateException;
import dev.mlops.core.ConflictException;
import dev.mlops.core.IntegrityException;
import dev.mlops.core.ModelNotFoundException;
import dev.mlops.core.Names;
import dev.mlops.core.Sha256;
import dev.mlops.core.StoreException;
import dev.mlops.core.internal.EventQueue;
import dev.mlops.core.internal.Listeners;
import dev.mlops.core.internal.VerifyingInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A {@link ModelStore} held in memory: for tests, notebooks-in-Java, and services that rebuild their
 * registry at start. Artifacts are kept as byte arrays, so each must be under 2 GiB.
 *
 * <p>Thread-safe with one lock per model: writers to different models never wait for each other;
 * artifacts are read and hashed before the lock is taken, and critical sections touch memory only.
 * Listeners are called after the lock is released, in each model's commit order, so a listener may
 * read or write the store.
 *
 * <pre>{@code
 * ModelStore store = new InMemoryModelStore();
 * ModelStore testStore = InMemoryModelStore.withClock(fakeClock);
 * }</pre>
 */
public final class InMemoryModelStore implements ModelStore {
    private static final int MAX_ARTIFACT = Integer.MAX_VALUE - 16;

    private final InstantSource clock;
    private final ConcurrentSkipListMap<String, ModelState> models = new ConcurrentSkipListMap<>();
    private final Listeners listeners = new Listeners();
    private volatile boolean closed;

    /** A store on the system clock. */
    public InMemoryModelStore() {
        this(InstantSource.system());
    }

    private InMemoryModelStore(InstantSource clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param clock the source of creation and change times
     * @return an empty store on that clock
     */
    public static InMemoryModelStore withClock(InstantSource clock) {
        return new InMemoryModelStore(clock);
    }

    private static final class Entry {
        final ModelVersion meta;
        final byte[] bytes;

        Entry(ModelVersion meta, byte[] bytes) {
            this.meta = meta;
            this.bytes = bytes;
        }
    }

    private static final class ModelState {
        final ReentrantLock lock = new ReentrantLock();
        long highest;
        final TreeMap<Long, Entry> live = new TreeMap<>();
        /** Per alias, the targets a rollback walks back through; the top is the current target. */
        final Map<String, Deque<Long>> targets = new HashMap<>();
        final Map<String, List<AliasMove>> history = new HashMap<>();
        final List<Tombstone> tombstones = new ArrayList<>();
        final EventQueue events = new EventQueue();

        OptionalLong current(String alias) {
            Deque<Long> stack = targets.get(alias);
            return stack == null || stack.isEmpty() ? OptionalLong.empty() : OptionalLong.of(stack.peek());
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("model store is closed");
        }
    }

    private <T> T locked(String model, boolean create, Supplier<T> absent, java.util.function.Function<ModelState, T> action) {
        checkOpen();
        Names.checkModel(model);
        ModelState state = create ? models.computeIfAbsent(model, m -> new ModelState()) : models.get(model);
        if (state == null) {
            return absent.get();
        }
        state.lock.lock();
        try {
            return action.apply(state);
        } finally {
            state.lock.unlock();
            state.events.deliver(listeners);
        }
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
            throw new StoreException("reading the artifact of a new version of " + request.model() + " failed", e);
        }
        Sha256 digest = Sha256.ofDigest(md.digest());
        if (request.expectedDigest().isPresent() && !request.expectedDigest().get().constantTimeEquals(digest)) {
            throw new IntegrityException("artifact of a new version of " + request.model() + " has digest " + digest
                    + ", expected " + request.expectedDigest().get());
        }
        return locked(request.model(), true, null, state -> {
            long number = state.highest + 1;
            ModelVersion v = new ModelVersion(request.model(), number, digest, bytes.length, clock.instant(),
                    request.createdBy(), request.description(), request.tags(), request.params(), request.metrics(),
                    request.lineage(), request.signature(), 1);
            state.live.put(number, new Entry(v, bytes));
            state.highest = number;
            state.events.add(new ModelStoreEvent.Registered(v));
            return v;
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

    private static Optional<Entry> resolve(ModelState state, ModelRef ref) {
        if (ref instanceof ModelRef.ByVersion byVersion) {
            return Optional.ofNullable(state.live.get(byVersion.version()));
        }
        if (ref instanceof ModelRef.ByAlias byAlias) {
            OptionalLong target = state.current(byAlias.alias());
            return target.isPresent() ? Optional.ofNullable(state.live.get(target.getAsLong())) : Optional.empty();
        }
        Map.Entry<Long, Entry> last = state.live.lastEntry();
        return last == null ? Optional.empty() : Optional.of(last.getValue());
    }

    private static Entry resolveOrThrow(ModelState state, ModelRef ref) {
        return resolve(state, ref).orElseThrow(() -> new ModelNotFoundException("no live model version " + ref));
    }

    @Override
    public Optional<ModelVersion> find(ModelRef ref) {
        Objects.requireNonNull(ref, "ref");
        return locked(ref.model(), false, Optional::empty, state -> resolve(state, ref).map(e -> e.meta));
    }

    @Override
    public InputStream open(ModelRef ref) {
        Objects.requireNonNull(ref, "ref");
        Entry e = locked(ref.model(), false, () -> null, state -> resolveOrThrow(state, ref));
        if (e == null) {
            throw new ModelNotFoundException("no live model version " + ref);
        }
        return new VerifyingInputStream(new ByteArrayInputStream(e.bytes), e.meta.digest(), e.meta.size(),
                e.meta.ref().toString());
    }

    @Override
    public Page<ModelVersion> versions(String model, PageRequest page) {
        Objects.requireNonNull(page, "page");
        long below = page.startBelow(Names.checkModel(model));
        return locked(model, false, () -> new Page<>(List.of(), Optional.empty()), state -> {
            NavigableMap<Long, Entry> older = state.live.headMap(below, false).descendingMap();
            List<ModelVersion> items = new ArrayList<>(Math.min(page.size(), older.size()));
            for (Entry e : older.values()) {
                if (items.size() == page.size()) {
                    break;
                }
                items.add(e.meta);
            }
            boolean more = older.size() > items.size();
            Optional<PageRequest> next = more
                    ? Optional.of(PageRequest.after(PageRequest.tokenAfter(model, items.get(items.size() - 1).version()), page.size()))
                    : Optional.empty();
            return new Page<>(items, next);
        });
    }

    @Override
    public List<ModelSummary> models() {
        checkOpen();
        List<ModelSummary> out = new ArrayList<>();
        for (String name : models.keySet()) {
            out.add(locked(name, false, () -> null, state -> {
                Map<String, Long> aliases = new TreeMap<>();
                state.targets.forEach((alias, stack) -> {
                    if (!stack.isEmpty()) {
                        aliases.put(alias, stack.peek());
                    }
                });
                OptionalLong latest = state.live.isEmpty() ? OptionalLong.empty() : OptionalLong.of(state.live.lastKey());
                return new ModelSummary(name, latest, state.live.size(), state.highest, aliases);
            }));
        }
        return out;
    }

    @Override
    public List<ModelVersion> search(VersionQuery query) {
        Objects.requireNonNull(query, "query");
        checkOpen();
        List<String> names = query.model().map(List::of).orElseGet(() -> new ArrayList<>(models.keySet()));
        List<ModelVersion> hits = new ArrayList<>();
        for (String name : names) {
            hits.addAll(locked(name, false, List::of, state -> {
                List<ModelVersion> found = new ArrayList<>();
                for (Entry e : state.live.values()) {
                    if (query.matches(e.meta)) {
                        found.add(e.meta);
                    }
                }
                return found;
            }));
        }
        hits.sort(ModelStore.NEWEST_FIRST);
        return List.copyOf(hits.size() > query.limit() ? hits.subList(0, query.limit()) : hits);
    }

    @Override
    public AliasMove setAlias(String model, String alias, long version, AliasExpect expect, ChangeNote note) {
        Names.checkAlias(alias);
        Objects.requireNonNull(expect, "expect");
        Objects.requireNonNull(note, "note");
        ModelRef.ByVersion target = ModelRef.of(model, version);
        return locked(model, false, () -> {
            throw new ModelNotFoundException("no live model version " + target);
        }, state -> {
            resolveOrThrow(state, target);
            OptionalLong current = state.current(alias);
            checkExpectation(model, alias, expect, current);
            Deque<Long> stack = state.targets.computeIfAbsent(alias, a -> new ArrayDeque<>());
            if (current.isEmpty() || current.getAsLong() != version) {
                stack.push(version);
            }
            return record(state, new AliasMove(model, alias, AliasMove.Kind.SET, current, OptionalLong.of(version),
                    clock.instant(), note.actor(), note.reason()));
        });
    }

    private static void checkExpectation(String model, String alias, AliasExpect expect, OptionalLong current) {
        if (!expect.matches(current)) {
            throw new ConcurrentUpdateException("alias " + model + "@" + alias + " points at "
                    + (current.isPresent() ? "v" + current.getAsLong() : "nothing") + ", expected " + expect);
        }
    }

    private static AliasMove record(ModelState state, AliasMove move) {
        state.history.computeIfAbsent(move.alias(), a -> new ArrayList<>()).add(move);
        state.events.add(new ModelStoreEvent.AliasMoved(move));
        return move;
    }

    @Override
    public AliasMove removeAlias(String model, String alias, AliasExpect expect, ChangeNote note) {
        Names.checkAlias(alias);
        Objects.requireNonNull(expect, "expect");
        Objects.requireNonNull(note, "note");
        return locked(model, false, () -> {
            throw new ModelNotFoundException("no alias " + model + "@" + alias);
        }, state -> {
            OptionalLong current = state.current(alias);
            if (current.isEmpty()) {
                throw new ModelNotFoundException("no alias " + model + "@" + alias);
            }
            checkExpectation(model, alias, expect, current);
            state.targets.remove(alias);
            return record(state, new AliasMove(model, alias, AliasMove.Kind.REMOVE, current, OptionalLong.empty(),
                    clock.instant(), note.actor(), note.reason()));
        });
    }

    @Override
    public AliasMove rollback(String model, String alias, ChangeNote note) {
        Names.checkAlias(alias);
        Objects.requireNonNull(note, "note");
        return locked(model, false, () -> {
            throw new ModelNotFoundException("no alias " + model + "@" + alias);
        }, state -> {
            Deque<Long> stack = state.targets.get(alias);
            if (stack == null || stack.isEmpty()) {
                throw new ModelNotFoundException("no alias " + model + "@" + alias);
            }
            long from = stack.peek();
            long to = -1;
            // walk back past targets deleted since they were current
            for (Iterator<Long> it = stack.iterator(); it.hasNext();) {
                long candidate = it.next();
                if (candidate != from && state.live.containsKey(candidate)) {
                    to = candidate;
                    break;
                }
            }
            if (to < 0) {
                throw new ConflictException("alias " + model + "@" + alias + " has no earlier live target to roll back"
                        + " to from v" + from);
            }
            while (stack.peek() != to) {
                stack.pop();
            }
            return record(state, new AliasMove(model, alias, AliasMove.Kind.ROLLBACK, OptionalLong.of(from),
                    OptionalLong.of(to), clock.instant(), note.actor(), note.reason()));
        });
    }
    @Override
    public List<AliasMove> aliasHistory(String model, String alias) {
        Names.checkAlias(alias);
        return locked(model, false, List::of, state -> List.copyOf(state.history.getOrDefault(alias, List.of())));
    }

    @Override
    public ModelVersion annotate(ModelRef ref, long expectedRevision, Annotations changes) {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(changes, "changes");
        return locked(ref.model(), false, () -> {
            throw new ModelNotFoundException("no live model version " + ref);
        }, state -> {
            Entry e = resolveOrThrow(state, ref);
            if (e.meta.revision() != expectedRevision) {
                throw new ConcurrentUpdateException(e.meta.ref() + " is at revision " + e.meta.revision()
                        + ", expected " + expectedRevision);
            }
            ModelVersion after = e.meta.annotated(changes.description().orElse(e.meta.description()),
                    changes.applyTo(e.meta.tags()));
            state.live.put(after.version(), new Entry(after, e.bytes));
            state.events.add(new ModelStoreEvent.Annotated(after));
            return after;
        });
    }

    @Override
    public Tombstone delete(ModelRef ref, ChangeNote note) {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(note, "note");
        return locked(ref.model(), false, () -> {
            throw new ModelNotFoundException("no live model version " + ref);
        }, state -> {
            Entry e = resolveOrThrow(state, ref);
            List<String> aliases = new ArrayList<>();
            state.targets.forEach((alias, stack) -> {
                if (!stack.isEmpty() && stack.peek() == e.meta.version()) {
                    aliases.add(alias);
                }
            });
            if (!aliases.isEmpty()) {
                aliases.sort(null);
                throw new ConflictException("cannot delete " + e.meta.ref() + ": aliases " + aliases
                        + " point at it; move or remove them first");
            }
            state.live.remove(e.meta.version());
            Tombstone t = new Tombstone(ref.model(), e.meta.version(), e.meta.digest(), clock.instant(), note.actor(),
                    note.reason());
            state.tombstones.add(t);
            state.events.add(new ModelStoreEvent.Deleted(t));
            return t;
        });
    }

    @Override
    public List<Tombstone> tombstones(String model) {
        return locked(model, false, List::of, state -> {
            List<Tombstone> out = new ArrayList<>(state.tombstones);
            out.sort(Comparator.comparingLong(Tombstone::version));
            return out;
        });
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
            resolveOrThrow(state, ref).bytes[index] ^= 1;
            return null;
        });
    }

    /** Drops everything held; later calls fail with {@link IllegalStateException}. Closing twice is harmless. */
    @Override
    public void close() {
        closed = true;
        models.clear();
    }
}
