package dev.mlops.registry.fs;

import dev.mlops.core.IntegrityException;
import dev.mlops.core.InvalidFormatException;
import dev.mlops.core.ModelNotFoundException;
import dev.mlops.core.Names;
import dev.mlops.core.Sha256;
import dev.mlops.core.StoreException;
import dev.mlops.core.internal.EventQueue;
import dev.mlops.core.internal.Listeners;
import dev.mlops.core.internal.ModelLedger;
import dev.mlops.core.internal.SearchCursor;
import dev.mlops.core.internal.StrictJsonReader;
import dev.mlops.core.internal.VerifyingInputStream;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.AliasMove;
import dev.mlops.core.registry.Annotations;
import dev.mlops.core.registry.ChangeNote;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.core.registry.ModelStoreEvent;
import dev.mlops.core.registry.ModelStoreListener;
import dev.mlops.core.registry.ModelSummary;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import dev.mlops.core.registry.OpenedVersion;
import dev.mlops.core.registry.Page;
import dev.mlops.core.registry.PageRequest;
import dev.mlops.core.registry.Subscription;
import dev.mlops.core.registry.Tombstone;
import dev.mlops.core.registry.VersionQuery;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A {@link ModelStore} in a directory on a local or shared POSIX file system: the default a team
 * points at a path. Every committed change is a file on disk before the call returns, so a second
 * store opened on the same directory, in this process or another, sees it at once.
 *
 * <pre>{@code
 * try (ModelStore store = FileSystemModelStore.open(Path.of("registry"))) {
 *     ModelVersion v = store.register(NewVersion.builder("fraud-scorer").artifact(Path.of("model.bin")).build());
 *     store.setAlias("fraud-scorer", "champion", v.version(), AliasExpect.absent());
 * }
 * ModelStore tuned = FileSystemModelStore.builder(dir).lockTimeout(Duration.ofSeconds(30)).build();
 * }</pre>
 *
 * <h2>Layout, version 1</h2>
 * Relative paths only, so a directory copied elsewhere is the same store:
 * <pre>
 * registry.json                                   {"format":"mlops.registry","version":1}, written once
 * objects/sha256/ab/ab12…(64 hex)                 an artifact: content-addressed, read-only, identical bytes stored once
 * models/&lt;name&gt;/changes/00000000000000000007.json the model's change log: one immutable file per committed change
 * models/&lt;name&gt;/lock                              locked, never written, by the model's writers
 * journal/00000000000000000012.json               the store's event sequence: one immutable entry per event
 * journal/lock                                    locked by writers of the journal
 * tmp/                                            temporary files, on the same file system as the rest
 * </pre>
 * Every file is JSON with a {@code format} and a {@code version}, read strictly: a damaged or
 * hand-edited file gives an {@link InvalidFormatException} naming the file and the field, and the other
 * models keep working.
 *
 * <h2>Durability</h2>
 * A write is acknowledged only after its file is durable: written under {@code tmp/}, forced, published
 * with a hard link (which fails rather than overwrite), and its directory forced. An artifact is streamed
 * to {@code tmp/} while it is hashed, never held whole in memory, and published under its digest before
 * the version that names it; a crash in between leaves an unreferenced object, never a version without
 * its bytes. A change is committed exactly when its change file exists.
 *
 * <h2>Concurrency</h2>
 * Thread-safe, with one lock per model: an in-JVM lock (shared by every store open on the directory in
 * this JVM) and, for writes, {@code FileChannel.lock()} on the model's lock file, held from reading the
 * latest changes through planning, publishing and applying the new one. The operating system drops a
 * file lock when its process dies, so a crash leaves no stale lock. Waiting for either lock ends after
 * the {@linkplain Builder#lockTimeout lock timeout} in a {@link StoreException} naming the model. Reads
 * and writes first read any change files other processes committed since (one failed open when there are
 * none), so they never answer from a stale cache. Listeners are called after the lock is released, in
 * each model's commit order, as by {@code InMemoryModelStore}; the library starts no threads.
 *
 * <h2>Events</h2>
 * The store-wide sequence of {@link #events(long, int)} is kept in {@code journal/}: right after a
 * change file is published, still under the model's lock, the writer takes the journal's lock (in-JVM
 * and file) and publishes the next entry. A crash between the two leaves a committed change without its
 * journal entry: the change is in the store, but {@link #events} does not list it until a repair (a
 * later {@code fsck}) appends the missing entry. Changes other processes make reach this store's reads
 * at once, but its listeners only hear of this store's own writes (polling others' events comes later).
 */
public final class FileSystemModelStore implements ModelStore {
    private static final int REGISTRY_FILE_MAX = 4096;
    private static final Set<String> LAYOUT_ENTRIES = Set.of("registry.json", "objects", "models", "journal", "tmp");

    private final Layout layout;
    private final InstantSource clock;
    private final Duration lockTimeout;
    private final Optional<Executor> eventExecutor;
    private final JvmLocks locks;
    private final ConcurrentHashMap<String, ModelState> models = new ConcurrentHashMap<>();
    private final Listeners listeners = new Listeners();
    private final AtomicBoolean closed = new AtomicBoolean();

    private FileSystemModelStore(Builder b) throws IOException {
        this.clock = b.clock;
        this.lockTimeout = b.lockTimeout;
        this.eventExecutor = b.eventExecutor;
        Path dir = b.directory.toAbsolutePath().normalize();
        DurableFiles.createDirectories(dir);
        Layout provisional = new Layout(dir.toRealPath());
        initialiseOrCheck(provisional);
        this.layout = provisional;
        this.locks = JvmLocks.acquire(layout.root);
    }

    /**
     * Opens the store in {@code directory}, creating the layout when the directory is missing or empty;
     * system clock, 10 second lock timeout, listeners called on the writing thread.
     *
     * @param directory the store's directory
     * @return the store; close it to release it
     * @throws InvalidFormatException when {@code registry.json} is of another format or a newer layout version
     * @throws StoreException when the directory cannot be read or created, or is not empty and not a store
     */
    public static FileSystemModelStore open(Path directory) {
        return builder(directory).build();
    }

    /**
     * @param directory the store's directory
     * @return a builder for a store with other options
     */
    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /** Options for a {@link FileSystemModelStore}. Not thread-safe; setting an option twice fails fast. */
    public static final class Builder {
        private final Path directory;
        private InstantSource clock = InstantSource.system();
        private boolean clockSet;
        private Duration lockTimeout = Duration.ofSeconds(10);
        private boolean lockTimeoutSet;
        private Optional<Executor> eventExecutor = Optional.empty();

        private Builder(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        /**
         * @param source the source of creation and change times (default: the system clock)
         * @return this
         */
        public Builder clock(InstantSource source) {
            if (clockSet) {
                throw new IllegalStateException("clock already set");
            }
            clock = Objects.requireNonNull(source, "source");
            clockSet = true;
            return this;
        }

        /**
         * @param timeout how long an operation waits for a model's lock (or the journal's) before it fails
         *     with a {@link StoreException}; positive (default 10 seconds)
         * @return this
         */
        public Builder lockTimeout(Duration timeout) {
            if (lockTimeoutSet) {
                throw new IllegalStateException("lock timeout already set to " + lockTimeout);
            }
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("lock timeout must be positive, was " + timeout);
            }
            lockTimeout = timeout;
            lockTimeoutSet = true;
            return this;
        }

        /**
         * @param executor where listeners are called; without one, the writing thread calls them after
         *     releasing the model's lock; with one, writers never run listeners, and one delivery task at
         *     a time per model keeps the commit order
         * @return this
         */
        public Builder eventExecutor(Executor executor) {
            if (eventExecutor.isPresent()) {
                throw new IllegalStateException("event executor already set");
            }
            eventExecutor = Optional.of(Objects.requireNonNull(executor, "executor"));
            return this;
        }

        /**
         * @return the store, its layout created if the directory was missing or empty
         * @throws InvalidFormatException when {@code registry.json} is of another format or a newer version
         * @throws StoreException when the directory cannot be used
         */
        public FileSystemModelStore build() {
            try {
                return new FileSystemModelStore(this);
            } catch (IOException e) {
                throw new StoreException("opening the model store in " + directory + " failed", e);
            }
        }
    }

    // ---- the layout --------------------------------------------------------------------------------------

    private static void initialiseOrCheck(Layout layout) throws IOException {
        String document = layout.registryFile.toString();
        Optional<String> text = DurableFiles.readText(layout.registryFile, document, REGISTRY_FILE_MAX);
        if (text.isEmpty()) {
            List<String> foreign = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(layout.root)) {
                for (Path p : entries) {
                    String name = p.getFileName().toString();
                    if (!LAYOUT_ENTRIES.contains(name)) {
                        foreign.add(name);
                    }
                }
            }
            if (!foreign.isEmpty()) {
                foreign.sort(null);
                throw new StoreException(layout.root + " is not a model store (it has no registry.json) and is not"
                        + " empty: it holds " + Names.quote(foreign.subList(0, Math.min(5, foreign.size())).toString()));
            }
            DurableFiles.createDirectories(layout.tmp);
            byte[] header = Json.document(g -> {
                g.writeStartObject();
                g.writeStringField("format", Layout.REGISTRY_FORMAT);
                g.writeNumberField("version", Layout.VERSION);
                g.writeEndObject();
            });
            Path temp = DurableFiles.writeTemp(layout.tmp, "registry-", out -> out.write(header));
            DurableFiles.publish(temp, layout.registryFile); // false: another process created it first, checked below
            text = DurableFiles.readText(layout.registryFile, document, REGISTRY_FILE_MAX);
        }
        try (StrictJsonReader r = StrictJsonReader.of(document, text.orElseThrow(), REGISTRY_FILE_MAX)) {
            r.beginObject();
            String format = null;
            long version = -1;
            while (r.nextField()) {
                switch (r.field()) {
                    case "format" -> format = r.string(100);
                    case "version" -> version = r.longValue(0, Integer.MAX_VALUE);
                    default -> r.skipUnknown();
                }
            }
            r.checkHeader(Layout.REGISTRY_FORMAT, format, version, Layout.VERSION);
            r.rejectUnknown();
            r.endDocument();
        }
        for (Path dir : List.of(layout.tmp, layout.objects, layout.models, layout.journal)) {
            DurableFiles.createDirectories(dir);
        }
    }

    /** @return the store's directory, as a real path */
    public Path directory() {
        return layout.root;
    }

    // ---- models, locks, refresh --------------------------------------------------------------------------

    /** One model as this store knows it: the ledger replayed from its change files, up to {@code applied}. */
    private static final class ModelState {
        final String model;
        /** Shared by every store on this directory in this JVM; guards everything below. */
        final ReentrantLock lock;
        final EventQueue events = new EventQueue();
        ModelLedger ledger;
        long applied;
        long highest;

        ModelState(String model, ReentrantLock lock) {
            this.model = model;
            this.lock = lock;
            reset();
        }

        /** Forgets what was replayed, so that the next access replays from the first change. */
        void reset() {
            ledger = new ModelLedger(model);
            applied = 0;
            highest = 0;
        }
    }

    /** A change made, and its event. */
    private record Committed<C extends ModelLedger.Change>(C change, ModelStoreEvent event) {
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("model store " + layout.root + " is closed");
        }
    }

    private ModelState state(String model) {
        Names.checkModel(model);
        return models.computeIfAbsent(model, m -> new ModelState(m, locks.model(m)));
    }

    private long deadline() {
        return System.nanoTime() + lockTimeout.toNanos();
    }

    private void lock(ReentrantLock lock, long deadline, String what) {
        try {
            if (!lock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new StoreException("timed out after " + lockTimeout + " waiting for the lock of " + what
                        + " in " + layout.root + " (held by another thread of this process)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the lock of " + what + " in " + layout.root);
        }
    }

    /** A file lock held, with its channel; closing releases both. */
    private record HeldFileLock(FileChannel channel, FileLock lock) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }

    /** Locks a lock file; call only while holding its in-JVM lock, so that no other channel of this JVM locks it. */
    private HeldFileLock lockFile(Path file, long deadline, String what) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            long pause = 1;
            while (true) {
                FileLock l = ch.tryLock();
                if (l != null) {
                    return new HeldFileLock(ch, l);
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw new StoreException("timed out after " + lockTimeout + " waiting for the lock of " + what
                            + " (" + file + "), held by another process");
                }
                Thread.sleep(pause);
                pause = Math.min(pause * 2, 50);
            }
        } catch (InterruptedException e) {
            ch.close();
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the lock of " + what + " (" + file + ")");
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Applies the change files committed since this store last looked, by this or any other process. Call
     * under the model's in-JVM lock. A file that cannot be read or does not follow from the ones before it
     * fails the call, naming the file, and is read again on the next call.
     */
    private void refresh(ModelState s) {
        while (true) {
            long n = s.applied + 1;
            Path file = layout.change(s.model, n);
            String document = file.toString();
            Optional<String> text = DurableFiles.readText(file, document, ChangeCodec.MAX_BYTES);
            if (text.isEmpty()) {
                return;
            }
            ModelLedger.Change change = ChangeCodec.read(document, text.get(), s.model, n);
            Replay.check(s.ledger, s.highest, change, document);
            try {
                s.ledger.apply(change);
            } catch (RuntimeException e) {
                s.reset();
                throw new InvalidFormatException(document, "", -1, "the change cannot be applied to the ones before it: "
                        + e.getMessage());
            }
            s.applied = n;
            if (change instanceof ModelLedger.Registered r) {
                s.highest = r.version().version();
            }
        }
    }

    private <T> T read(String model, Function<ModelLedger, T> query) {
        checkOpen();
        ModelState s = state(model);
        lock(s.lock, deadline(), "model " + model);
        try {
            refresh(s);
            return query.apply(s.ledger);
        } finally {
            s.lock.unlock();
            deliver(s);
        }
    }

    /**
     * Plans, publishes, applies and journals one change under the model's locks, then delivers events.
     *
     * @param create whether the model's directory may be created (registration); other writes to a model
     *     no process has written to fail in planning, with nothing created
     */
    @SuppressWarnings("try") // the file lock is held for the block's duration, not used in it
    private <C extends ModelLedger.Change> Committed<C> write(String model, boolean create,
            Function<ModelLedger, C> plan) {
        checkOpen();
        ModelState s = state(model);
        long deadline = deadline();
        lock(s.lock, deadline, "model " + model);
        try {
            Path dir = layout.modelDir(model);
            if (!create && !Files.isDirectory(dir)) {
                refresh(s);
                plan.apply(s.ledger); // the ledger is empty: every plan but a registration fails here
            }
            try {
                DurableFiles.createDirectories(layout.changes(model));
                try (HeldFileLock held = lockFile(layout.modelLock(model), deadline, "model " + model)) {
                    refresh(s);
                    C change = plan.apply(s.ledger);
                    persist(s, change);
                    s.ledger.apply(change);
                    s.applied++;
                    if (change instanceof ModelLedger.Registered r) {
                        s.highest = r.version().version();
                    }
                    ModelStoreEvent event = journal(s, change, deadline);
                    s.events.add(event);
                    return new Committed<>(change, event);
                }
            } catch (IOException e) {
                throw new StoreException("writing to model " + model + " in " + layout.root + " failed", e);
            }
        } finally {
            s.lock.unlock();
            deliver(s);
        }
    }

    private void deliver(ModelState s) {
        if (eventExecutor.isPresent()) {
            s.events.deliver(listeners, eventExecutor.get());
        } else {
            s.events.deliver(listeners);
        }
    }

    /** Publishes the change as the model's next change file: the commit point. */
    private void persist(ModelState s, ModelLedger.Change change) {
        long n = s.applied + 1;
        Path target = layout.change(s.model, n);
        byte[] bytes = ChangeCodec.write(s.model, n, change);
        if (bytes.length > ChangeCodec.MAX_BYTES) {
            throw new StoreException("change " + n + " of model " + s.model + " would be " + bytes.length
                    + " bytes, more than the " + ChangeCodec.MAX_BYTES + " a change file may hold; nothing was written");
        }
        boolean published;
        try {
            Path temp = DurableFiles.writeTemp(layout.tmp, "change-", out -> out.write(bytes));
            published = DurableFiles.publish(temp, target);
        } catch (IOException e) {
            throw new StoreException("committing change " + n + " of model " + s.model + " failed; it is in the store"
                    + " only if " + target + " exists", e);
        }
        if (!published) {
            throw new StoreException(target + " exists already: a writer changed model " + s.model
                    + " without holding its lock; nothing was written");
        }
    }

    /** Numbers the applied change's event and publishes it as the next journal entry. */
    @SuppressWarnings("try") // the file lock is held for the block's duration, not used in it
    private ModelStoreEvent journal(ModelState s, ModelLedger.Change change, long deadline) {
        lock(locks.journal, deadline, "the journal");
        try (HeldFileLock held = lockFile(layout.journalLock(), deadline, "the journal")) {
            long sequence = nextSequence();
            ModelStoreEvent event = s.ledger.event(change, sequence);
            byte[] bytes = EventCodec.write(event, s.applied);
            Path temp = DurableFiles.writeTemp(layout.tmp, "event-", out -> out.write(bytes));
            if (!DurableFiles.publish(temp, layout.journalEntry(sequence))) {
                throw new StoreException(layout.journalEntry(sequence) + " exists already: a writer appended to the"
                        + " journal without holding its lock");
            }
            locks.nextSequence = sequence + 1;
            return event;
        } catch (IOException e) {
            throw new StoreException("change " + s.applied + " of model " + s.model + " is committed, but journaling"
                    + " its event failed; the event is missing from events() until the store is repaired", e);
        } finally {
            locks.journal.unlock();
        }
    }

    /**
     * The first journal sequence with no entry. Entries are published one at a time under the journal's
     * lock, so the existing ones are always 1..n: a gallop and a binary search find n+1 in O(log n) probes.
     */
    private long nextSequence() {
        long next = locks.nextSequence;
        if (next == 0) {
            long present = 0;
            long probe = 1;
            while (Files.exists(layout.journalEntry(probe))) {
                present = probe;
                probe = probe * 2;
            }
            long lo = present;
            long hi = probe;
            while (hi - lo > 1) {
                long mid = lo + (hi - lo) / 2;
                if (Files.exists(layout.journalEntry(mid))) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            next = hi;
        }
        while (Files.exists(layout.journalEntry(next))) {
            next++; // another process appended since
        }
        return next;
    }

    private List<String> modelNames() {
        TreeSet<String> names = new TreeSet<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(layout.models)) {
            for (Path p : dirs) {
                String name = p.getFileName().toString();
                if (Names.isValid(name)) {
                    names.add(name);
                }
            }
        } catch (IOException e) {
            throw new StoreException("listing the models in " + layout.models + " failed", e);
        }
        return new ArrayList<>(names);
    }

    // ---- ModelStore --------------------------------------------------------------------------------------

    /**
     * Streams the artifact to {@code tmp/} while hashing it, checks the expected digest and the lineage
     * parents of other models, publishes the object under its digest (keeping an identical one stored
     * before), and only then numbers the version under the model's locks.
     */
    @Override
    public ModelVersion register(NewVersion request) {
        Objects.requireNonNull(request, "request");
        checkOpen();
        String model = request.model();
        Names.checkModel(model);
        MessageDigest md = Sha256.newDigest();
        Path temp;
        long size;
        try (InputStream raw = request.artifact().openStream();
                DigestInputStream in = new DigestInputStream(raw, md)) {
            long[] count = new long[1];
            temp = DurableFiles.writeTemp(layout.tmp, "artifact-", out -> count[0] = in.transferTo(out));
            size = count[0];
        } catch (IOException e) {
            throw new StoreException("reading the artifact of a new version of " + model + " into " + layout.tmp
                    + " failed", e);
        }
        Sha256 digest = Sha256.ofDigest(md.digest());
        try {
            if (request.expectedDigest().isPresent() && !request.expectedDigest().get().constantTimeEquals(digest)) {
                throw new IntegrityException("artifact of a new version of " + model + " has digest " + digest
                        + ", expected " + request.expectedDigest().get());
            }
            for (ModelRef.ByVersion parent : request.lineage().parents()) {
                if (!parent.model().equals(model) && find(parent).isEmpty()) {
                    throw new ModelNotFoundException("lineage parent " + parent + " of a new version of " + model
                            + " is not a live version");
                }
            }
            publishObject(temp, digest);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // an orphaned temporary file is swept later; the outcome above stands
            }
        }
        return write(model, true, ledger -> ledger.planRegister(request, digest, size, clock.instant())).change().version();
    }

    private void publishObject(Path temp, Sha256 digest) {
        Path target = layout.object(digest);
        try {
            if (Files.exists(target)) {
                return; // identical bytes are stored once
            }
            DurableFiles.createDirectories(target.getParent());
            if (!temp.toFile().setWritable(false, false)) {
                throw new IOException("cannot make " + temp + " read-only");
            }
            DurableFiles.publish(temp, target);
        } catch (IOException e) {
            throw new StoreException("storing artifact " + digest + " as " + target + " failed", e);
        }
    }

    @Override
    public Optional<ModelVersion> find(ModelRef ref) {
        Objects.requireNonNull(ref, "ref");
        return read(ref.model(), ledger -> ledger.resolve(ref));
    }

    @Override
    public InputStream open(ModelRef ref) {
        return openVersion(ref).stream();
    }

    /** Resolves under the model's lock and opens the object there, so the stream is of exactly that version. */
    @Override
    public OpenedVersion openVersion(ModelRef ref) {
        Objects.requireNonNull(ref, "ref");
        return read(ref.model(), ledger -> {
            ModelVersion v = ledger.resolveOrThrow(ref);
            return new OpenedVersion(v, openObject(v));
        });
    }

    private InputStream openObject(ModelVersion v) {
        Path file = layout.object(v.digest());
        try {
            InputStream in = Files.newInputStream(file);
            return new VerifyingInputStream(new BufferedInputStream(in, 1 << 16), v.digest(), v.size(),
                    v.ref().toString());
        } catch (NoSuchFileException e) {
            throw new IntegrityException(v.ref() + ": its artifact " + layout.relative(file) + " is missing from "
                    + layout.root);
        } catch (IOException e) {
            throw new StoreException("opening the artifact of " + v.ref() + " (" + file + ") failed", e);
        }
    }

    @Override
    public List<ModelVersion> children(ModelRef.ByVersion parent) {
        Objects.requireNonNull(parent, "parent");
        checkOpen();
        List<ModelVersion> out = new ArrayList<>();
        for (String name : modelNames()) {
            out.addAll(read(name, ledger -> ledger.children(parent)));
        }
        out.sort(ModelStore.NEWEST_FIRST);
        return out;
    }

    @Override
    public Page<ModelVersion> versions(String model, PageRequest page) {
        Objects.requireNonNull(page, "page");
        page.startBelow(Names.checkModel(model));
        return read(model, ledger -> ledger.versions(page));
    }

    @Override
    public List<ModelSummary> models() {
        checkOpen();
        List<ModelSummary> out = new ArrayList<>();
        for (String name : modelNames()) {
            read(name, ledger -> ledger.listed() ? Optional.of(ledger.summary()) : Optional.<ModelSummary>empty())
                    .ifPresent(out::add);
        }
        return out;
    }

    @Override
    public Optional<ModelSummary> model(String name) {
        return read(name, ledger -> ledger.listed() ? Optional.of(ledger.summary()) : Optional.empty());
    }

    @Override
    public ModelSummary annotateModel(String name, long expectedRevision, Annotations changes, ChangeNote note) {
        Objects.requireNonNull(changes, "changes");
        Objects.requireNonNull(note, "note");
        ModelStoreEvent event = write(name, false,
                ledger -> ledger.planAnnotateModel(expectedRevision, changes, note, clock.instant())).event();
        return ((ModelStoreEvent.ModelAnnotated) event).summary();
    }

    @Override
    public List<Tombstone> deleteModel(String name, ChangeNote note) {
        Objects.requireNonNull(note, "note");
        return write(name, false, ledger -> ledger.planDeleteModel(note, clock.instant())).change().tombstones();
    }

    /**
     * Each model gives at most {@code page.size() + 1} of its own matches after the page's position, in
     * the query's order; those are merged and cut.
     */
    @Override
    public Page<ModelVersion> search(VersionQuery query, PageRequest page) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(page, "page");
        checkOpen();
        Optional<ModelVersion> after = SearchCursor.after(query.order(), page);
        List<String> names = query.model().map(List::of).orElseGet(this::modelNames);
        List<ModelVersion> hits = new ArrayList<>();
        for (String name : names) {
            hits.addAll(read(name, ledger -> ledger.search(query, after, page.size() + 1)));
        }
        return SearchCursor.page(query, page, hits);
    }

    @Override
    public AliasMove setAlias(String model, String alias, long version, AliasExpect expect, ChangeNote note) {
        Names.checkAlias(alias);
        Objects.requireNonNull(expect, "expect");
        Objects.requireNonNull(note, "note");
        return write(model, false, ledger -> ledger.planSetAlias(alias, version, expect, note, clock.instant()))
                .change().move();
    }

    @Override
    public AliasMove removeAlias(String model, String alias, AliasExpect expect, ChangeNote note) {
        Names.checkAlias(alias);
        Objects.requireNonNull(expect, "expect");
        Objects.requireNonNull(note, "note");
        return write(model, false, ledger -> ledger.planRemoveAlias(alias, expect, note, clock.instant()))
                .change().move();
    }

    @Override
    public AliasMove rollback(String model, String alias, ChangeNote note) {
        Names.checkAlias(alias);
        Objects.requireNonNull(note, "note");
        return write(model, false, ledger -> ledger.planRollback(alias, note, clock.instant())).change().move();
    }

    @Override
    public List<AliasMove> aliasHistory(String model, String alias) {
        Names.checkAlias(alias);
        return read(model, ledger -> ledger.history(alias));
    }

    @Override
    public ModelVersion annotate(ModelRef ref, long expectedRevision, Annotations changes, ChangeNote note) {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(changes, "changes");
        Objects.requireNonNull(note, "note");
        return write(ref.model(), false,
                ledger -> ledger.planAnnotate(ref, expectedRevision, changes, note, clock.instant())).change().version();
    }

    @Override
    public Tombstone delete(ModelRef ref, ChangeNote note) {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(note, "note");
        return write(ref.model(), false, ledger -> ledger.planDelete(ref, note, clock.instant())).change().tombstone();
    }

    @Override
    public List<Tombstone> tombstones(String model) {
        return read(model, ModelLedger::tombstones);
    }

    /** Reads {@code journal/}: every event any store on this directory has journaled, kept for ever. */
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
        for (long seq = afterSequence + 1; out.size() < max && seq > 0; seq++) {
            Path file = layout.journalEntry(seq);
            Optional<String> text = DurableFiles.readText(file, file.toString(), EventCodec.MAX_BYTES);
            if (text.isEmpty()) {
                break;
            }
            out.add(EventCodec.read(file.toString(), text.get(), seq).event());
        }
        return out;
    }

    @Override
    public Subscription subscribe(ModelStoreListener listener) {
        checkOpen();
        return listeners.add(listener);
    }

    /**
     * Releases the store: later calls fail with {@link IllegalStateException}; closing twice is harmless.
     * No file or lock is held between calls, so there is nothing else to release; the directory stays as
     * it is, for the next store opened on it.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            models.clear();
            locks.release();
        }
    }

    /** Checks that a change read from disk follows from the ones before it, before the ledger applies it. */
    private static final class Replay {
        private Replay() {
        }

        static void check(ModelLedger ledger, long highest, ModelLedger.Change change, String document) {
            String model = ledger.model();
            String problem = null;
            if (change instanceof ModelLedger.Registered r) {
                ModelVersion v = r.version();
                if (!v.model().equals(model)) {
                    problem = "registers a version of model " + v.model();
                } else if (v.version() <= highest) {
                    problem = "registers version " + v.version() + ", but version " + highest + " was registered before";
                } else if (v.revision() != 1) {
                    problem = "registers version " + v.version() + " at revision " + v.revision() + ", not 1";
                }
            } else if (change instanceof ModelLedger.AliasChanged a) {
                AliasMove m = a.move();
                if (!m.model().equals(model)) {
                    problem = "moves an alias of model " + m.model();
                } else if (m.to().isPresent() && (ledger.resolve(ModelRef.of(model, m.to().getAsLong())).isEmpty()
                        || a.targetsAfter().isEmpty() || a.targetsAfter().get(0) != m.to().getAsLong())) {
                    problem = "moves alias " + m.alias() + " to v" + m.to().getAsLong()
                            + ", which is not live or not first in targetsAfter";
                } else if (m.to().isEmpty() && (!a.targetsAfter().isEmpty() || ledger.current(m.alias()).isEmpty())) {
                    problem = "removes alias " + m.alias() + ", which is not set, or keeps targets after removal";
                }
            } else if (change instanceof ModelLedger.Annotated a) {
                ModelVersion v = a.version();
                Optional<ModelVersion> before = v.model().equals(model) ? ledger.resolve(v.ref()) : Optional.empty();
                if (before.isEmpty() || before.get().revision() + 1 != v.revision()) {
                    problem = "annotates " + v.ref() + " at revision " + v.revision()
                            + ", which is not the next revision of a live version";
                }
            } else if (change instanceof ModelLedger.Deleted d) {
                if (!live(ledger, d.tombstone())) {
                    problem = "deletes " + d.tombstone().model() + ":" + d.tombstone().version() + ", not a live version";
                }
            } else if (change instanceof ModelLedger.ModelAnnotated a) {
                if (!ledger.listed() || ledger.summary().revision() + 1 != a.revision()) {
                    problem = "annotates the model at revision " + a.revision()
                            + ", which is not the next revision of a listed model";
                }
            } else {
                ModelLedger.ModelDeleted d = (ModelLedger.ModelDeleted) change;
                if (!ledger.listed() || d.tombstones().size() != ledger.summary().liveVersions()
                        || !d.tombstones().stream().allMatch(t -> live(ledger, t))) {
                    problem = "deletes the model, but its tombstones are not exactly its live versions";
                }
            }
            if (problem != null) {
                throw new InvalidFormatException(document, "", -1, "does not follow from the changes before it: it "
                        + problem);
            }
        }

        private static boolean live(ModelLedger ledger, Tombstone t) {
            return t.model().equals(ledger.model()) && ledger.resolve(ModelRef.of(t.model(), t.version())).isPresent();
        }
    }
}
