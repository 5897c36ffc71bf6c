package dev.mlops.core.audit;

import dev.mlops.core.Sha256;
import java.security.PrivateKey;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongPredicate;

/**
 * An {@link AuditLog} in memory: for tests, for short-lived processes, and as the reference the kit's
 * other implementations are compared with. Nothing survives the process.
 *
 * <p>It keeps the Merkle tree's nodes as records arrive (a list per level of completed subtree hashes),
 * so {@link #root}, {@link #inclusionProof} and {@link #consistencyProof} for any size read O(log n)
 * stored hashes and never rehash the leaves. {@link #query} serves exact criteria from one posting list
 * per actor, action, target and outcome and a time range by binary search (record times never
 * decrease), so a query reads the shortest matching posting list from its first candidate, not the
 * whole log.
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
    private final TreeLevels tree = new TreeLevels();
    private final Map<String, Postings> byActor = new HashMap<>();
    private final Map<String, Postings> byAction = new HashMap<>();
    private final Map<String, Postings> byTarget = new HashMap<>();
    private final Map<AuditEvent.Outcome, Postings> byOutcome = new EnumMap<>(AuditEvent.Outcome.class);
    private volatile boolean closed;

    private InMemoryAuditLog(Builder b) {
        clock = b.clock;
        origin = b.origin;
        signer = Optional.ofNullable(b.key);
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
            if (records.size() == Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("an in-memory audit log holds at most " + records.size() + " records");
            }
            Instant now = Objects.requireNonNull(clock.instant(), "the clock returned null");
            if (!records.isEmpty() && now.isBefore(records.get(records.size() - 1).at())) {
                now = records.get(records.size() - 1).at();
            }
            AuditRecord r = new AuditRecord(records.size(), now, event);
            Sha256 leaf = r.leafHash();
            records.add(r);
            tree.append(leaf);
            int i = (int) r.index();
            byActor.computeIfAbsent(event.actor(), k -> new Postings()).add(i);
            byAction.computeIfAbsent(event.action(), k -> new Postings()).add(i);
            byTarget.computeIfAbsent(event.target(), k -> new Postings()).add(i);
            byOutcome.computeIfAbsent(event.outcome(), k -> new Postings()).add(i);
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
            return tree.root(size);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<Sha256> inclusionProof(long index, long size) {
        lock.readLock().lock();
        try {
            checkOpen();
            return List.copyOf(tree.inclusionProof(index, size));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<Sha256> consistencyProof(long oldSize, long newSize) {
        lock.readLock().lock();
        try {
            checkOpen();
            return List.copyOf(tree.consistencyProof(oldSize, newSize));
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
            size = tree.size();
            root = tree.root(size);
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

    /**
     * One pass, O(log n) memory: each record against its stored leaf hash, each stored node against the
     * hash of its stored children as the block under it completes. A node that disagrees with its children
     * is reported only when its children agree with theirs: a changed node also makes its parent disagree,
     * and the parent is not what changed. The smallest first index of a bad record or node wins.
     */
    private AuditVerification verifyLocked() {
        long n = records.size();
        if (tree.size() != n) {
            return AuditVerification.failed(Math.min(n, tree.size()), "the tree holds " + tree.size()
                    + " leaves for " + n + " records");
        }
        long bad = Long.MAX_VALUE;
        String problem = "";
        boolean[] leftFailed = new boolean[64];
        Instant previous = Instant.MIN;
        for (int i = 0; i < n; i++) {
            AuditRecord r = records.get(i);
            String p = null;
            if (r.index() != i) {
                p = "record at position " + i + " says index " + r.index();
            } else if (r.at().isBefore(previous)) {
                p = "time " + r.at() + " is before the previous record's " + previous;
            } else if (!r.leafHash().constantTimeEquals(tree.node(0, i))) {
                p = "record bytes do not match the stored leaf hash";
            }
            previous = r.at();
            if (p != null && i < bad) {
                bad = i;
                problem = "record " + i + ": " + p;
            }
            boolean failed = p != null;
            long pos = i;
            int h = 0;
            while ((pos & 1) == 1) {
                boolean childFailed = leftFailed[h] || failed;
                long parent = pos >>> 1;
                Sha256 expected = MerkleTree.nodeHash(tree.node(h, pos - 1), tree.node(h, pos));
                failed = !expected.constantTimeEquals(tree.node(h + 1, parent));
                long first = parent << (h + 1);
                if (failed && !childFailed && first < bad) {
                    bad = first;
                    problem = "tree node at level " + (h + 1) + " over records [" + first + ", " + (first + (1L << (h + 1)))
                            + ") does not match its children";
                }
                h++;
                pos = parent;
            }
            leftFailed[h] = failed;
        }
        return bad == Long.MAX_VALUE ? AuditVerification.ok(n) : AuditVerification.failed(bad, problem);
    }

    @Override
    public List<AuditRecord> query(AuditQuery q) {
        Objects.requireNonNull(q, "query");
        lock.readLock().lock();
        try {
            checkOpen();
            int n = records.size();
            long lo = Math.max(q.fromIndex(), q.from().map(t -> firstAtOrAfter(t)).orElse(0L));
            long hi = q.until().map(t -> firstAtOrAfter(t)).orElse((long) n);
            List<AuditRecord> out = new ArrayList<>();
            if (lo >= hi) {
                return out;
            }
            Postings shortest = null;
            List<Postings> lists = new ArrayList<>(4);
            q.actor().ifPresent(a -> lists.add(byActor.getOrDefault(a, Postings.EMPTY)));
            q.action().ifPresent(a -> lists.add(byAction.getOrDefault(a, Postings.EMPTY)));
            q.target().ifPresent(t -> lists.add(byTarget.getOrDefault(t, Postings.EMPTY)));
            q.outcome().ifPresent(o -> lists.add(byOutcome.getOrDefault(o, Postings.EMPTY)));
            for (Postings p : lists) {
                if (shortest == null || p.size < shortest.size) {
                    shortest = p;
                }
            }
            if (shortest == null) {
                for (long i = lo; i < hi && out.size() < q.limit(); i++) {
                    out.add(records.get((int) i));
                }
                return out;
            }
            for (int k = shortest.firstAtOrAfter(lo); k < shortest.size && out.size() < q.limit(); k++) {
                int i = shortest.indexes[k];
                if (i >= hi) {
                    break;
                }
                AuditRecord r = records.get(i);
                if (q.matches(r)) {
                    out.add(r);
                }
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The first index whose time is at or after {@code t}: times never decrease, so a binary search. */
    private long firstAtOrAfter(Instant t) {
        return lowerBound(records.size(), i -> !records.get((int) i).at().isBefore(t));
    }

    /** The first {@code i} in {@code [0, n)} where {@code reached} holds, or {@code n}; it must hold from some i on. */
    private static long lowerBound(long n, LongPredicate reached) {
        long lo = 0;
        long hi = n;
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (!reached.test(mid)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
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
            tree.setForTest(level, position, Sha256.ofUtf8("corrupt"));
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("audit log is closed");
        }
    }

    /** Ascending record indexes, growing. */
    private static final class Postings {
        static final Postings EMPTY = new Postings();
        int[] indexes = new int[4];
        int size;

        void add(int i) {
            if (size == indexes.length) {
                indexes = Arrays.copyOf(indexes, size * 2);
            }
            indexes[size++] = i;
        }

        int firstAtOrAfter(long i) {
            return (int) lowerBound(size, k -> indexes[(int) k] >= i);
        }
    }

    /** Builds an {@link InMemoryAuditLog}; each setting may be given once. Not thread-safe. */
    public static final class Builder {
        private InstantSource clock = InstantSource.system();
        private boolean clockSet;
        private String origin = DEFAULT_ORIGIN;
        private boolean originSet;
        private PrivateKey key;

        private Builder() {
        }

        /**
         * @param clock the only source of record and checkpoint times
         * @return this
         */
        public Builder clock(InstantSource clock) {
            if (clockSet) {
                throw new IllegalStateException("clock is already set");
            }
            this.clock = Objects.requireNonNull(clock, "clock");
            clockSet = true;
            return this;
        }

        /**
         * @param origin the log's name in its checkpoints (see {@link Checkpoint})
         * @return this
         */
        public Builder origin(String origin) {
            if (originSet) {
                throw new IllegalStateException("origin is already set");
            }
            Checkpoint.unsigned(Objects.requireNonNull(origin, "origin"), 0, MerkleTree.emptyRoot(), Instant.EPOCH);
            this.origin = origin;
            originSet = true;
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
            if (this.key != null) {
                throw new IllegalStateException("signer is already set");
            }
            Checkpoint.checkSigningKey(Objects.requireNonNull(key, "key"));
            origin(origin);
            this.key = key;
            return this;
        }

        /** @return the log */
        public InMemoryAuditLog build() {
            return new InMemoryAuditLog(this);
        }
    }
}
