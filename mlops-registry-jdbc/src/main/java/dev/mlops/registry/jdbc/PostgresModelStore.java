package dev.mlops.registry.jdbc;

import dev.mlops.core.ConcurrentUpdateException;
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
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ModelStore} in PostgreSQL, for teams whose hosts share a database rather than a file system
 * with working locks. It connects through the application's {@link DataSource} (the application owns the
 * driver and the pool, and closes them) and creates or migrates its tables on first use. Every committed
 * change is in the database before the call returns, so a store on another host sees it at once.
 *
 * <pre>{@code
 * DataSource pool = ...;   // the application's, e.g. a HikariCP pool on jdbc:postgresql://db/registry
 * try (ModelStore store = PostgresModelStore.builder(pool).schema("mlops").build()) {
 *     ModelVersion v = store.register(NewVersion.builder("fraud-scorer").artifact(Path.of("model.bin")).build());
 *     store.setAlias("fraud-scorer", "champion", v.version(), AliasExpect.absent());
 * }
 * }</pre>
 *
 * <h2>Tables, schema version 3</h2>
 * Named with the {@linkplain Builder#tablePrefix prefix} (default {@code mlops_}), in the
 * {@linkplain Builder#schema schema} when one is given:
 * <pre>
 * mlops_schema_version  (version, applied_at)                  one row per migration applied
 * mlops_models          (name, last_change)                    one row per model, locked by its writers
 * mlops_changes         (model, number, kind, document)        each model's change log, numbered 1, 2, ... densely
 * mlops_event_counter   (id = 1, last_sequence)                the store-wide event sequence's last number
 * mlops_events          (sequence, model, change, document)    one event per change, sequence 1, 2, ... densely
 * mlops_artifacts       (digest, blob, size, stored_at)        content-addressed: identical bytes stored once
 * mlops_artifact_chunks (blob, chunk, data)                    an artifact's bytes, 1 MiB per row
 * mlops_blob_ids        (sequence)                             numbers blobs as they are streamed
 * mlops_snapshots       (model, change, document, sha256)      (version 3) a model's whole state after a change
 * </pre>
 * Schema version 2 adds the tables of {@link PostgresAuditLog}, which shares this store's migrations, so
 * a store and an audit log can share a schema and prefix; opening either brings the tables to version 3.
 * A change's {@code document} is the same strict JSON the filesystem store writes to a change file, an
 * event's the same as its journal entries, and a snapshot's the same as a snapshot file
 * ({@code mlops.registry.change}, {@code mlops.registry.event} and {@code mlops.registry.snapshot},
 * version 1); the registry's rules are the shared {@code ModelLedger}'s.
 *
 * <h2>Snapshots</h2>
 * Every {@linkplain Builder#snapshotEvery 64th} change of a model (further apart as a model grows past
 * 2,048 changes: about every 1/16 to 1/32 of its changes, the filesystem store's rule), its writer also
 * saves the model's whole state after it as a snapshot row, in the change's own transaction, so that a
 * snapshot never exists without its change, and deletes the model's snapshots but the newest two. A
 * store loads a model it holds nothing of from the newest snapshot whose change row exists and the change
 * rows after it, not from every change. The change rows stay authoritative: a snapshot that cannot be
 * read, whose bytes are not those its row's SHA-256 records, or that the change rows after it do not
 * follow, is skipped with a warning for the next older one or a full replay; {@link #verify()} replays
 * every change and compares each snapshot with the state at its change; {@link #fsck()} deletes the
 * snapshots that check finds wanting. A snapshot that cannot be saved (the role may not delete rows of
 * the table, say) is logged, and its change commits without it.
 *
 * <h2>Transactions</h2>
 * A write is one transaction: lock the model's row ({@code SELECT ... FOR UPDATE}), read the changes
 * other hosts committed since this store last looked, plan the change against the rules (numbering,
 * alias compare-and-set, revisions, delete rules), insert it as the next change, take the next event
 * number from the counter row and insert the event, commit. So version numbers are dense across any
 * number of hosts, a compare-and-set is decided under the lock, and no change is ever committed without
 * its event. Writers of one model wait for each other; writers of different models only for the short
 * counter update at the end of their transactions. A transaction the database aborts as a deadlock or
 * serialization failure runs again, up to {@value #MAX_ATTEMPTS} times, then fails with
 * {@link ConcurrentUpdateException}. A lock not granted within the {@linkplain Builder#lockTimeout lock
 * timeout} fails with a {@link StoreException}; so does any other SQL failure, with the SQLState and the
 * driver's message, URLs and passwords cut out. A connection lost before the commit rolls the transaction
 * back; a commit whose outcome the connection did not report (it broke during the commit) fails with a
 * {@link StoreException} though the change may be committed, and the store re-reads the model from the
 * database on its next access. Every statement is parameterised; the only names built into statements,
 * the schema and prefix, are checked against {@code [a-z_][a-z0-9_]*}.
 *
 * <h2>Verifying</h2>
 * {@link #verify(ModelRef)} checks one version and {@link #verify()} the whole store from the database
 * up, each in one read-only snapshot of the database, trusting nothing this store has cached: every
 * change replayed into a fresh ledger, the events and the counter row against the changes, snapshots
 * against the replay, artifacts hashed chunk by chunk. {@link #fsck()} does what {@code verify()} does,
 * then deletes the snapshots found wanting, the one kind of problem it repairs.
 *
 * <h2>Artifacts</h2>
 * {@link #register} streams the artifact into chunk rows while hashing it, in its own transaction, never
 * holding it whole in memory; identical bytes registered before are kept, and the new copy rolled back.
 * Reading fetches one chunk at a time, each on a connection of its own, and checks size and digest as
 * the last byte is read. A registration that fails after its artifact is stored leaves the artifact
 * unreferenced, never a version without its bytes; a deleted version's artifact stays stored until
 * {@link #gc(Retention, boolean)} deletes the artifacts no live version uses. A registration locks the row
 * of the artifact it references in its write transaction, so that a collection on another host never
 * deletes bytes a version is being committed with (see {@link #gc(Retention, boolean, ChangeNote)}).
 *
 * <h2>Concurrency and events</h2>
 * Thread-safe: each model's state in this store (its ledger, loaded from a snapshot and the change log
 * after it) is guarded by one lock, held from reading the latest changes through planning and
 * committing (a snapshot point's snapshot included); reads take the same
 * lock and first read the changes committed since (one indexed query, empty when nothing changed), so
 * they never answer from a stale cache. Listeners are called after the lock is released, in the event
 * sequence's order: this store's own changes at once, other stores' on {@link #poll()} (or
 * {@link Builder#pollEvery} on the application's scheduler), and always before this store's next own
 * change that follows them. None is skipped: when the connection breaks right after a commit, the events
 * before it are read on another connection, and should that fail too, the change's own event waits with
 * them for the next poll or write. The library starts no threads. A thread holds at most one connection
 * at a time, so a pool of one connection does not deadlock.
 */
public final class PostgresModelStore implements ModelStore {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresModelStore.class);
    /** The most times a transaction aborted as a deadlock or serialization failure is run. */
    public static final int MAX_ATTEMPTS = 5;
    /** The bytes of an artifact per chunk row. */
    static final int CHUNK = 1 << 20;
    private static final int EVENT_BATCH = 1000;
    /** How many changes of a model apart its snapshots are, unless {@link Builder#snapshotEvery} says otherwise. */
    public static final int DEFAULT_SNAPSHOT_EVERY = SnapshotCodec.DEFAULT_EVERY;

    private final DataSource dataSource;
    private final Tables t;
    private final InstantSource clock;
    private final Duration lockTimeout;
    private final Optional<Executor> eventExecutor;
    private final Snapshots snapshots;
    private final ConcurrentHashMap<String, ModelState> models = new ConcurrentHashMap<>();
    private final Listeners listeners = new Listeners();
    /** The events for this store's listeners, in sequence order. */
    private final EventQueue queue = new EventQueue();
    /** Guards {@link #delivered} and the order of additions to {@link #queue}. */
    private final ReentrantLock delivery = new ReentrantLock();
    /** The highest event sequence queued for this store's listeners (or passed over). */
    private long delivered;
    private final Optional<ScheduledFuture<?>> polling;
    private final AtomicBoolean closed = new AtomicBoolean();

    private PostgresModelStore(Builder b) {
        this.dataSource = b.dataSource;
        this.t = new Tables(b.schema, b.tablePrefix);
        this.clock = b.clock;
        this.lockTimeout = b.lockTimeout;
        this.eventExecutor = b.eventExecutor;
        this.snapshots = new Snapshots(t, b.snapshotEvery);
        Migrations.migrate(dataSource, t, b.createTables);
        this.delivered = lastSequence();
        this.polling = b.pollEvery.map(every -> b.scheduler.scheduleWithFixedDelay(this::pollQuietly,
                every.toNanos(), every.toNanos(), TimeUnit.NANOSECONDS));
    }

    /**
     * Opens the store on the application's database, creating its tables (prefix {@code mlops_}, in the
     * connection's default schema) when they are missing; system clock, 10 second lock timeout,
     * listeners called on the writing thread.
     *
     * @param dataSource the application's connections; the store never closes it
     * @return the store
     * @throws StoreException when the database cannot be reached, or its tables are of a newer schema version
     */
    public static PostgresModelStore open(DataSource dataSource) {
        return builder(dataSource).build();
    }

    /**
     * @param dataSource the application's connections; the store never closes it
     * @return a builder for a store with other options
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /** Options for a {@link PostgresModelStore}. Not thread-safe; setting an option twice fails fast. */
    public static final class Builder {
        private final DataSource dataSource;
        private Optional<String> schema = Optional.empty();
        private String tablePrefix = "mlops_";
        private boolean tablePrefixSet;
        private InstantSource clock = InstantSource.system();
        private boolean clockSet;
        private Duration lockTimeout = Duration.ofSeconds(10);
        private boolean lockTimeoutSet;
        private Optional<Executor> eventExecutor = Optional.empty();
        private Optional<Duration> pollEvery = Optional.empty();
        private ScheduledExecutorService scheduler;
        private boolean createTables = true;
        private int snapshotEvery = DEFAULT_SNAPSHOT_EVERY;
        private boolean snapshotEverySet;

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /**
         * @param name the PostgreSQL schema to keep the tables in, created when missing; without one, the
         *     tables go where the connection's {@code search_path} puts them. Lower-case letters, digits
         *     and {@code _}, not starting with a digit, at most 63 characters
         * @return this
         */
        public Builder schema(String name) {
            if (schema.isPresent()) {
                throw new IllegalStateException("schema already set to " + schema.get());
            }
            Objects.requireNonNull(name, "name");
            Tables.checkSchema(name);
            schema = Optional.of(name);
            return this;
        }

        /**
         * @param prefix put before each table's name (default {@code mlops_}), so that several stores
         *     share one schema; lower-case letters, digits and {@code _}, not starting with a digit, at
         *     most {@value Tables#MAX_PREFIX} characters, or empty
         * @return this
         */
        public Builder tablePrefix(String prefix) {
            if (tablePrefixSet) {
                throw new IllegalStateException("table prefix already set to " + tablePrefix);
            }
            Objects.requireNonNull(prefix, "prefix");
            Tables.checkPrefix(prefix);
            tablePrefix = prefix;
            tablePrefixSet = true;
            return this;
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
         * @param timeout how long an operation waits for a model's lock, in this process or in the
         *     database, before it fails with a {@link StoreException}; positive (default 10 seconds)
         * @return this
         */
        public Builder lockTimeout(Duration timeout) {
            if (lockTimeoutSet) {
                throw new IllegalStateException("lock timeout already set to " + lockTimeout);
            }
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("lock timeout must be positive and under 24 days, was " + timeout);
            }
            lockTimeout = timeout;
            lockTimeoutSet = true;
            return this;
        }

        /**
         * @param executor where listeners are called; without one, the writing thread calls them after
         *     releasing the model's lock; with one, writers never run listeners, and one delivery task at
         *     a time keeps the sequence's order
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
         * Polls for other stores' changes ({@link PostgresModelStore#poll()}) on the application's
         * scheduler, with a fixed delay between polls, until the store is closed. Serving code that
         * follows an alias moved on another host needs this (or its own calls to {@code poll()}).
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
         * How often a writer saves a model's whole state as a snapshot row, in the transaction of the change
         * it follows, so that a store loads the model from the newest snapshot and at most {@code changes - 1}
         * change rows after it, instead of replaying every change (the change rows stay authoritative, and
         * {@link PostgresModelStore#verify()} checks every snapshot against a replay). Default
         * {@value PostgresModelStore#DEFAULT_SNAPSHOT_EVERY}. Once a model has 32 times this many changes, the
         * interval doubles as often as needed to stay above 1/32 of its changes, so that writing snapshots
         * stays a bounded cost per change however large the model: the filesystem store's rule.
         *
         * @param changes a snapshot after every this many changes of a model, at least 1
         * @return this
         */
        public Builder snapshotEvery(int changes) {
            if (snapshotEverySet) {
                throw new IllegalStateException("snapshotEvery already set to " + snapshotEvery);
            }
            if (changes < 1) {
                throw new IllegalArgumentException("snapshotEvery must be at least 1 change, was " + changes);
            }
            snapshotEvery = changes;
            snapshotEverySet = true;
            return this;
        }

        /**
         * Opens only a store whose tables exist: {@link #build()} fails with a {@link StoreException} naming
         * the schema and prefix when they are missing, and creates nothing, so a mistyped schema or prefix
         * never becomes an empty registry. Tables of an older schema version are still migrated. Without
         * this, missing tables (and a missing schema) are created.
         *
         * <pre>{@code
         * PostgresModelStore store = PostgresModelStore.builder(pool).schema("mlops").requireExisting().build();
         * }</pre>
         *
         * @return this
         */
        public Builder requireExisting() {
            if (!createTables) {
                throw new IllegalStateException("requireExisting already set");
            }
            createTables = false;
            return this;
        }

        /**
         * @return the store, its tables created or migrated
         * @throws StoreException when the database cannot be reached, its tables are of a newer schema
         *     version than this library knows, or they are missing and {@link #requireExisting()} was set
         */
        public PostgresModelStore build() {
            return new PostgresModelStore(this);
        }
    }

    /** @return the schema version of the tables this store uses */
    public int schemaVersion() {
        return Migrations.CURRENT;
    }

    // ---- models, locks, refresh --------------------------------------------------------------------------

    /**
     * One model as this store knows it: the ledger loaded from a snapshot and the change log after it, up to
     * {@code applied}.
     */
    private static final class ModelState {
        final String model;
        final ReentrantLock lock = new ReentrantLock();
        ModelLedger ledger;
        long applied;
        long highest;
        /** Set by {@link #fsck()} after deleting a snapshot this state may have been loaded from. */
        volatile boolean reload;

        ModelState(String model) {
            this.model = model;
            reset();
        }

        /** Forgets what was replayed, so that the next access replays from the first change. */
        void reset() {
            ledger = new ModelLedger(model);
            applied = 0;
            highest = 0;
        }
    }

    /** A change committed, and its event. */
    private record Committed<C extends ModelLedger.Change>(C change, ModelStoreEvent event) {
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("model store (" + t.describe() + ") is closed");
        }
    }

    private ModelState state(String model) {
        Names.checkModel(model);
        return models.computeIfAbsent(model, ModelState::new);
    }

    private void lock(ModelState s) {
        try {
            if (!s.lock.tryLock(lockTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new StoreException("timed out after " + lockTimeout + " waiting for the lock of model " + s.model
                        + " (held by another thread of this process)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the lock of model " + s.model);
        }
    }

    private Connection connect() throws SQLException {
        return dataSource.getConnection();
    }

    /**
     * Applies the changes committed since this store last looked, by this or any other store; a model this
     * store holds nothing of yet is loaded from its newest snapshot ({@link #loadCold}). Call under the
     * model's lock. A change that cannot be read or does not follow from the ones before it fails the call,
     * naming the row, and the model is loaded afresh on the next call.
     */
    private void refresh(Connection c, ModelState s) throws SQLException {
        if (s.reload) {
            s.reload = false;
            s.reset();
        }
        if (s.applied == 0) {
            loadCold(c, s);
        } else {
            replayAfter(c, s);
        }
    }

    /**
     * Loads a model from its newest snapshot whose change row exists, then the change rows after it. A
     * snapshot that cannot be read, or that the change rows after it do not follow, is skipped with a
     * warning, for the next older one and at last a full replay, whose failure is thrown: the change rows
     * say the same as any snapshot, only slower. The snapshot and the check that its change exists are one
     * statement; the change rows after it are read by the next, which sees them all, as they are only ever
     * appended.
     */
    private void loadCold(Connection c, ModelState s) throws SQLException {
        for (long before = Long.MAX_VALUE; ; ) {
            Optional<Snapshots.Row> row = snapshots.newest(c, s.model, before);
            if (row.isEmpty()) {
                break;
            }
            long n = row.get().change();
            before = n;
            try {
                SnapshotCodec.Loaded loaded = snapshots.decode(row.get());
                s.ledger = loaded.ledger();
                s.applied = n;
                s.highest = loaded.state().highest();
            } catch (MlopsException | IllegalArgumentException e) {
                LOG.warn("skipping {}, which cannot be read; loading model {} from an older snapshot or its change"
                        + " rows: {}", snapshots.row(s.model, n), s.model, e.getMessage());
                continue;
            }
            try {
                replayAfter(c, s);
                return;
            } catch (MlopsException | InvalidFormatException e) {
                LOG.warn("skipping {}: the change rows after it do not follow from it ({}); loading model {} from an"
                        + " older snapshot or its change rows", snapshots.row(s.model, n), e.getMessage(), s.model);
            }
        }
        replayAfter(c, s);
    }

    /** Applies the change rows after {@code s.applied}, in order. */
    private void replayAfter(Connection c, ModelState s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT number, document FROM " + t.changes
                + " WHERE model = ? AND number > ? ORDER BY number")) {
            ps.setString(1, s.model);
            ps.setLong(2, s.applied);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    replayNext(s, rs.getLong(1), rs.getString(2));
                }
            }
        }
    }

    /**
     * Applies the change read from row {@code n} of the model's log, checking that it is the next one and
     * follows from the ones before it.
     *
     * @return the change applied
     * @throws InvalidFormatException naming the row when it cannot be read or does not follow; the state is
     *     then reset, so that the next access replays from the first change
     */
    private ModelLedger.Change replayNext(ModelState s, long n, String json) {
        String document = changeRow(s.model, n);
        try {
            if (n != s.applied + 1) {
                throw new InvalidFormatException(document, "", -1, "the model's log skips from change "
                        + s.applied + " to " + n);
            }
            ModelLedger.Change change = ChangeCodec.read(document, json, s.model, n);
            ChangeReplay.check(s.ledger, s.highest, change, document);
            try {
                s.ledger.apply(change);
            } catch (RuntimeException e) {
                throw new InvalidFormatException(document, "", -1,
                        "the change cannot be applied to the ones before it: " + e.getMessage());
            }
            s.applied = n;
            if (change instanceof ModelLedger.Registered r) {
                s.highest = r.version().version();
            }
            return change;
        } catch (MlopsException | InvalidFormatException e) {
            s.reset();
            throw e;
        }
    }

    private String changeRow(String model, long n) {
        return "change " + n + " of model " + model + " in " + t.changes;
    }

    private <T> T read(String model, Function<ModelLedger, T> query) {
        checkOpen();
        ModelState s = state(model);
        lock(s);
        try (Connection c = connect()) {
            refresh(c, s);
            return query.apply(s.ledger);
        } catch (SQLException e) {
            throw SqlFailures.store("reading model " + model + " (" + t.describe() + ")", e);
        } finally {
            s.lock.unlock();
            deliver();
        }
    }

    /** Reads a model whose last change number is known, querying only when this store is behind it. */
    private <T> T read(String model, long lastChange, Function<ModelLedger, T> query) {
        ModelState s = state(model);
        lock(s);
        try {
            if (s.applied == lastChange && !s.reload) {
                return query.apply(s.ledger);
            }
        } finally {
            s.lock.unlock();
        }
        return read(model, query);
    }

    /** @return every model with a change, by name, with its last change number */
    private Map<String, Long> modelNames() {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement("SELECT name, last_change FROM " + t.models
                        + " WHERE last_change > 0 ORDER BY name");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw SqlFailures.store("listing the models in " + t.models, e);
        }
        return out;
    }

    /**
     * Plans and commits one change in one transaction under the model's row lock, runs it again when the
     * database aborts it as a deadlock or serialization failure, then delivers events.
     *
     * @param create whether the model's row may be created (registration); other writes to a model with
     *     no row fail in planning, with nothing created
     */
    private <C extends ModelLedger.Change> Committed<C> write(String model, boolean create,
            Function<ModelLedger, C> plan) {
        return write(model, create, c -> null, plan);
    }

    /**
     * {@link #write(String, boolean, Function)}, running {@code guard} in the transaction after planning,
     * before the change is inserted: a registration locks its artifact's row there.
     */
    private <C extends ModelLedger.Change> Committed<C> write(String model, boolean create, SqlWork<?> guard,
            Function<ModelLedger, C> plan) {
        checkOpen();
        ModelState s = state(model);
        lock(s);
        try {
            for (int attempt = 1; ; attempt++) {
                Committed<C> committed;
                try (Connection c = connect()) {
                    committed = writeOnce(c, s, create, guard, plan);
                    try {
                        queueOwn(c, committed.event());
                        return committed;
                    } catch (SQLException e) {
                        LOG.debug("reading the events before {} failed after its commit: {}; again on another"
                                + " connection", committed.event().sequence(), e.getSQLState());
                    }
                } catch (SQLException e) {
                    if (SqlFailures.retryable(e) && attempt < MAX_ATTEMPTS) {
                        pause(attempt);
                        continue;
                    }
                    if (SqlFailures.retryable(e)) {
                        throw new ConcurrentUpdateException("writing to model " + model + " was aborted by the"
                                + " database " + MAX_ATTEMPTS + " times" + SqlFailures.describe(e) + "; nothing"
                                + " was written");
                    }
                    if (SqlFailures.lockTimeout(e)) {
                        throw new StoreException("timed out after " + lockTimeout + " waiting for the lock of model "
                                + model + " in " + t.models + " (held by another connection); nothing was written");
                    }
                    throw SqlFailures.store("writing to model " + model + " (" + t.describe() + ")", e);
                }
                // committed, but the connection broke before the events before it were read: the broken one is
                // given back first, so that this thread still holds one connection at a time
                queueOwnAgain(committed.event());
                return committed;
            }
        } finally {
            s.lock.unlock();
            deliver();
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 1L + (5L << attempt)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting to run an aborted transaction again");
        }
    }

    private <C extends ModelLedger.Change> Committed<C> writeOnce(Connection c, ModelState s, boolean create,
            SqlWork<?> guard, Function<ModelLedger, C> plan) throws SQLException {
        c.setAutoCommit(false);
        boolean committed = false;
        boolean applied = false;
        try {
            try (PreparedStatement ps = c.prepareStatement("SELECT set_config('lock_timeout', ?, true)")) {
                ps.setString(1, lockTimeout.toMillis() + "ms");
                ps.execute();
            }
            if (create) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t.models
                        + " (name, last_change) VALUES (?, 0) ON CONFLICT (name) DO NOTHING")) {
                    ps.setString(1, s.model);
                    ps.executeUpdate();
                }
            }
            long last;
            try (PreparedStatement ps = c.prepareStatement("SELECT last_change FROM " + t.models
                    + " WHERE name = ? FOR UPDATE")) {
                ps.setString(1, s.model);
                try (ResultSet rs = ps.executeQuery()) {
                    last = rs.next() ? rs.getLong(1) : -1;
                }
            }
            refresh(c, s);
            if (last < 0) {
                plan.apply(s.ledger); // the ledger is empty: every plan but a registration fails here
                throw new ModelNotFoundException("no model " + s.model);
            }
            if (s.applied != last) {
                s.reset();
                throw new StoreException("model " + s.model + " records " + last + " changes in " + t.models
                        + ", but its log in " + t.changes + " holds changes up to " + s.applied + "; nothing was written");
            }
            C change = plan.apply(s.ledger);
            guard.run(c);
            long n = s.applied + 1;
            byte[] document = ChangeCodec.write(s.model, n, change);
            if (document.length > ChangeCodec.MAX_BYTES) {
                throw new StoreException("change " + n + " of model " + s.model + " would be " + document.length
                        + " bytes, more than the " + ChangeCodec.MAX_BYTES + " a change may hold; nothing was written");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t.changes
                    + " (model, number, kind, document) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, s.model);
                ps.setLong(2, n);
                ps.setString(3, kind(change));
                ps.setString(4, new String(document, StandardCharsets.UTF_8));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.models + " SET last_change = ? WHERE name = ?")) {
                ps.setLong(1, n);
                ps.setString(2, s.model);
                ps.executeUpdate();
            }
            // applied before the commit, for the event (a model-annotated event carries the summary after it);
            // forgotten below unless the commit succeeds
            applied = true;
            s.ledger.apply(change);
            s.applied = n;
            if (change instanceof ModelLedger.Registered r) {
                s.highest = r.version().version();
            }
            snapshots.saveIfDue(c, s.model, n, s.ledger);
            long sequence;
            // last in the transaction: the counter row's lock is held until commit, so sequence order is commit order
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.eventCounter
                    + " SET last_sequence = last_sequence + 1 WHERE id = 1 RETURNING last_sequence")) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new StoreException(t.eventCounter + " has no row; nothing was written");
                    }
                    sequence = rs.getLong(1);
                }
            }
            ModelStoreEvent event = s.ledger.event(change, sequence);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t.events
                    + " (sequence, model, change, document) VALUES (?, ?, ?, ?)")) {
                ps.setLong(1, sequence);
                ps.setString(2, s.model);
                ps.setLong(3, n);
                ps.setString(4, new String(EventCodec.write(event, n), StandardCharsets.UTF_8));
                ps.executeUpdate();
            }
            c.commit();
            committed = true;
            return new Committed<>(change, event);
        } finally {
            if (!committed) {
                if (applied) {
                    s.reset(); // the next access replays from the database, whatever the commit's outcome was
                }
                try {
                    c.rollback();
                    c.setAutoCommit(true); // as the pool lent it
                } catch (SQLException e) {
                    LOG.debug("rolling back a failed write to model {} failed too: {}", s.model, e.getSQLState());
                }
            }
        }
    }

    private static String kind(ModelLedger.Change change) {
        if (change instanceof ModelLedger.Registered) {
            return "registered";
        }
        if (change instanceof ModelLedger.AliasChanged) {
            return "alias-moved";
        }
        if (change instanceof ModelLedger.Annotated) {
            return "annotated";
        }
        if (change instanceof ModelLedger.Deleted) {
            return "deleted";
        }
        return change instanceof ModelLedger.ModelAnnotated ? "model-annotated" : "model-deleted";
    }

    // ---- events ------------------------------------------------------------------------------------------

    private long lastSequence() {
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement("SELECT last_sequence FROM " + t.eventCounter + " WHERE id = 1");
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new StoreException(t.eventCounter + " has no row: the store's tables are damaged");
            }
            return rs.getLong(1);
        } catch (SQLException e) {
            throw SqlFailures.store("reading the last event sequence from " + t.eventCounter, e);
        }
    }

    /**
     * Queues this store's committed event after any events other stores committed before it that this
     * store has not queued yet.
     *
     * @throws SQLException when those cannot be read: then neither they nor this event are queued (those
     *     read before the failure are), so that none is passed over
     */
    private void queueOwn(Connection c, ModelStoreEvent event) throws SQLException {
        delivery.lock();
        try {
            c.setAutoCommit(true);
            catchUp(c, event.sequence() - 1);
            if (delivered < event.sequence()) {
                queue.add(event);
                delivered = event.sequence();
            }
        } finally {
            delivery.unlock();
        }
    }

    /**
     * {@link #queueOwn} on a fresh connection, after the one that committed broke. The change is committed:
     * a failure here is logged, never thrown, and the events wait, unskipped, for the next poll or write.
     */
    private void queueOwnAgain(ModelStoreEvent event) {
        try (Connection c = connect()) {
            queueOwn(c, event);
        } catch (SQLException e) {
            LOG.warn("reading the events before {} from {} failed after its commit; listeners hear them and it on"
                    + " the next poll or write{}", event.sequence(), t.events, SqlFailures.describe(e));
        }
    }

    /**
     * Queues, for this store's listeners, the events after the last one queued, up to {@code upTo} or the
     * sequence's end. Call holding {@link #delivery}. An event that cannot be read is logged and passed
     * over, so that one damaged row does not silence the store.
     *
     * @return how many events were queued
     */
    private int catchUp(Connection c, long upTo) throws SQLException {
        int queued = 0;
        while (delivered < upTo) {
            int rows = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT sequence, document FROM " + t.events
                    + " WHERE sequence > ? AND sequence <= ? ORDER BY sequence LIMIT " + EVENT_BATCH)) {
                ps.setLong(1, delivered);
                ps.setLong(2, upTo);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                        long sequence = rs.getLong(1);
                        try {
                            queue.add(decodeEvent(sequence, rs.getString(2)));
                            queued++;
                        } catch (MlopsException | InvalidFormatException e) {
                            LOG.warn("passing over event {} in {}, which cannot be read: {}", sequence, t.events,
                                    e.getMessage());
                        }
                        delivered = sequence;
                    }
                }
            }
            if (rows < EVENT_BATCH) {
                break;
            }
        }
        return queued;
    }

    private ModelStoreEvent decodeEvent(long sequence, String document) {
        return EventCodec.read("event " + sequence + " in " + t.events, document, sequence).event();
    }

    private void deliver() {
        if (eventExecutor.isPresent()) {
            queue.deliver(listeners, eventExecutor.get());
        } else {
            queue.deliver(listeners);
        }
    }

    /**
     * Tells this store's listeners of the changes other stores (on this host or others) committed since it
     * last looked, in the event sequence's order, then returns. Changes this store makes reach its
     * listeners without a poll; {@link Builder#pollEvery} polls on the application's scheduler.
     *
     * @return how many events were found
     * @throws StoreException when the database fails
     */
    public int poll() {
        checkOpen();
        int found;
        delivery.lock();
        try (Connection c = connect()) {
            found = catchUp(c, Long.MAX_VALUE);
        } catch (SQLException e) {
            throw SqlFailures.store("polling " + t.events + " for other stores' changes", e);
        } finally {
            delivery.unlock();
        }
        deliver();
        return found;
    }

    /** A scheduled poll: a failure is logged, and the next poll runs as planned. */
    private void pollQuietly() {
        try {
            if (!closed.get()) {
                poll();
            }
        } catch (RuntimeException e) {
            LOG.warn("polling the model store ({}) for other stores' changes failed: {}", t.describe(), e.toString());
        }
    }

    // ---- verifying ---------------------------------------------------------------------------------------

    /** Rows fetched per round trip when verification streams a table. */
    private static final int FETCH = 256;
    /** The most blobs of chunk rows without an artifact that {@link #verify()} names one by one. */
    private static final int MAX_ORPHANS_NAMED = 20;

    /** Work on one connection that may fail in the database. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} in one read-only transaction that sees one snapshot of the database, whatever other
     * hosts commit meanwhile; rolls it back after.
     */
    <T> T inSnapshot(String what, SqlWork<T> work) {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                }
                return work.run(c);
            } finally {
                try {
                    c.rollback();
                    c.setAutoCommit(true); // as the pool lent it
                } catch (SQLException e) {
                    LOG.debug("ending the read-only transaction of {} failed: {}", what, e.getSQLState());
                }
            }
        } catch (SQLException e) {
            throw SqlFailures.store(what + " (" + t.describe() + ")", e);
        }
    }

    /**
     * Checks one version from the database up, trusting nothing this store has cached, as the filesystem
     * store's {@code verify} does from the disk. In one read-only snapshot of the database it replays the
     * model's whole change log into a fresh ledger (each change read, numbered next, following from the
     * ones before it, each registration numbered one past the highest before it), checks that the model's
     * row counts exactly those changes, resolves the reference, and reads the whole artifact, chunk by
     * chunk, against its recorded size and SHA-256. Safe while other threads and hosts write.
     *
     * <pre>{@code
     * ModelVersion v = store.verify(ModelRef.alias("fraud-scorer", "champion"));
     * }</pre>
     *
     * @param ref the version to check
     * @return the version, verified
     * @throws ModelNotFoundException when the reference resolves to no live version
     * @throws InvalidFormatException when a change of the model cannot be read or does not follow, naming
     *     its row
     * @throws IntegrityException when the model's row disagrees with its log, or the artifact is missing or
     *     its bytes differ from those registered
     * @throws StoreException when the database fails
     */
    public ModelVersion verify(ModelRef ref) {
        Objects.requireNonNull(ref, "ref");
        Names.checkModel(ref.model());
        checkOpen();
        return inSnapshot("verifying " + ref, c -> {
            ModelState fresh = new ModelState(ref.model());
            try (PreparedStatement ps = c.prepareStatement("SELECT number, document FROM " + t.changes
                    + " WHERE model = ? ORDER BY number")) {
                ps.setFetchSize(FETCH);
                ps.setString(1, ref.model());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        replayNumbered(fresh, rs.getLong(1), rs.getString(2));
                    }
                }
            }
            long counted = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT last_change FROM " + t.models + " WHERE name = ?")) {
                ps.setString(1, ref.model());
                try (ResultSet rs = ps.executeQuery()) {
                    counted = rs.next() ? rs.getLong(1) : 0;
                }
            }
            if (counted != fresh.applied) {
                throw new IntegrityException(miscounted(ref.model(), counted, fresh.applied));
            }
            ModelVersion v = fresh.ledger.resolveOrThrow(ref);
            checkArtifact(c, v.digest(), v.size(), v.ref().toString());
            return v;
        });
    }

    /**
     * Checks the whole store from the database up, trusting nothing this store has cached, in one
     * read-only snapshot of the database (so it is safe, and sees one consistent state, while other
     * threads and hosts write; the snapshot is held until it returns). It checks:
     * <ul>
     *   <li>each model's change log, replayed from its first change into a fresh ledger: every change
     *       readable, numbered next, following from the ones before it, each registration numbered one past
     *       the highest before it (so no number was used up by a registration that did not commit); and
     *       the model's row counts exactly the changes its log holds;</li>
     *   <li>the events: exactly one per change, equal to the event the replay gives for it, in the order
     *       of the model's changes; numbered 1, 2, ... without a gap up to the counter row's number;</li>
     *   <li>the artifacts: every live version's is stored under its digest with its size, and its chunk
     *       rows, read in order, hold exactly that many bytes hashing to that digest; no chunk rows belong
     *       to no artifact;</li>
     *   <li>the snapshots: each one readable, its bytes those its row's digest records, and equal to the
     *       state the replay gives at its change; one past the end of its model's readable log, or of a
     *       model without changes, is a problem too.</li>
     * </ul>
     * An artifact no live version uses (a deleted version's, or one whose registration failed after its
     * bytes were stored) is not a problem. Nothing is repaired ({@link #fsck()} deletes the snapshots found
     * wanting): the tables are changed only by the store's own transactions, so a problem means the database
     * was edited or damaged outside them.
     *
     * <pre>{@code
     * VerifyReport report = store.verify();
     * if (!report.ok()) alarm(report.summary() + ": " + report.problems());
     * }</pre>
     *
     * @return what was checked, and every problem found
     * @throws StoreException when the database fails
     */
    public VerifyReport verify() {
        checkOpen();
        return verifyAll().report();
    }

    /**
     * Checks the whole store as {@link #verify()} does, then deletes, in one transaction, every snapshot the
     * check found wanting: one that cannot be read, whose bytes are not those its row's digest records, that
     * differs from the state the replay gives at its change, or that follows a change its model's readable
     * log does not reach. A snapshot is a cache of what the change rows hold, so deleting one loses nothing:
     * the model then loads from an older snapshot, or replays its change rows. Every other problem is
     * reported and left as it is: the change rows, events and artifacts are the registry itself, and only
     * whoever damaged them knows what they held. A snapshot a writer rewrote after the check is kept. This
     * store reloads a model whose snapshot it deleted on the model's next access; a store in another
     * process that loaded a model from such a snapshot keeps what it loaded until it is reopened. Safe
     * while other threads and hosts write.
     *
     * <pre>{@code
     * PostgresFsckReport report = store.fsck();
     * report.deletedSnapshots().forEach(d -> log.warn("deleted: {}", d.problem()));
     * report.unrepaired().forEach(log::error);
     * }</pre>
     *
     * @return what the check found, and the snapshots deleted
     * @throws StoreException when the database fails
     */
    public PostgresFsckReport fsck() {
        checkOpen();
        Verified verified = verifyAll();
        List<PostgresFsckReport.DeletedSnapshot> deleted = new ArrayList<>();
        if (!verified.badSnapshots().isEmpty()) {
            try (Connection c = connect()) {
                c.setAutoCommit(false);
                boolean committed = false;
                try {
                    for (BadSnapshot b : verified.badSnapshots()) {
                        if (snapshots.delete(c, b.model(), b.change(), b.sha256())) {
                            deleted.add(new PostgresFsckReport.DeletedSnapshot(b.model(), b.change(), b.problem()));
                        }
                    }
                    c.commit();
                    committed = true;
                } finally {
                    try {
                        if (!committed) {
                            c.rollback();
                        }
                        c.setAutoCommit(true); // as the pool lent it
                    } catch (SQLException e) {
                        LOG.debug("ending the transaction deleting damaged snapshots failed: {}", e.getSQLState());
                    }
                }
            } catch (SQLException e) {
                throw SqlFailures.store("deleting damaged snapshots from " + t.snapshots, e);
            }
            for (PostgresFsckReport.DeletedSnapshot d : deleted) {
                ModelState s = models.get(d.model());
                if (s != null) {
                    s.reload = true;
                }
            }
        }
        return new PostgresFsckReport(verified.report(), deleted);
    }

    /**
     * A snapshot row {@link #verify()} found wanting.
     *
     * @param sha256 the digest its row recorded when it was judged
     * @param problem the problem reported for it
     */
    private record BadSnapshot(String model, long change, String sha256, String problem) {
    }

    /** What {@link #verify()} found, with the snapshots among its problems, for {@link #fsck()}. */
    private record Verified(VerifyReport report, List<BadSnapshot> badSnapshots) {
    }

    private Verified verifyAll() {
        return inSnapshot("verifying the model store", c -> {
            List<String> problems = new ArrayList<>();
            List<BadSnapshot> bad = new ArrayList<>();
            Map<String, NavigableMap<Long, String>> snapshotRows = snapshots.all(c);
            long events = checkEventSequence(c, problems);
            Map<String, Long> rows = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name, last_change FROM " + t.models
                    + " ORDER BY name")) {
                ps.setFetchSize(FETCH);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
            Map<Sha256, ModelVersion> used = new TreeMap<>(Comparator.comparing(Sha256::hex));
            long[] counts = new long[3]; // models, changes, live versions
            try (PreparedStatement ps = c.prepareStatement("SELECT c.model, c.number, c.document, e.sequence,"
                    + " e.document FROM " + t.changes + " c LEFT JOIN " + t.events + " e ON e.model = c.model"
                    + " AND e.change = c.number ORDER BY c.model, c.number, e.sequence")) {
                ps.setFetchSize(FETCH);
                try (ResultSet rs = ps.executeQuery()) {
                    ModelCheck check = null;
                    while (rs.next()) {
                        String model = rs.getString(1);
                        if (check == null || !check.state.model.equals(model)) {
                            if (check != null) {
                                check.finish(rows.remove(check.state.model), used, counts, problems);
                            }
                            check = new ModelCheck(c, model, snapshotRows.remove(model), problems, bad);
                        }
                        long sequence = rs.getLong(4);
                        if (rs.wasNull()) {
                            sequence = 0;
                        }
                        check.next(rs.getLong(2), rs.getString(3), sequence, rs.getString(5), counts);
                    }
                    if (check != null) {
                        check.finish(rows.remove(check.state.model), used, counts, problems);
                    }
                }
            }
            rows.forEach((model, last) -> {
                if (last > 0) {
                    problems.add(miscounted(model, last, 0));
                }
            });
            snapshotRows.forEach((model, held) -> held.forEach((change, sha256) -> {
                String problem = snapshots.row(model, change) + " belongs to a model with no changes in " + t.changes;
                problems.add(problem);
                bad.add(new BadSnapshot(model, change, sha256, problem));
            }));
            long bytes = 0;
            for (ModelVersion v : used.values()) {
                try {
                    bytes += checkArtifact(c, v.digest(), v.size(), v.ref().toString());
                } catch (IntegrityException e) {
                    problems.add(e.getMessage());
                }
            }
            checkOrphanChunks(c, problems);
            return new Verified(new VerifyReport(problems, counts[0], counts[1], events, counts[2], used.size(), bytes),
                    bad);
        });
    }

    /**
     * One model's log as {@link #verify()} replays it, row by row of the changes joined with their events,
     * checking each of its snapshots as the replay reaches its change.
     */
    private final class ModelCheck {
        final Connection c;
        final ModelState state;
        /** The model's snapshot rows not checked yet, by change, with the digest each records. */
        final NavigableMap<Long, String> unchecked;
        final List<String> problems;
        final List<BadSnapshot> bad;
        long lastNumber;
        long lastSequence;
        ModelLedger.Change lastChange;
        boolean damaged;

        /** @param snapshotRows the model's snapshot rows, by change, with their digests; null when none */
        ModelCheck(Connection c, String model, NavigableMap<Long, String> snapshotRows, List<String> problems,
                List<BadSnapshot> bad) {
            this.c = c;
            this.state = new ModelState(model);
            this.unchecked = snapshotRows == null ? new TreeMap<>() : snapshotRows;
            this.problems = problems;
            this.bad = bad;
        }

        /**
         * @param sequence the sequence of an event naming this change, 0 when none does; a change named by
         *     several events comes in several rows
         */
        void next(long number, String change, long sequence, String event, long[] counts) throws SQLException {
            if (damaged) {
                return; // the log cannot be followed past its first damaged change
            }
            if (number == lastNumber) {
                problems.add(changeRow(state.model, number) + " has more than one event: events " + lastSequence
                        + " and " + sequence + " in " + t.events);
                return;
            }
            try {
                lastChange = replayNumbered(state, number, change);
            } catch (MlopsException | InvalidFormatException e) {
                problems.add(e.getMessage());
                damaged = true;
                return;
            }
            lastNumber = number;
            counts[1]++;
            String sha256 = unchecked.remove(number);
            if (sha256 != null) {
                checkSnapshot(number, sha256);
            }
            if (sequence == 0) {
                problems.add(changeRow(state.model, number) + " has no event in " + t.events);
                return;
            }
            if (sequence <= lastSequence) {
                problems.add(changeRow(state.model, number) + " has event " + sequence + ", not after event "
                        + lastSequence + " of the change before it: events are not in the order of the changes");
            }
            lastSequence = sequence;
            String row = "event " + sequence + " in " + t.events;
            try {
                EventCodec.Entry entry = EventCodec.read(row, event, sequence);
                ModelStoreEvent replayed = state.ledger.event(lastChange, sequence);
                if (entry.change() != number || !entry.event().equals(replayed)) {
                    problems.add(row + " differs from the event that " + changeRow(state.model, number) + " gives");
                }
            } catch (MlopsException | InvalidFormatException e) {
                problems.add(e.getMessage());
            }
        }

        /** Compares the model's snapshot after change {@code number} with the replay, which has just applied it. */
        private void checkSnapshot(long number, String sha256) throws SQLException {
            String problem = null;
            Optional<Snapshots.Row> row = snapshots.read(c, state.model, number);
            if (row.isEmpty()) {
                return; // listed a moment ago in the same read-only snapshot of the database: cannot happen
            }
            try {
                if (!snapshots.decode(row.get()).state().equals(state.ledger.snapshot())) {
                    problem = snapshots.row(state.model, number) + " differs from the state the replay of changes 1 to "
                            + number + " in " + t.changes + " gives";
                }
            } catch (MlopsException | IllegalArgumentException e) {
                problem = e.getMessage();
            }
            if (problem != null) {
                problems.add(problem);
                bad.add(new BadSnapshot(state.model, number, sha256, problem));
            }
        }

        /** @param counted the changes the model's row counts, null when it has no row */
        void finish(Long counted, Map<Sha256, ModelVersion> used, long[] counts, List<String> problems) {
            unchecked.forEach((change, sha256) -> {
                String problem = snapshots.row(state.model, change) + " follows change " + change + ", but the model's"
                        + " log in " + t.changes + (damaged ? " cannot be replayed past" : " ends at") + " change "
                        + lastNumber;
                problems.add(problem);
                bad.add(new BadSnapshot(state.model, change, sha256, problem));
            });
            counts[0]++;
            if (counted == null) {
                problems.add("model " + state.model + " has changes in " + t.changes + " but no row in " + t.models);
            } else if (!damaged && counted != state.applied) {
                problems.add(miscounted(state.model, counted, state.applied));
            }
            for (ModelVersion v : state.ledger.liveVersions()) {
                counts[2]++;
                used.putIfAbsent(v.digest(), v);
            }
        }
    }

    /**
     * {@link #replayNext}, and checks that a registration is numbered one past the highest number before
     * it: the store never skips one, so a gap means a number was used up outside its transactions.
     */
    private ModelLedger.Change replayNumbered(ModelState s, long n, String json) {
        long highest = s.highest;
        ModelLedger.Change change = replayNext(s, n, json);
        if (change instanceof ModelLedger.Registered r && r.version().version() != highest + 1) {
            s.reset();
            throw new InvalidFormatException(changeRow(s.model, n), "", -1, "registers version "
                    + r.version().version() + ", but the highest before it was " + highest + ": a number was skipped");
        }
        return change;
    }

    private String miscounted(String model, long counted, long held) {
        return "model " + model + " counts " + counted + " changes in " + t.models + ", but its log in " + t.changes
                + " holds " + held;
    }

    /**
     * Checks that the events are numbered 1, 2, ... without a gap, up to the counter row's number.
     *
     * @return how many events there are
     */
    private long checkEventSequence(Connection c, List<String> problems) throws SQLException {
        long counter;
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT last_sequence FROM " + t.eventCounter + " WHERE id = 1")) {
            counter = rs.next() ? rs.getLong(1) : -1;
        }
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*), coalesce(min(sequence), 0), coalesce(max(sequence), 0)"
                        + " FROM " + t.events)) {
            rs.next();
            long count = rs.getLong(1);
            long min = rs.getLong(2);
            long max = rs.getLong(3);
            if (count != max || (count > 0 && min != 1)) {
                problems.add(t.events + " holds " + count + " events numbered " + min + " to " + max
                        + ": the sequence has gaps");
            }
            if (counter < 0) {
                problems.add(t.eventCounter + " has no row");
            } else if (counter != max) {
                problems.add(t.eventCounter + " gives " + counter + " as the last event, but the events in "
                        + t.events + " end at " + max);
            }
            return count;
        }
    }

    /** Names the first blobs whose chunk rows belong to no artifact (a committed artifact always has one). */
    private void checkOrphanChunks(Connection c, List<String> problems) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT DISTINCT k.blob FROM " + t.artifactChunks + " k WHERE NOT EXISTS"
                        + " (SELECT 1 FROM " + t.artifacts + " a WHERE a.blob = k.blob) ORDER BY k.blob LIMIT "
                        + (MAX_ORPHANS_NAMED + 1))) {
            for (int i = 0; rs.next(); i++) {
                problems.add(i < MAX_ORPHANS_NAMED ? "the chunk rows of blob " + rs.getLong(1) + " in "
                        + t.artifactChunks + " belong to no artifact in " + t.artifacts
                        : "more blobs' chunk rows belong to no artifact");
            }
        }
    }

    /**
     * Reads an artifact's chunk rows in order on {@code c}, one row per query, hashing them.
     *
     * @return its size
     * @throws IntegrityException when it is missing, or its bytes are not those recorded
     */
    private long checkArtifact(Connection c, Sha256 digest, long size, String what) throws SQLException {
        long blob;
        long recorded;
        try (PreparedStatement ps = c.prepareStatement("SELECT blob, size FROM " + t.artifacts + " WHERE digest = ?")) {
            ps.setString(1, digest.hex());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IntegrityException(what + ": its artifact " + digest + " is missing from " + t.artifacts);
                }
                blob = rs.getLong(1);
                recorded = rs.getLong(2);
            }
        }
        if (recorded != size) {
            throw new IntegrityException(what + ": " + t.artifacts + " records " + recorded + " bytes for its artifact "
                    + digest + ", the version " + size);
        }
        MessageDigest md = Sha256.newDigest();
        long read = 0;
        int chunks = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT data FROM " + t.artifactChunks
                + " WHERE blob = ? AND chunk = ?")) {
            ps.setLong(1, blob);
            for (boolean more = true; more; ) {
                ps.setInt(2, chunks);
                try (ResultSet rs = ps.executeQuery()) {
                    more = rs.next();
                    if (more) {
                        byte[] data = rs.getBytes(1);
                        md.update(data);
                        read += data.length;
                        chunks++;
                    }
                }
            }
        }
        long rows;
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + t.artifactChunks + " WHERE blob = ?")) {
            ps.setLong(1, blob);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                rows = rs.getLong(1);
            }
        }
        if (read != size || rows != chunks) {
            throw new IntegrityException(what + ": its artifact " + digest + " has " + read + " bytes in chunks 0 to "
                    + (chunks - 1) + " of blob " + blob + " in " + t.artifactChunks + " (" + rows + " chunk rows in all), "
                    + size + " recorded");
        }
        Sha256 actual = Sha256.ofDigest(md.digest());
        if (!actual.equals(digest)) {
            throw new IntegrityException(what + ": its artifact's bytes in blob " + blob + " of " + t.artifactChunks
                    + " hash to " + actual + ", not " + digest);
        }
        return read;
    }

    // ---- gc -----------------------------------------------------------------------------------------------

    /**
     * Applies a retention policy, by the filesystem store's rules: deletes the live versions it does not
     * keep (each leaves a tombstone, a change row and an event, as {@link #delete} does), then the artifacts
     * no live version uses, with their chunk rows. A version that an alias points at or would return to, or
     * that a live version of any model names as a lineage parent, is always kept; so is an artifact stored
     * in the last hour (database time: it may belong to a registration in progress).
     *
     * <p>Each tombstone names the actor {@code gc} and the reason {@code retention: keep the last N};
     * {@link #gc(Retention, boolean, ChangeNote)} names the person or job that runs it instead, and says
     * how a collection and registrations on other hosts stay out of each other's way.
     *
     * @param retention which versions to keep
     * @param dryRun when true, nothing is changed and the report lists exactly what would be deleted
     * @return what was, or would be, deleted
     * @throws StoreException when the database fails; the versions and artifacts deleted before stay deleted
     */
    public GcReport gc(Retention retention, boolean dryRun) {
        Objects.requireNonNull(retention, "retention");
        return gc(retention, dryRun, ChangeNote.by("gc").because("retention: keep the last " + retention.keepLast()));
    }

    /**
     * {@link #gc(Retention, boolean)}, with the note each deleted version's tombstone keeps: who ran the
     * collection and why, as for {@link #delete(ModelRef, ChangeNote)}.
     *
     * <p>The plan is made in one read-only snapshot of the database, from every model's change log replayed
     * afresh; a version an alias reaches after the plan was made is not deleted. Collections and
     * registrations on any number of hosts may run at once: a registration locks ({@code FOR KEY SHARE}) the
     * row of the artifact it references in the transaction that commits its version, and stores the bytes
     * again when the row is gone; a collection deletes artifacts in short transactions that lock their rows
     * ({@code FOR UPDATE}) and then, seeing every registration committed before the locks were granted, keep
     * those one references. So no version is ever committed without its artifact. The collection locks no
     * model row, and holds each batch's locks only while it deletes that batch.
     *
     * <pre>{@code
     * GcReport r = store.gc(Retention.keepLast(5), false, ChangeNote.by("nightly-job").because("keep the last 5"));
     * }</pre>
     *
     * @param retention which versions to keep
     * @param dryRun when true, nothing is changed and the report lists exactly what would be deleted
     * @param note who deletes and why, kept in each tombstone
     * @return what was, or would be, deleted
     * @throws StoreException when the database fails; the versions and artifacts deleted before stay deleted
     */
    public GcReport gc(Retention retention, boolean dryRun, ChangeNote note) {
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(note, "note");
        checkOpen();
        return new PostgresGc(this, dataSource, t, lockTimeout).run(retention, dryRun, note);
    }

    /**
     * Replays every model's change log on {@code c} into fresh ledgers, trusting nothing this store has
     * cached, as {@link #verify()} does; for a collection's plan, in its snapshot.
     *
     * @return each model's ledger, by name
     * @throws InvalidFormatException naming the row of a change that cannot be read or does not follow
     */
    Map<String, ModelLedger> replayAll(Connection c) throws SQLException {
        List<ModelState> states = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT model, number, document FROM " + t.changes
                + " ORDER BY model COLLATE \"C\", number")) {
            ps.setFetchSize(FETCH);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String model = rs.getString(1);
                    if (states.isEmpty() || !states.get(states.size() - 1).model.equals(model)) {
                        states.add(new ModelState(model));
                    }
                    replayNumbered(states.get(states.size() - 1), rs.getLong(2), rs.getString(3));
                }
            }
        }
        Map<String, ModelLedger> out = new LinkedHashMap<>();
        states.forEach(s -> out.put(s.model, s.ledger));
        return out;
    }

    /**
     * Deletes a version for a collection, through the normal delete path, unless an alias points at it or
     * would return to it by now.
     *
     * @return whether it was deleted; false when an alias reached it or it was deleted meanwhile
     */
    boolean deleteUnaliased(ModelRef.ByVersion ref, ChangeNote note) {
        try {
            write(ref.model(), false, ledger -> {
                if (ledger.aliasTargets().contains(ref.version())) {
                    throw new ConflictException(ref + " was given an alias meanwhile");
                }
                return ledger.planDelete(ref, note, clock.instant());
            });
            return true;
        } catch (ConflictException | ModelNotFoundException e) {
            return false; // it stays as it now is
        }
    }

    // ---- ModelStore --------------------------------------------------------------------------------------

    /**
     * Checks lineage parents of other models, streams the artifact into chunk rows while hashing it and
     * commits it under its digest (or keeps an identical one stored before), then numbers the version in a
     * second transaction under the model's row lock, which also locks the artifact's row. When a
     * {@linkplain #gc(Retention, boolean, ChangeNote) gc} on another host deleted identical bytes this
     * registration found stored, the row is gone: the artifact is read and stored a second time, and must give
     * the same bytes.
     */
    @Override
    public ModelVersion register(NewVersion request) {
        Objects.requireNonNull(request, "request");
        checkOpen();
        String model = request.model();
        Names.checkModel(model);
        for (ModelRef.ByVersion parent : request.lineage().parents()) {
            if (!parent.model().equals(model) && find(parent).isEmpty()) {
                throw new ModelNotFoundException("lineage parent " + parent + " of a new version of " + model
                        + " is not a live version");
            }
        }
        Stored first = storeArtifact(request);
        Stored stored = first;
        for (int attempt = 1; ; attempt++) {
            Stored s = stored;
            try {
                return write(model, true, c -> {
                    PostgresGc.holdArtifact(c, t, s.digest());
                    return null;
                }, ledger -> ledger.planRegister(request, s.digest(), s.size(), clock.instant())).change().version();
            } catch (PostgresGc.ArtifactCollected e) {
                if (attempt == MAX_ATTEMPTS) {
                    throw new ConcurrentUpdateException("registering a new version of " + model + ": its artifact "
                            + s.digest() + " was deleted by a gc " + MAX_ATTEMPTS + " times after it was stored;"
                            + " nothing was registered");
                }
            }
            // identical bytes were stored, and a gc on another host deleted them before this registration could
            // reference them: store them again, from a second read of the artifact
            LOG.debug("the artifact {} of a new version of {} was collected meanwhile; storing it again",
                    stored.digest(), model);
            stored = storeArtifact(request);
            if (!stored.equals(first)) {
                throw new StoreException("registering a new version of " + model + ": its artifact was deleted by a"
                        + " concurrent gc, and read again it gave other bytes (digest " + stored.digest() + ", "
                        + stored.size() + " bytes; first " + first.digest() + ", " + first.size() + " bytes): an"
                        + " artifact source must give the same bytes each time it is opened; nothing was registered");
            }
        }
    }

    /** An artifact's digest and size, as streamed. */
    private record Stored(Sha256 digest, long size) {
    }

    private Stored storeArtifact(NewVersion request) {
        String model = request.model();
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            boolean committed = false;
            try {
                long blob;
                try (PreparedStatement ps = c.prepareStatement("SELECT nextval(?::regclass)")) {
                    ps.setString(1, t.blobIds);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        blob = rs.getLong(1);
                    }
                }
                MessageDigest md = Sha256.newDigest();
                long size = 0;
                try (InputStream in = request.artifact().openStream();
                        PreparedStatement ps = c.prepareStatement("INSERT INTO " + t.artifactChunks
                                + " (blob, chunk, data) VALUES (?, ?, ?)")) {
                    for (int chunk = 0; ; chunk++) {
                        byte[] data = in.readNBytes(CHUNK);
                        if (data.length == 0) {
                            break;
                        }
                        md.update(data);
                        size += data.length;
                        ps.setLong(1, blob);
                        ps.setInt(2, chunk);
                        ps.setBytes(3, data);
                        ps.executeUpdate();
                        if (data.length < CHUNK) {
                            break;
                        }
                    }
                } catch (IOException e) {
                    throw new StoreException("reading the artifact of a new version of " + model + " into "
                            + t.artifactChunks + " failed", e);
                }
                Sha256 digest = Sha256.ofDigest(md.digest());
                if (request.expectedDigest().isPresent() && !request.expectedDigest().get().constantTimeEquals(digest)) {
                    throw new IntegrityException("artifact of a new version of " + model + " has digest " + digest
                            + ", expected " + request.expectedDigest().get());
                }
                int inserted;
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t.artifacts
                        + " (digest, blob, size) VALUES (?, ?, ?) ON CONFLICT (digest) DO NOTHING")) {
                    ps.setString(1, digest.hex());
                    ps.setLong(2, blob);
                    ps.setLong(3, size);
                    inserted = ps.executeUpdate();
                }
                if (inserted == 1) {
                    c.commit();
                    committed = true;
                }
                // else identical bytes are stored already: this copy is rolled back below
                return new Stored(digest, size);
            } finally {
                // a failure here must not hide the one that ended the transaction (on a broken connection,
                // rollback fails too, and its "connection has been closed" would replace the real cause)
                try {
                    if (!committed) {
                        c.rollback();
                    }
                    c.setAutoCommit(true); // as the pool lent it
                } catch (SQLException e) {
                    LOG.debug("ending the artifact transaction of a new version of {} failed: {}", model,
                            e.getSQLState());
                }
            }
        } catch (SQLException e) {
            throw SqlFailures.store("storing the artifact of a new version of " + model + " in " + t.artifactChunks, e);
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

    /**
     * Resolves once, then opens the bytes of the digest that version records: content-addressed and never
     * rewritten, so the stream is of exactly that version whatever moves meanwhile.
     */
    @Override
    public OpenedVersion openVersion(ModelRef ref) {
        Objects.requireNonNull(ref, "ref");
        ModelVersion v = read(ref.model(), ledger -> ledger.resolveOrThrow(ref));
        long blob;
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement("SELECT blob FROM " + t.artifacts + " WHERE digest = ?")) {
            ps.setString(1, v.digest().hex());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IntegrityException(v.ref() + ": its artifact " + v.digest() + " is missing from "
                            + t.artifacts);
                }
                blob = rs.getLong(1);
            }
        } catch (SQLException e) {
            throw SqlFailures.store("opening the artifact of " + v.ref() + " in " + t.artifacts, e);
        }
        InputStream chunks = new BufferedInputStream(new ChunkStream(blob, v.ref().toString()), 1 << 16);
        return new OpenedVersion(v, new VerifyingInputStream(chunks, v.digest(), v.size(), v.ref().toString()));
    }

    /**
     * An artifact's chunks in order, each fetched when the reader reaches it on a connection held only for
     * that query; it ends at the first chunk missing, and the verifying stream around it judges the size.
     */
    private final class ChunkStream extends InputStream {
        private final long blob;
        private final String what;
        private int next;
        private byte[] current = new byte[0];
        private int position;
        private boolean ended;

        ChunkStream(long blob, String what) {
            this.blob = blob;
            this.what = what;
        }

        private boolean fill() throws IOException {
            while (!ended && position == current.length) {
                try (Connection c = connect();
                        PreparedStatement ps = c.prepareStatement("SELECT data FROM " + t.artifactChunks
                                + " WHERE blob = ? AND chunk = ?")) {
                    ps.setLong(1, blob);
                    ps.setInt(2, next);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            current = rs.getBytes(1);
                            position = 0;
                            next++;
                        } else {
                            ended = true;
                        }
                    }
                } catch (SQLException e) {
                    throw new IOException("reading chunk " + next + " of the artifact of " + what + " from "
                            + t.artifactChunks + " failed" + SqlFailures.describe(e));
                }
            }
            return !ended || position < current.length;
        }

        @Override
        public int read() throws IOException {
            return fill() ? current[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, current.length - position);
            System.arraycopy(current, position, b, off, n);
            position += n;
            return n;
        }
    }

    @Override
    public List<ModelVersion> children(ModelRef.ByVersion parent) {
        Objects.requireNonNull(parent, "parent");
        checkOpen();
        List<ModelVersion> out = new ArrayList<>();
        modelNames().forEach((name, last) -> out.addAll(read(name, last, ledger -> ledger.children(parent))));
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
        modelNames().forEach((name, last) -> read(name, last, ledger -> ledger.listed()
                ? Optional.of(ledger.summary()) : Optional.<ModelSummary>empty()).ifPresent(out::add));
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
        List<ModelVersion> hits = new ArrayList<>();
        if (query.model().isPresent()) {
            hits.addAll(read(query.model().get(), ledger -> ledger.search(query, after, page.size() + 1)));
        } else {
            modelNames().forEach((name, last) -> hits.addAll(read(name, last,
                    ledger -> ledger.search(query, after, page.size() + 1))));
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

    /** Reads the event table: every event any store on these tables has committed, kept for ever. */
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
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement("SELECT sequence, document FROM " + t.events
                        + " WHERE sequence > ? ORDER BY sequence LIMIT ?")) {
            ps.setLong(1, afterSequence);
            ps.setInt(2, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(decodeEvent(rs.getLong(1), rs.getString(2)));
                }
            }
        } catch (SQLException e) {
            throw SqlFailures.store("reading events after " + afterSequence + " from " + t.events, e);
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
     * No connection is held between calls, and the data source is the application's, so there is nothing
     * else to release; the tables stay as they are, for the next store opened on them.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            polling.ifPresent(p -> p.cancel(false));
            models.clear();
        }
    }
}
