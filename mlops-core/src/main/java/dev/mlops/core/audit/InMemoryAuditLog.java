package dev.mlops.core.audit;

import dev.mlops.core.Sha256;
import dev.mlops.core.internal.AuditIndex;
import dev.mlops.core.internal.AuditLogSettings;
import dev.mlops.core.internal.TreeLevels;
import java.security.PrivateKey;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An {@link AuditLog} in memory: for tests, for short-lived processes, and as the reference the kit's
 * other implementations are compared with. Nothing survives the process.
 *
 * <p>It keeps the Merkle tree's nodes as records arrive (a list per level of completed subtree hashes),
 * so {@link #root}, {@link #inclusionProof} and {@link #consistencyProof} for any size read O(log n)
 * stored hashes and never rehash the leaves. {@link #query} serves exact criteria from one posting list
 * per actor, action, target and outcome and a time range by binary search (record times never
 * decrease), so a query reads the shortest matching posting list from its first candidate, not the
 * whole log. The tree and the posting lists are the index every audit log keeps, shared with the
 * file-backed log so that both answer by the same rules.
 *
 * <p>Thread-safe: a read-write lock; appends are serialized, reads run in parallel.
 *
 * <pre>{@code
 * KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
 * InMemoryAuditLog log = InMemoryAuditLog.builder()
 *         .clock(Clock.systemUTC())
 *         .signer(keys.getPrivate(), "example.com/fraud-team/audit")
 *         .build();
 * log.append(AuditEvent.of("alice", "model.register", "fraud-scorer:1"));
 * boolean genuine = log.checkpoint().verify(keys.getPublic());
 * }</pre>
 */
public final class InMemoryAuditLog implements AuditLog {
    /** The origin of a log built without one. */
    public static final String DEFAULT_ORIGIN = "mlops-audit";

    private final InstantSource clock;
    private final String origin;
    private final Optional<PrivateKey> signer;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final List<AuditRecord> records = new ArrayList<>();
    private final AuditIndex index = new AuditIndex();
    private volatile boolean closed;

    private InMemoryAuditLog(Builder b) {
        clock = b.settings.clock();
        origin = b.settings.origin();
        signer = b.settings.signer();
    }

    /** @return a builder: system clock, unsigned, origin {@value #DEFAULT_ORIGIN} */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public AuditRecord append(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        lock.writeLock().lock();
        try {
            checkOpen();
            index.checkRoom();
            Instant now = Objects.requireNonNull(clock.instant(), "the clock returned null");
            if (!records.isEmpty() && now.isBefore(records.get(records.size() - 1).at())) {
                now = records.get(records.size() - 1).at();
            }
            AuditRecord r = new AuditRecord(records.size(), now, event);
            index.add(r, TreeLevels.leafHash(r.canonicalBytes()));
            records.add(r);
            return r;
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public long size() {
        lock.readLock().lock();
        try {
            checkOpen();
            return records.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<AuditRecord> read(long fromIndex, int max) {
        if (fromIndex < 0) {
            throw new IllegalArgumentException("fromIndex must be >= 0, was " + fromIndex);
        }
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1, was " + max);
        }
        lock.readLock().lock();
        try {
            checkOpen();
            if (fromIndex >= records.size()) {
                return List.of();
            }
            int from = (int) fromIndex;
            return List.copyOf(records.subList(from, (int) Math.min(records.size(), (long) from + max)));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Sha256 root(long size) {
        lock.readLock().lock();
        try {
            checkOpen();
            return index.root(size);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<Sha256> inclusionProof(long index, long size) {
        lock.readLock().lock();
        try {
            checkOpen();
            return this.index.inclusionProof(index, size);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<Sha256> consistencyProof(long oldSize, long newSize) {
        lock.readLock().lock();
        try {
            checkOpen();
            return index.consistencyProof(oldSize, newSize);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Checkpoint checkpoint() {
        long size;
        Sha256 root;
        lock.readLock().lock();
        try {
            checkOpen();
            size = records.size();
            root = index.root(size);
        } finally {
            lock.readLock().unlock();
        }
        Instant at = Objects.requireNonNull(clock.instant(), "the clock returned null");
        return signer.map(k -> Checkpoint.signed(origin, size, root, at, k))
                .orElseGet(() -> Checkpoint.unsigned(origin, size, root, at));
    }

    @Override
    public AuditVerification verify() {
        lock.readLock().lock();
        try {
            checkOpen();
            return verifyLocked();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Each record against the index's tree, in one pass ({@link AuditIndex.Verifier}). */
    private AuditVerification verifyLocked() {
        long n = records.size();
        if (index.size() != n) {
            return AuditVerification.failed(Math.min(n, index.size()), "the tree holds " + index.size()
                    + " leaves for " + n + " records");
        }
        AuditIndex.Verifier v = index.verifier();
        for (AuditRecord r : records) {
            v.next(r, TreeLevels.leafHash(r.canonicalBytes()));
        }
        return v.result();
    }

    @Override
    public List<AuditRecord> query(AuditQuery q) {
        Objects.requireNonNull(q, "query");
        lock.readLock().lock();
        try {
            checkOpen();
            List<AuditRecord> out = new ArrayList<>();
            for (long i : index.query(q, records.size())) {
                out.add(records.get((int) i));
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "InMemoryAuditLog[origin=" + origin + ", signed=" + signer.isPresent() + "]";
    }

    /**
     * Replaces record {@code index} with one whose actor differs, keeping the stored leaf hash: the
     * kit's corruption seam, as a flipped byte on disk would be.
     */
    void corruptForTest(long index) {
        lock.writeLock().lock();
        try {
            AuditRecord r = records.get((int) index);
            AuditEvent e = r.event();
            records.set((int) index, new AuditRecord(r.index(), r.at(),
                    new AuditEvent(e.actor().equals("mallory") ? "trudy" : "mallory", e.action(), e.target(), e.outcome(), e.details())));
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Overwrites a stored tree node, for tests of {@link #verify()}. */
    void corruptNodeForTest(int level, long position) {
        lock.writeLock().lock();
        try {
            index.setNodeForTest(level, position, Sha256.ofUtf8("corrupt"));
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("audit log is closed");
        }
    }

    /** Builds an {@link InMemoryAuditLog}; each setting may be given once. Not thread-safe. */
    public static final class Builder {
        private final AuditLogSettings settings = new AuditLogSettings(DEFAULT_ORIGIN);

        private Builder() {
        }

        /**
         * @param clock the only source of record and checkpoint times
         * @return this
         */
        public Builder clock(InstantSource clock) {
            settings.clock(clock);
            return this;
        }

        /**
         * @param origin the log's name in its checkpoints (see {@link Checkpoint})
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

        /** @return the log */
        public InMemoryAuditLog build() {
            return new InMemoryAuditLog(this);
        }
    }
}
