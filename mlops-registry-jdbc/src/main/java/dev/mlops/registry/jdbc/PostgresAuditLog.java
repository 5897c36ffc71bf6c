package dev.mlops.registry.jdbc;

import dev.mlops.core.ConcurrentUpdateException;
import dev.mlops.core.IntegrityException;
import dev.mlops.core.InvalidFormatException;
import dev.mlops.core.Sha256;
import dev.mlops.core.StoreException;
import dev.mlops.core.audit.AuditEvent;
import dev.mlops.core.audit.AuditLog;
import dev.mlops.core.audit.AuditQuery;
import dev.mlops.core.audit.AuditRecord;
import dev.mlops.core.audit.AuditVerification;
import dev.mlops.core.audit.Checkpoint;
import dev.mlops.core.audit.InMemoryAuditLog;
import dev.mlops.core.internal.AuditIndex;
import dev.mlops.core.internal.AuditLogSettings;
import dev.mlops.core.internal.TreeLevels;
import java.security.PrivateKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link AuditLog} in PostgreSQL, for hosts that share a database: every host appends to one log, in
 * one total order, and a log opened on any host sees every record committed before. It connects through
 * the application's {@link DataSource} and creates or migrates its tables on first use (schema version
 * 2, the same migrations as {@link PostgresModelStore}'s, so that a store and a log share a schema and
 * prefix).
 *
 * <pre>{@code
 * DataSource pool = ...;   // the application's, e.g. a HikariCP pool on jdbc:postgresql://db/registry
 * try (PostgresAuditLog log = PostgresAuditLog.builder(pool).schema("mlops")
 *         .signer(keys.getPrivate(), "example.com/fraud-team/audit")
 *         .build()) {
 *     AuditRecord r = log.append(AuditEvent.of("alice", "model.delete", "fraud-scorer:3"));
 *     Checkpoint c = log.checkpoint();          // publish it elsewhere
 *     AuditVerification v = log.verify();       // re-reads every row
 * }
 * }</pre>
 *
 * <h2>Tables</h2>
 * Named with the {@linkplain Builder#tablePrefix prefix} (default {@code mlops_}), in the
 * {@linkplain Builder#schema schema} when one is given:
 * <pre>
 * mlops_audit_head     (id = 1, size, last_second, last_nano)     the record count and the last record's time
 * mlops_audit_records  (idx, record, leaf_hash, actor, action,    one row per record: its canonical bytes
 *                       target, outcome, at_second, at_nano,      ({@link AuditRecord}, the Merkle leaf), their
 *                       committed_at)                             leaf hash, and the fields queries select on
 * </pre>
 * The records are byte for byte those of {@link InMemoryAuditLog} and the filesystem log for the same
 * events at the same clock readings, so the roots, proofs and checkpoints agree with theirs.
 *
 * <h2>Appending</h2>
 * An append is one transaction: lock the head row ({@code SELECT ... FOR UPDATE}), read the clock (a
 * time before the last record's is raised to it, so times never decrease along the indexes), insert the
 * record's row as index {@code size}, set the head to {@code size + 1} and the new time, commit. The head
 * row's lock is held to the commit, so indexes are dense from 0 across any number of hosts, commit order
 * is index order, and a record is in the log exactly when its row is committed. A failing clock or
 * statement rolls everything back. A transaction the database aborts as a deadlock or serialization
 * failure runs again, up to {@value #MAX_ATTEMPTS} times, then fails with
 * {@link ConcurrentUpdateException}; a lock not granted within the {@linkplain Builder#lockTimeout lock
 * timeout} fails with a {@link StoreException}; so does any other SQL failure, with the SQLState and
 * the driver's message, URLs and passwords cut out. A commit whose outcome the connection did not report
 * (it broke during the commit) fails with a {@link StoreException} though the record may be in the log.
 * Every statement is parameterised; the only names built into statements, the schema and prefix, are
 * checked against {@code [a-z_][a-z0-9_]*}.
 *
 * <h2>Reading, proofs, queries</h2>
 * The log keeps the Merkle tree's levels in memory (the core's shared audit index, about 100 bytes a
 * record), loaded from the {@code leaf_hash} column when the log is built and brought up to date by
 * reading only the rows after the last one it holds (one indexed query, empty when nothing changed):
 * before {@link #size()}, {@link #read}, {@link #query}, {@link #checkpoint()} and {@link #verify()}, after
 * each append, and before a root or proof for a size beyond the ones it holds. So roots and proofs read
 * O(log n) stored hashes and no record. {@link #read} and {@link #query} fetch the rows asked for (a
 * query selects with SQL {@code WHERE} on the indexed columns, never by reading every row) and check
 * each record's bytes against the tree, failing with an {@link IntegrityException} when a row was changed
 * after it was written.
 *
 * <h2>Verifying</h2>
 * {@link #verify()} reads every row in index order and recomputes each leaf from the stored bytes and
 * every tree node above it: a row missing, bytes that do not decode or do not hash to the leaf stored
 * with them or to the tree's leaf, query columns that disagree with the bytes, an index out of place,
 * a time before the previous record's, or a head row that counts more records than there are rows,
 * each names the first bad index and why. An edit that rewrites a row's bytes, its leaf hash and every
 * later root consistently is beyond what the rows alone can show: compare {@code root(c.size())} with a
 * {@link Checkpoint} {@code c} kept elsewhere.
 *
 * <h2>Concurrency</h2>
 * Thread-safe: the appends of one log take turns under a lock in this process (so each log holds at most
 * one connection waiting on the head row), and the database orders the appends of all hosts; the
 * in-memory tree is guarded by a read-write lock, and one refresh at a time adds rows to it, reading
 * them outside that lock. A thread holds at most one connection at a time. The library starts no
 * threads. {@link #close()} refuses later calls; appends already in their transaction finish.
 */
public final class PostgresAuditLog implements AuditLog {
    /** The origin of a log built without one. */
    public static final String DEFAULT_ORIGIN = InMemoryAuditLog.DEFAULT_ORIGIN;
    /** The most times an append aborted as a deadlock or serialization failure is run. */
    public static final int MAX_ATTEMPTS = 5;

    private static final Logger LOG = LoggerFactory.getLogger(PostgresAuditLog.class);
    /** Rows fetched per round trip, and added to the tree per hold of its lock, when reading many. */
    private static final int BATCH = 4096;
    /** The length of a SHA-256 hash. */
    private static final int HASH_BYTES = 32;
    /**
     * What the in-memory index is given for each record: it serves the tree and the verifier only, since
     * queries run in SQL, so one placeholder keeps its term tables from holding every actor and target.
     */
    private static final AuditEvent PLACEHOLDER = AuditEvent.of("-", "-", "");

    private final DataSource dataSource;
    private final Tables t;
    private final InstantSource clock;
    private final String origin;
    private final Optional<PrivateKey> signer;
    private final Duration lockTimeout;
    /** The tree of every record this log has read, a dense prefix of the table. Guarded by {@link #lock}. */
    private final AuditIndex index = new AuditIndex();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** One refresh at a time: the only writer of {@link #index}. */
    private final ReentrantLock refreshing = new ReentrantLock();
    /** One append transaction of this log at a time. */
    private final ReentrantLock appending = new ReentrantLock();
    private volatile boolean closed;

    private PostgresAuditLog(Builder b) {
        this.dataSource = b.dataSource;
        this.t = new Tables(b.schema, b.tablePrefix);
        this.clock = b.settings.clock();
        this.origin = b.settings.origin();
        this.signer = b.settings.signer();
        this.lockTimeout = b.lockTimeout;
        Migrations.migrate(dataSource, t, b.createTables);
        long head = headSize();
        refresh();
        long loaded = held();
        if (loaded < head) {
            throw new IntegrityException("the audit log's head row in " + t.auditHead + " counts " + head
                    + " records, but " + t.auditRecords + " holds rows 0 to " + (loaded - 1) + " only: record "
                    + loaded + " is missing");
        }
    }

    /**
     * Opens the log on the application's database, creating its tables (prefix {@code mlops_}, in the
     * connection's default schema) when they are missing; system clock, unsigned, origin
     * {@value #DEFAULT_ORIGIN}, 10 second lock timeout.
     *
     * @param dataSource the application's connections; the log never closes it
     * @return the log
     * @throws StoreException when the database cannot be reached, or its tables are of a newer schema version
     * @throws IntegrityException when a record's row is missing
     */
    public static PostgresAuditLog open(DataSource dataSource) {
        return builder(dataSource).build();
    }

    /**
     * @param dataSource the application's connections; the log never closes it
     * @return a builder for a log with other options
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /** Options for a {@link PostgresAuditLog}. Not thread-safe; setting an option twice fails fast. */
    public static final class Builder {
        private final DataSource dataSource;
        private final AuditLogSettings settings = new AuditLogSettings(DEFAULT_ORIGIN);
        private Optional<String> schema = Optional.empty();
        private String tablePrefix = "mlops_";
        private boolean tablePrefixSet;
        private Duration lockTimeout = Duration.ofSeconds(10);
        private boolean lockTimeoutSet;
        private boolean createTables = true;

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
         * @param prefix put before each table's name (default {@code mlops_}, as the model store's); lower-case
         *     letters, digits and {@code _}, not starting with a digit, at most {@value Tables#MAX_PREFIX}
         *     characters, or empty
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
         * @param clock the only source of record and checkpoint times (default: the system clock)
         * @return this
         */
        public Builder clock(InstantSource clock) {
            settings.clock(clock);
            return this;
        }

        /**
         * @param origin the log's name in its checkpoints (see {@link Checkpoint}; default {@value #DEFAULT_ORIGIN})
         * @return this
         */
        public Builder origin(String origin) {
            settings.origin(origin);
            return this;
        }

        /**
         * Signs every checkpoint with {@code key}.
         *
         * @param key an Ed25519 private key
         * @param origin the log's name in its checkpoints
         * @return this
         * @throws IllegalArgumentException when the key cannot sign Ed25519
         */
        public Builder signer(PrivateKey key, String origin) {
            settings.signer(key, origin);
            return this;
        }

        /**
         * @param timeout how long an append waits for the log's lock, in this process or in the database,
         *     before it fails with a {@link StoreException}; positive (default 10 seconds)
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
         * Opens only a log whose tables exist: {@link #build()} fails with a {@link StoreException} naming
         * the schema and prefix when they are missing, and creates nothing, so that a mistyped schema or
         * prefix is never read as an empty log (nor becomes one). Tables of an older schema version are still
         * migrated. Without this, missing tables (and a missing schema) are created.
         *
         * <pre>{@code
         * PostgresAuditLog log = PostgresAuditLog.builder(pool).schema("mlops").requireExisting().build();
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
         * @return the log, its tables created or migrated and its tree loaded
         * @throws StoreException when the database cannot be reached, its tables are of a newer schema
         *     version than this library knows, or they are missing and {@link #requireExisting()} was set
         * @throws IntegrityException when a record's row is missing
         */
        public PostgresAuditLog build() {
            return new PostgresAuditLog(this);
        }
    }

    // ---- appending ---------------------------------------------------------------------------------------

    @Override
    public AuditRecord append(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        checkOpen();
        AuditRecord r;
        lockAppends();
        try {
            r = insert(event);
        } finally {
            appending.unlock();
        }
        try {
            refresh();
        } catch (RuntimeException e) {
            // the record is committed: answer it; the next call reads the rows again and reports what it finds
            LOG.warn("audit log ({}): record {} is committed, but reading the rows back failed: {}", t.describe(),
                    r.index(), e.toString());
        }
        return r;
    }

    private void lockAppends() {
        try {
            if (!appending.tryLock(lockTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new StoreException("timed out after " + lockTimeout + " waiting to append to the audit log ("
                        + t.describe() + ") behind another thread of this process; nothing was written");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting to append to the audit log (" + t.describe()
                    + "); nothing was written");
        }
    }

    private AuditRecord insert(AuditEvent event) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                return insertOnce(c, event);
            } catch (SQLException e) {
                if (SqlFailures.retryable(e) && attempt < MAX_ATTEMPTS) {
                    pause(attempt);
                    continue;
                }
                if (SqlFailures.retryable(e)) {
                    throw new ConcurrentUpdateException("appending to the audit log (" + t.describe() + ") was aborted"
                            + " by the database " + MAX_ATTEMPTS + " times" + SqlFailures.describe(e)
                            + "; nothing was written");
                }
                if (SqlFailures.lockTimeout(e)) {
                    throw new StoreException("timed out after " + lockTimeout + " waiting for the lock of "
                            + t.auditHead + " (held by another connection); nothing was written");
                }
                throw SqlFailures.store("appending to the audit log (" + t.describe() + ")", e);
            }
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 1L + (5L << attempt)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting to run an aborted append again; nothing was written");
        }
    }

    private AuditRecord insertOnce(Connection c, AuditEvent event) throws SQLException {
        c.setAutoCommit(false);
        boolean committed = false;
        try {
            try (PreparedStatement ps = c.prepareStatement("SELECT set_config('lock_timeout', ?, true)")) {
                ps.setString(1, lockTimeout.toMillis() + "ms");
                ps.execute();
            }
            long size;
            Instant last;
            try (PreparedStatement ps = c.prepareStatement("SELECT size, last_second, last_nano FROM " + t.auditHead
                    + " WHERE id = 1 FOR UPDATE")) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new StoreException(t.auditHead + " has no row; nothing was written");
                    }
                    size = rs.getLong(1);
                    long second = rs.getLong(2);
                    last = rs.wasNull() ? null : Instant.ofEpochSecond(second, rs.getInt(3));
                }
            }
            if (size >= AuditIndex.MAX_RECORDS) {
                throw new IllegalStateException("an audit log holds at most " + AuditIndex.MAX_RECORDS + " records");
            }
            // read under the head row's lock, so that the times of all hosts' records never decrease
            Instant now = Objects.requireNonNull(clock.instant(), "the clock returned null");
            if (last != null && now.isBefore(last)) {
                now = last;
            }
            AuditRecord r = new AuditRecord(size, now, event);
            byte[] bytes = r.canonicalBytes();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t.auditRecords + " (idx, record, leaf_hash,"
                    + " actor, action, target, outcome, at_second, at_nano) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setLong(1, r.index());
                ps.setBytes(2, bytes);
                ps.setBytes(3, TreeLevels.leafHash(bytes));
                ps.setString(4, event.actor());
                ps.setString(5, event.action());
                ps.setString(6, event.target());
                ps.setString(7, event.outcome().name());
                ps.setLong(8, now.getEpochSecond());
                ps.setInt(9, now.getNano());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.auditHead
                    + " SET size = ?, last_second = ?, last_nano = ? WHERE id = 1")) {
                ps.setLong(1, size + 1);
                ps.setLong(2, now.getEpochSecond());
                ps.setInt(3, now.getNano());
                ps.executeUpdate();
            }
            c.commit();
            committed = true;
            return r;
        } finally {
            // a failure here must not hide the one that ended the transaction (on a broken connection,
            // setAutoCommit fails too, and its "connection has been closed" would replace the real cause), nor
            // turn a committed append into a failed one
            try {
                if (!committed) {
                    c.rollback();
                }
                c.setAutoCommit(true); // as the pool lent it
            } catch (SQLException e) {
                LOG.debug("ending an audit append's transaction failed{}", SqlFailures.describe(e));
            }
        }
    }

    // ---- the in-memory tree ------------------------------------------------------------------------------

    /** @return how many records the tree holds */
    private long held() {
        lock.readLock().lock();
        try {
            return index.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** @return the head row's record count */
    private long headSize() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT size FROM " + t.auditHead + " WHERE id = 1");
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new IntegrityException(t.auditHead + " has no row: the audit log's tables were changed outside"
                        + " this library");
            }
            return rs.getLong(1);
        } catch (SQLException e) {
            throw SqlFailures.store("reading the audit log's head row (" + t.describe() + ")", e);
        }
    }

    /**
     * Adds the rows committed after the last one the tree holds, by any host, to the tree. Rows are
     * committed in index order, so those visible form a dense prefix; a gap means a row was deleted.
     *
     * @throws IntegrityException when a row is missing or its leaf hash malformed; the rows before it are added
     */
    private void refresh() {
        refreshing.lock();
        try (Connection c = dataSource.getConnection()) {
            long next = held();
            c.setAutoCommit(false); // so that the driver fetches the rows in batches through a cursor
            try (PreparedStatement ps = c.prepareStatement("SELECT idx, leaf_hash FROM " + t.auditRecords
                    + " WHERE idx >= ? ORDER BY idx")) {
                ps.setFetchSize(BATCH);
                ps.setLong(1, next);
                try (ResultSet rs = ps.executeQuery()) {
                    List<byte[]> batch = new ArrayList<>();
                    try {
                        while (rs.next()) {
                            long i = rs.getLong(1);
                            byte[] leaf = rs.getBytes(2);
                            long expected = next + batch.size();
                            if (i != expected) {
                                throw new IntegrityException(t.auditRecords + " holds no row for record " + expected
                                        + " (the next row is record " + i + "): a row was deleted");
                            }
                            if (leaf.length != HASH_BYTES) {
                                throw new IntegrityException("record " + i + " in " + t.auditRecords + " has a leaf hash of "
                                        + leaf.length + " bytes, not " + HASH_BYTES);
                            }
                            batch.add(leaf);
                            if (batch.size() == BATCH) {
                                next = add(next, batch);
                                batch.clear();
                            }
                        }
                    } finally {
                        add(next, batch);
                    }
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw SqlFailures.store("reading the audit log's records (" + t.describe() + ")", e);
        } finally {
            refreshing.unlock();
        }
    }

    /** Adds leaves {@code first, first + 1, ...} to the tree; called by the one refresh running. */
    private long add(long first, List<byte[]> leaves) {
        lock.writeLock().lock();
        try {
            for (int k = 0; k < leaves.size(); k++) {
                index.add(new AuditRecord(first + k, Instant.EPOCH, PLACEHOLDER), leaves.get(k));
            }
            return index.size();
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ---- reading -----------------------------------------------------------------------------------------

    @Override
    public long size() {
        checkOpen();
        refresh();
        return held();
    }

    @Override
    public List<AuditRecord> read(long fromIndex, int max) {
        if (fromIndex < 0) {
            throw new IllegalArgumentException("fromIndex must be >= 0, was " + fromIndex);
        }
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1, was " + max);
        }
        checkOpen();
        refresh();
        long n = held();
        if (fromIndex >= n) {
            return List.of();
        }
        long to = Math.min(n, fromIndex + max);
        List<AuditRecord> out = select("SELECT idx, record FROM " + t.auditRecords + " WHERE idx >= ? AND idx < ?"
                + " ORDER BY idx", List.of(fromIndex, to), "reading records " + fromIndex + " to " + (to - 1));
        if (out.size() != to - fromIndex) {
            long missing = fromIndex;
            for (AuditRecord r : out) {
                if (r.index() != missing) {
                    break;
                }
                missing++;
            }
            throw new IntegrityException(t.auditRecords + " holds no row for record " + missing
                    + ": a row was deleted; verify() names the first record affected");
        }
        return out;
    }

    @Override
    public List<AuditRecord> query(AuditQuery q) {
        Objects.requireNonNull(q, "query");
        checkOpen();
        refresh();
        long n = held();
        StringBuilder sql = new StringBuilder("SELECT idx, record FROM " + t.auditRecords + " WHERE idx >= ? AND idx < ?");
        List<Object> args = new ArrayList<>(List.of(q.fromIndex(), n));
        q.actor().ifPresent(v -> {
            sql.append(" AND actor = ?");
            args.add(v);
        });
        q.action().ifPresent(v -> {
            sql.append(" AND action = ?");
            args.add(v);
        });
        q.target().ifPresent(v -> {
            sql.append(" AND target = ?");
            args.add(v);
        });
        q.outcome().ifPresent(v -> {
            sql.append(" AND outcome = ?");
            args.add(v.name());
        });
        q.from().ifPresent(v -> {
            sql.append(" AND (at_second, at_nano) >= (?, ?)");
            args.add(v.getEpochSecond());
            args.add(v.getNano());
        });
        q.until().ifPresent(v -> {
            sql.append(" AND (at_second, at_nano) < (?, ?)");
            args.add(v.getEpochSecond());
            args.add(v.getNano());
        });
        sql.append(" ORDER BY idx LIMIT ?");
        args.add(q.limit());
        List<AuditRecord> out = select(sql.toString(), args, "querying");
        for (AuditRecord r : out) {
            if (!q.matches(r)) {
                throw new IntegrityException("record " + r.index() + " in " + t.auditRecords + " was selected by "
                        + q + ", but its bytes do not match it: its columns were changed after it was written;"
                        + " verify() names the first record affected");
            }
        }
        return out;
    }

    /**
     * Runs a select of {@code (idx, record)} rows, decodes each record and checks it against the tree.
     *
     * @param what what is being read, for messages
     */
    private List<AuditRecord> select(String sql, List<?> args, String what) {
        List<AuditRecord> out = new ArrayList<>();
        List<byte[]> leaves = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int k = 0; k < args.size(); k++) {
                Object a = args.get(k);
                if (a instanceof Long l) {
                    ps.setLong(k + 1, l);
                } else if (a instanceof Integer i) {
                    ps.setInt(k + 1, i);
                } else {
                    ps.setString(k + 1, (String) a);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long i = rs.getLong(1);
                    byte[] bytes = rs.getBytes(2);
                    AuditRecord r;
                    try {
                        r = AuditRecord.fromCanonicalBytes(bytes);
                    } catch (InvalidFormatException e) {
                        throw new IntegrityException("record " + i + " in " + t.auditRecords + " does not decode: "
                                + e.getMessage() + "; verify() names the first record affected");
                    }
                    if (r.index() != i) {
                        throw new IntegrityException("the row of record " + i + " in " + t.auditRecords + " holds record "
                                + r.index() + "; verify() names the first record affected");
                    }
                    out.add(r);
                    leaves.add(TreeLevels.leafHash(bytes));
                }
            }
        } catch (SQLException e) {
            throw SqlFailures.store(what + " of the audit log (" + t.describe() + ")", e);
        }
        lock.readLock().lock();
        try {
            for (int k = 0; k < out.size(); k++) {
                if (!index.leafHashEquals(out.get(k).index(), leaves.get(k))) {
                    throw new IntegrityException("record " + out.get(k).index() + " in " + t.auditRecords + " no longer"
                            + " matches the log's Merkle tree: its row changed after it was written; verify() names the"
                            + " first record affected");
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        return out;
    }

    // ---- roots, proofs, checkpoints ----------------------------------------------------------------------

    /** Refreshes when {@code size} is beyond the records held, then checks it is a size the log has had. */
    private void checkSize(String what, long size) {
        checkOpen();
        if (size > held()) {
            refresh();
        }
        long n = held();
        if (size < 0 || size > n) {
            throw new IllegalArgumentException(what + " must be in [0, " + n + "], was " + size);
        }
    }

    @Override
    public Sha256 root(long size) {
        checkSize("size", size);
        lock.readLock().lock();
        try {
            return index.root(size);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<Sha256> inclusionProof(long index, long size) {
        checkSize("size", size);
        lock.readLock().lock();
        try {
            return this.index.inclusionProof(index, size);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<Sha256> consistencyProof(long oldSize, long newSize) {
        checkSize("newSize", newSize);
        lock.readLock().lock();
        try {
            return index.consistencyProof(oldSize, newSize);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Checkpoint checkpoint() {
        checkOpen();
        refresh();
        long size;
        Sha256 root;
        lock.readLock().lock();
        try {
            size = index.size();
            root = index.root(size);
        } finally {
            lock.readLock().unlock();
        }
        Instant at = Objects.requireNonNull(clock.instant(), "the clock returned null");
        return signer.map(k -> Checkpoint.signed(origin, size, root, at, k))
                .orElseGet(() -> Checkpoint.unsigned(origin, size, root, at));
    }

    // ---- verifying ---------------------------------------------------------------------------------------

    /** A verdict on one row read back: a record and its recomputed leaf, or a problem. */
    private record Checked(AuditRecord record, byte[] leafHash, String problem) {
    }

    /**
     * Reads every row of the records the log holds, in index order, and checks each: its bytes decode, hash
     * to the leaf stored with them and to the tree's leaf, agree with the query columns, sit at their
     * index, and keep time from decreasing; and every tree node above them
     * ({@link AuditIndex.Verifier}). Rows committed by any host up to its start are checked.
     */
    @Override
    public AuditVerification verify() {
        checkOpen();
        long head = headSize();
        String unloadable = null;
        try {
            refresh();
        } catch (IntegrityException e) {
            unloadable = e.getMessage();
        }
        long n;
        AuditIndex.Verifier v;
        lock.readLock().lock();
        try {
            n = index.size();
            v = index.verifier();
        } finally {
            lock.readLock().unlock();
        }
        List<Checked> batch = new ArrayList<>();
        long expected = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("SELECT idx, record, leaf_hash, actor, action, target, outcome,"
                    + " at_second, at_nano FROM " + t.auditRecords + " WHERE idx < ? ORDER BY idx")) {
                ps.setFetchSize(BATCH);
                ps.setLong(1, n);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long i = rs.getLong(1);
                        for (; expected < i; expected++) {
                            batch.add(new Checked(null, null, "no row in " + t.auditRecords + ": it was deleted"));
                        }
                        batch.add(check(rs, i));
                        expected++;
                        if (batch.size() >= BATCH) {
                            feed(v, batch);
                            batch.clear();
                        }
                    }
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw SqlFailures.store("verifying the audit log (" + t.describe() + ")", e);
        }
        for (; expected < n; expected++) {
            batch.add(new Checked(null, null, "no row in " + t.auditRecords + ": it was deleted"));
        }
        feed(v, batch);
        if (unloadable != null) {
            v.problem(n, unloadable);
        } else if (head > n) {
            v.problem(n, "record " + n + ": " + t.auditHead + " counts " + head + " records, but " + t.auditRecords
                    + " holds rows up to record " + (n - 1) + " only: the rows after it were deleted");
        }
        return v.result();
    }

    private Checked check(ResultSet rs, long i) throws SQLException {
        byte[] bytes = rs.getBytes(2);
        byte[] stored = rs.getBytes(3);
        AuditRecord r;
        try {
            r = AuditRecord.fromCanonicalBytes(bytes);
        } catch (InvalidFormatException e) {
            return new Checked(null, null, "its bytes in " + t.auditRecords + " do not decode: " + e.getMessage());
        }
        byte[] leaf = TreeLevels.leafHash(bytes);
        if (!Arrays.equals(leaf, stored)) {
            return new Checked(null, null, "its bytes in " + t.auditRecords + " do not hash to the leaf hash stored with"
                    + " them: the row was changed after it was written");
        }
        AuditEvent e = r.event();
        List<String> differ = new ArrayList<>();
        if (r.index() == i) {
            addIfDiffer(differ, "actor", e.actor(), rs.getString(4));
            addIfDiffer(differ, "action", e.action(), rs.getString(5));
            addIfDiffer(differ, "target", e.target(), rs.getString(6));
            addIfDiffer(differ, "outcome", e.outcome().name(), rs.getString(7));
            if (r.at().getEpochSecond() != rs.getLong(8) || r.at().getNano() != rs.getInt(9)) {
                differ.add("at_second/at_nano");
            }
        }
        if (!differ.isEmpty()) {
            return new Checked(null, null, "its " + String.join(", ", differ) + " column" + (differ.size() > 1 ? "s" : "")
                    + " in " + t.auditRecords + " differ from its bytes: the row was changed after it was written");
        }
        return new Checked(r, leaf, null);
    }

    private static void addIfDiffer(List<String> differ, String column, String expected, String actual) {
        if (!expected.equals(actual)) {
            differ.add(column);
        }
    }

    private void feed(AuditIndex.Verifier v, List<Checked> batch) {
        lock.readLock().lock();
        try {
            for (Checked c : batch) {
                if (c.problem() != null) {
                    v.unreadable(c.problem());
                } else {
                    v.next(c.record(), c.leafHash());
                }
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    // ---- closing -----------------------------------------------------------------------------------------

    /**
     * Refuses later calls with {@link IllegalStateException}; closing twice is harmless. No connection is
     * held between calls, and the data source is the application's, so there is nothing else to release;
     * the tables stay as they are, for the next log opened on them.
     */
    @Override
    public void close() {
        closed = true;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("audit log (" + t.describe() + ") is closed");
        }
    }

    @Override
    public String toString() {
        return "PostgresAuditLog[" + t.describe() + ", origin=" + origin + ", signed=" + signer.isPresent() + "]";
    }
}
