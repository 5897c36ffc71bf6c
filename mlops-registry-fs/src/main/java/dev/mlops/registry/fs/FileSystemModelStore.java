package dev.mlops.registry.fs;

import dev.mlops.core.ConflictException;
import dev.mlops.core.IntegrityException;
import dev.mlops.core.InvalidFormatException;
import dev.mlops.core.MlopsException;
import dev.mlops.core.ModelNotFoundException;
import dev.mlops.core.Names;
import dev.mlops.core.Sha256;
import dev.mlops.core.StoreException;
import dev.mlops.core.Subscription;
import dev.mlops.core.internal.ChangeCodec;
import dev.mlops.core.internal.ChangeReplay;
import dev.mlops.core.internal.EventCodec;
import dev.mlops.core.internal.EventQueue;
import dev.mlops.core.internal.Listeners;
import dev.mlops.core.internal.ModelLedger;
import dev.mlops.core.internal.SearchCursor;
import dev.mlops.core.internal.SnapshotCodec;
import dev.mlops.core.internal.StrictJsonReader;
import dev.mlops.core.internal.VerifyingInputStream;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.AliasMove;
import dev.mlops.core.registry.Annotations;
import dev.mlops.core.registry.ChangeNote;
import dev.mlops.core.registry.GcReport;
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
import dev.mlops.core.registry.Retention;
import dev.mlops.core.registry.Tombstone;
import dev.mlops.core.registry.VersionQuery;
import dev.mlops.core.security.KeyProvider;
import java.io.BufferedInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <h2>Layout, version 2</h2>
 * Relative paths only, so a directory copied elsewhere is the same store:
 * <pre>
 * registry.json                                   {"format":"mlops.registry","version":2}, written once
 * objects/sha256/ab/ab12…(64 hex)                 an artifact: content-addressed, read-only, identical bytes stored once
 * models/&lt;name&gt;/changes/00000000000000000007.json the model's change log: one immutable file per committed change
 * models/&lt;name&gt;/snapshots/00000000000000000064.json the model's whole state after that change: a cache
 * models/&lt;name&gt;/lock                              locked, never written, by the model's writers
 * journal/00000000000000000012.json               the store's event sequence: one immutable entry per event
 * journal/lock                                    locked by writers of the journal
 * tmp/                                            temporary files, on the same file system as the rest
 * quarantine/ab12…(64 hex)                        artifacts fsck found corrupt, kept for inspection
 * </pre>
 * Every file is JSON with a {@code format} and a {@code version}, read strictly, and ends with a seal:
 * the SHA-256 of every byte before it ({@code Seal}), so a change to any byte of any file is found when
 * the file is read. A damaged or hand-edited file gives an {@link InvalidFormatException} naming the file
 * and the field (or the seal, when every field still reads), and the other models keep working. Layout 1
 * is layout 2 without seals; a store of layout 1 is read, and written, as layout 1.
 *
 * <p>Every {@linkplain Builder#snapshotEvery 64th} change of a model (further apart as a model grows past
 * 2,048 changes: about every 1/16 to 1/32 of its changes), its writer also saves the model's whole state as
 * a snapshot, so that another process loads the model from the newest snapshot and the
 * few change files after it, not from every change. The change files stay authoritative: a snapshot that
 * cannot be read is skipped, {@link #verify} replays every change, and {@link #fsck()} deletes a snapshot
 * that differs from the replay.
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
 * the journal's order (so each model's commit order, as by {@code InMemoryModelStore}); the library
 * starts no threads.
 *
 * <h2>Events</h2>
 * The store-wide sequence of {@link #events(long, int)} is kept in {@code journal/}: right after a
 * change file is published, still under the model's lock, the writer takes the journal's lock (in-JVM
 * and file) and publishes the next entry. A crash between the two leaves a committed change without its
 * journal entry: the change is in the store, but {@link #events} does not list it until {@link #fsck()}
 * appends the missing entry. Listeners hear events in the journal's order: this store's own changes at
 * once, other stores' and processes' changes on {@link #poll()} (or {@link Builder#pollEvery} on the
 * application's scheduler), and always before this store's next own change that follows them.
 *
 * <h2>Checking and collecting</h2>
 * {@link #verify(ModelRef)} checks one version from the disk up; {@link #fsck()} checks everything,
 * quarantines corrupt artifacts, appends missing journal entries and sweeps old temporary files;
 * {@link #gc(Retention, boolean)} deletes versions a {@link Retention} does not keep, and the artifacts no
 * live version uses, with a dry run that lists exactly what it would delete.
 *
 * <h2>Shared file systems</h2>
 * On a local file system every guarantee above holds. On NFS (v4, or v3 with a working lock manager)
 * {@code FileChannel.lock()} is a POSIX lock the server arbitrates, {@code link()} is atomic and fails on
 * an existing name, and close-to-open consistency lets a reader see a file another host published
 * before its change was acknowledged, so numbering, compare-and-set and the journal stay correct across
 * hosts. What does not hold there: a lock is lost if the client is cut off long enough for its lease to
 * expire (the server may then grant it to another host while the first still writes); attribute caching
 * can delay by a few seconds a host's view of a new file name, so a read on one host may miss a change
 * acknowledged on another that instant; and directory {@code fsync} is only as durable as the server's
 * export ({@code sync}, not {@code async}). Without locks (NFS with {@code nolock}, SMB, object-store
 * mounts such as s3fs) the store must not be shared by writers on several hosts; use PostgreSQL then.
 */
public final class FileSystemModelStore implements ModelStore {
    private static final Logger LOG = LoggerFactory.getLogger(FileSystemModelStore.class);
    private static final int REGISTRY_FILE_MAX = 4096;
    private static final Set<String> LAYOUT_ENTRIES = Set.of("registry.json", "objects", "models", "journal", "tmp",
            "quarantine");

    private final Layout layout;
    private final InstantSource clock;
    private final Duration lockTimeout;
    private final Optional<Executor> eventExecutor;
    private final JvmLocks locks;
    private final ConcurrentHashMap<String, ModelState> models = new ConcurrentHashMap<>();
    private final Listeners listeners = new Listeners();
    /** The events for this store's listeners, in journal order. */
    private final EventQueue queue = new EventQueue();
    /** Guards {@link #delivered} and the order of additions to {@link #queue}. */
    private final ReentrantLock delivery = new ReentrantLock();
    /** The highest journal sequence queued for this store's listeners (or passed over). */
    private long delivered;
    private final Optional<ScheduledFuture<?>> polling;
    private final Optional<KeyProvider> encryption;
    private final int snapshotEvery;

    /** How many changes of a model apart its snapshots are, unless {@link Builder#snapshotEvery} says otherwise. */
    public static final int DEFAULT_SNAPSHOT_EVERY = SnapshotCodec.DEFAULT_EVERY;
    private final AtomicBoolean closed = new AtomicBoolean();

    private FileSystemModelStore(Builder b) throws IOException {
        this.clock = b.clock;
        this.lockTimeout = b.lockTimeout;
        this.eventExecutor = b.eventExecutor;
        this.encryption = b.encryption;
        this.snapshotEvery = b.snapshotEvery;
        Path dir = b.directory.toAbsolutePath().normalize();
        DurableFiles.createDirectories(dir);
        Layout provisional = new Layout(dir.toRealPath());
        this.layout = provisional.withVersion(initialiseOrCheck(provisional));
        this.locks = JvmLocks.acquire(layout.root);
        this.delivered = firstFreeSequence() - 1;
        this.polling = b.pollEvery.map(every -> b.scheduler.scheduleWithFixedDelay(this::pollQuietly,
                every.toNanos(), every.toNanos(), TimeUnit.NANOSECONDS));
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
        private Optional<Duration> pollEvery = Optional.empty();
        private Optional<KeyProvider> encryption = Optional.empty();
        private int snapshotEvery = DEFAULT_SNAPSHOT_EVERY;
        private ScheduledExecutorService scheduler;

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
         * Encrypts every artifact this store writes with AES-256-GCM ({@code objects/…/<64 hex>.enc}), with
         * the provider's current key, and reads encrypted artifacts with the key each one names, so
         * versions written before a key rotation still read. The content address stays the SHA-256 of
         * the plaintext; an artifact stored before in plaintext (identical bytes) is kept as it is.
         * Metadata (change files, journal) is not encrypted.
         *
         * @param keys the keys; the provider is asked for a key at each write and read, never logged
         * @return this
         */
        public Builder encryption(KeyProvider keys) {
            if (encryption.isPresent()) {
                throw new IllegalStateException("encryption already set");
            }
            encryption = Optional.of(Objects.requireNonNull(keys, "keys"));
            return this;
        }

        /**
         * Polls for other stores' changes ({@link FileSystemModelStore#poll()}) on the application's
         * scheduler, with a fixed delay between polls, until the store is closed. Serving code that
         * follows an alias moved by another process needs this (or its own calls to {@code poll()}).
         *
         * @param scheduler runs the polls; the store never shuts it down
         * @param delay between the end of one poll and the start of the next; positive
         * @return this
         */
        public Builder pollEvery(ScheduledExecutorService scheduler, Duration delay) {
            if (pollEvery.isPresent()) {
                throw new IllegalStateException("polling already set to every " + pollEvery.get());
            }
            Objects.requireNonNull(scheduler, "scheduler");
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative() || delay.isZero()) {
                throw new IllegalArgumentException("poll delay must be positive, was " + delay);
            }
            this.scheduler = scheduler;
            this.pollEvery = Optional.of(delay);
            return this;
        }

        /**
         * How often a writer saves a model's whole state as a snapshot file, so that a process loads the
         * model from the newest snapshot and at most {@code changes - 1} change files after it, instead of
         * replaying every change (layout 2 only; change files stay authoritative, and fsck checks every
         * snapshot against a replay). Default {@value FileSystemModelStore#DEFAULT_SNAPSHOT_EVERY}. Once a
         * model has 32 times this many changes, the interval doubles as often as needed to stay above 1/32
         * of its changes, so that writing snapshots stays a bounded cost per change however large the model.
         *
         * @param changes a snapshot after every this many changes of a model, at least 1
         * @return this
         */
        public Builder snapshotEvery(int changes) {
            if (changes < 1) {
                throw new IllegalArgumentException("snapshotEvery must be at least 1 change, was " + changes);
            }
            this.snapshotEvery = changes;
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

    /** Creates the layout in an empty directory, or checks the one there. @return the store's layout version */
    private static int initialiseOrCheck(Layout layout) throws IOException {
        String document = layout.registryFile.toString();
        Optional<byte[]> bytes = DurableFiles.readBytes(layout.registryFile, document, REGISTRY_FILE_MAX);
        if (bytes.isEmpty()) {
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
            byte[] header = Seal.seal(Layout.REGISTRY.writePrettyUtf8(w -> { }));
            Path temp = DurableFiles.writeTemp(layout.tmp, "registry-", out -> out.write(header));
            DurableFiles.publish(temp, layout.registryFile); // false: another process created it first, checked below
            bytes = DurableFiles.readBytes(layout.registryFile, document, REGISTRY_FILE_MAX);
        }
        boolean sealed = Seal.looksSealed(bytes.orElseThrow());
        Seal.Opened opened = Seal.read(document, bytes.get(), sealed);
        String text = opened.text();
        int version;
        try (StrictJsonReader r = Layout.REGISTRY.reader(document, text, REGISTRY_FILE_MAX)) {
            r.beginObject();
            while (r.nextField()) {
                r.skipUnknown();
            }
            r.checkHeader();
            r.endDocument();
            opened.check();
            version = r.formatVersion();
            if (sealed != (version >= Layout.SEALED)) {
                throw r.failAt("/version", "layout " + version + (sealed ? " has no seal, but this file is sealed"
                        : " ends every file with a seal, but this file has none"));
            }
        }
        for (Path dir : List.of(layout.tmp, layout.objects, layout.models, layout.journal)) {
            DurableFiles.createDirectories(dir);
        }
        return version;
    }

    /** @return the layout version of this store's files: 2 for stores this library creates, 1 for older ones */
    public int layoutVersion() {
        return layout.version;
    }

    /**
     * Reads one of the store's small JSON files and parses it, then checks its seal in a sealed layout
     * (parsing first, so that an error names a hand-edited field when there is one).
     *
     * @return what the parser made of it, or empty when the file does not exist
     */
    private <T> Optional<T> readDocument(Path file, int maxBytes, Function<String, T> parser) {
        String document = file.toString();
        Optional<byte[]> bytes = DurableFiles.readBytes(file, document, maxBytes);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        Seal.Opened opened = Seal.read(document, bytes.get(), layout.sealed());
        T parsed = parser.apply(opened.text());
        opened.check();
        return Optional.of(parsed);
    }

    /** @return a document as this store's layout writes it: sealed from layout 2 on */
    private byte[] asWritten(byte[] document) {
        return layout.sealed() ? Seal.seal(document) : document;
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
        /** Whether the first refresh may start from the model's newest snapshot; false to replay every change. */
        final boolean fromSnapshot;
        ModelLedger ledger;
        long applied;
        long highest;

        ModelState(String model, ReentrantLock lock) {
            this(model, lock, true);
        }

        ModelState(String model, ReentrantLock lock, boolean fromSnapshot) {
            this.model = model;
            this.lock = lock;
            this.fromSnapshot = fromSnapshot;
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

    /** Told of each change a replay applies, right after it is applied. */
    private interface ChangeSink {
        void applied(long number, ModelLedger.Change change, ModelLedger ledger);
    }

    private static final ChangeSink NO_SINK = (number, change, ledger) -> { };

    /**
     * Applies the change files committed since this store last looked, by this or any other process. Call
     * under the model's in-JVM lock. A file that cannot be read or does not follow from the ones before it
     * fails the call, naming the file, and is read again on the next call.
     */
    private void refresh(ModelState s) {
        refresh(s, NO_SINK);
    }

    private void refresh(ModelState s, ChangeSink sink) {
        if (s.applied == 0 && s.fromSnapshot && layout.sealed()) {
            loadSnapshot(s);
        }
        while (true) {
            long n = s.applied + 1;
            Path file = layout.change(s.model, n);
            String document = file.toString();
            Optional<ModelLedger.Change> read = readDocument(file, ChangeCodec.MAX_BYTES, text -> {
                ModelLedger.Change c = ChangeCodec.read(document, text, s.model, n);
                ChangeReplay.check(s.ledger, s.highest, c, document);
                return c;
            });
            if (read.isEmpty()) {
                return;
            }
            ModelLedger.Change change = read.get();
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
            sink.applied(n, change, s.ledger);
        }
    }

    /**
     * Starts a model's state from its newest readable snapshot whose change file exists. A snapshot that
     * cannot be read is skipped with a warning (fsck reports and removes it): the change files say the
     * same, only slower.
     */
    private void loadSnapshot(ModelState s) {
        List<Long> numbers = snapshotNumbers(s.model);
        for (int i = numbers.size() - 1; i >= 0; i--) {
            long n = numbers.get(i);
            Path file = layout.snapshot(s.model, n);
            try {
                if (!DurableFiles.exists(layout.change(s.model, n))) {
                    continue;
                }
                Optional<SnapshotCodec.Loaded> loaded = readDocument(file, SnapshotCodec.MAX_BYTES,
                        text -> SnapshotCodec.read(file.toString(), text, s.model, n));
                if (loaded.isPresent()) {
                    s.ledger = loaded.get().ledger();
                    s.applied = n;
                    s.highest = loaded.get().state().highest();
                    return;
                }
            } catch (MlopsException | IllegalArgumentException e) {
                LOG.warn("ignoring snapshot {}, loading model {} from its change files: {}", file, s.model, e.getMessage());
            }
        }
    }

    /** @return the numbers of a model's snapshot files, ascending; names that are not numbers are left out */
    private List<Long> snapshotNumbers(String model) {
        List<Long> numbers = new ArrayList<>();
        for (String name : directoryNames(layout.snapshots(model), new ArrayList<>())) {
            Layout.number(name).ifPresent(numbers::add);
        }
        numbers.sort(null);
        return numbers;
    }

    /**
     * Saves the model's state after its change {@code s.applied} as a snapshot, when that number is a
     * multiple of {@link SnapshotCodec#interval}, and deletes all but the newest two. Call under the model's
     * locks, after the change is committed and journaled: a failure here is logged, never thrown, since
     * the change files already hold everything.
     */
    private void maybeSnapshot(ModelState s) {
        if (!layout.sealed() || !SnapshotCodec.due(s.applied, snapshotEvery)) {
            return;
        }
        Path target = layout.snapshot(s.model, s.applied);
        try {
            byte[] bytes = asWritten(SnapshotCodec.write(s.applied, s.ledger.snapshot()));
            if (bytes.length > SnapshotCodec.MAX_BYTES) {
                LOG.warn("model {} is too big for a snapshot ({} bytes); it loads from its change files", s.model,
                        bytes.length);
                return;
            }
            DurableFiles.createDirectories(layout.snapshots(s.model));
            Path temp = DurableFiles.writeTemp(layout.tmp, "snapshot-", out -> out.write(bytes));
            if (!DurableFiles.publish(temp, target)) {
                LOG.warn("snapshot {} exists already; kept", target);
            }
            List<Long> numbers = snapshotNumbers(s.model);
            for (int i = 0; i < numbers.size() - 2; i++) {
                Files.deleteIfExists(layout.snapshot(s.model, numbers.get(i)));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("writing snapshot {} failed; model {} still loads from its change files", target, s.model, e);
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
            deliver();
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
                    Committed<C> committed = new Committed<>(change, journal(s, change, deadline));
                    maybeSnapshot(s);
                    return committed;
                }
            } catch (IOException e) {
                throw new StoreException("writing to model " + model + " in " + layout.root + " failed", e);
            }
        } finally {
            s.lock.unlock();
            deliver();
        }
    }

    private void deliver() {
        if (eventExecutor.isPresent()) {
            queue.deliver(listeners, eventExecutor.get());
        } else {
            queue.deliver(listeners);
        }
    }

    /** Publishes the change as the model's next change file: the commit point. */
    private void persist(ModelState s, ModelLedger.Change change) {
        long n = s.applied + 1;
        Path target = layout.change(s.model, n);
        byte[] bytes = asWritten(ChangeCodec.write(s.model, n, change));
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
    private ModelStoreEvent journal(ModelState s, ModelLedger.Change change, long deadline) {
        ModelLedger ledger = s.ledger;
        try {
            return appendJournal(s.model, s.applied, sequence -> ledger.event(change, sequence), deadline);
        } catch (IOException e) {
            throw new StoreException("change " + s.applied + " of model " + s.model + " is committed, but journaling"
                    + " its event failed; the event is missing from events() until fsck() repairs the store", e);
        }
    }

    /**
     * Publishes the next journal entry under the journal's locks, and queues it for this store's
     * listeners after any entries other stores appended since this one last looked. Call under the
     * model's locks.
     */
    @SuppressWarnings("try") // the file lock is held for the block's duration, not used in it
    private ModelStoreEvent appendJournal(String model, long changeNumber, LongFunction<ModelStoreEvent> eventAt,
            long deadline) throws IOException {
        lock(locks.journal, deadline, "the journal");
        try (HeldFileLock held = lockFile(layout.journalLock(), deadline, "the journal")) {
            long sequence = nextSequence();
            ModelStoreEvent event = eventAt.apply(sequence);
            byte[] bytes = asWritten(EventCodec.write(event, changeNumber));
            Path temp = DurableFiles.writeTemp(layout.tmp, "event-", out -> out.write(bytes));
            if (!DurableFiles.publish(temp, layout.journalEntry(sequence))) {
                throw new StoreException(layout.journalEntry(sequence) + " exists already: a writer appended to the"
                        + " journal without holding its lock");
            }
            locks.nextSequence = sequence + 1;
            delivery.lock();
            try {
                catchUp(sequence - 1);
                if (delivered < sequence) {
                    queue.add(event);
                    delivered = sequence;
                }
            } finally {
                delivery.unlock();
            }
            return event;
        } finally {
            locks.journal.unlock();
        }
    }

    /**
     * Queues, for this store's listeners, the journal entries after the last one queued, up to
     * {@code upTo} or the journal's end. Call holding {@link #delivery}. An entry that cannot be read is
     * logged and passed over, so that one damaged file does not silence the store.
     *
     * @return how many events were queued
     */
    private int catchUp(long upTo) {
        int queued = 0;
        while (delivered < upTo) {
            long sequence = delivered + 1;
            Path file = layout.journalEntry(sequence);
            try {
                Optional<EventCodec.Entry> entry = readDocument(file, EventCodec.MAX_BYTES,
                        text -> EventCodec.read(file.toString(), text, sequence));
                if (entry.isEmpty()) {
                    break;
                }
                queue.add(entry.get().event());
                queued++;
            } catch (MlopsException | InvalidFormatException e) {
                LOG.warn("passing over journal entry {}, which cannot be read: {}", sequence, e.getMessage());
            }
            delivered = sequence;
        }
        return queued;
    }

    /**
     * Tells this store's listeners of the changes other stores (in this process or others) made since
     * it last looked, in the journal's order, then returns. Changes this store makes reach its listeners
     * without a poll; {@link Builder#pollEvery} polls on the application's scheduler.
     *
     * @return how many events were found
     */
    public int poll() {
        checkOpen();
        int found;
        delivery.lock();
        try {
            found = catchUp(Long.MAX_VALUE);
        } finally {
            delivery.unlock();
        }
        deliver();
        return found;
    }

    /**
     * The first journal sequence with no entry. Entries are published one at a time under the journal's
     * lock, so the existing ones are always 1..n: a gallop and a binary search find n+1 in O(log n) probes.
     */
    private long nextSequence() {
        long next = locks.nextSequence;
        if (next == 0 || next > 1 && !DurableFiles.exists(layout.journalEntry(next - 1))) {
            next = firstFreeSequence(); // first use in this JVM, or the journal is not as this JVM left it
        }
        while (DurableFiles.exists(layout.journalEntry(next))) {
            next++; // another process appended since
        }
        return next;
    }

    private long firstFreeSequence() {
        long present = 0;
        long probe = 1;
        while (DurableFiles.exists(layout.journalEntry(probe))) {
            present = probe;
            probe = probe * 2;
        }
        long lo = present;
        long hi = probe;
        while (hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            if (DurableFiles.exists(layout.journalEntry(mid))) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi;
    }

    /** A scheduled poll: a failure is logged, and the next poll runs as planned. */
    private void pollQuietly() {
        try {
            if (!closed.get()) {
                poll();
            }
        } catch (RuntimeException e) {
            LOG.warn("polling model store {} for other stores' changes failed: {}", layout.root, e.toString());
        }
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
            temp = DurableFiles.writeTemp(layout.tmp, "artifact-", out -> {
                if (encryption.isEmpty()) {
                    count[0] = in.transferTo(out);
                    return;
                }
                try (OutputStream enc = ChunkedGcm.encrypt(new FilterOutputStream(out) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        flush(); // the temporary file is forced and closed by its writer
                    }
                }, encryption.get())) {
                    count[0] = in.transferTo(enc);
                }
            });
            size = count[0];
        } catch (IOException e) {
            throw new StoreException("reading the artifact of a new version of " + model + " into " + layout.tmp
                    + " failed: " + Objects.toString(e.getMessage(), e.getClass().getSimpleName()), e);
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
        Path target = encryption.isPresent() ? layout.encryptedObject(digest) : layout.object(digest);
        try {
            for (Path stored : List.of(layout.object(digest), layout.encryptedObject(digest))) {
                if (DurableFiles.exists(stored)) {
                    touch(stored); // identical bytes are stored once; gc keeps a recently used artifact
                    return;
                }
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

    /** Marks an artifact as just used, so that a gc running meanwhile keeps it; best effort. */
    private static void touch(Path object) {
        try {
            Files.setLastModifiedTime(object, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException e) {
            // another user's file cannot be marked: a gc at this very moment could remove it, and fsck would
            // then report the new version's artifact as missing
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
        Path encrypted = layout.encryptedObject(v.digest());
        try {
            InputStream in;
            if (DurableFiles.exists(encrypted)) { // one stat on every read of a plaintext store
                file = encrypted;
                if (encryption.isEmpty()) {
                    throw new StoreException(v.ref() + ": its artifact " + layout.relative(file) + " is encrypted, and"
                            + " this store was opened without a key provider (Builder.encryption)");
                }
                in = new BufferedInputStream(ChunkedGcm.decrypt(new BufferedInputStream(Files.newInputStream(file),
                        1 << 16), encryption.get(), v.ref().toString()), 1 << 16);
            } else {
                in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            }
            return new VerifyingInputStream(in, v.digest(), v.size(), v.ref().toString());
        } catch (NoSuchFileException e) {
            List<String> quarantined = new ArrayList<>();
            for (Path candidate : List.of(layout.object(v.digest()), encrypted)) {
                if (Files.exists(layout.quarantined(candidate))) {
                    quarantined.add(layout.relative(layout.quarantined(candidate)));
                }
            }
            throw new IntegrityException(v.ref() + ": its artifact " + layout.relative(file) + " is missing from "
                    + layout.root + (quarantined.isEmpty() ? "" : "; fsck moved a corrupt copy to "
                    + String.join(" and ", quarantined) + ", and registering the same bytes again restores it"));
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
            long sequence = seq;
            Optional<EventCodec.Entry> entry = readDocument(file, EventCodec.MAX_BYTES,
                    text -> EventCodec.read(file.toString(), text, sequence));
            if (entry.isEmpty()) {
                break;
            }
            out.add(entry.get().event());
        }
        return out;
    }

    // ---- checking and collecting ---------------------------------------------------------------------------

    /**
     * Checks one version from the disk up, trusting nothing this store has cached: replays its model's
     * change files (each one's seal and its place in the log), resolves the reference, and reads the
     * whole artifact against its recorded size and SHA-256.
     *
     * @param ref the version to check
     * @return the version, verified
     * @throws ModelNotFoundException when the reference resolves to no live version
     * @throws InvalidFormatException when a change file of the model is damaged or edited, naming it
     * @throws IntegrityException when the artifact is missing or its bytes differ from those registered
     */
    public ModelVersion verify(ModelRef ref) {
        Objects.requireNonNull(ref, "ref");
        checkOpen();
        ModelState fresh = new ModelState(ref.model(), null, false);
        refresh(fresh);
        ModelVersion v = fresh.ledger.resolveOrThrow(ref);
        try (InputStream in = openObject(v)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new StoreException("reading the artifact of " + v.ref() + " to verify it failed", e);
        }
        return v;
    }

    /**
     * {@link #fsck(Duration)}, sweeping temporary files more than an hour old.
     *
     * @return what was found and repaired
     */
    public FsckReport fsck() {
        return fsck(Duration.ofHours(1));
    }

    /**
     * Checks the whole store and repairs what can be repaired without guessing. Every model's change
     * files are replayed from disk (seals, numbering, each change following from the ones before); every
     * artifact file is read and hashed, and one whose bytes no longer match its name is moved to
     * {@code quarantine/} (registering the same bytes again restores it); every live version's artifact
     * must be present; every journal entry is read, and a committed change whose writer stopped before
     * journaling it gets its entry now. Stray files are reported, never deleted. Safe to run while other
     * threads and processes use the store: each model is checked under its lock.
     *
     * @param tempFileAge temporary files older than this are deleted from {@code tmp/} (a younger one may
     *     be a write in progress); {@link Duration#ZERO} when no other process writes to the store
     * @return what was found and done
     */
    @SuppressWarnings("try") // the file lock is held for the block's duration, not used in it
    public FsckReport fsck(Duration tempFileAge) {
        Objects.requireNonNull(tempFileAge, "tempFileAge");
        if (tempFileAge.isNegative()) {
            throw new IllegalArgumentException("tempFileAge must not be negative, was " + tempFileAge);
        }
        checkOpen();
        List<FsckReport.Finding> findings = new ArrayList<>();
        JournalScan journal = new JournalScan();
        journal.readUpTo(Long.MAX_VALUE, findings);
        long modelCount = 0;
        long versionCount = 0;
        Map<Sha256, List<ModelRef.ByVersion>> used = new TreeMap<>(Comparator.comparing(Sha256::hex));
        for (String name : directoryNames(layout.models, findings)) {
            if (!Names.isValid(name)) {
                findings.add(new FsckReport.Finding(FsckReport.Kind.STRAY_FILE, "models/" + name,
                        "not a valid model name, so not a model: " + Names.quote(name), false));
                continue;
            }
            modelCount++;
            ModelState s = state(name);
            long deadline = deadline();
            lock(s.lock, deadline, "model " + name);
            try (HeldFileLock held = lockFile(layout.modelLock(name), deadline, "model " + name)) {
                journal.readUpTo(Long.MAX_VALUE, findings); // entries journaled before this model's lock was taken
                ModelState fresh = new ModelState(name, s.lock, false);
                List<ModelStoreEvent> unjournaled = new ArrayList<>();
                List<Long> unjournaledNumbers = new ArrayList<>();
                Set<Long> journaled = journal.changes.getOrDefault(name, Set.of());
                boolean damaged = false;
                Map<Long, ModelLedger.State> snapshots = readSnapshots(name, findings);
                Set<Long> matched = new HashSet<>();
                try {
                    refresh(fresh, (number, change, ledger) -> {
                        if (!journaled.contains(number)) {
                            unjournaled.add(ledger.event(change, 1));
                            unjournaledNumbers.add(number);
                        }
                        ModelLedger.State saved = snapshots.get(number);
                        if (saved != null && saved.equals(ledger.snapshot())) {
                            matched.add(number);
                        }
                    });
                } catch (MlopsException | InvalidFormatException e) {
                    damaged = true;
                    findings.add(new FsckReport.Finding(FsckReport.Kind.DAMAGED_CHANGE,
                            layout.relative(layout.change(name, fresh.applied + 1)), e.getMessage(), false));
                }
                checkChangeFiles(name, fresh.applied, damaged, findings);
                for (long number : snapshots.keySet()) {
                    if (!matched.contains(number)) {
                        Path file = layout.snapshot(name, number);
                        Files.deleteIfExists(file);
                        findings.add(new FsckReport.Finding(FsckReport.Kind.DAMAGED_SNAPSHOT, layout.relative(file),
                                number > fresh.applied ? "the model's readable log ends before its change, at change "
                                + fresh.applied + "; deleted" : "differs from the replay of the change files; deleted",
                                true));
                    }
                }
                for (int i = 0; i < unjournaled.size(); i++) {
                    long number = unjournaledNumbers.get(i);
                    if (journal.damaged > 0) {
                        findings.add(new FsckReport.Finding(FsckReport.Kind.MISSING_EVENT,
                                layout.relative(layout.change(name, number)), "committed, but no readable journal entry"
                                + " names it; not repaired while journal entries are damaged (one may be its)", false));
                        continue;
                    }
                    ModelStoreEvent template = unjournaled.get(i);
                    ModelStoreEvent event = appendJournal(name, number, seq -> resequence(template, seq), deadline);
                    journal.note(name, number);
                    findings.add(new FsckReport.Finding(FsckReport.Kind.MISSING_EVENT,
                            layout.relative(layout.change(name, number)), "committed, but its writer stopped before"
                            + " journaling it; appended as event " + event.sequence(), true));
                }
                for (ModelVersion v : fresh.ledger.liveVersions()) {
                    versionCount++;
                    used.computeIfAbsent(v.digest(), d -> new ArrayList<>()).add(ModelRef.of(name, v.version()));
                }
                s.reset(); // the next read replays from disk, as fsck saw it
            } catch (IOException e) {
                throw new StoreException("checking model " + name + " in " + layout.root + " failed", e);
            } finally {
                s.lock.unlock();
                deliver();
            }
        }
        long[] objectCount = new long[2];
        Set<Sha256> present = checkObjects(findings, objectCount);
        used.forEach((digest, refs) -> {
            if (!present.contains(digest)) {
                Path q = layout.quarantined(layout.object(digest));
                Path qe = layout.quarantined(layout.encryptedObject(digest));
                String copy = Files.exists(q) ? layout.relative(q) : Files.exists(qe) ? layout.relative(qe) : null;
                findings.add(new FsckReport.Finding(FsckReport.Kind.MISSING_OBJECT, layout.relative(layout.object(digest)),
                        "the artifact of " + refs + " is missing" + (copy == null ? "" : "; a corrupt copy is in "
                        + copy), false));
            }
        });
        List<String> swept = sweepTemp(tempFileAge);
        return new FsckReport(findings, modelCount, versionCount, objectCount[0], objectCount[1], journal.read, swept);
    }

    /** The journal as fsck reads it: which changes of which model have an entry. */
    private final class JournalScan {
        final Map<String, Set<Long>> changes = new HashMap<>();
        long read;
        long damaged;
        long next = 1;

        void readUpTo(long last, List<FsckReport.Finding> findings) {
            while (next <= last) {
                long sequence = next;
                Path file = layout.journalEntry(sequence);
                try {
                    Optional<EventCodec.Entry> entry = readDocument(file, EventCodec.MAX_BYTES,
                            text -> EventCodec.read(file.toString(), text, sequence));
                    if (entry.isEmpty()) {
                        return;
                    }
                    note(entry.get().event().model(), entry.get().change());
                } catch (MlopsException | InvalidFormatException e) {
                    damaged++;
                    findings.add(new FsckReport.Finding(FsckReport.Kind.DAMAGED_EVENT, layout.relative(file),
                            e.getMessage(), false));
                }
                read++;
                next++;
            }
        }

        void note(String model, long change) {
            changes.computeIfAbsent(model, m -> new HashSet<>()).add(change);
        }
    }

    /** An event as first numbered, given its place in the journal. */
    private static ModelStoreEvent resequence(ModelStoreEvent e, long sequence) {
        if (e instanceof ModelStoreEvent.Registered r) {
            return new ModelStoreEvent.Registered(sequence, r.version());
        }
        if (e instanceof ModelStoreEvent.AliasMoved a) {
            return new ModelStoreEvent.AliasMoved(sequence, a.move());
        }
        if (e instanceof ModelStoreEvent.Annotated a) {
            return new ModelStoreEvent.Annotated(sequence, a.version(), a.note());
        }
        if (e instanceof ModelStoreEvent.Deleted d) {
            return new ModelStoreEvent.Deleted(sequence, d.tombstone());
        }
        if (e instanceof ModelStoreEvent.ModelAnnotated a) {
            return new ModelStoreEvent.ModelAnnotated(sequence, a.summary(), a.note());
        }
        ModelStoreEvent.ModelDeleted d = (ModelStoreEvent.ModelDeleted) e;
        return new ModelStoreEvent.ModelDeleted(sequence, d.model(), d.tombstones(), d.note());
    }

    /**
     * Reads a model's snapshot files for fsck: one that cannot be read is reported and deleted (the change
     * files hold everything it did), a name that is not a number is reported as stray.
     *
     * @return the readable snapshots, by the number of the change they follow
     */
    private Map<Long, ModelLedger.State> readSnapshots(String model, List<FsckReport.Finding> findings)
            throws IOException {
        Map<Long, ModelLedger.State> out = new TreeMap<>();
        Path dir = layout.snapshots(model);
        for (String entry : directoryNames(dir, findings)) {
            OptionalLong number = Layout.number(entry);
            Path file = dir.resolve(entry);
            if (number.isEmpty()) {
                findings.add(new FsckReport.Finding(FsckReport.Kind.STRAY_FILE, layout.relative(file),
                        "not a numbered snapshot file", false));
                continue;
            }
            long n = number.getAsLong();
            try {
                readDocument(file, SnapshotCodec.MAX_BYTES, text -> SnapshotCodec.read(file.toString(), text, model, n))
                        .ifPresent(loaded -> out.put(n, loaded.state()));
            } catch (MlopsException | IllegalArgumentException e) {
                Files.deleteIfExists(file);
                findings.add(new FsckReport.Finding(FsckReport.Kind.DAMAGED_SNAPSHOT, layout.relative(file),
                        e.getMessage() + "; deleted", true));
            }
        }
        return out;
    }

    /** Reports files in a model's directory that the log never reads. */
    private void checkChangeFiles(String model, long applied, boolean damaged, List<FsckReport.Finding> findings) {
        Path modelDir = layout.modelDir(model);
        for (String entry : directoryNames(modelDir, findings)) {
            if (!entry.equals("lock") && !entry.equals("changes") && !entry.equals("snapshots")) {
                findings.add(new FsckReport.Finding(FsckReport.Kind.STRAY_FILE, layout.relative(modelDir.resolve(entry)),
                        "not a file of the layout", false));
            }
        }
        Path changes = layout.changes(model);
        if (!Files.isDirectory(changes)) {
            return;
        }
        for (String entry : directoryNames(changes, findings)) {
            OptionalLong number = Layout.number(entry);
            if (number.isEmpty()) {
                findings.add(new FsckReport.Finding(FsckReport.Kind.STRAY_FILE, layout.relative(changes.resolve(entry)),
                        "not a numbered change file", false));
            } else if (number.getAsLong() > applied + 1 || (!damaged && number.getAsLong() == applied + 1)) {
                findings.add(new FsckReport.Finding(FsckReport.Kind.UNREACHABLE_CHANGE,
                        layout.relative(changes.resolve(entry)), "the model's log ends before it, at change "
                        + (damaged ? applied + " (the next one is damaged)" : applied), false));
            }
        }
    }

    /**
     * Reads and hashes every artifact file; moves one whose bytes do not hash to its name to quarantine.
     *
     * @param counts receives the files and bytes read
     * @return the digests present and intact
     */
    private Set<Sha256> checkObjects(List<FsckReport.Finding> findings, long[] counts) {
        Set<Sha256> intact = new HashSet<>();
        for (String prefix : directoryNames(layout.objects, findings)) {
            Path dir = layout.objects.resolve(prefix);
            for (String name : directoryNames(dir, findings)) {
                Path file = dir.resolve(name);
                Optional<Sha256> digest = Layout.objectName(prefix, name);
                if (digest.isEmpty() || !Files.isRegularFile(file)) {
                    findings.add(new FsckReport.Finding(FsckReport.Kind.STRAY_FILE, layout.relative(file),
                            "not an artifact's name (objects/sha256/<first 2 hex>/<64 hex>)", false));
                    continue;
                }
                boolean isEncrypted = name.endsWith(Layout.ENCRYPTED);
                if (isEncrypted && encryption.isEmpty()) {
                    findings.add(new FsckReport.Finding(FsckReport.Kind.UNVERIFIED_OBJECT, layout.relative(file),
                            "encrypted, and this store was opened without a key provider", false));
                    intact.add(digest.get());
                    continue;
                }
                String problem;
                try {
                    counts[1] += Files.size(file);
                    problem = hashProblem(file, digest.get(), isEncrypted);
                } catch (IOException e) {
                    throw new StoreException("reading artifact " + file + " failed", e);
                }
                counts[0]++;
                if (problem == null) {
                    intact.add(digest.get());
                    continue;
                }
                Path q = quarantine(file);
                findings.add(new FsckReport.Finding(FsckReport.Kind.CORRUPT_OBJECT, layout.relative(file),
                        problem + "; moved to " + layout.relative(q), true));
            }
        }
        return intact;
    }

    /** @return what is wrong with an artifact file's bytes, or null when they are the ones its name gives */
    private String hashProblem(Path file, Sha256 expected, boolean isEncrypted) throws IOException {
        if (!isEncrypted) {
            Sha256 actual = Sha256.of(file);
            return actual.equals(expected) ? null : "its bytes have SHA-256 " + actual.hex();
        }
        MessageDigest md = Sha256.newDigest();
        try (InputStream in = ChunkedGcm.decrypt(new BufferedInputStream(Files.newInputStream(file), 1 << 16),
                encryption.orElseThrow(), layout.relative(file))) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                md.update(buffer, 0, n);
            }
        } catch (IntegrityException e) {
            return e.getMessage();
        }
        Sha256 actual = Sha256.ofDigest(md.digest());
        return actual.equals(expected) ? null : "it decrypts to bytes with SHA-256 " + actual.hex();
    }

    private Path quarantine(Path file) {
        try {
            DurableFiles.createDirectories(layout.quarantine);
            Path target = layout.quarantined(file);
            for (int i = 1; Files.exists(target); i++) {
                target = layout.quarantine.resolve(file.getFileName() + "." + i);
            }
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            DurableFiles.forceDirectory(layout.quarantine);
            DurableFiles.forceDirectory(file.getParent());
            return target;
        } catch (IOException e) {
            throw new StoreException("moving corrupt artifact " + file + " to " + layout.quarantine + " failed", e);
        }
    }

    /** Deletes temporary files older than the age given. @return their paths, relative to the store */
    private List<String> sweepTemp(Duration age) {
        List<String> swept = new ArrayList<>();
        long cutoff = System.currentTimeMillis() - age.toMillis();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(layout.tmp)) {
            for (Path p : files) {
                try {
                    if (Files.getLastModifiedTime(p).toMillis() <= cutoff && Files.deleteIfExists(p)) {
                        swept.add(layout.relative(p));
                    }
                } catch (NoSuchFileException e) {
                    // its writer published or removed it meanwhile
                }
            }
        } catch (IOException e) {
            throw new StoreException("sweeping temporary files from " + layout.tmp + " failed", e);
        }
        swept.sort(null);
        return swept;
    }

    /** The names in a directory, sorted; empty when it does not exist. */
    private List<String> directoryNames(Path dir, List<FsckReport.Finding> findings) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                names.add(p.getFileName().toString());
            }
        } catch (NoSuchFileException e) {
            return names;
        } catch (IOException e) {
            throw new StoreException("listing " + dir + " failed", e);
        }
        names.sort(null);
        return names;
    }

    /**
     * Applies a retention policy: deletes the live versions it does not keep (each leaves a tombstone,
     * as {@link #delete} does), then the artifact files no live version uses. A version that an alias
     * points at or would return to, or that a live version names as a lineage parent, is always kept;
     * so is an artifact file written in the last hour (it may belong to a registration in progress).
     *
     * <p>Each tombstone names the actor {@code gc} and the reason {@code retention: keep the last N};
     * {@link #gc(Retention, boolean, ChangeNote)} names the person or job that runs it instead.
     *
     * @param retention which versions to keep
     * @param dryRun when true, nothing is deleted and the report lists exactly what would be
     * @return what was, or would be, deleted
     */
    public GcReport gc(Retention retention, boolean dryRun) {
        Objects.requireNonNull(retention, "retention");
        return gc(retention, dryRun, ChangeNote.by("gc").because("retention: keep the last " + retention.keepLast()));
    }

    /**
     * {@link #gc(Retention, boolean)}, with the note each deleted version's tombstone keeps: who ran the
     * collection and why, as for {@link #delete(ModelRef, ChangeNote)}.
     *
     * <pre>{@code
     * GcReport r = store.gc(Retention.keepLast(5), false, ChangeNote.by("nightly-job").because("keep the last 5"));
     * }</pre>
     *
     * @param retention which versions to keep
     * @param dryRun when true, nothing is deleted and the report lists exactly what would be
     * @param note who deletes and why, kept in each tombstone
     * @return what was, or would be, deleted
     */
    public GcReport gc(Retention retention, boolean dryRun, ChangeNote note) {
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(note, "note");
        checkOpen();
        List<String> names = modelNames();
        Set<ModelRef.ByVersion> parents = new HashSet<>();
        Map<String, List<ModelVersion>> candidatesByModel = new TreeMap<>();
        for (String name : names) {
            read(name, ledger -> {
                List<ModelVersion> live = List.copyOf(ledger.liveVersions()); // oldest first
                Set<Long> aliased = ledger.aliasTargets();
                int keep = Math.min(live.size(), retention.keepLast());
                candidatesByModel.put(name, live.subList(0, live.size() - keep).stream()
                        .filter(v -> !aliased.contains(v.version())).toList());
                live.forEach(v -> parents.addAll(v.lineage().parents()));
                return null;
            });
        }
        List<ModelRef.ByVersion> doomed = new ArrayList<>();
        candidatesByModel.forEach((name, candidates) -> {
            for (ModelVersion v : candidates) {
                ModelRef.ByVersion ref = ModelRef.of(name, v.version());
                if (!parents.contains(ref)) {
                    doomed.add(ref);
                }
            }
        });
        List<ModelRef.ByVersion> deleted = new ArrayList<>();
        if (dryRun) {
            deleted.addAll(doomed);
        } else {
            for (ModelRef.ByVersion ref : doomed) {
                try {
                    write(ref.model(), false, ledger -> {
                        if (ledger.aliasTargets().contains(ref.version())) {
                            throw new ConflictException(ref + " was given an alias meanwhile");
                        }
                        return ledger.planDelete(ref, note, clock.instant());
                    });
                    deleted.add(ref);
                } catch (ConflictException | ModelNotFoundException e) {
                    // aliased or deleted since the plan was made: it stays as it now is
                }
            }
        }
        Set<Sha256> inUse = new HashSet<>();
        Set<ModelRef.ByVersion> going = dryRun ? Set.copyOf(doomed) : Set.of();
        for (String name : names) {
            List<ModelVersion> live = read(name, ledger -> List.copyOf(ledger.liveVersions()));
            live.stream().filter(v -> !going.contains(ModelRef.of(name, v.version()))).forEach(v -> inUse.add(v.digest()));
        }
        List<Sha256> objects = new ArrayList<>();
        long bytes = 0;
        long cutoff = System.currentTimeMillis() - Duration.ofHours(1).toMillis(); // file times are the system's
        for (String prefix : directoryNames(layout.objects, new ArrayList<>())) {
            Path dir = layout.objects.resolve(prefix);
            for (String name : directoryNames(dir, new ArrayList<>())) {
                Optional<Sha256> digest = Layout.objectName(prefix, name);
                Path file = dir.resolve(name);
                if (digest.isEmpty() || inUse.contains(digest.get())) {
                    continue;
                }
                try {
                    if (Files.getLastModifiedTime(file).toMillis() > cutoff) {
                        continue;
                    }
                    long size = Files.size(file);
                    if (!dryRun) {
                        Files.deleteIfExists(file);
                    }
                    objects.add(digest.get());
                    bytes += size;
                } catch (NoSuchFileException e) {
                    // removed meanwhile
                } catch (IOException e) {
                    throw new StoreException("collecting artifact " + file + " failed", e);
                }
            }
        }
        return new GcReport(dryRun, deleted, objects, bytes);
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
            polling.ifPresent(p -> p.cancel(false));
            models.clear();
            locks.release();
        }
    }
}
